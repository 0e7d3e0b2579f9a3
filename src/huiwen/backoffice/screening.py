"""Sensitive-word screening: one Aho-Corasick automaton over the editable lists, run on all text.

Every word of the lists (block, review, replace) goes into one automaton (ahocorasick-rs), so
an article's text is read once whatever the size of the lists; a naive `word in text` loop reads
it once per word (bench/screening.py measures both). Each word is added with its Traditional
forms (OpenCC), so a reprint in 繁體 is caught by a list written in 简体, and matching is
case-insensitive for Latin letters.

What a hit does:
- block: the article cannot be published until an editor removes the word;
- review: the article goes to the review queue, the words highlighted, and a chief editor
  publishes it after confirming they were checked;
- replace: the word is replaced (by its replacement, or by asterisks) before storing/publishing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import ahocorasick_rs
import lxml.html
from django.db.models import Count, Max
from lxml import etree

from huiwen.backoffice.models import ArticleScreening, SensitiveWord
from huiwen.newsroom import changes
from huiwen.newsroom.changes import Change, ChangeSet
from huiwen.newsroom.models import CONTENT_FIELDS, Article
from huiwen.newsroom.rows import insert_object
from huiwen.newsroom.text import tree_to_text

Kind = SensitiveWord.Kind
FIELD_LABELS = {"title": "标题", "lede": "导语", "body": "正文", "captions": "图片说明"}


@dataclass(frozen=True)
class Entry:
    word: str  # as written in the list (the form shown to editors)
    kind: str
    replacement: str

    def replacement_for(self, matched: str) -> str:
        return self.replacement or "*" * len(matched)


@dataclass(frozen=True)
class Hit:
    start: int
    end: int  # exclusive
    entry: Entry


class _Converter(Protocol):
    """An OpenCC converter (the opencc package publishes no types)."""

    def convert(self, text: str) -> str: ...


@cache
def _converters() -> tuple[_Converter, ...]:
    import opencc

    return tuple(opencc.OpenCC(config) for config in ("s2t", "s2tw", "s2hk"))


def variants(word: str) -> set[str]:
    """The forms a listed word is matched in: itself, lowercased, and its Traditional spellings."""
    forms = {word, word.lower()}
    for converter in _converters():
        converted = converter.convert(word)
        forms.update({converted, converted.lower()})
    return {form for form in forms if form}


def _fold(text: str) -> str:
    """Lowercase for Latin letters, but only when that keeps every offset (a few letters grow)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text


