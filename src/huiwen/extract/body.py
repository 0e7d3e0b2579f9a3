"""Stage 4: find the article body among the blocks.

The method, after Readability and the text-density extractors (CETD):

1. every block scores by its sentence punctuation and length, damped by
   the share of its text inside links (menus and link lists score nothing);
2. the score flows up to the block's ancestors, halving and thirding on the
   way, so the element holding most prose gathers the most;
3. each candidate's total is multiplied by ``1 - link density`` of its
   whole subtree and nudged by class/id words (``content``, ``comment``);
4. the best candidate's siblings join when they also hold prose (bodies
   split over several containers, pages cut by an advertisement);
5. inside that region, blocks that read as boilerplate are dropped: link
   lists, share bars, copyright and related-reading lines, comment areas.
   责编 lines are kept aside for the editor field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from .blocks import HEADINGS, Block, Layout
from .dom import HtmlElement
from .text import cjk_count, nfkc_key

# Class and id words of containers (Readability's lists, plus the Chinese
# CMS words seen across many templates: 正文 is "body text").
_CLASS_WORDS_RE = re.compile(
    # Reader comments are prose too, often more of it than the article: their
    # containers are never the body, whatever else their class says.
    r"(?P<comment>comment|disqus|replies|pinglun|评论)|"
    r"(?P<negative>footer|sidebar|related|relate|share|social|\bnav|menu|advert|"
    r"\bads?\b|sponsor|promo|recommend|breadcrumb|crumb|pager|pagination|copyright|"
    # (player-2020-223 is a row of a sports table, not a video player.)
    r"login|subscribe|popup|modal|cookie|qrcode|dialog|repost|vote|poll|survey|toupiao|diaocha|player(?![-_]?\d))|"
    r"(?P<positive>article|body|content|entry|main|(?<!re)post|text|story|detail|zoom|正文|"
    r"artical|arti)"
)
# Lines that are page furniture wherever they appear.
_BOILERPLATE_RE = re.compile(
    r"版[权權]所有|版[权權][声聲]明|copyright|©|\(c\)\s*\d{4}|all rights reserved|未[经經].{0,12}(授权|许可|授權|許可)|"
    r"[转轉][载載]请注明|分享到|分享至|一键分享|打印本[页文頁]|关闭窗口|關閉視窗|返回[顶頂]部|返回首[页頁]|【字[号號]|"
    r"字[号號][:：]|字[体體][:：]?\s*[大中小]|我要[评評]论|[发發]表[评評][论論]|网友评论|網友評論|查看[评評][论論]|"
    r"条评论|參與討論|参与讨论|扫一扫|掃一掃|二维码|二維碼|"
    r"点击进入|点击查看|更多精彩|上一篇|下一篇|收藏本文|推荐给朋友|^分享\s*[|｜:：]?$|^share$|^tweet$|"
    r"^(?:本[篇文]新[闻聞])?(?:热门|熱門)?(?:关键[词字]|關鍵[詞字])\s*[:：]|"
    r"^(展开阅读全文|展开全文|阅读全文|閱讀全文|播报文章|语音播报|語音播報)|"
    r"^(您的位置|你的位置|当前位置|當前位置|现在位置|現在位置)|"
    r"^(print|email|comments?)$",
    re.I,
)
# Site notices in prose form: they name the site itself and its rights.
_DISCLAIMER_RE = re.compile(
    r"(免[责責][声聲]明|[声聲]明[:：]|本[网網]站?|本站|[网網]站|本平台|本[报報]|本刊)"
    r".{0,60}(著作[权權]|版[权權]|[转轉][载載]|[观觀]点|立场|立場|存[储儲]空[间間]|[证證]实|[证證]實|投[资資]建[议議])|"
    r"(仅代表作者|僅代表作者|不代表本|信息存储空间|[仅僅]提供信息[存儲][储儲]|[转轉][载載][请請]注明|未[经經].{0,10}(授权|许可|授權|許可)"
    r".{0,10}([转轉][载載]|使用))|^(disclaimer|免[责責][声聲]明)|subject to copyright|"
    r"no part of this .{0,40} may be reproduced",
    re.I,
)
# Every notice above holds one of these: a cheap test that spares most blocks
# the long pattern.
_NOTICE_HINT_RE = re.compile(r"[声聲版权權转轉网網站观觀立存证證资資仅僅]|disclaimer|copyright|reproduced", re.I)
# Headings that start a block of links to other articles.
_RELATED_RE = re.compile(
    r"^[【\[]?\s*(相[关關](阅读|新闻|链接|文章|报道|专题|稿件|推荐|閱讀|新聞|鏈接|報導|報道|專題|推薦)|"
    r"延伸[阅閱][读讀]|推[荐薦][阅閱][读讀]|[热熱][点點]推[荐薦]|猜你喜[欢歡]|[热熱]门推[荐薦]|熱門推薦|"
    r"[热熱]门文章|更多新[闻聞]|[编編][辑輯]推[荐薦]|精彩推[荐薦]|[图圖]片推[荐薦]|今日推[荐薦]|"
    r"related (stories|articles|news|content)|read more|more from|you may also like|"
    r"recommended|read (also|next)|przeczytaj (też|także)|читайте также|διαβάστε (επίσης|ακόμη))",
    re.I,
)
# A heading that opens the readers' comments: nothing after it is the article.
_COMMENTS_HEADING_RE = re.compile(
    r"^[【\[]?\s*(\d+\s*)?(comments?|reader comments|komentarze|kommentare|commentaires|комментарии|"
    r"σχόλια|网友评论|網友評論|读者评论|讀者評論|最新评论|最新評論|"
    # Headings of what follows an article on Western templates.
    r"we recommend|recommended for you|you (may|might) also like|more stories|explore further|"
    r"about the author|further reading)\s*(\(\d+\)|\d+)?\s*[】\]:：]?$",
    re.I,
)
# A summary of another article, ending in its link: "…… [详情]", "Read more »".
_TEASER_RE = re.compile(
    r"(详情|详细|全文|更多|阅读全文|查看全文|詳情|詳細|閱讀全文|read more|more|continue reading)\s*[\]】)>»]*\s*$", re.I
)
_BARE_URL_RE = re.compile(r"^(https?://|www\.)\S+$")
# A reader's comment opening under the article: "某某对某文的评论:", a blog's "# re: 标题".
_COMMENT_OPENER_RE = re.compile(r"^.{1,24}?(?:对|對).{1,60}的(?:评论|評論)\s*[:：]\s*$|^#\s*re\s*[:：]", re.I)
# The site speaking to its readers at the edges of the text: follow us, like our page, subscribe
# to the paper by text message, download the app, the news hotline (within one sentence: "…令人
# 關注。…我們" is a report, not a call to follow us).
_PROMO_RE = re.compile(
    r"(?:facebook|google\s*(?:plus|\+)|twitter|微博|微信|粉[絲丝][團团]|[專专][頁页]|公[众眾][号號]|客[户戶]端|app|"
    r"手[机機][报報]|手[机機]版|[频頻]道)"
    r"[^。！？!?]{0,40}(?:follow|like|[关關]注|追[踪蹤]|[讚赞]|[订訂][阅閱]|下[载載]|[扫掃]|加入|陪[你您]看)|"
    r"(?:follow|like|[关關]注|追[踪蹤]|[讚赞]|[订訂][阅閱]|下[载載]|[扫掃]一?[扫掃]|加入)[^。！？!?]{0,30}"
    r"(?:facebook|google|twitter|微博|微信|粉[絲丝][團团]|[專专][頁页]|公[众眾][号號]|客[户戶]端|app|手[机機][报報]|我[们們])",
    re.I,
)
# Promotions that need no address: text-message subscriptions, hotlines, the site's picks.
_NOTICE_PROMO_RE = re.compile(
    r"(?:[发發]送?|移[动動]|[联聯][通])\S{0,12}到\s*10\d{5,}|^新[闻聞][热熱]線|^新[闻聞][热熱][线線]|^[报報]料[热熱][线線]|"
    r"本文相[关關]推[荐薦]"
)
# What a video player or a picture slider prints around the text.
_PLAYER_RE = re.compile(
    r"^(广告|廣告|advertisement)$|正在加[载載]|加[载載]中|[请請]稍[候后]|播放速度|[错錯]误代[码碼]|[视視][频頻]播放失[败敗]|"
    r"[轮輪]播[图圖]|快速翻[页頁]|[转轉]播到|建[议議].{0,4}WIFI|您的[浏瀏][览覽]器不支持|^[时時][长長][:：]",
    re.I,
)
_EDITOR_RE = re.compile(
    r"[(（\[【]?\s*(责任编辑|责编|編輯|责任编审|编辑)\s*[:：]|^(责任编辑|責任編輯|责编|責編)\s+\S{2,4}$|^[(（]\s*[\u4e00-\u9fff]{2,4}\s*(编辑|編輯|责编|責編)\s*[)）]$"
)
# An editor's label followed by a sentence is a story's words about editing (…写上“编辑：再核一遍”。),
# not a credit: a credit names people and ends, or a bracket closes it.
_EDITING_PROSE_RE = re.compile(r"(?:编辑|編輯|责编|責編)\s*[:：][^()（）\[\]【】]{0,40}?[。！？]")
_LEVEL_DIVIDERS = (1.0, 2.0, 6.0, 9.0, 12.0)


def is_editing_prose(text: str) -> bool:
    """Whether an editor's label in ``text`` opens a sentence rather than a credit."""
    return _EDITING_PROSE_RE.search(text) is not None


