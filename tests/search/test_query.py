"""Query parsing: what reaches the index for each kind of input."""

from __future__ import annotations

from huiwen.search.query import GRAMS, MAX_TERMS, WORD, parse


def kinds(text: str) -> list[tuple[str, tuple[str, ...], bool]]:
    return [(term.kind, term.tokens, term.prefix) for term in parse(text).include]


def test_dictionary_words_are_words():
    assert kinds("互联网 发展") == [(WORD, ("互联网",), False), (WORD, ("发展",), False)]


def test_traditional_input_is_folded_first():
    assert kinds("網際網路") == kinds("互联网")


def test_unknown_runs_become_bigram_phrases():
    assert kinds("新冠疫苗") == [(GRAMS, ("新冠",), False), (WORD, ("疫苗",), False)]


def test_a_lone_character_borrows_its_neighbour():
    assert kinds("传承人") == [(WORD, ("传承",), False), (GRAMS, ("承人",), False)]


def test_a_character_alone_is_a_prefix():
    assert kinds("茶") == [(GRAMS, ("茶",), True)]


def test_quoted_phrase_is_exact_bigrams():
    assert kinds('"室内冰场"') == [(GRAMS, ("室内", "内冰", "冰场"), False)]
    assert kinds("“ai芯片”") == [(GRAMS, ("ai", "芯片"), False)]


def test_exclusions_need_something_to_exclude_from():
    parsed = parse("-马拉松")
    assert not parsed.searchable
    assert parsed.exclude


def test_limits():
    parsed = parse(" ".join(f"词{number}语" for number in range(40)))
    assert len(parsed.include) <= MAX_TERMS
    assert parsed.notices
    assert parse("长" * 500).notices
