"""The Traditional edition: every reader page also under /zh-hant/, converted with OpenCC (s2twp),
after the editors' phrase list (reader.phrases).

The request's /zh-hant prefix is taken off before URL resolution, so the same views answer; the
HTML they return is converted to Traditional Chinese with Taiwan phrasing (s2twp: 网络 → 網路,
软件 → 軟體), its language becomes zh-Hant, and its links to other reader pages get the prefix
back so a reader stays in the edition they chose. Text between <!--keep-hans--> and
<!--/keep-hans--> (the link back to the Simplified edition) is left as it is.

Conversion is what the Traditional edition costs (OpenCC spends about 0.3 µs on each Chinese
character; an article page holds about two thousand), and most of a page is text the process has
converted before: the header and footer of every page, the titles and excerpts that recur in lists,
the body of an article read again. So a page is converted line by line and each converted line is
kept in this process (`_LineMemo`, bounded by HUIWEN_TRADITIONAL_MEMO_CHARS; 0 turns it off). The
lines are the page's UTF-8 bytes, as the response holds them: a page whose lines are all known is
never decoded nor encoded again; only a new line is.
Converting line by line gives the same text as converting the page whole: OpenCC matches
dictionary phrases, and none holds a line break; the editors' phrase list is one-line phrases (a
list with a line break in a phrase is applied to the page whole, unmemoised). The memo holds the
results of a pure function, keyed by their input, so it is never stale: a changed article is new
lines. It belongs to one version of the phrase list: a change to the list starts an empty one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Protocol

import opencc
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse

from huiwen.newsroom import tags
from huiwen.reader import phrases
from huiwen.reader.phrases import apply_forward

if TYPE_CHECKING:
    from huiwen.reader.editions import EditionRequest

PREFIX = "/zh-hant"
# Paths that have no Traditional edition: machinery, files, and the site-wide documents that
# already cover both editions (the sitemaps list both; robots.txt names them). Feeds do have one:
# they convert their own text (reader.feeds), so the middleware only strips the prefix for them.
EXCLUDED = ("/admin/", "/api/", "/static/", "/media/", "/newsroom/", "/sitemap", "/robots.txt")
_KEEP = re.compile(rb"(<!--keep-hans-->.*?<!--/keep-hans-->)", re.DOTALL)
# A link to another reader page: not already in the edition, not protocol-relative, not excluded.
# The exclusions are part of the pattern so that the substitution runs without a Python callback.
_INTERNAL_LINK = re.compile(
    r'(\s(?:href|action)=")(?!' + "|".join(re.escape(p) for p in (PREFIX + "/", "//", *EXCLUDED)) + r')(/[^"]*)"'
)
# The tag versions a reader page asks for, read in one query per request (newsroom.tags.read_once):
# the navigation's (every page, reader.context; the 相关阅读 filler's sections, search.reading) and
# the phrase list's (every Traditional page).
READ_ONCE = ["nav", "phrases"]
_LANG = re.compile(rb'(<html[^>]*\slang=")zh-Hans(")')


class _Converter(Protocol):
    def convert(self, text: str) -> str: ...  # what OpenCC.convert gives (its own types leave it out)


@cache
def _converter() -> _Converter:
    return opencc.OpenCC("s2twp")


def to_traditional(text: str) -> str:
    """The editors' phrase list first (reader.phrases), OpenCC s2twp for the rest."""
    return apply_forward(text, _opencc)


def to_traditional_each(texts: list[str]) -> list[str]:
    """to_traditional() of each text, in one pass where that gives the same (`_forward_together`)."""
    current = phrases.table()
    together = _forward_together(texts, current)
    return together if together is not None else [apply_forward(text, _opencc, current) for text in texts]


def _forward_together(texts: list[str], current: phrases.Table) -> list[str] | None:
    """apply_forward() of each text, joined by line breaks into one call: a thousand short texts
    one by one were a thousand calls into OpenCC (a sitemap's titles, a list page's new lines).
    No OpenCC phrase spans a line break; None where a text or a listed phrase holds one, and the
    texts must be converted one by one."""
    if not texts or any("\n" in text for text in texts) or any("\n" in phrase for phrase in current.forward):
        return None
    together = apply_forward("\n".join(texts), _opencc, current).split("\n")
    return together if len(together) == len(texts) else None


def _opencc(text: str) -> str:
    # OpenCC stops at the first NUL (a C string): converted piece by piece, a NUL that reached the
    # page (issue 13: /zh-hant/search?sort=%00) cannot cut off the rest of it.
    if "\0" in text:
        return "\0".join(_converter().convert(piece) for piece in text.split("\0"))
    return _converter().convert(text)


def edition_path(path: str) -> str:
    """The Traditional edition's URL of a reader path."""
    return f"{PREFIX}{path}"


def convert_page(html: str) -> str:
    """A reader page in the Traditional edition."""
    return convert_page_bytes(html.encode("utf-8")).decode("utf-8")


