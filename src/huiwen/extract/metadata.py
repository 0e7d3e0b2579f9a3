"""Stage 5a: headline, dates and names from the head (meta tags, JSON-LD) and
the headline from the visible page.

The headline is the visible heading that the <title> also carries: <title>
adds site suffixes (``_新浪网``, ``--国内频道--人民网``, `` | 澎湃新闻``), the
heading does not.  When no heading matches, the <title> (or og:title) is cut
at its separators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC as _UTC
from datetime import datetime, tzinfo
from typing import Any

from . import dates
from .blocks import HEADINGS, Block, Layout
from .dom import Page, text_of
from .provenance import JSON_LD, META
from .text import collapse, nfkc_key

# Separators between a headline and the site or channel name in <title>.
_TITLE_SEP_RE = re.compile(r"\s*(?:_{1,2}|--+|——|\s[-–—|·:]\s|\|{1,2}|｜|-(?=[^-]{2,12}$)|–|—)\s*")
# Between Han characters a bare hyphen separates too: ``标题-关键词-北方网``.
_CJK_HYPHEN_RE = re.compile(r"(?<=[\u4e00-\u9fff”」》）)])-(?=[\u4e00-\u9fff“「《（(])")
_COLUMN_RE = re.compile(r"[（(]\s*([\u4e00-\u9fff·]{2,8})\s*[)）]\s*$")
# Parenthesised title endings that are not columns.
_NOT_COLUMN_RE = re.compile(r"^(组?图|图文|视频|附.*|全文|上|中|下|续|更新|直播|实录|独家|转载|多图|高清)$")
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "article.published",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publication_date",
    "ptime",
    "publishtime",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
    "og:release_date",
    "article:modified_time",
)
_COLUMN_PREFIX_RE = re.compile(r"^\s*(?:[【\[][^】\]>»›]{1,12}[】\]]|[^\s>»›|｜丨]{2,10}\s*[｜|丨])\s*$")
_BRACKET_TAG_RE = re.compile(r"^[【\[][^】\]]{1,12}[】\]]")
_TITLE_CLASS_RE = re.compile(r"title|headline|biaoti|tit\b|hd\b", re.I)


@dataclass
class HeadMeta:
    """What the head and JSON-LD say."""

    title: str | None = None
    published_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    source: str | None = None
    description: str | None = None
    canonical: str | None = None
    # Where the date and the authors came from (provenance methods).
    date_method: str = META
    authors_method: str = META
    # ``article:author`` when it is a name, not a profile URL: an account on self-media pages.
    account: str | None = None
    # ``<meta name="mediaid">``: the self-media account that published the page, by the tag's own
    # word (no need to read like an outlet's name, as article:author must).
    media_account: str | None = None


def read_head(page: Page, default_tz: tzinfo) -> HeadMeta:
    head = HeadMeta(canonical=page.canonical or page.meta.get("og:url"))
    for item in page.jsonld:
        _read_jsonld(head, item, default_tz)
    if head.published_at is not None:
        head.date_method = JSON_LD
    if head.authors:
        head.authors_method = JSON_LD
    meta = page.meta
    head.title = head.title or meta.get("og:title") or meta.get("twitter:title")
    head.description = meta.get("og:description") or meta.get("description")
    if head.published_at is None:
        head.published_at = _meta_date(meta, default_tz)
    author = meta.get("author") or meta.get("article:author") or meta.get("dc.creator")
    if not head.authors and author and not author.startswith("http") and not _is_description(author):
        head.authors = split_names(author)
    head.source = meta.get("source") or meta.get("article:source") or meta.get("og:article:source")
    account = meta.get("article:author")
    if account and not account.startswith("http") and len(account) <= 30:
        head.account = account
    media = (meta.get("mediaid") or "").strip()
    if media and not media.startswith("http") and not media.isdigit() and len(media) <= 30:
        head.media_account = media
    return head


def _is_description(value: str) -> bool:
    """An ``author`` tag holding the site's slogan (``某某网_提供股票、基金…服务``), not names."""
    return len(value) > 60 or re.search(r"[_。；;！!？?]", value) is not None


