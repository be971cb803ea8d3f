"""Expands shard patterns with the peer's own functions.

Usage: wds_braceexpand.py < patterns.json   (a JSON list of strings)

Prints a JSON list with, per pattern: {"brace": [...] or {"error": ...}, "urls": [...] or {"error": ...}} where
`brace` is `braceexpand.braceexpand(pattern)` (the package webdataset depends on) and `urls` is
`webdataset.shardlists.expand_urls(pattern)` (`::` lists and `${name}` → `$WDS_name` substitution).
"""

import json
import sys

import braceexpand
from webdataset import shardlists


def attempt(function, pattern):
    try:
        return list(function(pattern))
    except BaseException as error:  # noqa: BLE001 - every failure is an answer here
        return {"error": f"{type(error).__name__}: {error}"}


def main():
    patterns = json.load(sys.stdin)
    print(json.dumps([{"brace": attempt(braceexpand.braceexpand, p), "urls": attempt(shardlists.expand_urls, p)}
                      for p in patterns]))


if __name__ == "__main__":
    main()
