"""Makes a generator worker die with its client, whatever kills the client (SIGTERM, SIGKILL, an OOM kill, a crash).

A worker left behind keeps a GPU or CPU cores busy for nothing: nobody reads its answers. Three layers:

1. Linux: prctl(PR_SET_PDEATHSIG, SIGTERM), so the kernel sends SIGTERM (whose default action ends the worker at once;
   the worker installs no handler) the moment its parent dies. Armed only when the client set SGID_CLIENT_PID: for the
   kernel the "parent" is the *thread* that spawned the worker, so the client must spawn from a thread that lives as
   long as it does (the Swift client spawns every worker from one such thread, WorkerSpawner); a client that spawns
   from a short-lived thread would see its workers killed when that thread exits.
2. The race before (1): if the client died between spawning the worker and the prctl call, the worker was already
   re-parented and the signal never comes; so after arming it, a worker whose client (SGID_CLIENT_PID) is gone exits.
3. A watcher thread, on every platform: once a second it checks that the parent is still the one the worker started
   with (a dead parent's children are re-parented to init or a subreaper), and that SGID_CLIENT_PID still exists when
   it is not the direct parent (a client that runs the worker through a wrapper). Python threads keep running while
   the main thread is inside torch (which releases the GIL), so this also ends a worker in the middle of a long
   generation, where the end of its standard input would only be seen at the next read.

A worker that finds its client gone logs one line and exits with status 0 without interpreter teardown. SIGTERM is
first restored to its default action and unblocked (`restore_sigterm`): both are inherited through exec.
"""

import ctypes
import logging
import os
import signal
import sys
import threading
import time

CLIENT_PID_VARIABLE = "SGID_CLIENT_PID"
PR_SET_PDEATHSIG = 1
POLL_SECONDS = 1.0

log = logging.getLogger("sgid_worker")


def exists(pid):
    """Whether a process with this id exists (one owned by another user counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def arm_death_signal():
    """Asks the kernel for SIGTERM when the parent dies (Linux only). Returns whether it is armed."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) != 0:
            log.warning("prctl(PR_SET_PDEATHSIG) failed: %s", os.strerror(ctypes.get_errno()))
            return False
    except (OSError, AttributeError) as error:
        log.warning("prctl(PR_SET_PDEATHSIG) unavailable: %s", error)
        return False
    return True


def client_pid():
    """The client's process id from SGID_CLIENT_PID, or None when unset or malformed."""
    text = os.environ.get(CLIENT_PID_VARIABLE, "")
    try:
        pid = int(text)
    except ValueError:
        return None
    return pid if pid > 1 else None


def gone(parent, client):
    """Why the worker should exit now, or None: its parent changed, or its client no longer exists."""
    now = os.getppid()
    if now != parent:
        return f"the parent process {parent} is gone (re-parented to {now})"
    if client is not None and client != parent and not exists(client):
        return f"the client process {client} is gone"
    return None


def restore_sigterm():
    """SIGTERM back to its default action and unblocked: a process inherits ignored signals and its spawning thread's
    signal mask through exec (Dispatch threads block nearly every signal), and either would make the worker deaf to
    its client's SIGTERM and to the death signal."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def watch(leave):
    """Arms the layers above; `leave(status)` ends the process at once. Call it first thing, before slow imports
    and before any other thread starts (threads inherit the signal mask)."""
    restore_sigterm()
    client = client_pid()
    if client is not None:
        arm_death_signal()
    parent = os.getppid()
    if client is not None and parent != client and not exists(client):
        log.info("the client process %d died before the worker started: exiting", client)
        leave(0)

    def run():
        while True:
            time.sleep(POLL_SECONDS)
            reason = gone(parent, client)
            if reason is not None:
                log.info("%s: exiting", reason)
                leave(0)

    threading.Thread(target=run, name="sgid-parent-watch", daemon=True).start()