def _meta_date(meta: dict[str, str], default_tz: tzinfo) -> datetime | None:
    for key in _DATE_KEYS:
        value = meta.get(key)
        if value:
            parsed = dates.parse_meta(value, default_tz)
            if parsed is not None:
                return parsed
    return None


def _read_jsonld(head: HeadMeta, item: dict[str, Any], default_tz: tzinfo) -> None:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if not any(isinstance(k, str) and ("Article" in k or k in ("BlogPosting", "Report")) for k in kinds):
        return
    headline = item.get("headline")
    if isinstance(headline, str) and not head.title:
        head.title = collapse(headline)
    published = item.get("datePublished") or item.get("dateCreated")
    if isinstance(published, str) and head.published_at is None:
        head.published_at = dates.parse_meta(published, default_tz)
    if not head.authors:
        head.authors = [name for name in _names(item.get("author")) if name]


def _names(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield from split_names(value)
    elif isinstance(value, dict):
        # Organisations stand in the author slot of many sites' JSON-LD.
        if value.get("@type") != "Organization":
            yield from _names(value.get("name"))
    elif isinstance(value, list):
        for part in value[:20]:
            yield from _names(part)


# An account or outlet rather than a person: how their names end.
_OUTLET_END_RE = re.compile(
    r"(报|報|网|網|社|台|刊|新闻|新聞|频道|頻道|杂志|雜誌|在线|在線|号|號|传媒|傳媒|媒体|媒體|站|中心|发布|發布|"
    r"观察|觀察|财经|財經|财讯|財訊|资讯|資訊|日报|时报|時報|周刊|週刊|电视|電視|广播|廣播|客户端|客戶端|官方|工作室|集团|集團|公司|"
    r"委员会|委員會|政府|办公室|辦公室|卫视|衛視|APP|App|News|NEWS|Daily|Times|Post|TV|Press|Publishers?|"
    r"Publishing|Media|Agency|Network|Group|Magazine|Journal|Herald|Tribune|Online|Radio|Inc\.?|Ltd\.?)$"
)
# Latin outlet names are acronyms or brands with capitals inside: AFP, TVBS, ETtoday, BBC.
_LATIN_OUTLET_RE = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z]{2,12}$")


def is_outlet(name: str) -> bool:
    """Whether a name reads as an outlet or an account (…日报, …网, …号) rather than a person."""
    name = name.strip()
    return _OUTLET_END_RE.search(name) is not None or _LATIN_OUTLET_RE.match(name) is not None


def split_names(text: str) -> list[str]:
    """Names in a byline: split at 、 , ， ; and (for Chinese) spaces."""
    text = collapse(text)
    if re.search(r"[\u4e00-\u9fff]", text):
        # Spaces part Chinese names, not the words of a Latin one ("Hans Publishers").
        parts = _joined_single_characters(re.split(r"[、,，;；/]+|(?<![A-Za-z.])\s+|\s+(?![A-Za-z])", text))
    else:
        parts = re.split(r"\s*(?:[,;/]|\band\b|&)\s*", text)
    return [p.strip() for p in parts if p.strip() and len(p.strip()) <= 40]


def _joined_single_characters(parts: list[str]) -> list[str]:
    """蒋 凌: a two-character name padded to the width of three is one name, space kept."""
    joined: list[str] = []
    for part in parts:
        if len(part) == 1 and joined and len(joined[-1]) == 1 and "\u4e00" <= part <= "\u9fff":
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    return joined


# --- headline -----------------------------------------------------------------


@dataclass
class TitleChoice:
    title: str | None
    block: Block | None