@dataclass
class Body:
    """The chosen blocks and what was set aside on the way."""

    blocks: list[Block]
    roots: list[HtmlElement]
    editor_lines: list[str] = field(default_factory=list)


def is_notice(block: Block) -> bool:
    """A site notice (disclaimer, copyright terms) or a teaser of another
    article, rather than article text."""
    if block.notice is None:
        # A cut-off summary ("……") or a short line; full paragraphs that end
        # in a 【详细】 link to a longer story are still this article's text.
        cut = "…" in block.text or "..." in block.text or block.length < 50
        teaser = cut and 0 < block.link_length <= 12 and _TEASER_RE.search(block.text) is not None
        hinted = _NOTICE_HINT_RE.search(block.text) is not None
        block.notice = teaser or (hinted and _DISCLAIMER_RE.search(block.text) is not None)
    return block.notice


def block_score(block: Block) -> float:
    """Prose score of one block: punctuation and length, damped by links."""
    if block.length < 5 or block.link_density > 0.5 or is_notice(block):
        return 0.0
    # A Han character carries about as much as a short Latin word.
    units = block.length + block.cjk
    return (1.0 + block.punct + min(units / 100.0, 3.0)) * (1.0 - block.link_density)


def _words(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


def _verdicts(layout: Layout) -> dict[HtmlElement, tuple[float, bool]]:
    """Class/id weight and comment flag of every named element, once per page."""
    if layout.classes is None:
        layout.classes = {}
        for element in layout.named:
            layout.classes[element] = _verdict_of_words(_words(element))
    return layout.classes


_NEUTRAL = (0.0, False)


# Pages repeat the same few class names thousands of times: cache the verdicts.
@lru_cache(maxsize=8192)
def _verdict_of_words(words: str) -> tuple[float, bool]:
    """(weight, is comments) of a class/id string, in one regex pass."""
    found = {m.lastgroup for m in _CLASS_WORDS_RE.finditer(words.lower())}
    if "comment" in found:
        return (-25.0, True)
    weight = (25.0 if "positive" in found else 0.0) - (25.0 if "negative" in found else 0.0)
    return (weight, False)


def select(layout: Layout, title: str | None, summary: str | None = None) -> Body:
    """Choose the body region and filter its blocks.  ``summary`` is the page's own
    description: where it opens a paragraph that the chosen region lacks, that paragraph
    is the text (a short article under a page of longer teasers)."""
    scores = _candidate_scores(layout)
    if not scores:
        return Body([], [])
    best = _climb(layout, max(scores, key=scores.__getitem__))
    body = _filter(layout, _with_siblings(layout, best, scores), title)
    anchor = _summary_block(layout, body, summary)
    if anchor is None:
        return body
    best = _climb(layout, anchor.owner)
    anchored = _filter(layout, _with_siblings(layout, best, scores), title)
    if anchor in anchored.blocks and _apart(layout, anchored, body):
        return anchored
    return body


def _apart(layout: Layout, anchored: Body, body: Body) -> bool:
    """Whether the chosen text is another item than the one the summary opens: a paragraph or
    two (a teaser), or a text wholly above it, or one far below its end (the next items of a
    feed, a list of teasers under linked headings) — not the text a summary box or a deck
    stands over."""
    if anchored.blocks[-1].index >= body.blocks[0].index and anchored.blocks[0].index <= body.blocks[-1].index:
        return False  # the two overlap: the summary stands over this text
    if len(body.blocks) <= 2 or body.blocks[-1].index < anchored.blocks[0].index:
        return True
    if body.blocks[0].index - anchored.blocks[-1].index >= _FAR_BELOW:
        return True
    return _cards(_region_blocks(layout, body.roots)) >= 2


def _cards(blocks: list[Block]) -> int:
    """Teaser cards among the blocks: a heading that is a link, over a paragraph of prose."""
    return sum(
        1
        for heading, summary in pairwise(blocks)
        if heading.tag in HEADINGS and heading.link_density >= 0.9 and summary.punct >= 2 and summary.link_density < 0.3
    )


# Blocks between a summary box and the text under it: a few (a picture, a toolbar).
_FAR_BELOW = 15


def _summary_block(layout: Layout, body: Body, summary: str | None) -> Block | None:
    """The paragraph the page's description opens, when the chosen text does not hold it."""
    key = nfkc_key(summary)[:20] if summary else ""
    if len(key) < 20 or len(nfkc_key(summary or "")) < 40 or not body.blocks:
        return None  # no summary, or a headline repeated
    if any(key in b.key for b in body.blocks):
        return None
    in_comments = _comment_subtrees(layout)
    for block in layout.blocks:
        if block.length < 40 or block.punct < 2 or block.link_density > 0.3 or block.tag in HEADINGS:
            continue
        if block.owner in in_comments:
            continue
        if block.key.startswith(key):
            return block
    return None


def block_value(block: Block, negative: bool) -> float:
    """What including this block is worth: prose adds, furniture subtracts.

    The unit is the block's size (a Han character counting as two letters);
    prose is damped when it lacks sentence punctuation or sits in links.
    """
    units = float(block.length + block.cjk)
    if negative or block.link_density > 0.5 or is_notice(block):
        return -0.5 * units
    if block.punct == 0 and block.length < 20:
        return -0.2 * units
    punct_factor = min(1.0, 0.3 + 10.0 * block.punct / max(1, block.length))
    return units * (1.0 - block.link_density) * punct_factor


def _climb(layout: Layout, best: HtmlElement) -> HtmlElement:
    """Go up from the best candidate to the ancestor holding clearly more prose
    net of furniture (articles whose paragraphs sit in separate wrappers,
    which the halving of scores on the way up undervalues)."""
    mass = _mass(layout)
    base = mass.get(best, 0.0)
    chosen, top = best, base * 1.25
    for level, ancestor in enumerate(best.iterancestors()):
        if level >= 8 or ancestor.tag in ("body", "html"):
            break
        value = mass.get(ancestor, 0.0)
        if value > top and _added_link_density(layout, best, ancestor) < 0.15:
            chosen, top = ancestor, value
    return chosen


def _added_link_density(layout: Layout, inner: HtmlElement, outer: HtmlElement) -> float:
    """Link density of what ``outer`` holds beyond ``inner``: teaser lists
    (a linked headline over each summary) show up here, split articles do not."""
    a, b = layout.totals.get(outer), layout.totals.get(inner)
    if a is None or b is None or a.length <= b.length:
        return 1.0
    return (a.link_length - b.link_length) / (a.length - b.length)


def _mass(layout: Layout) -> dict[HtmlElement, float]:
    negative = _negative_elements(layout)
    mass: dict[HtmlElement, float] = {}
    for block in layout.blocks:
        owner = block.owner
        mass[owner] = mass.get(owner, 0.0) + block_value(block, owner in negative)
    parent_of = layout.parent
    for element in reversed(list(layout.order)):
        own = mass.get(element)
        parent = parent_of.get(element)
        if own is not None and parent is not None:
            mass[parent] = mass.get(parent, 0.0) + own
    return mass


def _negative_elements(layout: Layout) -> set[HtmlElement]:
    """Elements inside a container named comment/share/related/…, unless that
    container holds most of the page's punctuation (then it is a wrapper)."""
    root = next(iter(layout.order), None)
    totals = layout.totals.get(root) if root is not None else None
    total_punct = max(1, totals.punct) if totals else 1
    flagged: set[HtmlElement] = set()
    for element, (weight, comments) in _verdicts(layout).items():
        if element in flagged or element not in layout.order:
            continue
        if weight < 0 and not comments:
            own = layout.totals.get(element)
            if own is not None and own.punct * 2 >= total_punct:
                continue
        if weight < 0:
            flagged.update(element.iter())
    return flagged


def _comment_subtrees(layout: Layout) -> set[HtmlElement]:
    """Every element inside a comment container (the container included)."""
    inside: set[HtmlElement] = set()
    for element, (_, comments) in _verdicts(layout).items():
        if comments and element not in inside:
            inside.update(element.iter())
    return inside


def _candidate_scores(layout: Layout) -> dict[HtmlElement, float]:
    verdicts = _verdicts(layout)
    in_comments = _comment_subtrees(layout)
    raw: dict[HtmlElement, float] = {}
    parent_of = layout.parent
    for block in layout.blocks:
        # Readers' comments never hold the body: their paragraphs score nothing.
        score = 0.0 if block.owner in in_comments else block_score(block)
        if score <= 0:
            continue
        element: HtmlElement | None = block.owner
        for divider in _LEVEL_DIVIDERS:
            if element is None:
                break
            raw[element] = raw.get(element, 0.0) + score / divider
            element = parent_of.get(element)
    final: dict[HtmlElement, float] = {}
    for element, score in raw.items():
        totals = layout.totals.get(element)
        density = totals.link_length / totals.length if totals and totals.length else 0.0
        # A class name at most doubles (or cancels) what the text earned: on
        # short articles a fixed bonus would let any ``class="text"`` win.
        class_score, comments = verdicts.get(element, _NEUTRAL)
        weight = class_score / 25.0 * min(25.0, score)
        damp = 0.1 if comments else 1.0
        final[element] = (score + weight) * (1.0 - density) * damp
    return final


def _with_siblings(layout: Layout, best: HtmlElement, scores: dict[HtmlElement, float]) -> list[HtmlElement]:
    """The best candidate plus siblings that also hold prose, in document order."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, scores.get(best, 0.0) * 0.2)
    best_class = best.get("class")
    roots: list[HtmlElement] = []
    for sibling in parent:
        if sibling is best:
            roots.append(sibling)
            continue
        if sibling not in layout.order:
            # Unscored (past max_elements, or not an element): so is the rest.
            break
        bonus = scores.get(best, 0.0) * 0.2 if best_class and sibling.get("class") == best_class else 0.0
        if scores.get(sibling, 0.0) + bonus >= threshold or _is_prose(layout, sibling):
            roots.append(sibling)
    return roots


def _is_prose(layout: Layout, element: HtmlElement) -> bool:
    totals = layout.totals.get(element)
    if totals is None or totals.length == 0:
        return False
    density = totals.link_length / totals.length
    return totals.length >= 40 and density < 0.25 and totals.punct >= 2


def _filter(layout: Layout, roots: list[HtmlElement], title: str | None) -> Body:
    body = Body([], roots)
    title_key = nfkc_key(title) if title else None
    # The headline repeated without its column tag (【记者即时播报】) is no text either.
    bare_title = re.sub(r"^[【\[][^】\]]{1,12}[】\]]", "", title_key) if title_key else None
    in_related = False
    excluded = _excluded_in_region(layout, roots)
    breaks: list[int] = []
    ended = False
    previous: Block | None = None
    for block in _region_blocks(layout, roots):
        # An advertisement's headline under its 广告 label is no other story starting.
        # (or with the label glued before it: 广告某某平台今日新开).
        advertised = _AD_OPENING_RE.match(block.text) is not None or (
            previous is not None and previous.length <= 13 and _AD_LABEL_RE.match(previous.text) is not None
        )
        previous = block
        if block.length < 60 and _EDITOR_RE.search(block.text) and not is_editing_prose(block.text):
            body.editor_lines.append(block.text)
            continue
        if title_key and (block.key in (title_key, bare_title) or _headline_and_counter(block.key, title_key)):
            continue
        if _opens_comments(block, body.blocks):
            break
        if ended:
            continue
        if _closes_text(block, body.blocks):
            ended = True  # what follows a platform's disclaimer is the next item of a feed
            continue
        if _is_story_break(block) and block.owner not in excluded and not advertised:
            breaks.append(len(body.blocks))
        if _RELATED_RE.search(block.text) and block.length < 40:
            in_related = True
            continue
        if in_related and (block.punct == 0 or block.link_density > 0.3 or _cut_teaser(block)):
            continue
        in_related = False
        if _is_furniture(block) or block.owner in excluded:
            continue
        body.blocks.append(block)
    body.blocks = _trim_edges(_without_repeats(_before_other_stories(body.blocks, breaks)))
    return body


def _cut_teaser(block: Block) -> bool:
    """An entry of a related-reading list: another article's opening, cut off with an ellipsis
    (its link may read as prose, so link density does not show it)."""
    return block.tag in ("dd", "li", "dt", "a") and block.text.rstrip().endswith(("…", "...", "……"))


_AD_LABEL_RE = re.compile(r"^\s*(?:广告|廣告|推广|推廣|advertisement|ad)\s*$", re.I)
_AD_OPENING_RE = re.compile(r"^\s*(?:广告|廣告)")


def _headline_and_counter(key: str, title_key: str) -> bool:
    """The headline printed with its page counter after it (标题(3/6)): no text either."""
    return key.startswith(title_key) and _PAGE_COUNTER_RE.fullmatch(key, len(title_key)) is not None


_PAGE_COUNTER_RE = re.compile(r"\(?[1-9]\d{0,2}/[1-9]\d{0,2}\)?")


def _closes_text(block: Block, kept: list[Block]) -> bool:
    """A site's disclaimer after the text (the site or platform disowning the views, or saying
    it only stores what its users post): the
    article ends there."""
    if block.length > 200 or block.link_density > 0.3 or _CLOSING_RE.search(block.text) is None:
        return False
    return sum(b.length for b in kept if b.punct) >= 100


# The site or platform disowning what it printed: not its views, only stored for its users.
_CLOSING_RE = re.compile(
    r"(本[网網]站?|本站|本平台|本[号號]|平台)\S{0,30}([仅僅]提供|不代表|[观觀][点點]|立[场場])|"
    r"不代表本(站|[网網]|平台)|[仅僅]代表作者(本人|个人|個人)?(的)?(观点|觀點|立场|立場)|[仅僅]提供信息[存儲][储儲]"
)


def _is_story_break(block: Block) -> bool:
    """Where another story starts inside the region: its headline, standing as a link of its own
    (a related-reading heading is not one: boxes of related links stand inside texts too)."""
    if block.tag in ("li", "td", "th", "dd", "dt") or block.link_density < 0.9:
        return False  # an entry of a list or a table of links: menus, contents, teaser lists
    if not 8 <= block.length < 40 or block.cjk < 6 or _STOP_RE.search(block.text):
        return False
    return not (_BOILERPLATE_RE.search(block.text) or _TEASER_RE.search(block.text) or _RELATED_RE.search(block.text))


def _before_other_stories(blocks: list[Block], breaks: list[int]) -> list[Block]:
    """The text up to where other stories follow it in the same container (a related story
    printed in full, the next article of an endless page): the first break after which less
    prose stands than before it ends the text."""
    for position in breaks:
        before = sum(b.length for b in blocks[:position] if b.punct)
        after = sum(b.length for b in blocks[position:] if b.punct)
        if 0 < after < before and sum(1 for b in blocks[:position] if b.punct) >= 2:
            return blocks[:position]
    return blocks


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Drop the site's promotions and the players' messages printed before or after the text
    (inside the text, the same words may be the article's subject), and the pictures' captions
    and a bare date standing before or after it."""
    start, end = _after_opening_box(blocks), len(blocks)
    while start < end:
        if _is_edge_furniture(blocks[start]) or _is_debris(blocks[start]):
            start += 1
        elif captions := _leading_captions(blocks[start:end]):
            start += captions
        else:
            break
    while end > start and (
        _is_edge_furniture(blocks[end - 1]) or (_is_caption(blocks[end - 1]) and _text_remains(blocks[start : end - 1]))
    ):
        end -= 1
    return blocks[start : _before_story_list(blocks, start, end)]


