"""Indexes an ImageFolder tree with the real torchvision, when it is installed.

Usage: imagefolder_torchvision.py ROOT [--allow-empty]

Prints {"available": false, "reason": …} when torchvision cannot be imported (the light peer environment does not
install it), else {"available": true, "version": …, "classes": [...], "samples": [[path relative to ROOT, label]]}
or {"available": true, "version": …, "error": message} when torchvision refuses the tree.
"""

import json
import os
import sys


def main():
    root = sys.argv[1]
    allow_empty = "--allow-empty" in sys.argv[2:]
    try:
        import torchvision
        from torchvision.datasets import ImageFolder
    except Exception as error:  # noqa: BLE001 - any import failure means "not available"
        print(json.dumps({"available": False, "reason": f"{type(error).__name__}: {error}"}))
        return
    try:
        dataset = ImageFolder(root, allow_empty=allow_empty)
    except Exception as error:  # noqa: BLE001 - the refusal itself is the answer
        print(json.dumps({"available": True, "version": torchvision.__version__, "error": f"{type(error).__name__}: {error}"}))
        return
    samples = [[os.path.relpath(path, root), label] for path, label in dataset.samples]
    print(json.dumps({"available": True, "version": torchvision.__version__, "classes": dataset.classes, "samples": samples}))


if __name__ == "__main__":
    main()