def convert_page_bytes(html: bytes) -> bytes:
    """A reader page in the Traditional edition, UTF-8 in and out (what a response holds)."""
    # Every converted page shows the site's own wording converted: a phrase-list change that
    # touches it (reader.phrases.touched_tags) invalidates every Traditional page through this tag.
    tags.depend("hant")
    parts = _KEEP.split(html)
    for index in range(0, len(parts), 2):  # even parts are outside the keep markers
        parts[index] = _convert_lines(parts[index])
    return _LANG.sub(rb"\1zh-Hant\2", b"".join(parts), count=1)


def _convert_text(text: str, current: phrases.Table) -> str:
    """Text of a page in the edition: converted, its links to reader pages given the prefix."""
    return _with_prefix(apply_forward(text, _opencc, current))


def _with_prefix(converted: str) -> str:
    return _INTERNAL_LINK.sub(rf'\1{PREFIX}\2"', converted)


class _LineMemo(dict[bytes, bytes]):
    """Converted lines of this process under one version of the phrase list: a line of a page's
    UTF-8 → its converted form, converted on first use (`__missing__`), so a page whose lines are
    all known is looked up without a Python loop.

    Bounded by the characters it holds (keys and values): when a new line would pass the bound the
    memo starts again empty, which costs one conversion of each line still in use (the page chrome
    is back after one page) and keeps the bound without bookkeeping on every hit.
    """

    def __init__(self, table: phrases.Table, limit: int) -> None:
        super().__init__()
        self.table, self.limit = table, limit  # characters (HUIWEN_TRADITIONAL_MEMO_CHARS)
        # A listed phrase holding a line break can only be found in the text whole; no memo, whole.
        self.whole = limit <= 0 or any("\n" in phrase for phrase in table.forward)
        self.size = 0

    def __missing__(self, line: bytes) -> bytes:
        text = line.decode("utf-8")
        return self._keep(line, len(text), _convert_text(text, self.table))

    def _keep(self, line: bytes, length: int, done: str) -> bytes:
        cost = length + len(done)
        converted = done.encode("utf-8")
        if cost > self.limit:
            return converted  # longer than the whole bound: converted, not kept
        self.size += cost
        if self.size > self.limit:
            self.clear()
            self.size = cost
        self[line] = converted
        return converted

    def convert(self, text: bytes) -> bytes:
        if self.whole:
            return _convert_text(text.decode("utf-8"), self.table).encode("utf-8")
        lines = text.split(b"\n")
        unknown = [line for line in dict.fromkeys(lines) if line not in self]
        converted = self._convert_together(unknown) if len(unknown) > 1 else {}
        return b"\n".join(converted[line] if line in converted else self[line] for line in lines)

    def _convert_together(self, lines: list[bytes]) -> dict[bytes, bytes]:
        """Lines not known yet, through the phrase list and OpenCC in one call (`_forward_together`):
        a list page's twenty titles and excerpts were some seventy calls, one per line (1.1 s of
        the 6.4 s that 500 Traditional list pages took at a million articles). The links are then
        given the prefix line by line, as `__missing__` does."""
        texts = [line.decode("utf-8") for line in lines]
        together = _forward_together(texts, self.table)
        if together is None:
            return {line: self[line] for line in lines}
        return {line: self._keep(line, len(text), _with_prefix(done))
                for line, text, done in zip(lines, texts, together, strict=True)}


_line_memo: _LineMemo | None = None


def _convert_lines(text: bytes) -> bytes:
    global _line_memo
    current = phrases.table()  # outside a request (static publishing) one check per page
    limit = settings.TRADITIONAL_MEMO_CHARS
    if _line_memo is None or _line_memo.table is not current or _line_memo.limit != limit:
        _line_memo = _LineMemo(current, limit)
    return _line_memo.convert(text)


class TraditionalEditionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    # Annotated as the request this leaves (Django hands it a plain HttpRequest): the attributes it sets.
    def __call__(self, request: EditionRequest) -> HttpResponse:
        path = request.path_info
        hant = path == PREFIX or path.startswith(PREFIX + "/")
        request.huiwen_script = "Hant" if hant else "Hans"
        request.huiwen_plain_path = (path[len(PREFIX):] or "/") if hant else path
        if not hant:
            if path.startswith(EXCLUDED):
                return self.get_response(request)
            with tags.read_once(READ_ONCE):
                return self.get_response(request)
        if request.huiwen_plain_path.startswith(EXCLUDED):
            raise Http404("没有繁体版")
        request.path_info = request.huiwen_plain_path
        with tags.read_once(READ_ONCE), phrases.checked_once():  # the phrase list checked once per request
            return self._converted(self.get_response(request))

    @staticmethod
    def _converted(response: HttpResponse) -> HttpResponse:
        location = response.headers.get("Location", "")
        if location.startswith("/") and not location.startswith(EXCLUDED):
            response.headers["Location"] = edition_path(location)  # redirects stay in the edition
        if response.headers.get("Content-Type", "").startswith("text/html") and not response.streaming:
            charset = (response.charset or "utf-8").lower()
            response.content = (convert_page_bytes(response.content) if charset in ("utf-8", "utf8")
                                else convert_page(response.content.decode(charset)).encode(charset))
            # Whatever length was set inside is stale now; the outermost step sets the true one.
            response.headers.pop("Content-Length", None)
            response.headers["Content-Language"] = "zh-Hant"
        return response
