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
from datetime import datetime, timedelta
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


# -- the real pages repeated and varied to any size, for bench/search.py ------------------------

_SENTENCE = re.compile(r"[^。！？!?；;]+[。！？!?；;]?")
_DIGITS = re.compile(r"\d+(?![\d年月日时號号])")


@dataclass(frozen=True)
class Scaled:
    key: str  # the real page it was made from
    title: str
    body: str  # HTML paragraphs
    channel: str  # the judged channel path
    published_at: datetime
    source: str
    author: str
    print_newspaper: str


def _vary_digits(text: str, rng) -> str:
    return _DIGITS.sub(lambda m: str(rng.randrange(10 ** (len(m.group()) - 1), 10 ** len(m.group())))
                       if rng.random() < 0.5 else m.group(), text)


def scale(count: int, seed: int = 200_000):
    """`count` articles made from the real pages: each takes a page's title and paragraphs, with
    the sentences of some paragraphs reordered, about one sentence in seven taken from another
    page on one of its subjects (else from any page), numbers changed, and one title word in two
    swapped for a word of another page's title; dated over two years. So the words, names and
    their frequencies are those of real Chinese news (Simplified and Traditional), not of templates."""
    import random

    from huiwen.search.terms import analyse
    from huiwen.text.chinese import fold

    rng = random.Random(seed)
    judged = judgements()
    base = [page for page in pages() if page.key in judged]
    by_subject: dict[str, list[RealPage]] = {}
    for page in base:
        for subject in judged[page.key].subjects:
            by_subject.setdefault(subject, []).append(page)
    sentences = {page.key: [s for p in page.paragraphs for s in _SENTENCE.findall(p) if s.strip()] for page in base}
    words_of = {page.key: analyse(fold(page.title)).terms for page in base}
    title_words = [word for words in words_of.values() for word in words]
    start = datetime(2025, 1, 1, 0, 0)
    span = 2 * 365 * 24 * 60
    for number in range(count):
        page = base[rng.randrange(len(base))]
        subjects = sorted(judged[page.key].subjects)
        neighbours = by_subject[rng.choice(subjects)] if subjects else base
        paragraphs = []
        for paragraph in page.paragraphs:
            parts = _SENTENCE.findall(paragraph) or [paragraph]
            if len(parts) > 2 and rng.random() < 0.3:
                rng.shuffle(parts)
            parts = [rng.choice(sentences[rng.choice(neighbours).key] or [part]) if rng.random() < 0.15 else part
                     for part in parts]
            paragraphs.append(_vary_digits("".join(parts), rng))
        title = page.title
        words = words_of[page.key]
        if words and rng.random() < 0.5:
            word = rng.choice(words)
            if word in title:
                title = title.replace(word, rng.choice(title_words), 1)
        yield Scaled(
            key=page.key, title=title[:200], body="".join(f"<p>{escape(p)}</p>" for p in paragraphs if p),
            channel=judged[page.key].channel,
            published_at=start + timedelta(minutes=span * number // count + rng.randint(0, 60)),
            source=page.source, author="、".join(page.authors)[:120], print_newspaper=page.print_newspaper,
        )


def queries(count: int, seed: int) -> list[dict]:
    """Queries a reader of these pages would type: title words, two words, a name and a word,
    "quoted" phrases of the text, an exclusion, Traditional script, and 来源:/作者: fields;
    some with a channel or date filter or newest first (the mix of bench/search.py's generated set)."""
    import random

    import opencc

    from huiwen.search.terms import analyse
    from huiwen.text.chinese import fold

    to_traditional = opencc.OpenCC("s2twp")
    rng = random.Random(seed)
    judged = judgements()
    base = [page for page in pages() if page.key in judged]
    channels = sorted({judgement.channel for judgement in judged.values()})
    made: list[dict] = []
    while len(made) < count:
        page = rng.choice(base)
        title = analyse(fold(page.title))
        body = analyse(fold(page.text[:600]))
        words = [w for w in title.terms if len(w) >= 2] or [w for w in body.terms if len(w) >= 2]
        if not words:
            continue
        first = rng.choice(words)
        second = rng.choice([w for w in body.terms if w != first] or [first])
        roll = rng.random()
        if roll < 0.42:
            text = first
        elif roll < 0.64:
            text = f"{first} {second}"
        elif roll < 0.72:
            names = sorted(title.names | body.names)
            text = f"{rng.choice(names)} {first}" if names else first
        elif roll < 0.79:
            run = rng.choice(_SENTENCE.findall(page.text[:400]) or [page.title])
            han = "".join(ch for ch in run if "\u4e00" <= ch <= "\u9fff")
            at = rng.randrange(max(1, len(han) - 4))
            text = f'"{han[at:at + rng.randint(2, 4)]}"' if len(han) >= 2 else first
        elif roll < 0.85:
            text = f"{first} -{second}" if second != first else first
        elif roll < 0.92:
            text = to_traditional.convert(f"{first} {second}")
        elif roll < 0.97 and page.source:
            text = f'来源:"{page.source}"' + (f" {first}" if rng.random() < 0.5 else "")
        elif page.authors:
            text = f"作者:{page.authors[0]}"
        else:
            text = first
        query: dict = {"q": text}
        extra = rng.random()
        if extra < 0.10:
            query["channel"] = rng.choice(channels)
        elif extra < 0.15:
            query["days"] = rng.choice([7, 30, 90])
        elif extra < 0.25:
            query["order"] = "new"
        made.append(query)
    return made
