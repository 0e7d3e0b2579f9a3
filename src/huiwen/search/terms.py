"""What an article is about, for 相关阅读: its weighted terms and the names among them.

One rjieba pass per text (`analyse`) gives what search indexes (precise-mode words, character
bigrams) and what relatedness weighs:

- terms: dictionary words of two or more characters that are not function words, and the
  bigrams of each run of two or more single characters the dictionary does not know (澄宁,
  许若/若楠): new names of places, people and things, the strongest evidence two articles share
  a subject, are exactly what a dictionary lacks;
- names: the terms that are named entities — words jieba's dictionary tags as a person, place,
  organisation or other proper noun (nr, ns, nt, nz, j), and those unknown-word bigrams.

An article's profile weighs its terms (1 + ln tf)·ln(1 + N/df), a title term counted
TITLE_BOOST times and a lede term LEDE_BOOST times (the first paragraph stands in for a missing
lede), keeps the PROFILE_TERMS strongest at unit length, and leaves out the words of its own
attribution (author, editor, publisher): two articles by one reporter are not on one subject.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass, field

import rjieba

from huiwen.text.chinese import WORD_PIECE, fold

MAX_TERM_LENGTH = 100  # TermStat.term's length
PROFILE_TERMS = 32
TITLE_BOOST = 3
LEDE_BOOST = 2
NAME_TAGS = frozenset(("nr", "nrt", "nrfg", "ns", "nt", "nz", "j"))

# Frequent function words that the two-character filter and IDF do not already silence.
STOPWORDS = frozenset((
    "我们", "你们", "他们", "她们", "它们", "自己", "这个", "那个", "这些", "那些", "这样", "那样", "这里", "那里",
    "什么", "怎么", "为什么", "如何", "一个", "一些", "一种", "一次", "没有", "不是", "就是", "还是", "但是", "而且",
    "并且", "因为", "所以", "如果", "虽然", "然后", "以及", "或者", "已经", "正在", "可以", "能够", "需要", "应该",
    "进行", "通过", "表示", "认为", "指出", "介绍", "据悉", "记者", "目前", "今年", "去年", "明年", "今天", "昨天",
    "近日", "日前", "同时", "此外", "其中", "其他", "相关", "有关", "方面", "工作", "情况", "问题", "还有", "之后",
    "之前", "以来", "以上", "以下", "之一", "不少", "很多", "更多", "非常", "一直", "开始", "继续", "成为", "作为",
    "对于", "关于", "由于", "根据", "随着",
))
# Characters that end a run of unknown single characters: particles, pronouns, prepositions,
# numerals and units, which glue to any name (的许 is no name; 许若楠 is).
FUNCTION_CHARS = frozenset(
    "的了是在和与及或也都而就把被对从向到将又等个之其以这那有为上下中来去说要会能可不没很还更最"
    "年月日时分秒我你他她它们着过让给于并但且如若则即已再共约每各该此某所者乃亦仍"
    "一二三四五六七八九十百千万亿两几多少第号位名次件项元"
)


@dataclass
class Analysed:
    """One folded text, cut once."""

    words: list[str]  # precise-mode words as search indexes them (text.words)
    grams: list[str]  # character bigrams as search indexes them (text.grams)
    terms: list[str] = field(default_factory=list)  # profile candidates, in text order
    names: set[str] = field(default_factory=set)  # those of them that are names
    unknown: list[str] = field(default_factory=list)  # bigrams of unknown-word runs (indexed as words too)


def analyse(folded: str) -> Analysed:
    """Words, bigrams, profile terms and names of text that went through fold()."""
    words: list[str] = []  # as text.clean_tokens gives them
    grams: list[str] = []  # as text.grams_of gives them
    terms: list[str] = []
    names: set[str] = set()
    unknown: list[str] = []
    letters: list[str] = []  # the words of the current run of letters other than Latin (for grams)
    run: list[str] = []  # a run of single characters that are not function characters (for terms)
    pieces = WORD_PIECE.findall

    def close_run() -> None:
        if len(run) >= 2:
            pairs = list(map(str.__add__, run[:-1], run[1:]))
            terms.extend(pairs)
            names.update(pairs)
            unknown.extend(pairs)
        run.clear()

    # This loop sees every word of every indexed text, so the three readings of a word (the
    # index's words, its bigrams, the profile's terms) share one pass and one test of its kind;
    # tests/search/test_terms.py holds the result to clean_tokens and grams_of. A run is closed
    # only when there is one (an empty close was most of the calls).
    for word, tag in rjieba.tag(folded, False):
        if not word.isascii() and word.isalpha():  # Chinese (or other non-Latin) letters
            words.append(word)
            letters.append(word)
            if len(word) == 1:
                if word not in FUNCTION_CHARS:
                    run.append(word)
                elif run:
                    close_run()
                continue  # a single character is never a term of its own
            if run:
                close_run()
            if len(word) <= MAX_TERM_LENGTH and word not in STOPWORDS:
                terms.append(word)
                if tag in NAME_TAGS:
                    names.add(word)
            continue
        if letters:  # a Latin word, a number, punctuation or space ends a run of bigrams
            chars = "".join(letters)
            grams += map(str.__add__, chars[:-1], chars[1:])
            grams.append(chars[-1])
            letters.clear()
        if word.isalnum():
            words.append(word)
            grams.append(word)
        elif not word.isspace():
            split = pieces(word)
            words += split
            grams += split
        if run:  # a Latin letter, digit or mark, alone or in a word
            close_run()
        if (len(word) >= 2 and len(word) <= MAX_TERM_LENGTH and word.isalnum() and not word.isdigit()
                and word not in STOPWORDS):  # a term: a word of 2+ letters or digits, not a number or a function word
            terms.append(word)
            if tag in NAME_TAGS:
                names.add(word)
    if letters:
        chars = "".join(letters)
        grams += map(str.__add__, chars[:-1], chars[1:])
        grams.append(chars[-1])
    close_run()
    return Analysed(words, grams, terms, names, unknown)


def name_terms(names: Iterable[str]) -> set[str]:
    """The terms of attribution lines (authors, editors, publisher), to leave out of a profile."""
    terms: set[str] = set()
    for name in names:
        if name and name.strip():
            terms.update(analyse(fold(name)).terms)
    return terms


def term_counts(title: Analysed, lede: Analysed, body: Analysed, leave_out: Set[str] = frozenset()) -> Counter[str]:
    counts: Counter[str] = Counter()
    for analysed, boost in ((title, TITLE_BOOST), (lede, LEDE_BOOST), (body, 1)):
        for term in analysed.terms:
            if term not in leave_out:
                counts[term] += boost
    return counts


def profile_terms(counts: Counter[str], df: dict[str, int], total: int) -> dict[str, float]:
    """Top PROFILE_TERMS terms by (1 + ln tf) · ln(1 + N/df), scaled to unit length."""
    weights = {
        term: (1.0 + math.log(count)) * math.log(1.0 + total / max(df.get(term, 0), 1))
        for term, count in counts.items()
    }
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:PROFILE_TERMS]
    norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
    return {term: round(weight / norm, 4) for term, weight in top}


def term_key(term: str) -> int:
    """A profile term as 相关阅读's candidate table (search_profile_term) keys it: 32 bits of its
    hash, signed as SQL's integer. A collision only makes a candidate of an article that shares no
    term, which scoring (on the profiles themselves) then finds unrelated."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=4).digest(), "big", signed=True)


# Some sites put a space between every character (衞 生 署 呼 籲): the words are then lost to
# segmentation. A space between two ideographs is dropped when at least a third of a text's
# ideographs are followed by one; ordinary text, where a space separates phrases, is left alone.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACED = re.compile(f"(?<=[{_HAN}])[ \u3000](?=[{_HAN}])")
_HAN_CHAR = re.compile(f"[{_HAN}]")


def unspace(text: str) -> str:
    spaced = len(_SPACED.findall(text))
    if spaced and spaced * 3 >= len(_HAN_CHAR.findall(text)):
        return _SPACED.sub("", text)
    return text
