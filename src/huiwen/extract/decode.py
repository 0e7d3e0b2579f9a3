"""Stage 1: bytes to text.

Order of evidence, after the WHATWG encoding sniffing algorithm: byte order
mark, HTTP ``Content-Type`` charset, ``<meta charset>`` / ``http-equiv``, XML
declaration, then detection.  Chinese sites often declare a charset that does
not match their bytes (UTF-8 pages declaring gb2312, GBK characters in pages
declaring gb2312), so a declaration is only taken after the bytes decode
cleanly under it and the result looks like real text.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass

import charset_normalizer

from .options import ExtractionError
from .text import cjk_count, strip_controls

# Labels mapped to the codec that reads them best: GB2312 and GBK pages use
# GBK characters freely, and GB18030 is their superset; Big5 pages from Hong
# Kong and Taiwan use HKSCS and ETEN extensions; Latin-1 is windows-1252 on
# the web (WHATWG).
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "gb18030": "gb18030",
    "hz_gb_2312": "gb18030",
    "euc_cn": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "latin_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
}
# Labels the web uses (WHATWG Encoding) that Python's codec registry lacks.
_WEB_ALIASES = {
    "x-gbk": "gbk",
    "gb_2312-80": "gb2312",
    "gb-2312": "gb2312",
    "csgb2312": "gb2312",
    "chinese": "gb2312",
    "iso-ir-58": "gb2312",
    "x-mac-chinesesimp": "gb2312",
    "x-x-big5": "big5",
    "x-big5": "big5",
    "cn-big5": "big5",
    "csbig5": "big5",
    "big5-hkscs": "big5hkscs",
    "unicode-1-1-utf-8": "utf-8",
    "x-sjis": "shift_jis",
    "ks_c_5601-1987": "euc_kr",
    "windows-874": "cp874",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_RE = re.compile(rb"""<meta[^>]{0,400}?charset\s*=\s*["']?\s*([-\w.:]{1,40})""", re.I)
_XML_DECL_RE = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([-\w.:]{1,40})""", re.I)


def _single_byte_table(codec: str) -> dict[int, int]:
    """A Latin codec reversed, its holes read as Latin-1 (as browsers do)."""
    table: dict[int, int] = {}
    for byte in range(256):
        char = bytes([byte]).decode(codec, errors="replace")
        if char != "\ufffd" and ord(char) > 255:
            table[ord(char)] = byte
    return table


_TO_SINGLE_BYTE = (_single_byte_table("cp1252"), _single_byte_table("iso8859_15"))
# GBK/Big5 lead and trail bytes read as Latin-1 (no-break spaces excluded).
_LATIN1_PAIR_RE = re.compile("[\u00b0-\u00ff][\u00a1-\u00ff]")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
# Two characters in a row that a Latin codec makes of GBK/Big5 bytes.
_LATIN1_RUN_RE = re.compile("[\u0080-\u00ff" + "".join(sorted({chr(c) for t in _TO_SINGLE_BYTE for c in t})) + "]{2}")
_HEADER_RE = re.compile(r"""charset\s*=\s*["']?\s*([-\w.:]{1,40})""", re.I)
# The prescan window: real pages declare the charset in the head; some put
# long scripts before it, so look further than the spec's 1024 bytes.
_PRESCAN = 32_768
_DETECT_SAMPLE = 65_536


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None


def decode(raw: bytes, headers: Mapping[str, str] | None = None) -> Decoded:
    """Decode ``raw`` to text, choosing the encoding the bytes really use."""
    if not raw:
        raise ExtractionError("empty input")
    bom = _from_bom(raw)
    declared = _declared(raw, headers)
    encoding = bom if bom is not None else _choose(raw, declared)
    if not encoding.startswith(("utf-16", "utf-32", "utf_16", "utf_32")):
        # In ASCII-compatible encodings these bytes are never part of a
        # multi-byte character, so they can go before decoding (C speed).
        raw = raw.translate(None, _CONTROL_BYTES)
    text = raw.decode(encoding, errors="replace")
    if encoding == "utf-8":
        repaired = _undo_double_encoding(text, declared)
        if repaired is not None:
            return Decoded(repaired[0], repaired[1], declared)
    if encoding.startswith(("utf-16", "utf-32")):
        text = strip_controls(text)
    return Decoded(text, codecs.lookup(encoding).name, declared)


def _undo_double_encoding(text: str, declared: str | None) -> tuple[str, str] | None:
    """Repair GBK/Big5 text that was read as a Latin codec and saved again as UTF-8.

    Such pages show only Latin-1 accented letters where Chinese should be;
    encoding them back to single bytes gives the original bytes.  Both
    windows-1252 and ISO-8859-15 are seen doing this damage; the one whose
    reversal gives the most plausible Chinese wins.
    """
    # Mojibake has no Han characters and many Latin-1 pairs; test the cheap
    # signs first, since this runs on every UTF-8 page.
    if cjk_count(text[:20_000]) > 100 or not _has_latin1_pairs(text):
        return None
    latin = len(_LATIN1_RUN_RE.findall(text))
    if latin < 50 or cjk_count(text) * 10 > latin:
        return None
    best: tuple[float, str, str] | None = None
    for table in _TO_SINGLE_BYTE:
        raw = text.translate(table).encode("latin-1", errors="ignore")
        encoding = _choose(raw, declared if declared != "utf-8" else None)
        if encoding in ("utf-8", "cp1252"):
            continue
        repaired = raw.decode(encoding, errors="replace")
        score = plausibility(repaired) - repaired.count("\ufffd") / max(1, cjk_count(repaired))
        if cjk_count(repaired) >= latin // 4 and score >= 0.5 and (best is None or score > best[0]):
            best = (score, repaired, encoding)
    return None if best is None else (best[1], best[2])


