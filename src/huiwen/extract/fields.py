"""Stage 6b: each attribution field chosen among what the page says about it, with its provenance.

The visible lines (stage 6), the <meta> tags and JSON-LD (stage 4) and the script state
(stage 4b) often disagree.  What readers see wins:

* **time**: the time printed under the headline over <meta> (which often holds the last
  update, or UTC); a <meta> time only fills in a day printed without one; then JSON-LD and
  <meta>, the script state, the address.  Printed times without an offset are read in the
  page's zone (Asia/Shanghai for Chinese pages), so every time carries one.
* **来源**: the labelled line, the meta line's outlet, the ``source`` <meta>, the script state,
  an account named by ``article:author``, ``og:site_name`` when it is not the host site's own
  name — the most certain first.
* **authors**: bylines and datelines, else JSON-LD persons or the ``author`` <meta>; an
  account or outlet standing in the author slot is the 来源, not an author, and a name the
  page gives as its 责编 is not an author either.
* **责编**: the visible line, else the script state.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from urllib.parse import urlsplit

from . import dates
from .byline import Byline
from .dom import Page
from .metadata import HeadMeta, is_outlet, split_names
from .provenance import FALLBACK, META, SCRIPT, URL, Provenance
from .state import ScriptState
from .text import nfkc_key


@dataclass
class Chosen:
    published_at: datetime | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    how: dict[str, Provenance] = field(default_factory=dict)


def choose(
    found: Byline,
    head: HeadMeta,
    read_state: Callable[[], ScriptState],
    page: Page,
    url: str | None,
    tz: tzinfo,
    chinese: bool,
) -> Chosen:
    """Each field from its best evidence.  ``read_state`` reads the script state, which costs a
    scan of the page's scripts: it is only called when the visible page and the head lack the
    time, or (on Chinese pages) the 来源."""
    no_source = chinese and not (found.source or head.source)
    missing = (found.published_at is None and head.published_at is None) or no_source
    state = read_state() if missing else ScriptState()
    chosen = Chosen(how={k: v for k, v in found.how.items() if k in ("published_at", "source", "editor")})
    _choose_time(chosen, found, head, state, url, tz)
    _choose_source(chosen, found, head, state, page, url)
    chosen.editors = list(found.editors)
    if not chosen.editors and state.editor:
        chosen.editors = split_names(state.editor)[:6]
        chosen.how["editor"] = Provenance(SCRIPT, 0.6)
    _choose_authors(chosen, found, head, page, url)
    return chosen


def _choose_time(
    chosen: Chosen, found: Byline, head: HeadMeta, state: ScriptState, url: str | None, tz: tzinfo
) -> None:
    visible, meta = found.published_at, head.published_at
    if visible is not None and meta is not None and _swapped(visible, meta):
        # 06/02/2022 read month first where <meta> says 6 February: the stamp was day first.
        visible = visible.replace(month=visible.day, day=visible.month) if _has_clock(visible) else None
    if visible is not None and meta is not None:
        visible = _in_its_zone(visible, meta, tz)
    if visible is not None and (_has_clock(visible) or meta is None or meta.date() != visible.date()):
        chosen.published_at = visible
        agrees = meta is not None and _same_minute(meta, visible)
        base = chosen.how.get("published_at", Provenance(META, 0.8))
        chosen.how["published_at"] = Provenance(base.method, 0.95 if agrees else base.confidence)
        return
    for value, method, confidence in ((meta, head.date_method, 0.85), (state.published_at, SCRIPT, 0.7)):
        if value is not None:
            if visible is not None and not _has_clock(value) and value.date() == visible.date():
                value = visible
            chosen.published_at = value
            chosen.how["published_at"] = Provenance(method, confidence)
            return
    if visible is not None:
        chosen.published_at = visible
        return
    from_url = dates.from_url(url, tz) if url else None
    if from_url is not None:
        chosen.published_at = from_url
        chosen.how["published_at"] = Provenance(URL, 0.4)


def _in_its_zone(visible: datetime, meta: datetime, tz: tzinfo) -> datetime:
    """The printed time in the zone the page prints it in: read in the default zone, it lies a
    whole number of hours from the <meta> instant with the same minutes (RFI prints Paris time
    over a UTC timestamp), so that difference is its offset.  A difference of zero hours says
    nothing (many sites label their local time as UTC), nor does a date without a time."""
    if not _has_clock(visible) or visible.utcoffset() != tz.utcoffset(visible.replace(tzinfo=None)):
        return visible
    wall = visible.replace(tzinfo=None)
    offset = wall.replace(second=0, microsecond=0) - meta.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    whole_hours = offset.total_seconds() % 3600 == 0
    if not whole_hours or offset == timedelta(0) or abs(offset) > timedelta(hours=14):
        return visible
    if offset == visible.utcoffset():
        return visible
    return wall.replace(tzinfo=timezone(offset))


def _swapped(visible: datetime, meta: datetime) -> bool:
    """A printed day whose day and month, exchanged, give the <meta> date: an all-numeric
    stamp read in the wrong order."""
    if visible.day > 12 or visible.day == visible.month:
        return False
    local = meta.astimezone(visible.tzinfo) if meta.tzinfo and visible.tzinfo else meta
    return (visible.year, visible.day, visible.month) in {
        (d.year, d.month, d.day) for d in (local, meta)
    }


def _has_clock(when: datetime) -> bool:
    return (when.hour, when.minute, when.second) != (0, 0, 0)


def _same_minute(a: datetime, b: datetime) -> bool:
    return abs((a - b).total_seconds()) < 60


def _choose_source(
    chosen: Chosen, found: Byline, head: HeadMeta, state: ScriptState, page: Page, url: str | None
) -> None:
    candidates: list[tuple[str | None, Provenance]] = [
        (found.source, found.how.get("source", Provenance(FALLBACK, 0.0))),
        (head.source, Provenance(META, 0.75)),
        (state.source, Provenance(SCRIPT, 0.65)),
        (_account(head), Provenance(META, 0.55)),
        (head.media_account, Provenance(META, 0.55)),
        (_other_site_name(page, url), Provenance(META, 0.5)),
    ]
    best: tuple[str, Provenance] | None = None
    for value, how in candidates:
        if value and (best is None or how.confidence > best[1].confidence):
            best = (value, how)
    if best is not None:
        chosen.source, chosen.how["source"] = best


def _account(head: HeadMeta) -> str | None:
    """``article:author`` naming an account or outlet (self-media pages): a 来源."""
    name = head.account
    return name if name and is_outlet(name) else None


def _other_site_name(page: Page, url: str | None) -> str | None:
    """``og:site_name`` when it names another site than the host (a syndicated article):
    the host's own name stands in its <title> and its copyright line."""
    name = page.meta.get("og:site_name")
    if not name or len(name) > 30:
        return None
    key = nfkc_key(name)
    if key in nfkc_key(page.title_tag) or key in nfkc_key(page.meta.get("copyright", "")):
        return None
    # "Yahoo News" on hk.news.yahoo.com: a Latin word of the name in the host is the host itself.
    host = (urlsplit(url).hostname or "") if url else ""
    if any(len(word) >= 3 and word in host for word in re.findall(r"[a-z0-9]+", name.lower())):
        return None
    return name


