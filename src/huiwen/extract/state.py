"""Stage 4b: what a page's script state says (``window.__INITIAL_STATE__ = {…}``, ``var x = {…}``).

Templates rendered in the browser give the time, the outlet or the editor only in the state
object their scripts build the page from.  The objects are rarely JSON (single quotes, bare
keys, functions), so they are not parsed whole: quoted and numeric values are read after the
keys news templates use for these fields, whatever object holds them.  The first plausible
value of each field wins; values that look like code (URLs, identifiers) are refused, and so
are values of another article: state objects list recommended articles too, each with its
own title, source and time, so a value whose nearest ``title`` is a headline the page's <title>
does not hold belongs to one of those.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from . import dates
from .dom import HtmlElement
from .text import collapse, nfkc_key

# At most this much script text is read per page: state objects are far smaller.
_MAX_SCRIPT_TEXT = 1_000_000

# Keys, lower-cased without underscores, for each field.
_TIME_KEYS = frozenset(
    ["pubtime", "publishtime", "ptime", "pubdate", "publishdate", "datepublished", "publishedat", "releasetime",
     "firstpublishtime", "newstime", "articletime", "publishedtime"]
)
_SOURCE_KEYS = frozenset(
    ["source", "sourcename", "medianame", "copyfrom", "articlesource", "newssource", "sourcemedia", "origin",
     "originname", "mediasource"]
)
_EDITOR_KEYS = frozenset(["editor", "editorname", "responsibleeditor", "dutyeditor", "chargeeditor"])


def _key_pattern(keys: frozenset[str]) -> str:
    """A key as scripts write it: any case, an underscore between any two letters allowed."""
    return "|".join("_?".join(key) for key in sorted(keys, key=len, reverse=True))


# key : "value" | 'value' | 1700000000[000] — only the keys above are looked for, so the regex
# engine skips the rest of a megabyte of script quickly.
_PAIR_RE = re.compile(
    r"""(?<![A-Za-z_])["']?("""
    + _key_pattern(_TIME_KEYS | _SOURCE_KEYS | _EDITOR_KEYS)
    + r""")["']?\s*[:=]\s*("(?:[^"\\\n]|\\.){1,120}"|'[^'\\\n]{1,120}'|\d{10}(?:\d{3})?\b)""",
    re.I,
)
_HAN_RE = re.compile(r"[\u4e00-\u9fff]")
_CODE_RE = re.compile(r"https?:|www\.|[<>{}=;\\]")


@dataclass
class ScriptState:
    published_at: datetime | None = None
    source: str | None = None
    editor: str | None = None


# A title in the state, and how far around a value it is looked for.
_TITLE_RE = re.compile(r"""["']?title["']?\s*[:=]\s*("(?:[^"\\\n]|\\.){1,200}"|'[^'\\\n]{1,200}')""", re.I)
_NEAR = 600
# Shorter titles are a channel's or a box's, not another article's headline.
_HEADLINE_LENGTH = 8


def read_state(scripts: list[HtmlElement], default_tz: tzinfo, page_title: str = "") -> ScriptState:
    state = ScriptState()
    own_title = nfkc_key(page_title).lower()
    budget = _MAX_SCRIPT_TEXT
    for element in scripts:
        if budget <= 0:
            break
        script = (element.text or "")[:budget]
        budget -= len(script)
        titles = _Titles(script, own_title) if own_title else None
        for match in _PAIR_RE.finditer(script):
            if titles is not None and titles.of_another_article(match):
                continue
            _take(state, match.group(1).lower().replace("_", ""), match.group(2), default_tz)
            if state.published_at and state.source and state.editor:
                return state
    return state


class _Titles:
    """The titles of one script, found in one pass: a state object listing thousands of articles
    must not be searched again around each of their values."""

    def __init__(self, script: str, own_title: str) -> None:
        self.found = [(m.start(), m.end(), m.group(1)) for m in _TITLE_RE.finditer(script)]
        self.starts = [start for start, _, _ in self.found]
        self.own_title = own_title
        self.verdicts: dict[str, bool] = {}

    def of_another_article(self, match: re.Match[str]) -> bool:
        """The nearest title around the value is a headline the page's <title> does not hold."""
        at = bisect.bisect_left(self.starts, match.start())
        near = [
            self.found[i] for i in (at - 1, at)
            if 0 <= i < len(self.found)
            and self.found[i][0] >= match.start() - _NEAR and self.found[i][1] <= match.end() + _NEAR
        ]
        if not near:
            return False
        raw = min(near, key=lambda title: abs(title[0] - match.start()))[2]
        if raw not in self.verdicts:
            title = nfkc_key(_text(raw)).lower()
            self.verdicts[raw] = len(title) >= _HEADLINE_LENGTH and title not in self.own_title
        return self.verdicts[raw]


def _take(state: ScriptState, key: str, raw: str, default_tz: tzinfo) -> None:
    if key in _TIME_KEYS and state.published_at is None:
        state.published_at = _time(raw, default_tz)
    elif key in _SOURCE_KEYS and state.source is None:
        state.source = _name(raw)
    elif key in _EDITOR_KEYS and state.editor is None:
        state.editor = _name(raw)


def _text(raw: str) -> str:
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError:
            return ""
        return value if isinstance(value, str) else ""
    return raw.strip("'")


def _time(raw: str, default_tz: tzinfo) -> datetime | None:
    if raw.isdigit():
        seconds = int(raw) / (1000 if len(raw) == 13 else 1)
        moment = datetime.fromtimestamp(seconds, UTC)
        return moment.astimezone(default_tz) if 1990 <= moment.year <= 2100 else None
    return dates.parse_meta(_text(raw), default_tz)


def _name(raw: str) -> str | None:
    """A name a reader would see: Han characters in it, nothing that reads as code."""
    if raw.isdigit():
        return None
    value = collapse(_text(raw))
    if not 2 <= len(value) <= 30 or not _HAN_RE.search(value):
        return None
    return None if _CODE_RE.search(value) else value
