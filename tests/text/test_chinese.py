"""fold / segment: Simplified and Traditional, full and half width meet in one form."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from huiwen.text.chinese import fold, nfkc, segment, words


def test_taiwan_phrases_become_mainland_words():
    assert fold("網際網路") == fold("互联网") == "互联网"
    assert fold("軟體與資料庫") == "软件与数据库"


def test_hong_kong_forms_become_simplified():
    assert fold("衞生署") == "卫生署"


def test_width_and_case():
    assert fold("ＡＩ晶片１２３，") == "ai芯片123,"
    assert fold("COVID-19") == "covid-19"


def test_simplified_text_is_left_alone():
    text = "据报道,今年的粮食产量再创新高。"
    assert fold(text) == text


def test_segment_search_mode_has_sub_words_and_no_punctuation():
    tokens = segment("中华人民共和国,網際網路!")
    assert tokens[:6] == ["中华", "华人", "人民", "共和", "共和国", "中华人民共和国"]
    assert "互联网" in tokens
    assert all(token.isalnum() for token in tokens)


def test_mixed_tokens_split_into_letters_and_digits():
    assert segment("COVID-19 疫情") == ["covid", "19", "疫情"]
    assert words("中华人民共和国 互联网") == ["中华人民共和国", "互联网"]


def test_traditional_and_simplified_segment_alike():
    assert segment("臺灣的網際網路產業") == segment("台湾的互联网产业")


CHARS = st.characters(
    codec="utf-8",
    categories=["L", "M", "N", "P", "S", "Zs"],
)
TEXT = st.text(
    st.one_of(
        CHARS,
        st.sampled_from("，。！ＡＢｃ１２ｶﾞカﾞ가각각é\u0301\u0308ﬁ①㈱…\u3000⁵ǄＱ𝐀"),
    ),
    max_size=40,
)


@given(TEXT)
def test_fast_nfkc_equals_unicodedata(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


@given(TEXT)
def test_tokens_are_letters_and_digits_only(text):
    assert all(token.isalnum() for token in segment(text))
