"""Language and Chinese script (simplified/traditional) of a page's text."""

from __future__ import annotations

import re

from .text import cjk_count, visible_len

# Frequent characters whose simplified and traditional forms differ, pair by
# pair; characters that also stand unchanged in traditional text (里, 于, 后,
# 干, 并, 几) are left out because they would count for both.
_SIMPLIFIED = frozenset(
    "这为个国时来们对会发动过说产种学经进电现实两体机当点从业应开还义间样与关线内数么"
    "质气变条没结问无军题党员总设长头资边级图统较将组见计别论运农区强决战则据处记报闻"
    "网编辑责万亿济场际"
)
_TRADITIONAL = frozenset(
    "這爲為個國時來們對會發動過說產種學經進電現實兩體機當點從業應開還義間樣與關線內數麼"
    "質氣變條沒結問無軍題黨員總設長頭資邊級圖統較將組見計別論運農區強決戰則據處記報聞"
    "網編輯責萬億濟場際"
)
_DROP_SIMPLIFIED = {ord(ch): None for ch in _SIMPLIFIED}
_DROP_TRADITIONAL = {ord(ch): None for ch in _TRADITIONAL}
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_GREEK_RE = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
_POLISH_RE = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_HANGUL_RE = re.compile(r"[\uac00-\ud7af]")


def chinese_script(text: str, declared_lang: str | None = None) -> str:
    """``Hant`` when traditional-only characters outnumber simplified-only ones."""
    # str.translate deletes in C; the length difference counts the characters.
    simplified = len(text) - len(text.translate(_DROP_SIMPLIFIED))
    traditional = len(text) - len(text.translate(_DROP_TRADITIONAL))
    if simplified == traditional == 0 and declared_lang:
        lowered = declared_lang.lower()
        return "Hant" if any(t in lowered for t in ("tw", "hk", "mo", "hant")) else "Hans"
    return "Hant" if traditional > simplified else "Hans"


def detect_lang(text: str, declared: str | None) -> str | None:
    """Primary language subtag: the text's script first, since templates often
    keep a wrong ``lang`` attribute (Chinese pages saying ``en``)."""
    sample = text[:20_000]
    size = max(1, visible_len(sample))
    if _KANA_RE.search(sample) and len(_KANA_RE.findall(sample)) * 10 > size:
        return "ja"
    if len(_HANGUL_RE.findall(sample)) * 5 > size:
        return "ko"
    if cjk_count(sample) * 5 > size:
        return "zh"
    primary = _primary(declared)
    if primary and primary not in ("zh", "ja", "ko"):
        return primary
    return _guess_alphabetic(sample, size)


def _primary(declared: str | None) -> str | None:
    if not declared:
        return None
    primary = re.split(r"[-_]", declared.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _guess_alphabetic(sample: str, size: int) -> str | None:
    if len(_CYRILLIC_RE.findall(sample)) * 3 > size:
        return "ru"
    if len(_GREEK_RE.findall(sample)) * 3 > size:
        return "el"
    if len(_POLISH_RE.findall(sample)) * 100 > size:
        return "pl"
    if re.search(r"\b(the|and|of|to|in)\b", sample, re.I):
        return "en"
    return None