def _text_remains(blocks: list[Block]) -> bool:
    """Enough prose is left without the captions: a picture story's captions are its text."""
    return sum(1 for b in blocks if b.punct) >= 2 and sum(b.length for b in blocks if b.punct) >= 150


def _after_opening_box(blocks: list[Block]) -> int:
    """Where the text starts after a box printed over it (开栏的话, 编者按, 个人简介 standing as a
    heading): the box's paragraphs share a look of their own (楷体 and bold, a blue font) that
    the text does not.  When no change of look ends the box, nothing is cut."""
    heading = next((i for i, b in enumerate(blocks[:3]) if b.length <= 12 and _BOX_HEADING_RE.match(b.text)), None)
    if heading is None or heading + 2 >= len(blocks):
        return 0
    box_look = _look(blocks[heading + 1])
    end = heading + 1
    while end < len(blocks) and end - heading <= 6 and _look(blocks[end]) == box_look:
        end += 1
    if end >= len(blocks) or _look(blocks[end]) == box_look or not _text_remains(blocks[end:]):
        return 0
    return end


def _look(block: Block) -> tuple[str, bool]:
    """How most of the block's words are set: their colour and whether they are bold (fonts
    vary within a paragraph; a template's class is the same for every paragraph)."""
    counts: dict[tuple[str, bool], int] = {}
    for element in block.owner.iter():
        if not isinstance(element.tag, str):
            continue
        words = len((element.text or "").strip()) + sum(len((child.tail or "").strip()) for child in element)
        if words:
            look = _element_look(element, block.owner)
            counts[look] = counts.get(look, 0) + words
    return max(counts, key=lambda look: counts[look]) if counts else ("", False)