def _has_latin1_pairs(text: str) -> bool:
    """Latin-1 letter pairs in samples of the page: mojibake fills the whole
    body, so three 30,000-character windows are enough to see it."""
    third = len(text) // 3
    windows = (text[:30_000], text[third : third + 30_000], text[2 * third : 2 * third + 30_000])
    return any(_LATIN1_PAIR_RE.search(window) for window in windows)


def normalise_label(label: str) -> str | None:
    """Python codec name for a charset label, upgraded to its web superset."""
    label = label.strip().lower()
    try:
        name = codecs.lookup(_WEB_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return _SUPERSETS.get(name.replace("-", "_"), name)


def _from_bom(raw: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            return encoding
    return None


def _declared(raw: bytes, headers: Mapping[str, str] | None) -> str | None:
    """The first usable declaration: HTTP header, then <meta>, then XML declaration."""
    labels: list[str] = []
    for key, value in (headers or {}).items():
        if key.lower() == "content-type":
            found = _HEADER_RE.search(value)
            if found:
                labels.append(found.group(1))
    head = raw[:_PRESCAN]
    for pattern in (_META_RE, _XML_DECL_RE):
        found_b = pattern.search(head)
        if found_b:
            labels.append(found_b.group(1).decode("ascii", "replace"))
    for label in labels:
        name = normalise_label(label)
        # A UTF-16 label on a page without a BOM is a leftover of an editor;
        # the bytes are ASCII-compatible if the label could be read at all.
        if name is not None and not name.startswith("utf_16") and not name.startswith("utf_32"):
            return name
    return None


def _choose(raw: bytes, declared: str | None) -> str:
    if raw.isascii():
        return declared or "utf-8"
    # Valid UTF-8 with non-ASCII bytes is practically never another
    # encoding by accident, so it beats any declaration (the "UTF-8 page
    # declaring gb2312" lie).
    if _is_utf8(raw):
        return "utf-8"
    if declared is not None and declared != "utf-8" and _acceptable(raw, declared):
        return declared
    return _detect(raw, declared)


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        # A page cut in the middle of a character is still UTF-8.
        try:
            raw[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
        return len(raw) > 3 and not raw[:-3].isascii()
    return True


def _acceptable(raw: bytes, encoding: str) -> bool:
    """The declaration holds when decoding makes few errors and plausible text."""
    errors, text = _errors(raw, encoding)
    if errors > _tolerance(raw):
        return False
    return plausibility(text) >= 0.3 if encoding in ("gb18030", "big5hkscs") else True


def _errors(raw: bytes, encoding: str) -> tuple[int, str]:
    try:
        text = raw.decode(encoding, errors="replace")
    except LookupError:
        return len(raw), ""
    return text.count("\ufffd"), text


def _tolerance(raw: bytes) -> int:
    # Real legacy pages carry a few broken bytes (cut characters, pasted
    # fragments): allow about one error per two thousand non-ASCII bytes.
    non_ascii = len(raw) - len(raw.translate(None, bytes(range(128))))
    return 2 + non_ascii // 2000


def _detect(raw: bytes, declared: str | None) -> str:
    """No trustworthy declaration: compare the Chinese codecs and a detector's guess."""
    candidates = ["gb18030", "big5hkscs"]
    guess = _guess(raw)
    if guess is not None and guess not in candidates:
        candidates.append(guess)
    if declared is not None and declared not in candidates:
        candidates.append(declared)
    best = max(candidates, key=lambda enc: _score(raw, enc))
    return best


def _guess(raw: bytes) -> str | None:
    try:
        match = charset_normalizer.from_bytes(raw[:_DETECT_SAMPLE]).best()
    except Exception as exc:
        raise ExtractionError(f"charset detection failed: {exc}", internal=True) from exc
    if match is None:
        return None
    return normalise_label(match.encoding)


def _score(raw: bytes, encoding: str) -> float:
    errors, text = _errors(raw, encoding)
    sample = text[:_DETECT_SAMPLE]
    error_rate = errors / max(1, len(text))
    han = cjk_count(sample)
    score = -100.0 * error_rate
    if han >= 20:
        score += plausibility(sample)
    return score


# The most frequent Han characters of news prose, in simplified and
# traditional forms.  Text decoded with the wrong Chinese codec is made of
# rare characters (and kana), so the share of these tells right from wrong.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可"
    "主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家"
    "电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合"
    "还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明"
    "看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
    "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边"
    "流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战"
    "先回则任取据处府研究记者报道市记者新闻网时间来源编辑责任记者表示据了解"
    "這們來時國說會對為與學現發後經過個還動開關問頭電車書見東長門馬魚鳥"
    "報導記編輯責網聞區員業務體當從應實將點種進產機華義議決歲學醫"
)


def plausibility(text: str) -> float:
    """Share of Han characters that are among the most common ones (0..1)."""
    if len(text) > 40_000:
        # A sample decides as well as the whole page, at a fraction of the cost.
        middle = len(text) // 2
        text = text[:20_000] + text[middle : middle + 20_000]
    han = cjk_count(text)
    if han == 0:
        return 1.0
    common = len(text) - len(text.translate(_DROP_COMMON))
    return min(1.0, common / han * 2)


_DROP_COMMON = {ord(ch): None for ch in _COMMON}
