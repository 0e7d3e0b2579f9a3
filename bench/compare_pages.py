"""Page-by-page comparison of two benchmark runs (old vs new), written with ``--per-page`` by
bench/metadata.py or bench/extraction.py::

    PYTHONPATH=src .venv-bench/bin/python bench/metadata.py --only huiwen --per-page /tmp/old.json
    ... change the extractor ...
    PYTHONPATH=src .venv-bench/bin/python bench/metadata.py --only huiwen --per-page /tmp/new.json
    python bench/compare_pages.py /tmp/old.json /tmp/new.json

An aggregate can hide a page that got worse behind another that got better; this lists every
page whose verdict (metadata) or body F1 (extraction, by more than --epsilon) changed.  Pages of
the sealed part (``held`` by default) are only counted, never named, so that comparing does not
open the part left alone for an honest estimate.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def compare_metadata(old: dict[str, Any], new: dict[str, Any], sealed: set[str]) -> int:
    counts: Counter[tuple[str, str, str]] = Counter()
    worse = 0
    for page in sorted(set(old) & set(new)):
        part = new[page]["part"]
        for field_name, then in old[page]["fields"].items():
            now = new[page]["fields"].get(field_name, "skip")
            if then == now or "skip" in (then, now):
                continue
            change = "better" if now == "ok" else "worse" if then == "ok" else "still wrong"
            worse += change == "worse"
            counts[(part, field_name, change)] += 1
            if part not in sealed:
                print(f"  {change:11} {part:5} {field_name:8} {page:50} {then} → {now}")
    for (part, field_name, change), n in sorted(counts.items()):
        print(f"{part:5} {field_name:8} {change:11} {n}")
    return worse


def compare_extraction(old: dict[str, Any], new: dict[str, Any], epsilon: float) -> int:
    worse = 0
    moves: list[tuple[float, str, str, float, float]] = []
    for page in sorted(set(old) & set(new)):
        then, now = old[page]["f1"], new[page]["f1"]
        if abs(now - then) > epsilon:
            moves.append((now - then, page, new[page]["part"], then, now))
            worse += now < then
    for delta, page, part, then, now in sorted(moves):
        print(f"  {delta:+.3f} {part:8} {page:50} {then:.3f} → {now:.3f}")
    for part in sorted({v["part"] for v in new.values()}):
        pages = [p for p in new if new[p]["part"] == part and p in old]
        if pages:
            mean_old = sum(old[p]["f1"] for p in pages) / len(pages)
            mean_new = sum(new[p]["f1"] for p in pages) / len(pages)
            print(f"{part}: mean F1 {mean_old:.4f} → {mean_new:.4f} over {len(pages)} pages")
    return worse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--sealed", default="held", help="comma-separated parts counted but never named")
    parser.add_argument("--epsilon", type=float, default=0.002, help="F1 changes up to this are ignored")
    args = parser.parse_args(argv)
    old, new = load(args.old), load(args.new)
    if old["kind"] != new["kind"]:
        parser.error("the two files come from different benchmarks")
    if new["kind"] == "metadata":
        sealed = {p for p in args.sealed.split(",") if p}
        worse = compare_metadata(old["pages"], new["pages"], sealed)
    else:
        worse = compare_extraction(old["pages"], new["pages"], args.epsilon)
    print(f"pages × fields worse: {worse}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