def _choose_authors(chosen: Chosen, found: Byline, head: HeadMeta, page: Page, url: str | None) -> None:
    if found.authors:
        chosen.authors = found.authors
        chosen.how["authors"] = found.how["authors"]
    else:
        people = [n for n in head.authors if not _names_the_site(n, page, url)]
        if people:
            chosen.authors = people
            chosen.how["authors"] = Provenance(head.authors_method, 0.5)
    # A <meta> author that is the page's 责编 names the editor (templates fill it so); a byline
    # or credit naming the same person is the page's word and stays.
    not_people = {nfkc_key(n) for n in chosen.editors} if not found.authors else set()
    if chosen.source:
        not_people.add(nfkc_key(chosen.source))
    kept = [n for n in chosen.authors if nfkc_key(n) not in not_people and not is_outlet(n)]
    if chosen.authors and not kept:
        # The author slot named the outlet or account: it is the 来源 when none was found.
        if not chosen.source and is_outlet(chosen.authors[0]):
            chosen.source = chosen.authors[0]
            chosen.how["source"] = Provenance(chosen.how["authors"].method, 0.6)
        chosen.how.pop("authors", None)
    chosen.authors = kept


# A description rather than a name: sentence punctuation or an underscore (财讯网_提供股票…).
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_DESCRIPTION_RE = re.compile(r"[_。，,；;：:！!？?]")


def _names_the_site(name: str, page: Page, url: str | None) -> bool:
    """An ``author`` tag holding the site itself: its name as <title> ends with it (网易 in
    ``…_网易新闻中心``), a word of its address (``chinanews``), or its slogan; or the headline."""
    if len(name) > 24 or _DESCRIPTION_RE.search(name):
        return True
    key = nfkc_key(name)
    title = nfkc_key(page.title_tag)
    if key and title and key in title[len(title) // 2 :]:
        return True
    if len(key) >= 5 and _CJK_RE.search(key) and key in title:
        return True  # the headline copied into the tag by the template: longer than a name
    host = (urlsplit(url).hostname or "") if url else ""
    canonical = (urlsplit(page.canonical).hostname or "") if page.canonical else ""
    word = key.lower()
    # The address may be unknown (a saved page): the copyright line names the site as well.
    copyright = page.meta.get("copyright", "").lower()
    return len(word) >= 4 and word.isascii() and (word in host or word in canonical or word in copyright)
