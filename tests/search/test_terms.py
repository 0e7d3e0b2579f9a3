"""search.terms.analyse: the terms and names 相关阅读 weighs, read from one rjieba pass."""

from __future__ import annotations

import rjieba

from huiwen.search.terms import analyse
from huiwen.text.chinese import fold


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
