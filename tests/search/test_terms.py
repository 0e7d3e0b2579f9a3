"""search.terms.analyse: the terms and names 相关阅读 weighs, read from one rjieba pass."""

from __future__ import annotations

import rjieba

from huiwen.search.terms import analyse
from huiwen.text.chinese import clean_tokens, fold, grams_of


def test_runs_of_unknown_single_characters_become_bigram_names_broken_by_function_and_latin_characters():
    text = fold("镐沣垸x淏溆的溆浦县农民")
    assert [word for word, _ in rjieba.tag(text, False)][:6] == ["镐", "沣", "垸", "x", "淏", "溆"]  # the premise
    found = analyse(text)
    # 镐沣垸 is a run (two bigrams); the Latin x ends it; 淏溆 is a run the function character 的 ends.
    assert found.terms == ["镐沣", "沣垸", "淏溆", "溆浦县", "农民"]
    assert found.unknown == ["镐沣", "沣垸", "淏溆"]
    assert found.names == {"镐沣", "沣垸", "淏溆", "溆浦县"}  # 溆浦县 tagged a place; 农民 a common noun


def test_function_words_numbers_and_single_characters_are_never_terms():
    found = analyse(fold("澄宁镇的许若楠说，我们在2023年种了明前茶。"))
    assert "我们" not in found.terms and "2023" not in found.terms
    assert all(len(term) >= 2 for term in found.terms)
    assert "明前茶" in found.terms and "明前茶" in found.names
    assert found.words and found.grams  # what search indexes, from the same cut


def test_the_words_and_bigrams_are_what_the_text_functions_give_from_the_same_cut():
    """analyse reads words, bigrams and terms in one loop (the indexer's hottest): its words and
    bigrams stay those of text.clean_tokens and text.grams_of, on text that mixes scripts, numbers,
    marks that hold word pieces, spaces and single characters at either end."""
    texts = [
        "澄州茶园的明前茶上市了，每斤3.5万元（约合$4,900）。covid-19 之后 A股 与 T恤 都涨了，C++ 与 C# 工程师也是",
        "茶 ",
        " x中文_ab①②ⅻ第3季度 許若楠說網際網路　全形ＡＢＣ１２３ 한국어 русский текст…",
        "的",
        "",
        "2026-12-07 09:30",
    ]
    for text in map(fold, texts):
        tokens = rjieba.cut(text, False)
        assert [word for word, _ in rjieba.tag(text, False)] == tokens  # the premise: one cut
        found = analyse(text)
        assert found.words == clean_tokens(tokens)
        assert found.grams == grams_of(tokens)
