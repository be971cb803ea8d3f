#!/usr/bin/env python3
"""Groups the samples of a `perf record -e cpu-clock -g` profile of `sgid run` by loader stage (issue 16, item 1).

Reads `perf script -F comm,tid,period,ip,sym,dso` on standard input (one sample: a header line with the period in ns,
then its call chain, leaf first) and prints a markdown table: per stage the share of CPU time and the ms of CPU time
per image (IMAGES = images delivered in the profiled run), plus the biggest leaf symbols of each stage with --detail.

How samples are attributed (self time, by the leaf frame; kernel samples by the system call or fault in their chain):
  - libjpeg-turbo's C code is stripped of local symbols, so a C leaf is named by the source file that holds it: every
    file of libjpeg ends with its exported jinit_* function, so the first exported symbol at or after the leaf's
    function start (from the .eh_frame ranges of libjpeg itself) names the file (jdhuff.c -> entropy decoding, ...).
  - Its SIMD assembly has no unwind ranges nor symbols; the functions were identified once by their instructions
    (jdcolor/jdmerge/jdsample, jidct*) in the Debian build libjpeg62-turbo 1:2.1.5-2 (build-id SIMD_BUILD_ID below);
    on another build its samples are counted as "libjpeg SIMD, unidentified".
  - Our Swift and C code by symbol names (resample kernels, normalise, flip, queue/lock types), libc and the Swift
    runtime by function (malloc/free/retain/release = allocation; memcpy/memset = copies).

Usage: perf script -i perf.data -F comm,tid,period,ip,sym,dso | profile_stages.py --images N [--libjpeg PATH]
                                                                  [--detail] [--label NAME]
       profile_stages.py --callgrind SHORT.out LONG.out IMAGES   (instructions per image and stage between two
                                                                  callgrind runs, LONG having IMAGES more images)
"""
import argparse
import bisect
import collections
import re
import subprocess
import sys

