"""Article-extraction benchmark: huiwen against trafilatura, readability-lxml,
GNE and newspaper4k, on ../shared/corpus/extraction, in one process.

Run with the benchmark environment (the competitors live only there)::

    PYTHONPATH=src .venv-bench/bin/python bench/extraction.py
    PYTHONPATH=src .venv-bench/bin/python bench/extraction.py --only huiwen --failures 15

Scoring follows the corpus README (see bench/_metric.py).  Extractors run
interleaved page by page, so the speed ratios hold even on a busy machine.  Every extractor
gets the page's bytes and pays for its decoding inside the timed call;
competitors decode the way the README describes (the declared charset,
GB2312/GBK read as GB18030, else UTF-8), huiwen uses its own decoder.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _metric

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "extraction"


@dataclass
class Result:
    body: str | None = None
    title: str | None = None
    date: Any = None


Extractor = Callable[[bytes, str | None, str], Result]


# --- decoding for the competitors (README: honour <meta charset>, GB→GB18030) ---

_META = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([-\w.:]{1,40})""", re.I)
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}


def plain_decode(raw: bytes) -> str:
    match = _META.search(raw[:32768])
    label = match.group(1).decode("ascii", "replace").lower() if match else "utf-8"
    try:
        return raw.decode(_SUPERSET.get(label, label), errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


# --- the extractors ---------------------------------------------------------


def run_huiwen(raw: bytes, url: str | None, lang: str) -> Result:
    from huiwen.extract import extract

    draft = extract(raw, url=url)
    return Result(draft.body, draft.title, draft.published_at)


def run_trafilatura(raw: bytes, url: str | None, lang: str) -> Result:
    import trafilatura

    doc = trafilatura.bare_extraction(plain_decode(raw), url=url, with_metadata=True)
    if doc is None:
        return Result()
    get = doc.get if isinstance(doc, dict) else lambda k: getattr(doc, k, None)
    return Result(get("text"), get("title"), get("date"))


def run_readability(raw: bytes, url: str | None, lang: str) -> Result:
    import lxml.html
    from readability import Document

    doc = Document(plain_decode(raw), url=url)
    html = doc.summary(html_partial=True)
    tree = lxml.html.fromstring(html)
    paragraphs = [t.strip() for t in tree.itertext() if t.strip()]
    return Result("\n".join(paragraphs), doc.short_title(), None)


_GNE: Any = None


def run_gne(raw: bytes, url: str | None, lang: str) -> Result:
    global _GNE
    if _GNE is None:
        from gne import GeneralNewsExtractor

        _GNE = GeneralNewsExtractor()
    found = _GNE.extract(plain_decode(raw))
    return Result(found.get("content"), found.get("title"), found.get("publish_time"))


_NP_CONFIG: Any = None


def run_newspaper(raw: bytes, url: str | None, lang: str) -> Result:
    import newspaper

    global _NP_CONFIG
    if _NP_CONFIG is None:
        # No network: newspaper4k would otherwise download images to size them.
        _NP_CONFIG = newspaper.Config()
        _NP_CONFIG.fetch_images = False
        _NP_CONFIG.memorize_articles = False
    article = newspaper.Article(
        url or "http://example.com/article.html", config=_NP_CONFIG, language="zh" if lang == "zh" else "en"
    )
    article.download(input_html=plain_decode(raw))
    article.parse()
    return Result(article.text, article.title, article.publish_date)


EXTRACTORS: dict[str, Extractor] = {
    "huiwen": run_huiwen,
    "readability": run_readability,
    "trafilatura": run_trafilatura,
    "gne": run_gne,
    "newspaper4k": run_newspaper,
}


# --- scoring ----------------------------------------------------------------


@dataclass
class Tally:
    f1: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    titles: list[bool] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    bytes_in: int = 0
    crashes: int = 0
    pages: list[tuple[float, str]] = field(default_factory=list)
    # The last page's figures, for the subsets a page also belongs to.
    last_title: bool | None = None
    last_date: bool | None = None
    last_seconds: float = 0.0
    last_bytes: int = 0
    last_crash: int = 0


def load(corpus: Path, limit: int | None) -> list[tuple[str, bytes, dict[str, Any]]]:
    pages = []
    for path in sorted(corpus.glob("*.html"))[:limit]:
        truth = json.loads(path.with_suffix(".json").read_text("utf-8"))
        pages.append((path.stem, path.read_bytes(), truth))
    return pages


def score_page(tally: Tally, name: str, result: Result | None, truth: dict[str, Any]) -> None:
    lang = truth["lang"]
    body = _metric.body_score(result.body if result else None, truth["body"], lang)
    tally.f1.append(body.f1)
    tally.precision.append(body.precision)
    tally.recall.append(body.recall)
    tally.pages.append((body.f1, name))
    tally.last_title = tally.last_date = None
    if truth.get("title"):
        tally.last_title = bool(result) and _metric.title_match(result.title, truth["title"])
        tally.titles.append(tally.last_title)
    want = _metric.full_date(truth.get("date"))
    if want is not None:
        tally.last_date = bool(result) and _metric.to_date(result.date) == want
        tally.dates.append(tally.last_date)


def run(pages: list[tuple[str, bytes, dict[str, Any]]], names: list[str]) -> dict[tuple[str, str], Tally]:
    """Every page through every extractor, interleaved (page by page, in a
    rotating order), so that whatever else the machine does at some moment
    slows all extractors alike and the speed ratios stay fair."""
    tallies: dict[tuple[str, str], Tally] = {}
    _warm_up(pages, names)
    for number, (page_name, raw, truth) in enumerate(pages):
        subset = "Chinese" if truth["lang"] == "zh" else "other"
        shift = number % len(names)
        for name in names[shift:] + names[:shift]:
            tally = tallies.setdefault((name, subset), Tally())
            run_one(tally, EXTRACTORS[name], page_name, raw, truth)
            if truth.get("zh_script") == "Hant":
                # Traditional-script pages (Hong Kong, Taiwan, overseas templates) are reported as
                # their own subset too: their scores are in "Chinese" as well.
                _copy_last(tally, tallies.setdefault((name, HANT), Tally()))
    return tallies


HANT = "Chinese HK/TW (Hant)"


def _copy_last(source: Tally, target: Tally) -> None:
    """The page just scored in ``source`` counted in ``target`` too (time included)."""
    target.f1.append(source.f1[-1])
    target.precision.append(source.precision[-1])
    target.recall.append(source.recall[-1])
    target.pages.append(source.pages[-1])
    if source.last_title is not None:
        target.titles.append(source.last_title)
    if source.last_date is not None:
        target.dates.append(source.last_date)
    target.seconds += source.last_seconds
    target.bytes_in += source.last_bytes
    target.crashes += source.last_crash


def _warm_up(pages: list[tuple[str, bytes, dict[str, Any]]], names: list[str]) -> None:
    """One untimed call each (imports, jieba's dictionary), then freeze the
    heap: otherwise a full garbage collection walking another extractor's
    millions of dictionary objects lands in whichever call happens to run."""
    for name in names:
        for _, raw, truth in pages[:1]:
            with contextlib.suppress(Exception):
                EXTRACTORS[name](raw, truth.get("url"), truth["lang"])
    gc.collect()
    gc.freeze()


def run_one(tally: Tally, extractor: Extractor, page_name: str, raw: bytes, truth: dict[str, Any]) -> None:
    start = time.perf_counter()
    tally.last_crash = 0
    try:
        result: Result | None = extractor(raw, truth.get("url"), truth["lang"])
    except Exception:
        result = None
        tally.crashes += 1
        tally.last_crash = 1
    tally.last_seconds = time.perf_counter() - start
    tally.seconds += tally.last_seconds
    tally.last_bytes = len(raw)
    tally.bytes_in += len(raw)
    score_page(tally, page_name, result, truth)


def _rate(values: list[bool]) -> str:
    return f"{sum(values) / len(values):.3f} ({len(values)})" if values else "–"


def _overall_speed(tallies: dict[tuple[str, str], Tally], name: str) -> float:
    mine = [t for (n, subset), t in tallies.items() if n == name and subset != HANT]
    seconds = sum(t.seconds for t in mine)
    return sum(len(t.f1) for t in mine) / seconds if seconds else 0.0


def report(tallies: dict[tuple[str, str], Tally], failures: int) -> None:
    anchor = {s: t for (n, s), t in tallies.items() if n == "readability"}
    print(
        "| extractor | subset | pages | body F1 mean | median | precision | recall | title | date "
        "| pages/s | MB/s | × readability | crashes |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for (name, subset), t in sorted(tallies.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        speed = len(t.f1) / t.seconds if t.seconds else 0.0
        ref = anchor.get(subset)
        ratio = f"{speed / (len(ref.f1) / ref.seconds):.1f}×" if ref and ref.seconds else "–"
        print(
            f"| {name} | {subset} | {len(t.f1)} | {statistics.mean(t.f1):.3f} | "
            f"{statistics.median(t.f1):.3f} | {statistics.mean(t.precision):.3f} | "
            f"{statistics.mean(t.recall):.3f} | {_rate(t.titles)} | {_rate(t.dates)} | "
            f"{speed:.1f} | {t.bytes_in / 1e6 / t.seconds if t.seconds else 0:.2f} | {ratio} | {t.crashes} |"
        )
    print("\nAll pages, pages per second (decoding included) and ratio to readability-lxml:")
    ref_speed = _overall_speed(tallies, "readability")
    for name in sorted({n for n, _ in tallies}):
        speed = _overall_speed(tallies, name)
        ratio = f" = {speed / ref_speed:.1f}× readability" if ref_speed else ""
        print(f"  {name}: {speed:.1f} pages/s{ratio}")
    for (name, subset), t in sorted(tallies.items()):
        if failures and name == "huiwen":
            print(f"\nworst {failures} {subset} pages for {name}:")
            for f1, page in sorted(t.pages)[:failures]:
                print(f"  {f1:.3f} {page}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--only", action="append", choices=sorted(EXTRACTORS), help="run only these extractors (repeatable)"
    )
    parser.add_argument("--failures", type=int, default=0, help="list huiwen's N worst pages")
    parser.add_argument("--limit", type=int, help="first N pages only (quick runs)")
    parser.add_argument(
        "--per-page",
        type=Path,
        help="write huiwen's body F1 per page as JSON (compare two with bench/compare_pages.py)",
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    warnings.simplefilter("ignore")
    pages = load(args.corpus, args.limit)
    names = args.only or list(EXTRACTORS)
    tallies = run(pages, names)
    report(tallies, args.failures)
    if args.per_page:
        write_f1(args.per_page, tallies)
    return 0


def write_f1(path: Path, tallies: dict[tuple[str, str], Tally]) -> None:
    pages = {}
    for (name, subset), t in tallies.items():
        if name == "huiwen" and subset != HANT:
            for f1, page in t.pages:
                pages[page] = {"part": subset, "f1": round(f1, 4)}
    path.write_text(json.dumps({"kind": "extraction", "pages": pages}, indent=1), "utf-8")


if __name__ == "__main__":
    sys.exit(main())