class Matcher:
    """Automata built once from the lists; `find` and `find_all` are then linear in the text.

    ahocorasick-rs (Rust's aho-corasick crate) rather than pyahocorasick: the latter keeps each
    trie node's transitions in a list it scans, and a Chinese list's root has thousands of
    children, so it ran at about 7 MB/s here against 70+ (bench/screening.py).
    """

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._entries: list[Entry] = []
        forms: list[str] = []
        for entry in entries:
            for form in sorted(variants(entry.word)):
                forms.append(form)
                self._entries.append(entry)
        self.size = len(forms)
        self.replaces = any(entry.kind == Kind.REPLACE for entry in self._entries)
        # Two automata over the same forms: every overlapping match (deciding what a text holds),
        # and leftmost-longest (highlighting and replacing, where matches must not overlap).
        self._all = ahocorasick_rs.AhoCorasick(forms) if forms else None
        self._longest = (ahocorasick_rs.AhoCorasick(forms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
                         if forms else None)

    def find_all(self, text: str) -> Iterator[Hit]:
        """Every occurrence, overlapping ones included (for deciding what a text contains)."""
        if self._all is not None and text:
            for index, start, end in self._all.find_matches_as_indexes(_fold(text), overlapping=True):
                yield Hit(start, end, self._entries[index])

    def find(self, text: str) -> Iterator[Hit]:
        """Longest non-overlapping occurrences, left to right (for highlighting and replacing)."""
        if self._longest is not None and text:
            for index, start, end in self._longest.find_matches_as_indexes(_fold(text)):
                yield Hit(start, end, self._entries[index])

    def replace(self, text: str) -> str:
        """`text` with every replace-list word substituted."""
        pieces, last = [], 0
        for hit in self.find(text):
            if hit.entry.kind == Kind.REPLACE:
                pieces += [text[last:hit.start], hit.entry.replacement_for(text[hit.start:hit.end])]
                last = hit.end
        return "".join(pieces) + text[last:] if pieces else text


# The matcher is rebuilt only when the lists change; the key is one cheap aggregate query.
_lock = threading.Lock()
_cached: tuple[object, Matcher] | None = None


def current_matcher() -> Matcher:
    """The matcher for the current lists: once per change set (a collector's batch reads the lists'
    version once; a change of the lists made meanwhile applies from the next batch, a few seconds
    at most later), else checked against the lists' version on every call."""
    return changes.remembered("screening-matcher", _current_matcher)


def _current_matcher() -> Matcher:
    global _cached
    key = tuple(SensitiveWord.objects.filter(active=True).aggregate(n=Count("pk"), at=Max("updated_at"),
                                                                     top=Max("pk")).values())
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        words = SensitiveWord.objects.filter(active=True).values_list("word", "kind", "replacement")
        matcher = Matcher(Entry(*row) for row in words)
        _cached = (key, matcher)
    return matcher


# --- Articles -------------------------------------------------------------------------------------


def _body_tree(html: str) -> etree._Element:
    root: etree._Element = lxml.html.fragment_fromstring(html or "", create_parent="div")
    return root


def _html_elements(root: etree._Element, tag: str) -> list[lxml.html.HtmlElement]:
    """The `tag` elements under `root`, as the HtmlElements lxml.html parsed them into."""
    return [element for element in root.iter(tag) if isinstance(element, lxml.html.HtmlElement)]


def _captions(root: etree._Element) -> list[str]:
    """Figure captions and image alt/title texts: screened as 图片说明."""
    texts = [" ".join(node.text_content().split()) for node in _html_elements(root, "figcaption")]
    for image in root.iter("img"):
        texts += [image.get(name, "") for name in ("alt", "title")]
    return [text for text in texts if text]


def article_texts(article: Article) -> dict[str, str]:
    """All the text an article shows, by field: title, lede, body (without captions), captions."""
    return _texts_of(article.title, article.lede, _body_tree(article.body))


def _texts_of(title: str, lede: str, root: etree._Element) -> dict[str, str]:
    """article_texts() with the body already parsed (the tree is changed)."""
    captions = _captions(root)
    for caption in _html_elements(root, "figcaption"):
        caption.drop_tree()
    body = tree_to_text(root) if len(root) or root.text else ""
    return {"title": title, "lede": lede, "body": body, "captions": "\n".join(captions)}


def screen_texts(texts: dict[str, str], matcher: Matcher | None = None) -> tuple[str, list[list[str]]]:
    """(level, hits) for texts by field; hits are [word, kind, field] without repeats."""
    matcher = matcher or current_matcher()
    hits: list[list[str]] = []
    for field, text in texts.items():
        for hit in matcher.find_all(text):
            row = [hit.entry.word, hit.entry.kind, field]
            if row not in hits:
                hits.append(row)
    kinds = {kind for _, kind, _ in hits}
    level = (ArticleScreening.Level.BLOCK if Kind.BLOCK in kinds
             else ArticleScreening.Level.REVIEW if Kind.REVIEW in kinds
             else ArticleScreening.Level.CLEAN)
    return level, hits


def screen(article: Article) -> tuple[str, list[list[str]]]:
    return screen_texts(article_texts(article))


def _text_key(article: Article) -> tuple[str, str, str]:
    return article.title, article.lede, article.body


def record(article: Article, *, created: bool = False) -> ArticleScreening:
    """Screen the saved article and keep the result for the queue and the preview."""
    screened = getattr(article, "_huiwen_screened", None)
    if screened is not None and screened[0] == _text_key(article):
        level, hits = screened[1], screened[2]  # screened just before the save, same text
    else:
        level, hits = screen(article)
    if created:  # once per collected article: plain SQL, no signals listen to this model
        screening = ArticleScreening(article=article, level=level, hits=hits)
        insert_object(screening)
        return screening
    found, _ = ArticleScreening.objects.update_or_create(article=article, defaults={"level": level, "hits": hits})
    return found


def apply_replacements(article: Article, matcher: Matcher | None = None, root: etree._Element | None = None) -> bool:
    """Substitute replace-list words in every text field; whether anything changed.

    `root`: the body already parsed (it is rewritten in place). The body is re-serialised only
    when a word in it was replaced, so an unchanged body keeps its exact markup.
    """
    matcher = matcher or current_matcher()
    if not matcher.replaces:  # no replace-list words: nothing to parse the body for
        return False
    before = (article.title, article.lede)
    article.title = matcher.replace(article.title)
    article.lede = matcher.replace(article.lede)
    body_changed = False
    if article.body:
        root = _body_tree(article.body) if root is None else root

        def change(text: str) -> str:
            nonlocal body_changed
            replaced = matcher.replace(text)
            body_changed = body_changed or replaced != text
            return replaced

        _rewrite_text(root, change)
        for image in root.iter("img"):
            for name in ("alt", "title"):
                value = image.get(name)
                if value:
                    image.set(name, change(value))
        if body_changed:
            article.body = _inner_html(root)
    return body_changed or before != (article.title, article.lede)


def _rewrite_text(root: etree._Element, change: Callable[[str], str]) -> None:
    for element in root.iter():
        if element is not root and element.tail:
            element.tail = change(element.tail)
        if isinstance(element.tag, str) and element.text:
            element.text = change(element.text)


def _inner_html(root: etree._Element) -> str:
    inner = root.text or ""
    return inner + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)