SIMD_BUILD_ID = "75b71ddb85234be3659c097f2561a765b45993bd"
# (start, end, stage, name) of libjpeg-turbo's SIMD functions in that build (offsets in the .so; the asm files are
# linked in libjpeg-turbo's order, SSE2 then AVX2: jccolor, jcgray, jcsample, jdcolor, jdmerge, jdsample, jfdct*,
# jidctflt, jidctfst, jidctint, jidctred; told apart by their instructions, e.g. pmaddwd/mulps/pmulhw, xmm/ymm).
SIMD_FUNCTIONS = [
    (0x3F4E0, 0x40CC0, "colour", "jsimd_ycc_*_convert_sse2"),
    (0x40CC0, 0x42980, "colour", "jsimd_h2v1/h2v2_merged_upsample_sse2 (upsampling + YCC->RGB)"),
    (0x42980, 0x43080, "colour", "jsimd_h2v1/h2v2_(fancy_)upsample_sse2"),
    (0x43B40, 0x44F00, "idct", "jsimd_idct_float/ifast/islow_sse2 (8x8)"),
    (0x44F00, 0x45480, "idct", "jsimd_idct_4x4/2x2_sse2 (1/2 and 1/4 scale)"),
    (0x49040, 0x4A8A0, "colour", "jsimd_ycc_*_convert_avx2"),
    (0x4A8A0, 0x4C560, "colour", "jsimd_h2v1/h2v2_merged_upsample_avx2 (upsampling + YCC->RGB)"),
    (0x4C560, 0x4CCE0, "colour", "jsimd_h2v1/h2v2_(fancy_)upsample_avx2"),
    (0x4D020, 0x4D520, "idct", "jsimd_idct_islow_avx2 (8x8, full scale)"),
]
# libjpeg C code: the exported symbol that ends (or is) the leaf's source file -> stage.
LIBJPEG_FILES = {
    "jpeg_huff_decode": "entropy", "jpeg_fill_bit_buffer": "entropy", "jinit_huff_decoder": "entropy",
    "jinit_phuff_decoder": "entropy", "jinit_arith_decoder": "entropy",
    "jinit_inverse_dct": "idct",
    "jinit_color_deconverter": "colour", "jinit_upsampler": "colour", "jinit_merged_upsampler": "colour",
    "jpeg_read_header": "header", "jpeg_consume_input": "header", "jinit_marker_reader": "header",
    "jinit_input_controller": "header", "jinit_master_decompress": "header", "jpeg_make_d_derived_tbl": "header",
    "jpeg_resync_to_restart": "header", "jpeg_save_markers": "header", "jpeg_calc_output_dimensions": "header", "jpeg_start_decompress": "header", "jpeg_CreateDecompress": "header",
    "jpeg_std_error": "header", "jpeg_abort_decompress": "header", "jpeg_destroy_decompress": "header",
    "jpeg_destroy": "header", "jpeg_abort": "header", "jpeg_finish_decompress": "header",
    "jinit_memory_mgr": "alloc", "jpeg_get_small": "alloc", "jpeg_free_small": "alloc", "jpeg_get_large": "alloc",
    "jpeg_free_large": "alloc", "jpeg_mem_init": "alloc", "jpeg_mem_term": "alloc", "jpeg_mem_available": "alloc",
    "jzero_far": "controllers", "jcopy_sample_rows": "controllers",
}
STAGES = [
    ("read", "file read / tar (kernel read/open/stat, our readers)"),
    ("header", "JPEG header parse + decoder setup (markers, Huffman tables, init/teardown)"),
    ("entropy", "entropy decoding (libjpeg jdhuff: decode_mcu, fill_bit_buffer)"),
    ("idct", "IDCT (jsimd_idct_*, jpeg_idct_*)"),
    ("colour", "colour conversion + upsampling (jsimd ycc->rgb, merged/fancy upsample)"),
    ("controllers", "libjpeg row/coefficient buffering, crop/skip scanlines"),
    ("simd?", "libjpeg SIMD, unidentified"),
    ("shim", "our JPEG glue (sgid_jpeg_*: scanline loop, region bookkeeping)"),
    ("resize", "resize (our resample kernels + coefficients)"),
    ("flip", "flip"),
    ("normalise", "normalise + collate into the Float32 NCHW batch"),
    ("copies", "memcpy / memset (libc)"),
    ("queue", "queueing / locks (futex, pthread, our queues)"),
    ("alloc", "allocation (malloc/free, retain/release, page faults, mmap)"),
    ("startup", "process start (dynamic linker)"),
    ("other", "other"),
]


def libjpeg_tables(path):
    """(function starts, function ends, exported symbols sorted by address) of libjpeg at `path`."""
    frames = subprocess.run(["readelf", "--debug-dump=frames", path], capture_output=True, text=True).stdout
    fdes = sorted((int(m.group(1), 16), int(m.group(2), 16))
                  for m in re.finditer(r"FDE .*?pc=([0-9a-f]+)\.\.([0-9a-f]+)", frames))
    exports = []
    for line in subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True).stdout.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "Tt":
            exports.append((int(fields[0], 16), fields[2].split("@")[0]))
    exports.sort()
    notes = subprocess.run(["readelf", "-n", path], capture_output=True, text=True).stdout
    build_id = (re.search(r"Build ID: ([0-9a-f]+)", notes) or [None, None])[1]
    return fdes, exports, build_id