def _element_look(element: HtmlElement, owner: HtmlElement) -> tuple[str, bool]:
    colour, bold = "", False
    node: HtmlElement | None = element
    while node is not None:
        style = (node.get("style") or "").lower()
        if not colour:
            match = _COLOUR_RE.search(style)
            colour = (node.get("color") or (match.group(1) if match else "")).strip().lower()
        bold = bold or node.tag in ("b", "strong") or _BOLD_RE.search(style) is not None
        if node is owner:
            break
        node = node.getparent()
    return colour, bold


# A box over the text named as one: the column's opening words, the editor's note, a profile.
_BOX_HEADING_RE = re.compile(
    r"^\s*[【\[]?\s*(开栏的话|開欄的話|编者按|編者按|编者的话|編者的話|编者按语|編者按語|编前语|編前語|"
    r"个人简介|個人簡介|人物简介|人物簡介|嘉宾简介|嘉賓簡介|作者简介|作者簡介|专家简介|專家簡介)\s*[】\]]?\s*[:：]?\s*$"
)
_COLOUR_RE = re.compile(r"(?<![-\w])color\s*:\s*([^;]+)")
_BOLD_RE = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)")


def without_leading_captions(blocks: list[Block]) -> list[Block]:
    """``blocks`` without the captions and bare dates opening them (the byline stage calls this
    again once it has taken the meta lines printed before them)."""
    start = 0
    while captions := _leading_captions(blocks[start:]):
        start += captions
    return blocks[start:]


