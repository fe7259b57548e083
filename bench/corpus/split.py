#!/usr/bin/env python3
"""Split the independent labelled SMS corpus ONCE into exemplars / dev / test.

Usage: python3 bench/corpus/split.py CORPUS.tsv

CORPUS.tsv has the header `label<TAB>lang<TAB>text`. The split is stratified by
(label, lang): within each stratum the rows are sorted by text, shuffled with
random.Random(SEED), and cut 40% exemplars, 20% dev, rest (about 40%) test.
Writes src/test/resources/labelled/semantic/{exemplars,dev,test}.tsv and refuses
to overwrite them: the split is made once, and test.tsv is frozen afterwards.
The unsplit corpus is deliberately not kept in the repository, so that the test
texts exist in test.tsv only.
"""
import collections
import os
import random
import sys

SEED = 20261204
FRACTIONS = (("exemplars", 0.40), ("dev", 0.20))  # test gets the remainder
LABELS = {"opt_out", "threat", "legal", "medical", "anger", "interest", "ordinary"}
LANGS = {"en", "es"}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "..", "src", "test", "resources", "labelled", "semantic")


def read(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if lines[0] != "label\tlang\ttext":
        sys.exit("bad header: %r" % lines[0])
    rows, seen = [], set()
    for n, line in enumerate(lines[1:], 2):
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in LABELS or parts[1] not in LANGS or not parts[2].strip():
            sys.exit("line %d malformed: %r" % (n, line))
        key = parts[2].strip().lower()
        if key in seen:
            sys.exit("line %d duplicate text: %r" % (n, parts[2]))
        seen.add(key)
        rows.append(tuple(parts))
    return rows


def split(rows):
    strata = collections.defaultdict(list)
    for r in rows:
        strata[(r[0], r[1])].append(r)
    out = {"exemplars": [], "dev": [], "test": []}
    rng = random.Random(SEED)
    for key in sorted(strata):
        group = sorted(strata[key], key=lambda r: r[2])
        rng.shuffle(group)
        start = 0
        for name, frac in FRACTIONS:
            k = round(frac * len(group))
            out[name].extend(group[start:start + k])
            start += k
        out["test"].extend(group[start:])
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    rows = read(sys.argv[1])
    parts = split(rows)
    os.makedirs(OUT, exist_ok=True)
    for name in parts:
        if os.path.exists(os.path.join(OUT, name + ".tsv")):
            sys.exit("%s.tsv exists: the split is made once and test.tsv is frozen" % name)
    for name, part in parts.items():
        with open(os.path.join(OUT, name + ".tsv"), "w", encoding="utf-8") as f:
            f.write("label\tlang\ttext\n")
            for r in part:
                f.write("\t".join(r) + "\n")
    counts = collections.Counter((name, r[0], r[1]) for name, part in parts.items() for r in part)
    print("label\tlang\texemplars\tdev\ttest")
    for label, lang in sorted({(r[0], r[1]) for r in rows}):
        print("%s\t%s\t%d\t%d\t%d" % (label, lang, counts[("exemplars", label, lang)],
                                      counts[("dev", label, lang)], counts[("test", label, lang)]))


if __name__ == "__main__":
    main()
