"""A reader's query → terms the backends can match, whatever was typed.

Syntax: words (all must match), "quoted phrases" (also “…” and 「…」), and -exclusions
(-word or -"phrase"). The query is folded first, so Traditional, full-width and upper-case
input mean the same as Simplified, half-width, lower case.

The index holds two streams per field (see indexing.py): words (rjieba search mode, so a
compound also yields the dictionary words inside it) and characters (text.characters: single
Han characters, Latin words and numbers whole). A query word is cut by rjieba's precise mode;
each dictionary word of two or more characters becomes a WORD term, matched against the word
stream; a run of single characters (a word the dictionary does not know, or a one-character
word such as 茶) becomes a CHARS term, an exact phrase in the character stream, so 明前 finds
明前茶 and 新冠疫苗 means "新冠" AND 疫苗. A quoted phrase is a CHARS term of the whole phrase:
exact text, ignoring punctuation and spacing. Tokens are letters and digits only (text.py),
and the backends quote every one, so no input can make an FTS syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from huiwen.search.text import characters, fold, words

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_EXCLUSIONS = 6
MAX_PHRASE_TOKENS = 24

# Straight, curly and corner quotes; a dash before a chunk excludes it.
_CHUNK = re.compile(r'(?P<neg>-?)(?:["“”](?P<q1>[^"“”]*)["“”]?|[「『](?P<q2>[^」』]*)[」』]?|(?P<word>[^\s"“”「『]+))')


WORD = "word"
CHARS = "chars"


@dataclass(frozen=True)
class Term:
    """A WORD (one token of the word stream) or CHARS (consecutive tokens of the character stream)."""

    kind: str
    tokens: tuple[str, ...]
    text: str  # as it appears in folded text, for highlighting


@dataclass
class ParsedQuery:
    include: list[Term] = field(default_factory=list)
    exclude: list[list[Term]] = field(default_factory=list)  # each inner list: terms that together exclude
    notices: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)  # folded strings to mark in titles and snippets

    @property
    def searchable(self) -> bool:
        return bool(self.include)


def _word_terms(text: str) -> list[Term]:
    terms: list[Term] = []
    singles: list[str] = []
    for word in words(text, folded=True):
        if len(word) == 1 and not word.isascii():
            singles.append(word)
            continue
        if singles:
            terms.append(Term(CHARS, tuple(singles), "".join(singles)))
            singles = []
        terms.append(Term(WORD, (word,), word))
    if singles:
        terms.append(Term(CHARS, tuple(singles), "".join(singles)))
    return terms


def _phrase_term(text: str) -> list[Term]:
    tokens = characters(text, folded=True)[:MAX_PHRASE_TOKENS]
    if len(tokens) == 1 and tokens[0].isascii():
        return [Term(WORD, (tokens[0],), tokens[0])]
    return [Term(CHARS, tuple(tokens), " ".join(text.split()))] if tokens else []


def parse(raw: str) -> ParsedQuery:
    parsed = ParsedQuery()
    raw = raw.strip()
    if len(raw) > MAX_QUERY_LENGTH:
        raw = raw[:MAX_QUERY_LENGTH]
        parsed.notices.append(f"搜索词太长,只用了前 {MAX_QUERY_LENGTH} 个字。")
    folded = fold(raw)
    dropped = False
    for match in _CHUNK.finditer(folded):
        quoted = match.group("q1") if match.group("q1") is not None else match.group("q2")
        text = quoted if quoted is not None else match.group("word")
        if not text or not text.strip():
            continue
        terms = _phrase_term(text) if quoted is not None else _word_terms(text)
        if not terms:
            continue
        if match.group("neg"):
            if len(parsed.exclude) < MAX_EXCLUSIONS:
                parsed.exclude.append(terms)
            else:
                dropped = True
            continue
        for term in terms:
            if term in parsed.include:
                continue
            if len(parsed.include) >= MAX_TERMS:
                dropped = True
                break
            parsed.include.append(term)
        surface = " ".join(text.split())
        if surface not in parsed.highlights:
            parsed.highlights.append(surface)
    for term in parsed.include:
        if term.text not in parsed.highlights:
            parsed.highlights.append(term.text)
    if dropped:
        parsed.notices.append(f"搜索词太多,只用了前 {MAX_TERMS} 个词和 {MAX_EXCLUSIONS} 个排除词。")
    return parsed