def _leading_captions(blocks: list[Block]) -> int:
    """How many blocks opening ``blocks`` are a picture's caption: one that reads as one (图为…,
    资料图：…, …（张三摄）), or a caption sentence followed by its credit line (记者张三／攝影);
    none when too little text would remain (a picture story's captions are its text)."""
    count = _caption_count(blocks)
    return count if count and _text_remains(blocks[count:]) else 0


def _caption_count(blocks: list[Block]) -> int:
    if not blocks:
        return 0
    if _is_caption(blocks[0]) or _is_bare_date(blocks[0]):
        return 1
    credit = blocks[1] if len(blocks) > 1 else None
    if credit is not None and blocks[0].length <= 120 and credit.length <= 20 and _is_picture_credit(credit):
        return 2  # the credit on a line of its own (记者张三／攝影) under the caption
    return 0


def _is_caption(block: Block) -> bool:
    """A picture's caption: labelled as one (图为…, 资料图：…, 圖說：…) or closed by the
    picture's credit (…（张三摄）, …新华社记者 张三 摄), and no longer than captions are."""
    if block.length > 120 or block.link_density > 0.5:
        return False
    return _CAPTION_LABEL_RE.match(block.text) is not None or _is_picture_credit(block)


def _is_picture_credit(block: Block) -> bool:
    return block.length <= 120 and _PICTURE_CREDIT_END_RE.search(block.text) is not None


