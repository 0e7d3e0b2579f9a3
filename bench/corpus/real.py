"""Real pages of ../shared/corpus as articles, read at benchmark time (nothing is copied into the project).

The Chinese pages of corpus/extraction (382) and corpus/metadata (47 more), each run through
huiwen's own extractor, as the collector would store them: title, lede, paragraphs, 来源,
authors, column, print citation and date. A page without a date on it gets the date its
labels give (metadata/labels.json, extraction/*.json), else the DAniEL crawl day, else
2012-01-15 (most pages are from December 2011 and January 2012).

`judgements()` reads the hand judgements of bench/judgements/corpus-subjects.tsv: the channel
each page was filed in and the subjects it is about (README.md there gives the rule).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from html import escape
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
JUDGEMENTS = REPO / "bench" / "judgements"
DEFAULT_DAY = datetime(2012, 1, 15, 8, 0)


@dataclass(frozen=True)
class RealPage:
    key: str  # the file name without .html
    title: str
    lede: str
    paragraphs: tuple[str, ...]
    published_at: datetime  # naive, China time
    source: str
    authors: tuple[str, ...]
    column: str
    print_newspaper: str
    url: str

    @property
    def body_html(self) -> str:
        return "".join(f"<p>{escape(paragraph)}</p>" for paragraph in self.paragraphs)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def _label_date(value: str | None) -> datetime | None:
    if not value:
        return None
    match = re.search(r"(20\d\d|19\d\d)\D{1,3}(\d{1,2})\D{1,3}(\d{1,2})", value)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), 8, 0)
    except ValueError:
        return None


def _files() -> list[tuple[str, Path, dict]]:
    """(key, html path, what the corpus says about the page) of every Chinese page, once."""
    found: dict[str, tuple[Path, dict]] = {}
    for meta in sorted((CORPUS / "extraction").glob("*.json")):
        info = json.loads(meta.read_text(encoding="utf-8"))
        if info.get("lang") == "zh":
            found[meta.stem] = (meta.with_suffix(".html"), info)
    labels = json.loads((CORPUS / "metadata" / "labels.json").read_text(encoding="utf-8"))
    for label in labels:
        key = label["file"].removesuffix(".html")
        if key in found:
            found[key][1].setdefault("published", label.get("published"))
        else:
            found[key] = (CORPUS / "metadata" / label["file"], label)
    return [(key, path, info) for key, (path, info) in sorted(found.items())]


@cache
def pages() -> tuple[RealPage, ...]:
    """Every Chinese page of the corpus, extracted by huiwen (a few seconds)."""
    from huiwen.extract import ExtractionError, extract

    made = []
    for key, path, info in _files():
        url = info.get("url") or f"https://{info.get('site') or 'corpus.example'}/{key}.html"
        try:
            draft = extract(path.read_bytes(), url=url)
        except ExtractionError:
            continue
        title = (draft.title or info.get("title") or "").strip()
        if not title or not draft.paragraphs:
            continue
        when = draft.published_at.replace(tzinfo=None) if draft.published_at else None
        when = when or _label_date(info.get("published")) or _label_date(info.get("date"))
        when = when or _label_date(info.get("crawl_date")) or DEFAULT_DAY
        citation = draft.print_citation
        made.append(RealPage(
            key=key, title=title[:200], lede=draft.lede or "", paragraphs=tuple(draft.paragraphs),
            published_at=when, source=(draft.source or "")[:80], authors=tuple(draft.authors),
            column=(draft.column or "")[:40], print_newspaper=(citation.newspaper if citation else "")[:60], url=url,
        ))
    return tuple(made)


@dataclass(frozen=True)
class Judgement:
    channel: str
    subjects: frozenset[str]


def judgements(name: str = "corpus-subjects.tsv") -> dict[str, Judgement]:
    """key → the channel a page was filed in and its subjects, from a judgement file."""
    found = {}
    for line in (JUDGEMENTS / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, channel, subjects = line.split("\t")
        found[key] = Judgement(channel, frozenset(s for s in subjects.split(",") if s and s != "-"))
    return found


def on_topic(left: Judgement, right: Judgement) -> bool:
    """The rule of README.md: two pages are on-topic for each other when they share a subject."""
    return bool(left.subjects & right.subjects)
