"""Text normalisation shared by search, 相关阅读 and the collector's near-duplicate detection.

`fold` makes Simplified and Traditional, full-width and half-width, upper and lower case the
same text: NFKC (full-width Latin, digits and punctuation become ASCII; compatibility
ideographs become unified ones), then OpenCC Traditional→Simplified with phrases (Taiwan
phrases such as 網際網路→互联网, then Hong Kong forms such as 衞→卫), then lower case.
`segment` cuts folded text into rjieba search-mode tokens (a word and the dictionary words
inside it: 中华人民共和国 → 中华, 华人, 人民, 共和, 共和国, 中华人民共和国), `words` into
precise-mode words, `grams` into character bigrams. All drop whitespace and punctuation and
split mixed tokens (covid-19 → covid, 19), so every token is letters and digits only and can
be quoted safely by any index.

HMM new-word discovery is off: a word unknown to the dictionary becomes single characters the
same way in a document and in a query, whatever surrounds it, so matching stays consistent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

import opencc
import rjieba

# Taiwan phrases first (網際網路→互联网, 軟體→软件), then Hong Kong forms the Taiwan
# converter leaves alone (衞生→卫生). Both passes leave Simplified text as it is.
_OPENCC_CONFIGS = ("tw2sp", "hk2sp")
WORD_PIECE = re.compile(r"[^\W_]+")


@cache
def _converters() -> tuple[opencc.OpenCC, ...]:
    converters = []
    for config in _OPENCC_CONFIGS:
        try:
            converters.append(opencc.OpenCC(config))
        except Exception:  # OpenCC before 1.2 has no hk2sp; hk2s still folds the characters
            converters.append(opencc.OpenCC(config.removesuffix("p")))
    return tuple(converters)


def _char_class(code_points: set[int]) -> str:
    """A regex character class body for `code_points`, as ranges."""
    ordered = sorted(code_points)
    parts: list[str] = []
    start = 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = re.escape(chr(ordered[start])), re.escape(chr(ordered[end]))
        parts.append(first if start == end else f"{first}-{last}")
        start = end + 1
    return "".join(parts)


@cache
def _nfkc_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(runs of BMP characters NFKC changes, characters that need a whole-text NFKC).

    NFKC is 150 µs for a 1,600-character article; most of that text (ideographs, ASCII)
    never changes. Normalising only the runs that change gives the same result unless a
    character can combine with its neighbour (combining marks, the second half of a canonical
    pair, Hangul jamo, a character whose NFKC starts with one of those) or lies outside the
    BMP (where the character classes would be slow); then the whole text is normalised.
    """
    sensitive: set[int] = set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))
    for code in range(0x10000):
        char = chr(code)
        if unicodedata.combining(char):
            sensitive.add(code)
        decomposition = unicodedata.decomposition(char)
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                sensitive.add(int(parts[1], 16))
    changing: set[int] = set()
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        normal = unicodedata.normalize("NFKC", char)
        if normal != char:
            changing.add(code)
            if normal and ord(normal[0]) in sensitive:
                sensitive.add(code)
    sensitive -= set(range(0xD800, 0xE000))
    runs = re.compile(f"[{_char_class(changing)}]+")
    whole = re.compile(f"[{_char_class(sensitive)}\U00010000-\U0010ffff]")
    return runs, whole


@lru_cache(maxsize=4096)
def _nfkc_run(run: str) -> str:
    return unicodedata.normalize("NFKC", run)


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on Chinese text."""
    runs, whole = _nfkc_patterns()
    if whole.search(text):
        return unicodedata.normalize("NFKC", text)
    return runs.sub(lambda match: _nfkc_run(match.group()), text)


def _no_prefold(text: str) -> str:
    return text


# Set by the reader app (reader.phrases.fold_reverse): the editors' phrase list in reverse, each
# listed Traditional form back to its Simplified phrase before OpenCC, so a form OpenCC would
# fold elsewhere (數位經濟 → 数位经济) meets the phrase (数字经济). Identity without Django.
prefold: Callable[[str], str] = _no_prefold


def fold(text: str) -> str:
    """Simplified, half-width, lower-case form of `text` for indexing and querying."""
    if text.isascii():
        return text.lower()
    text = prefold(nfkc(text))
    for converter in _converters():
        text = converter.convert(text)
    return text.lower()


def clean_tokens(tokens: list[str]) -> list[str]:
    """rjieba tokens as the index keeps them: letters and digits only, mixed tokens split."""
    out: list[str] = []
    for token in tokens:
        if token.isalnum():
            out.append(token)
        elif not token.isspace():
            out.extend(WORD_PIECE.findall(token))
    return out


def segment(text: str, *, folded: bool = False) -> list[str]:
    """rjieba search-mode tokens of the folded text, letters and digits only, in text order.

    Pass folded=True when `text` already went through fold() to skip folding it again.
    """
    return clean_tokens(rjieba.cut_for_search(text if folded else fold(text), False))


def words(text: str, *, folded: bool = False) -> list[str]:
    """rjieba precise-mode words of the folded text (no overlapping sub-words)."""
    return clean_tokens(rjieba.cut(text if folded else fold(text), False))


def _is_han_run(word: str) -> bool:
    return not word.isascii() and word.isalpha()


def grams(text: str, *, folded: bool = False) -> list[str]:
    """Overlapping character bigrams of each run of non-Latin letters, then the run's last
    character alone; Latin words and numbers whole. 澄州茶园 → 澄州, 州茶, 茶园, 园.

    Search indexes this stream beside the words: any run of two or more characters is a phrase
    of bigrams (明前 in 明前茶, a name the dictionary does not know), and a single character is
    the prefix of the bigram it starts, or the final unigram. Bigrams are far rarer than single
    characters, so phrase matching reads short posting lists.
    """
    return grams_of(rjieba.cut(text if folded else fold(text), False))


def words_and_grams(text: str, *, folded: bool = False) -> tuple[list[str], list[str]]:
    """words() and grams() of one text from a single cut (the indexer needs both)."""
    tokens = rjieba.cut(text if folded else fold(text), False)
    return clean_tokens(tokens), grams_of(tokens)


def grams_of(tokens: list[str]) -> list[str]:
    """grams() of text already cut into rjieba tokens."""
    out: list[str] = []
    run: list[str] = []  # the tokens of the current run of non-Latin letters
    pieces = WORD_PIECE.findall
    for token in tokens:
        if not token.isascii() and token.isalpha():  # _is_han_run, inlined: this loop is hot
            run.append(token)
            continue
        if run:  # a Latin word, a number, punctuation or space ends the run
            chars = "".join(run)
            out += map(str.__add__, chars[:-1], chars[1:])
            out.append(chars[-1])
            run.clear()
        if token.isalnum():
            out.append(token)
        elif not token.isspace():
            out += pieces(token)
    if run:
        chars = "".join(run)
        out += map(str.__add__, chars[:-1], chars[1:])
        out.append(chars[-1])
    return out