class Classifier:
    def __init__(self, libjpeg):
        self.fdes, self.exports, build_id = libjpeg_tables(libjpeg)
        self.fde_starts = [start for start, _ in self.fdes]
        self.export_addresses = [address for address, _ in self.exports]
        self.simd = SIMD_FUNCTIONS if build_id == SIMD_BUILD_ID else []

    def libjpeg(self, offset, symbol):
        if symbol != "[unknown]":
            name = symbol.split("@")[0]
            if name.startswith("jpeg_idct"):
                return "idct", name
            return LIBJPEG_FILES.get(name, "controllers"), name
        index = bisect.bisect_right(self.fde_starts, offset) - 1
        if index >= 0 and self.fdes[index][0] <= offset < self.fdes[index][1]:
            start = self.fdes[index][0]
            following = bisect.bisect_left(self.export_addresses, start)
            if following < len(self.exports):
                name = self.exports[following][1]
                stage = "idct" if name.startswith("jpeg_idct") else LIBJPEG_FILES.get(name, "controllers")
                return stage, f"libjpeg C before {name}"
            return "controllers", "libjpeg C after the last export (jsimd.c dispatch)"
        for start, end, stage, name in self.simd:
            if start <= offset < end:
                return stage, name
        return "simd?", "libjpeg SIMD (unidentified)"

    @staticmethod
    def kernel(chain):
        names = [symbol for _, symbol, _ in chain]
        text = " ".join(names)
        if re.search(r"page_fault|do_anonymous_page|clear_page|__x64_sys_(mmap|munmap|madvise|brk|mprotect)", text):
            return "alloc", "kernel: page faults / mmap"
        if re.search(r"futex|__x64_sys_sched_yield", text):
            return "queue", "kernel: futex"
        if re.search(r"__x64_sys_(read|pread64|readv|openat|open|close|newfstat|fstat|statx|newstat|newfstatat|"
                     r"getdents64|lseek)|ksys_read|ksys_pread|do_sys_open", text):
            return "read", "kernel: file read/open/stat"
        if re.search(r"__x64_sys_(write|exit|execve|clone)|exit_mmap|load_elf", text):
            return "other", "kernel: write / process start and exit"
        if re.search(r"interrupt|softirq|irq", text):
            return "other", "kernel: interrupts (disk, timer)"
        if re.search(r"schedule|finish_task_switch", text):
            return "queue", "kernel: context switch"
        return "other", "kernel: " + (names[0] if names else "?")

    @staticmethod
    def user(symbol, dso):
        s = symbol
        if "ld-linux" in dso or "_dl_" in s:
            return "startup", "dynamic linker"
        if re.search(r"horizontal_|vertical_|ResizeCoefficients|Resampl|resample|resize", s):
            return "resize", s
        if re.search(r"normali[sz]e|Collat|collate|BatchMemory|writeSlot|toFloat|NCHW", s):
            return "normalise", s
        if re.search(r"[Ff]lip", s):
            return "flip", s
        if re.search(r"^sgid_jpeg|JPEGDecoder|FastJPEG|DCTScale|region", s):
            return "shim", s
        if re.search(r"memmove|memcpy|memset", s):
            return "copies", s
        if re.search(r"malloc|free|memalign|aligned_alloc|unlink_chunk|swift_retain|swift_release|swift_alloc|"
                     r"swift_dealloc|swift_slowAlloc|swift_slowDealloc|allocateBuffer|_ContiguousArrayStorage|"
                     r"_allocateUninitialized|uninitializedCount|tcache|sysmalloc|arena", s):
            return "alloc", s
        if re.search(r"pthread|lll_|futex|Mutex|Condition|Semaphore|Reorder|Queue|sem_|__GI___lll", s):
            return "queue", s
        if re.search(r"FileReader|ImageFolderFile|\$s3Tar|[Tt]ar[A-Z]|Shard|WebDataset|__libc_read|__read|open64|fstat|"
                     r"readFile|FileHandle", s):
            return "read", s
        return "other", s


def samples(stream):
    """Yields (period_ns, chain): chain = [(ip, symbol, dso)], leaf first."""
    period, chain = None, []
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if period is not None:
                yield period, chain
            period, chain = None, []
            continue
        if not line[0].isspace():  # a sample's header: comm, tid, period
            fields = line.split()
            period, chain = int(fields[-1]), []
            continue
        match = re.match(r"\s+([0-9a-f]+)\s+(.*)\s+\((.*)\)$", line)
        if match:
            chain.append((int(match.group(1), 16), match.group(2).strip(), match.group(3)))
    if period is not None:
        yield period, chain