def _is_bare_date(block: Block) -> bool:
    """A date and nothing else (the day printed over the text): no paragraph of an article."""
    return block.length <= 24 and _BARE_DATE_RE.match(block.text) is not None


# 图为…, 圖為…, 资料图：…, 圖說：…, 图表：…, ▲上图：…: a line introducing what a picture shows.
_CAPTION_LABEL_RE = re.compile(
    r"^\s*[▲△↑↓►▼]?\s*(?:[上下左右]?[图圖]为|[上下左右]?[图圖]為|(?:资料|資料|[上下左右])?[图圖](?:片|表|说|說|示)?\s*[:：／/]|"
    r"(?:资料|資料)[图圖]片?\s*[:：／/]?)"
)
# The credit closing a caption: （张三摄）, 新华社记者 张三 摄, 记者张三／攝影, （資料照）, 图／某报提供.
_PICTURE_CREDIT_END_RE = re.compile(
    r"(?:[\u4e00-\u9fffA-Za-z]\s*(?:摄|攝)|[/／╱\s](?:摄影|攝影)|(?:供[图圖]|[图圖]片?[/／]\S{2,12}提供)|"
    r"(?:资料|資料)(?:照片?|[图圖]片?))\s*[)）]?\s*$"
)
# 2012年 01月12日, 2012-01-12: the day alone.
_BARE_DATE_RE = re.compile(
    r"^\s*(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?\s*$"
)


