"""A reader's query → terms the backends can match, whatever was typed.

Syntax: words (all must match), "quoted phrases" (also “…” and 「…」), -exclusions
(-word or -"phrase"), and what the article page shows beside the text: 来源:人民日报 (the
outlet: publisher, its newspaper, the print citation's newspaper), 作者:沈嘉禾 and 栏目:和音
(also source:, author:, column:, 报纸: for 来源, a full-width colon, a quoted value, and a
leading minus to exclude). The query is folded first, so Traditional, full-width and upper-case
input mean the same as Simplified, half-width, lower case (來源:人民日報 too).

The index holds two kinds of stream per field (see indexing.py): words (rjieba search mode,
so a compound also yields the dictionary words inside it) and grams (text.grams: overlapping
character bigrams of each run of Han characters, plus the run's last character; Latin words and
numbers whole). A query word is cut by rjieba's precise mode; each dictionary word of two or
more characters is a WORD term, matched in the word streams; a run of single characters (a
word the dictionary does not know, such as a new name) is a GRAMS term, the phrase of its
bigrams, so 澄州 finds 澄州 whatever the dictionary makes of it and 新冠疫苗 means "新冠" AND
疫苗; a lone character is the prefix of the bigrams it starts (茶 finds 明前茶). A quoted phrase
is a GRAMS term of the whole phrase: exact text, ignoring punctuation and spacing. Tokens are
letters and digits only (text.py), and the backends quote every one, so no input can make an
FTS syntax error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import rjieba

from huiwen.text.chinese import fold, words

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MAX_EXCLUSIONS = 6
MAX_PHRASE_TOKENS = 24

# Straight, curly and corner quotes; a dash before a chunk excludes it.
_CHUNK = re.compile(r'(?P<neg>-?)(?:["“”](?P<q1>[^"“”]*)["“”]?|[「『](?P<q2>[^」』]*)[」』]?|(?P<word>[^\s"“”「『]+))')


WORD = "word"
GRAMS = "grams"

# Field names as typed (after folding) → the field they narrow to.
FIELDS = {"来源": "source", "source": "source", "报纸": "source", "作者": "author", "author": "author",
          "栏目": "column", "column": "column"}
_FIELD = re.compile(
    r'(?:(?<=\s)|^)(?P<neg>-?)(?P<name>' + "|".join(FIELDS) + r')[:]\s*'
    r'(?:["“”](?P<q1>[^"“”]*)["“”]?|[「『](?P<q2>[^」』]*)[」』]?|(?P<word>[^\s"“”「『]+))'
)
MAX_FIELDS = 6


@dataclass(frozen=True)
class Term:
    """A WORD (one token of the word streams) or GRAMS (consecutive tokens of the gram streams;
    with `prefix`, the last token is a prefix: a lone character starting a bigram)."""

    kind: str
    tokens: tuple[str, ...]
    text: str  # as it appears in folded text, for highlighting
    prefix: bool = False


@dataclass(frozen=True)
class FieldTerm:
    """来源:/作者:/栏目: with its folded value; `negated` excludes instead of narrowing."""

    field: str  # "source", "author" or "column"
    value: str
    negated: bool = False


@dataclass
class ParsedQuery:
    include: list[Term] = field(default_factory=list)
    exclude: list[list[Term]] = field(default_factory=list)  # each inner list: terms that together exclude
    notices: list[str] = field(default_factory=list)
    highlights: list[str] = field(default_factory=list)  # folded strings to mark in titles and snippets
    fields: list[FieldTerm] = field(default_factory=list)

    @property
    def searchable(self) -> bool:
        return bool(self.include) or any(not term.negated for term in self.fields)


def _bigrams(text: str) -> tuple[str, ...]:
    return tuple(text[index : index + 2] for index in range(len(text) - 1))


def _word_terms(text: str) -> list[Term]:
    """Dictionary words as WORD terms; each run of single Han characters as the bigrams that
    cover it, borrowing a neighbouring character when the run is one character long (传承人 →
    传承 AND "承人"); only a lone character with no neighbour is a prefix (茶 → 茶*)."""
    cut = words(text, folded=True)
    terms: list[Term] = []
    index = 0
    while index < len(cut):
        word = cut[index]
        if len(word) > 1 or word.isascii() or not word.isalpha():
            terms.append(Term(WORD, (word,), word))
            index += 1
            continue
        end = index
        while end < len(cut) and len(cut[end]) == 1 and not cut[end].isascii() and cut[end].isalpha():
            end += 1
        run = "".join(cut[index:end])
        if len(run) == 1:
            before = cut[index - 1] if index > 0 and _han(cut[index - 1]) else ""
            after = cut[end] if end < len(cut) and _han(cut[end]) else ""
            run = before[-1:] + run if before else run + after[:1]
        if len(run) == 1:
            terms.append(Term(GRAMS, (run,), run, prefix=True))
        else:
            terms.append(Term(GRAMS, _bigrams(run), run))
        index = end
    return terms


def _han(word: str) -> bool:
    return not word.isascii() and word.isalpha()


def _phrase_terms(text: str) -> list[Term]:
    """Bigrams of the Han runs and whole Latin words, in order; a one-character run can only
    be a prefix at the end of a phrase, so elsewhere it splits the phrase in two."""
    terms: list[Term] = []
    tokens: list[str] = []
    run: list[str] = []

    def close() -> None:
        if tokens:
            terms.append(Term(GRAMS, tuple(tokens[:MAX_PHRASE_TOKENS]), " ".join(text.split())))
            tokens.clear()

    def flush(last: bool) -> None:
        if len(run) == 1:
            if last:
                terms.append(Term(GRAMS, (*tokens[: MAX_PHRASE_TOKENS - 1], run[0]), " ".join(text.split()), True))
                tokens.clear()
            else:
                close()
                terms.append(Term(GRAMS, (run[0],), run[0], prefix=True))
        else:
            tokens.extend(run[index] + run[index + 1] for index in range(len(run) - 1))
        run.clear()

    pieces = [piece for token in rjieba.cut(text, False) for piece in _pieces(token)]
    for piece in pieces:
        if not piece.isascii() and piece.isalpha():
            run.extend(piece)
            continue
        flush(last=False)
        tokens.append(piece)
    flush(last=True)
    close()
    return terms


def _pieces(token: str) -> list[str]:
    if token.isalnum():
        return [token]
    return [] if token.isspace() else re.findall(r"[^\W_]+", token)


def _fields(folded: str, parsed: ParsedQuery) -> tuple[str, bool]:
    """Take the field terms (来源:… 作者:… 栏目:…) out of the folded query; the rest, and whether
    some were dropped for being too many."""
    dropped = False

    def take(match: re.Match[str]) -> str:
        nonlocal dropped
        value = next((match.group(g) for g in ("q1", "q2", "word") if match.group(g) is not None), "")
        value = " ".join(value.split())
        if value and any(char.isalnum() for char in value):
            if len(parsed.fields) < MAX_FIELDS:
                term = FieldTerm(FIELDS[match.group("name")], value, bool(match.group("neg")))
                if term not in parsed.fields:
                    parsed.fields.append(term)
                if not term.negated and value not in parsed.highlights:
                    parsed.highlights.append(value)
            else:
                dropped = True
        return " "

    return _FIELD.sub(take, folded), dropped


def parse(raw: str) -> ParsedQuery:
    parsed = ParsedQuery()
    raw = raw.strip()
    if len(raw) > MAX_QUERY_LENGTH:
        raw = raw[:MAX_QUERY_LENGTH]
        parsed.notices.append(f"搜索词太长,只用了前 {MAX_QUERY_LENGTH} 个字。")
    folded = fold(raw)
    folded, dropped = _fields(folded, parsed)
    for match in _CHUNK.finditer(folded):
        quoted = match.group("q1") if match.group("q1") is not None else match.group("q2")
        text = quoted if quoted is not None else match.group("word")
        if not text or not text.strip():
            continue
        terms = _phrase_terms(text) if quoted is not None else _word_terms(text)
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