def callgrind_functions(path):
    """{(object, function): instructions} of a callgrind output file, self cost (callgrind_annotate --inclusive=no)."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", path], capture_output=True,
                          text=True, check=True).stdout
    functions = {}
    for line in text.splitlines():
        match = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(?:[^:]*):(\S+) \[(.*)\]$", line)
        if match:
            key = (match.group(3), match.group(2))
            functions[key] = functions.get(key, 0) + int(match.group(1).replace(",", ""))
    return functions


def instructions(short_run, full_run, images):
    """Prints the instructions per image between two callgrind runs (the full one minus the short one), by stage."""
    classifier = Classifier("/usr/lib/x86_64-linux-gnu/libjpeg.so.62.3.0")
    before, after = callgrind_functions(short_run), callgrind_functions(full_run)
    per_stage = collections.Counter()
    for key, count in after.items():
        extra = count - before.get(key, 0)
        obj, function = key
        if "libjpeg" in obj:
            offset = int(function, 16) if function.startswith("0x") else 0
            stage, name = classifier.libjpeg(offset, "[unknown]" if function.startswith("0x") else function)
            if "jsimd.c" in name:  # callgrind counts SIMD routines reached by jsimd.c's tail jumps under the wrapper
                stage = "simd?"
        else:
            stage, _ = classifier.user(function, obj)
        per_stage[stage] += extra
    total = sum(per_stage.values())
    print(f"Instructions (valgrind --tool=callgrind, 1 thread, user space only): {total / images / 1e6:.2f} M per "
          f"image; by stage (simd? = SIMD reached through jsimd.c's tail jumps, mostly the IDCT):")
    print("; ".join(f"{key} {per_stage[key] / images / 1e6:.2f} M" for key, _ in STAGES if per_stage[key] > 0))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--callgrind":  # --callgrind SHORT_OUT FULL_OUT IMAGES_BETWEEN
        instructions(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, required=True, help="images delivered in the profiled run")
    parser.add_argument("--libjpeg", default="/usr/lib/x86_64-linux-gnu/libjpeg.so.62.3.0")
    parser.add_argument("--detail", action="store_true", help="list the biggest leaf symbols of each stage")
    parser.add_argument("--label", default="", help="a name printed above the table")
    args = parser.parse_args()
    classifier = Classifier(args.libjpeg)
    per_stage = collections.Counter()
    per_symbol = collections.defaultdict(collections.Counter)
    total = 0
    for period, chain in samples(sys.stdin):
        if not chain:
            continue
        ip, symbol, dso = chain[0]
        if "kallsyms" in dso or "kernel" in dso:
            stage, name = classifier.kernel(chain)
        elif "libjpeg" in dso:
            stage, name = classifier.libjpeg(ip, symbol)
        else:
            stage, name = classifier.user(symbol, dso)
        per_stage[stage] += period
        per_symbol[stage][name[:90]] += period
        total += period
    if args.label:
        print(args.label)
        print()
    print("| stage | % of CPU time | CPU ms / image |")
    print("|---|---:|---:|")
    for key, title in STAGES:
        if per_stage[key]:
            print(f"| {title} | {100 * per_stage[key] / total:.1f} | {per_stage[key] / 1e6 / args.images:.3f} |")
    print(f"| **all** | 100 | {total / 1e6 / args.images:.3f} |")
    if args.detail:
        for key, title in STAGES:
            if per_stage[key]:
                top = ", ".join(f"{name} {100 * value / total:.1f}%" for name, value in per_symbol[key].most_common(5))
                print(f"- {key}: {top}")


if __name__ == "__main__":
    main()