# --- Highlighting ---------------------------------------------------------------------------------


def highlight_segments(text: str, matcher: Matcher | None = None) -> list[tuple[str, str]]:
    """`text` cut into (piece, kind) pairs, kind "" for plain text: templates wrap hits in <mark>."""
    matcher = matcher or current_matcher()
    pieces, last = [], 0
    for hit in matcher.find(text):
        pieces += [(text[last:hit.start], ""), (text[hit.start:hit.end], hit.entry.kind)]
        last = hit.end
    pieces.append((text[last:], ""))
    return [piece for piece in pieces if piece[0]]


def highlight_html(html: str, matcher: Matcher | None = None) -> str:
    """Sanitised body HTML with every hit wrapped in <mark class="sensitive-KIND">, structure kept."""
    matcher = matcher or current_matcher()
    if not html:
        return ""
    root = _body_tree(html)
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag == "mark":
            continue
        if element.text:
            found = _marks(element.text, matcher)
            if found:
                element.text, marks = found
                for index, mark in enumerate(marks):
                    element.insert(index, mark)
        if element is not root and element.tail:
            found = _marks(element.tail, matcher)
            if found:
                element.tail, marks = found
                previous = element
                for mark in marks:  # each after the one before, the first right after the element
                    previous.addnext(mark)
                    previous = mark
    return _inner_html(root)


def _marks(text: str, matcher: Matcher) -> tuple[str, list[etree._Element]] | None:
    """(leading text, <mark> elements with the text after each as tail), or None when nothing matches."""
    segments = highlight_segments(text, matcher)
    if not any(kind for _, kind in segments):
        return None
    lead = "" if segments[0][1] else segments.pop(0)[0]
    marks: list[etree._Element] = []
    for piece, kind in segments:
        if kind:
            mark = etree.Element("mark", {"class": f"sensitive sensitive-{kind}"})
            mark.text = piece
            marks.append(mark)
        else:
            marks[-1].tail = piece
    return lead, marks


# --- The collector's hook -------------------------------------------------------------------------


def screen_collected(article: Article) -> None:
    """Called by collect.store before a collected article is saved (new, or a source's new text).

    Replace-list words are substituted; an article that would be stored as published (a
    direct-publish source) and contains a block or review word is stored as pending instead, so
    it reaches readers only through the review queue. An already published article whose source
    changed to such text is taken back to the queue the same way, and that is audited.
    """
    from huiwen.backoffice.audit import audit

    matcher = current_matcher()
    # The body is parsed once for both replacing and screening (every collected article), and
    # not at all when the lists are empty: they can neither replace nor find anything.
    root = _body_tree(article.body) if matcher.size else None
    apply_replacements(article, matcher, root)
    if article.status != Article.Status.PUBLISHED:
        return
    texts = _texts_of(article.title, article.lede, root) if root is not None else {}
    level, hits = screen_texts(texts, matcher)
    article._huiwen_screened = (_text_key(article), level, hits)  # type: ignore[attr-defined]  # for record()
    if level == ArticleScreening.Level.CLEAN:
        return
    article.status = Article.Status.PENDING
    # Appended, so a source update stays recognisable as one (revisions.source_record).
    reason = getattr(article, "_change_reason", "")
    article._change_reason = f"{reason};命中敏感词,转入待审核" if reason else "命中敏感词,转入待审核"
    if article.pk is not None:  # it was public until now: say who took it back and why
        audit("reject", article, None, "来源更新后的文本命中敏感词,退回待审核",
              words=sorted({hit[0] for hit in hits}))


# --- The change path's "screening" handler -------------------------------------------------------


def _screen_change(change: Change, changeset: ChangeSet) -> None:
    """Every saved article is screened and the result kept (the collector, the desk, the admin alike);
    a withdrawal, a restoration or a move into a story changes no text, so there is nothing new to screen."""
    if not isinstance(change.instance, Article) or change.deleted:
        return
    if (change.kind in (changes.Kind.WITHDRAW, changes.Kind.RESTORE, changes.Kind.STORY_JOIN)
            and not change.changed(*CONTENT_FIELDS)):
        return
    record(change.instance, created=change.created)


def register() -> None:
    changes.register("screening", "change", _screen_change)
