"""Long fuzz run of huiwen.extract: any bytes give a draft or an ExtractionError.

    PYTHONPATH=src .venv/bin/python bench/fuzz_extract.py --minutes 10

Two generators take turns until the time is up: hypothesis (random bytes and
random markup built from tricky fragments, as in tests/extract/test_robustness.py)
and mutation of the authored fixture pages (byte flips, cuts, splices,
repeated and deleted ranges), which reaches the later stages with realistic
structure.  Any other exception is printed with the input that caused it and
the run exits 1.  Pages slower than --slow seconds are reported too.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from huiwen.extract import ExtractionError, extract

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests" / "sites" / "extract").glob("*.html"))
FRAGMENTS = [
    b"<html>",
    b"<head>",
    b"<meta charset='gb2312'>",
    b"<meta charset=big5>",
    b"<?xml encoding='utf-16'?>",
    b"<title>",
    b"</title>",
    b"<div class='content'>",
    b"</div>",
    b"<p>",
    b"</p>",
    b"<br>",
    b"<a href='x'>",
    b"</a>",
    b"<img src='//x/y.jpg'>",
    b"<script>",
    b"</script>",
    b"<table><tr><td>",
    b"&#0;",
    b"&#xD800;",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    "来源：".encode(),
    "责编：".encode(),
    "2023年11月10日 08:30".encode(),
    "《人民日报》（2023年11月10日 第03版）".encode("gbk"),
    "(和音)".encode("big5"),
    b"<!--",
    b"]]>",
]


class Stats:
    def __init__(self, slow: float) -> None:
        self.runs = 0
        self.errors = 0
        self.slow = slow
        self.slowest = 0.0

    def check(self, raw: bytes) -> None:
        self.runs += 1
        start = time.perf_counter()
        try:
            extract(raw, url="http://example.com/a/b.html").to_json_dict()
        except ExtractionError as exc:
            # The catch-all in extract() turns internal bugs into this message:
            # for the fuzzer they are crashes all the same.
            if exc.internal:
                print(f"INTERNAL ERROR on input {raw[:2000]!r}", file=sys.stderr)
                traceback.print_exception(exc.__cause__)
                raise SystemExit(1) from None
            self.errors += 1
        except Exception:
            print(f"CRASH on input {raw[:2000]!r}", file=sys.stderr)
            traceback.print_exc()
            raise SystemExit(1) from None
        elapsed = time.perf_counter() - start
        self.slowest = max(self.slowest, elapsed)
        if elapsed > self.slow:
            print(f"slow ({elapsed:.2f} s) on {len(raw)} bytes: {raw[:120]!r}", file=sys.stderr)


def mutate(rng: random.Random, page: bytes) -> bytes:
    data = bytearray(page)
    for _ in range(rng.randint(1, 8)):
        choice = rng.random()
        i = rng.randrange(len(data) + 1)
        j = min(len(data), i + rng.randint(0, 400))
        if choice < 0.3 and data:
            data[min(i, len(data) - 1)] = rng.randrange(256)
        elif choice < 0.45:
            del data[i:j]
        elif choice < 0.6:
            data[i:i] = data[i:j] * rng.randint(2, 20)
        elif choice < 0.8:
            data[i:i] = rng.choice(FRAGMENTS)
        else:
            other = rng.choice(SEEDS).read_bytes()
            k = rng.randrange(len(other))
            data[i:j] = other[k : k + rng.randint(0, 2000)]
    return bytes(data)


def hypothesis_round(stats: Stats, examples: int) -> None:
    pieces = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=30)), max_size=80)

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(st.binary(max_size=4000), pieces.map(b"".join)))
    def run(raw: bytes) -> None:
        stats.check(raw)

    run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--slow", type=float, default=2.0, help="report inputs slower than this (seconds)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    stats = Stats(args.slow)
    pages = [p.read_bytes() for p in SEEDS]
    deadline = time.monotonic() + args.minutes * 60
    while time.monotonic() < deadline:
        hypothesis_round(stats, 500)
        for _ in range(2000):
            stats.check(mutate(rng, rng.choice(pages)))
        print(
            f"{stats.runs} inputs, {stats.errors} ExtractionError, 0 crashes, slowest {stats.slowest:.3f} s", flush=True
        )
    print(
        f"done: {stats.runs} inputs in {args.minutes} min, {stats.errors} ExtractionError, 0 crashes, "
        f"slowest {stats.slowest:.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
