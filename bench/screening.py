"""Sensitive-word screening speed: the Aho-Corasick matcher against a naive loop and a regex.

Text: the demo's authored article text (src/huiwen/newsroom/demo_content.py: titles, ledes,
bodies), repeated in shuffled order to --megabytes of UTF-8, with list words sprinkled in.
Lists: --words fictional entries of 2 to 4 characters made from the text's own characters (so
prefixes match often, the hard case for a trie), a third each block, review and replace.

Three ways to find which listed words a text holds, timed on the same text in the same run:
- huiwen: backoffice.screening.Matcher (pyahocorasick), every word with its Traditional forms;
- anchor 1: `word in text` for every word (what a hand-written filter does);
- anchor 2: one regular expression, the alternation of every word, longest first.
The anchors run on a slice of the text when the full text would take too long; their MB/s is
measured on what they read. The three must agree on the set of words found.

    .venv/bin/python bench/screening.py [--megabytes 20] [--words 3000]
"""

from __future__ import annotations

import argparse
import random
import re
import time

import _django

_django.start(None, None)

from huiwen.backoffice.screening import Entry, Matcher  # noqa: E402
from huiwen.newsroom import demo_content  # noqa: E402

KINDS = ("block", "review", "replace")


def corpus_text(megabytes: float, words: list[str], rng: random.Random) -> str:
    """Authored article text to `megabytes` of UTF-8, a listed word in about one paragraph in twenty."""
    paragraphs = []
    for article in demo_content.ARTICLES:
        paragraphs += [article["title"], article.get("lede", ""), *article["body"]]
    paragraphs = [p for p in paragraphs if p]
    pieces, size = [], 0
    while size < megabytes * 1_000_000:
        paragraph = rng.choice(paragraphs)
        if rng.random() < 0.05:
            cut = rng.randrange(len(paragraph))
            paragraph = paragraph[:cut] + rng.choice(words) + paragraph[cut:]
        pieces.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 1
    return "\n".join(pieces)


def word_list(count: int, rng: random.Random) -> list[str]:
    alphabet = sorted({char for article in demo_content.ARTICLES for p in article["body"] for char in p
                       if "\u4e00" <= char <= "\u9fff"})
    found: set[str] = set()
    while len(found) < count:
        found.add("".join(rng.choice(alphabet) for _ in range(rng.randint(2, 4))))
    return sorted(found)


def timed(function, *args) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def with_matcher(matcher: Matcher, text: str) -> set[str]:
    return {hit.entry.word for hit in matcher.find_all(text)}


def naive(words: list[str], text: str) -> set[str]:
    return {word for word in words if word in text}


def regex(pattern: re.Pattern[str], text: str) -> set[str]:
    return set(pattern.findall(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=20.0)
    parser.add_argument("--words", type=int, default=3000)
    parser.add_argument("--anchor-megabytes", type=float, default=2.0, help="text the anchors read")
    args = parser.parse_args()
    rng = random.Random(7)
    words = word_list(args.words, rng)
    text = corpus_text(args.megabytes, words, rng)
    size = len(text.encode("utf-8")) / 1_000_000
    build, matcher = timed(Matcher, [Entry(word, KINDS[n % 3], "") for n, word in enumerate(words)])
    print(f"text: {size:.1f} MB UTF-8 ({len(text):,} characters); list: {len(words):,} words, "
          f"{matcher.size:,} forms in the automaton (built in {build * 1000:.0f} ms)")

    seconds, found = timed(with_matcher, matcher, text)
    ours = size / seconds
    print(f"huiwen Aho-Corasick      {ours:8.1f} MB/s   {len(found):,} words found")

    sample = text[: int(len(text) * min(1.0, args.anchor_megabytes / size))]
    sample_size = len(sample.encode("utf-8")) / 1_000_000
    expected = with_matcher(matcher, sample)
    seconds, naive_found = timed(naive, words, sample)
    naive_speed = sample_size / seconds
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)))
    seconds, regex_found = timed(regex, pattern, sample)
    regex_speed = sample_size / seconds
    assert naive_found == expected, "the naive loop and the automaton disagree"
    assert regex_found <= expected, "the regex found a word the automaton missed"
    print(f"anchor: `in` per word    {naive_speed:8.1f} MB/s   (on {sample_size:.1f} MB)")
    print(f"anchor: regex alternation{regex_speed:8.1f} MB/s   (on {sample_size:.1f} MB; leftmost match only)")
    print(f"ratio huiwen / `in` loop: {ours / naive_speed:.1f}x; huiwen / regex: {ours / regex_speed:.1f}x; "
          f"target >= 10 MB/s: {'met' if ours >= 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