def choose_title(page: Page, layout: Layout, head: HeadMeta) -> TitleChoice:
    """The visible heading that the <title> carries, else a cleaned <title>."""
    references = [r for r in (page.title_tag, head.title) if r]
    keys = [(nfkc_key(r), nfkc_key(strip_site_suffix(r) or "")) for r in references]
    best: tuple[float, Block] | None = None
    for block in layout.blocks[:3000]:
        score = _heading_score(block, keys)
        if score > 0 and (best is None or score > best[0]):
            best = (score, block)
    if best is not None:
        text = _whole_heading(best[1], keys) or _without_page_counter(best[1])
        return TitleChoice(_trimmed(text, references), best[1])
    for reference in references:
        cleaned = strip_site_suffix(reference)
        if cleaned:
            return TitleChoice(cleaned, None)
    return TitleChoice(_first_heading(layout), None)


def _whole_heading(block: Block, keys: list[tuple[str, str]]) -> str | None:
    """A heading whose second half stands in a nested block (``<h1>上半<div>下半</div></h1>``):
    the block is only the first half; the heading's whole text, when <title> carries exactly it."""
    if block.tag not in HEADINGS or len(block.owner) == 0:
        return None
    whole = collapse(text_of(block.owner))
    key = nfkc_key(whole)
    if key == block.key or not key.startswith(block.key):
        return None
    return whole if any(key in pair for pair in keys) else None


def in_heading(block: Block, headline: Block) -> bool:
    """Whether ``block`` is part of the headline's heading element (the headline itself, or a
    half of it printed in a nested block): never the article's text."""
    if block is headline:
        return True
    return headline.tag in HEADINGS and any(a is headline.owner for a in block.owner.iterancestors())


def _without_page_counter(block: Block) -> str:
    """The heading without a page counter printed in an element of its own at its end
    (``标题<span>(5/7)</span>``: a gallery's or a paged story's position, not the headline's
    words); a counter written in the heading's own text stays (it may name a series' part)."""
    text = block.text
    counter = _PAGE_COUNTER_END_RE.search(text)
    if counter is None or int(counter.group(1)) > int(counter.group(2)) or counter.start() == 0:
        return text
    for element in block.owner.iterdescendants():
        if isinstance(element.tag, str) and collapse(text_of(element)) == counter.group(0).strip():
            return text[: counter.start()].rstrip()
    return text


_PAGE_COUNTER_END_RE = re.compile(r"\s*[(（]?\s*([1-9]\d{0,2})\s*/\s*([1-9]\d{0,2})\s*[)）]?\s*$")


def _trimmed(text: str, references: list[str]) -> str:
    """The heading without what stands before the headline in it (a
    breadcrumb arrow, a column label): the <title>'s headline when the heading
    holds it after such a prefix. A heading that is the whole <title> (or og:title) has nothing
    to trim: no site's name was written beside it (对比试车—测试…(图) in both)."""
    if any(nfkc_key(text) == nfkc_key(collapse(reference)) for reference in references):
        return text
    for reference in references:
        headline = strip_site_suffix(reference)
        if headline and len(headline) >= 4 and headline in text and not text.startswith(headline):
            prefix = text[: text.index(headline)]
            # 【记者即时播报】…, 新华视界｜…: a column prefix is part of the headline as published.
            return text if _COLUMN_PREFIX_RE.match(prefix) else headline
    return text


def _heading_score(block: Block, keys: list[tuple[str, str]]) -> float:
    if not 2 <= block.length <= 150 or (block.link_density > 0.99 and block.tag not in HEADINGS):
        return 0.0
    key = block.key
    # 【记者即时播报】标题: a column tag before the headline that <title> leaves out.
    tagged = _BRACKET_TAG_RE.match(key)
    bare = key[tagged.end() :] if tagged else key
    score = 0.0
    for ref_key, first_key in keys:
        if tagged and len(bare) >= 8 and bare in ref_key and len(bare) * 3 >= len(first_key):
            score = max(score, 60.0 + len(bare))
        if key in (first_key, ref_key):
            score = max(score, 100.0 + len(key))
        elif len(key) >= 4 and key in ref_key and len(key) * 3 >= len(first_key):
            score = max(score, 50.0 + len(key))
        elif len(first_key) >= 4 and first_key in key and len(key) <= len(first_key) * 1.5:
            score = max(score, 40.0 + len(first_key))
    if score == 0.0:
        return 0.0
    if block.tag in HEADINGS:
        score += 30.0 - int(block.tag[1]) * 3
    if _TITLE_CLASS_RE.search(f"{block.owner.get('class') or ''} {block.owner.get('id') or ''}"):
        score += 10.0
    return score - 20.0 * block.link_density