def _before_story_list(blocks: list[Block], start: int, end: int) -> int:
    """Where a list of other stories closing the text begins: a run of listed headlines
    (with the short slogans of the advertisements among them) at its end."""
    cut, listed = end, False
    while cut > start and (_is_listed_story(blocks[cut - 1]) or _is_slogan(blocks[cut - 1])):
        listed = listed or _is_listed_story(blocks[cut - 1])
        cut -= 1
    return cut if listed else end


def _is_debris(block: Block) -> bool:
    """A character or two standing alone before the text (a box's title set one character a
    line): no article opens so."""
    return block.length <= 2 and block.punct == 0


def _is_slogan(block: Block) -> bool:
    return block.length < 20 and block.punct == 0


def _is_listed_story(block: Block) -> bool:
    """A line of a list of other stories left after the text: a bulleted headline, or one
    stamped with its date (·某某出新碟 (2005-04-27 18:03PM)), no sentence of its own."""
    if block.length >= 60 or _SENTENCE_END_RE.search(block.text):
        return False
    if block.text.startswith(("·", "•", "●", "◆", "■", "▪")):
        return True
    stamp = _STAMP_RE.search(block.text)
    return stamp is not None and cjk_count(block.text[: stamp.start()]) >= 4


# A sentence's end inside a line (not a headline's "!"): 。！？ followed by more text or closing.
_SENTENCE_END_RE = re.compile(r"[。？](?!$)|[。？！]$")
# A date stamp in brackets closing a listed headline: (2005-04-27 18:03PM), [01-12].
_STAMP_RE = re.compile(
    r"[(（\[]\s*(?:(?:19|20)\d{2}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?(?:\s+\d{1,2}:\d{2}\s*(?:[AP]M)?)?\s*[)）\]]\s*$",
    re.I,
)


