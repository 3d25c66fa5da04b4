#!/usr/bin/env python3
"""Regenerates crates/tradescout-core/data/hant_hans.txt from OpenCC's TSCharacters.txt.

Usage: scripts/hant_hans.py PATH/TO/TSCharacters.txt

Keeps one-character pairs (first candidate) whose simplified character occurs in the project's
own data files, with both forms one CJK character of the same UTF-8 length (the matchers fold
text character by character and keep byte offsets).
"""
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = """# Traditional Chinese character -> its simplified form, so that lexicons written in simplified
# Chinese also read mail in traditional script (Taiwan, Hong Kong, Macau, many overseas buyers).
# Source: the TSCharacters dictionary of OpenCC (https://github.com/BYVoid/OpenCC, Apache-2.0),
# first candidate of each entry, kept only where the simplified character occurs in tradescout's
# own data files and both forms are one CJK character of the same UTF-8 length.
# Regenerate after adding Chinese words to the data. One pair a line: traditional, a tab, simplified.
"""


def cjk(ch):
    return 0x3400 <= ord(ch) <= 0x9FFF and len(ch.encode()) == 3


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    used = set()
    for path in glob.glob(os.path.join(ROOT, "crates/*/data/**/*.toml"), recursive=True):
        with open(path, encoding="utf-8") as f:
            used.update(ch for ch in f.read() if cjk(ch))
    pairs = []
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            trad, simp = parts[0], parts[1].split(" ")[0]
            if len(trad) == 1 and len(simp) == 1 and trad != simp and cjk(trad) and cjk(simp) and simp in used:
                pairs.append((trad, simp))
    out = os.path.join(ROOT, "crates/tradescout-core/data/hant_hans.txt")
    with open(out, "w", encoding="utf-8") as f:
        f.write(HEADER)
        for trad, simp in sorted(pairs):
            f.write(f"{trad}\t{simp}\n")
    print(f"{len(pairs)} pairs written to {out}")


if __name__ == "__main__":
    main()