def strip_site_suffix(title: str) -> str | None:
    """``标题_新浪网`` → ``标题``: keep the part before the site names.

    The headline is normally the first part; when a site puts its name first
    (``新浪网 - 标题``) the first part is short, so the longest part is taken.
    """
    title = collapse(title)
    parts = [q for p in _TITLE_SEP_RE.split(title) for q in _CJK_HYPHEN_RE.split(p) if q and q.strip()]
    if not parts:
        return None
    first = parts[0].strip()
    longest = max(parts, key=len).strip()
    if len(first) * 2 < len(longest):
        return longest
    return first


# Lines under a headline that are not one: labelled fields, tools, relative times.
_NOT_HEADLINE_RE = re.compile(
    r"作者|来源|來源|编辑|編輯|记者|記者|字号|字號|字体|字體|文字大小|分享|\d+\s*(小时|小時|分钟|分鐘|天)前"
)


def names_only_the_site(title: TitleChoice, page: Page) -> bool:
    """Whether the chosen headline is only the site's name: a <title> with nothing but the
    site (``经济参考网``, ``公共電視台 新聞網``) matched a logo, or was taken as it stands."""
    tag = collapse(page.title_tag)
    if not title.title or not tag or len(tag) > 16:
        return False
    parts = [q for p in _TITLE_SEP_RE.split(tag) for q in _CJK_HYPHEN_RE.split(p) if q.strip()]
    site = nfkc_key(page.meta.get("og:site_name", ""))
    chosen = nfkc_key(title.title)
    if bool(site) and chosen == site:
        return True
    if chosen not in nfkc_key(tag):
        return False
    # One part (经济参考网), or only outlet names (人間衛視-人間新聞).
    return len(parts) == 1 or all(is_outlet(p) for p in parts)


def heading_above(layout: Layout, body: list[Block], fallback: TitleChoice) -> TitleChoice:
    """The headline as printed just above the body: a heading (or a title-classed line) among
    the few short lines before the text, nearest first; else what was chosen before."""
    if not body:
        return fallback
    first = body[0].index
    lines = [b for b in layout.blocks[max(0, first - 10) : first + 1] if 4 <= b.length <= 60]
    best: tuple[float, Block] | None = None
    for block in lines:
        if block.link_density > 0.3 or block.text.endswith(("。", "！", "？", ".", "：", ":")):
            continue
        if dates.parse(block.text, _UTC) is not None:
            continue
        if _NOT_HEADLINE_RE.search(block.text):
            continue
        named = _TITLE_CLASS_RE.search(f"{block.owner.get('class') or ''} {block.owner.get('id') or ''}")
        # A heading or a title-classed line first; else the plain short line nearest the text
        # (anything is likelier the headline than the site's name).
        score = 1.0 + (3.0 if block.tag in HEADINGS else 0.0) + (2.0 if named else 0.0) + block.index / 1000.0
        if best is None or score > best[0]:
            best = (score, block)
    return TitleChoice(best[1].text, best[1]) if best else fallback


def _first_heading(layout: Layout) -> str | None:
    for block in layout.blocks:
        if block.tag in ("h1", "h2") and block.length >= 2:
            return block.text
    return None


def column_of(title: str | None) -> str | None:
    """The column tag at the end of a headline: 和音 in ``…成果(和音)``."""
    if not title:
        return None
    match = _COLUMN_RE.search(title)
    if match is None or _NOT_COLUMN_RE.match(match.group(1)):
        return None
    return match.group(1)