def _is_edge_furniture(block: Block) -> bool:
    if block.length >= 160:
        return False
    if _PLAYER_RE.search(block.text) is not None or _NOTICE_PROMO_RE.search(block.text) is not None:
        return True
    # A promotion speaks to the reader; a report that names a microblog does not.
    return _PROMO_RE.search(block.text) is not None and _ADDRESS_RE.search(block.text) is not None


# The site addressing its readers: you, us, please, now, more, or a call to act opening the line.
_ADDRESS_RE = re.compile(
    r"我[们們]|[你您]|\b(?:us|you|our)\b|[欢歡]迎|[请請]|快[点點来來去]|立即|[马馬]上|第一[时時][间間]|即[时時]|[了瞭]解更多|更多|"
    r"^[←→▲▼►]?\s*(?:[关關]注|下[载載]|[扫掃]|[订訂][阅閱]|加入|按?[讚赞]|like|follow)",
    re.I,
)


_STOPS = ("。", "！", "？", ".", "!", "?")
_STOP_RE = re.compile(r"[。！？!?]")


def _without_repeats(blocks: list[Block]) -> list[Block]:
    """Drop short lines printed three times or more: watermarks and ad slogans
    stamped between paragraphs (an article does not repeat its sentences)."""
    counts: dict[str, int] = {}
    for block in blocks:
        # Sentences and table cells are spared: a stamp is a name or an
        # address, not a sentence, and tables legitimately repeat their cells.
        if block.length < 40 and block.tag not in ("td", "th", "li") and not block.text.endswith(_STOPS):
            counts[block.text] = counts.get(block.text, 0) + 1
    return [b for b in blocks if counts.get(b.text, 0) < 3]


def _opens_comments(block: Block, kept: list[Block]) -> bool:
    """A "Comments" heading, or the first reader's comment, after some article text (not a
    toolbar link)."""
    heading = block.length < 30 and _COMMENTS_HEADING_RE.match(block.text) is not None
    opener = block.length < 90 and _COMMENT_OPENER_RE.match(block.text) is not None
    if block.link_density > 0.5 or not (heading or opener):
        return False
    return sum(1 for b in kept if b.punct > 0) >= 2


def _region_blocks(layout: Layout, roots: list[HtmlElement]) -> list[Block]:
    spans = _spans(layout, roots)
    order = layout.order
    found: list[Block] = []
    for block in layout.blocks:
        position = order.get(block.owner, -1)
        for start, end in spans:
            if start <= position <= end:
                found.append(block)
                break
    return found


def _is_furniture(block: Block) -> bool:
    """Link lists, share bars, copyright lines, stray labels, and lines without a word
    (separators, and the debris a mangled snippet leaves: ``">``)."""
    if block.link_density > 0.5 or (block.link_density > 0.3 and block.punct == 0):
        return True
    if not any(character.isalnum() for character in block.text):
        return True
    if block.length < 80 and (_BOILERPLATE_RE.search(block.text) or _BARE_URL_RE.match(block.text)):
        return True
    if block.length < 400 and is_notice(block):
        return True
    return block.tag in HEADINGS and block.link_density > 0.0 and block.length < 40


def _excluded_in_region(layout: Layout, roots: list[HtmlElement]) -> set[HtmlElement]:
    """Elements below the region roots inside a comment/share/related/poll
    container or a form (a poll, a comment box), unless that container holds
    half the region's prose (then it is a wrapper with an unlucky name)."""
    region_punct = sum(t.punct for t in (layout.totals.get(r) for r in roots) if t)
    spans = _spans(layout, roots)
    excluded: set[HtmlElement] = set()
    containers = [(e, w, c) for e, (w, c) in _verdicts(layout).items() if w < 0]
    containers += [(form, -1.0, True) for root in roots for form in root.iter("form") if form is not root]
    for element, _, strong in containers:
        position = layout.order.get(element, -1)
        if element in roots or not any(start < position <= end for start, end in spans):
            continue
        totals = layout.totals.get(element)
        if strong or totals is None or totals.punct * 2 < region_punct:
            excluded.update(element.iter())
    return excluded


def _spans(layout: Layout, roots: list[HtmlElement]) -> list[tuple[int, int]]:
    return [(layout.order[r], layout.end[r]) for r in roots if r in layout.order]
