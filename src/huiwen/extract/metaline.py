"""Stage 6a: the outlet a meta line names without a label.

Under the headline most templates print one "meta line": the time, then the outlet — a link or
a span (``2024年05月10日 00:26 <a class="source">某某日报</a>``), an account name (``经济日报``
over ``2024-05-13 06:16 发布于北京``), or the outlet glued to the date (``某某站2016年10月14日``)
or to a reporter (``【某某晚報╱記者某某／報導】``).  No label says which piece is the outlet, so
every piece of the lines between the headline and the body is scored by what it looks like and
where it stands:

* its element or the line's names it (``source``, ``media``, ``from``, ``origin``…),
* it shares its line with a date, or stands right before a reporter's label,
* it ends like an outlet's name (…报, …网, …社, …台, …新闻, …号…),

and loses when it reads as a person's name (two or three Han characters and nothing else), or
when the page's menus link the same words (a channel name).  Dates, times, labelled parts
(作者：…, 发布于…, 阅读 123) and tool words are cut from the pieces first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC

from lxml import etree

from . import dates
from .blocks import BLOCK_TAGS, Block, Layout
from .dom import HtmlElement, is_hidden
from .metadata import is_outlet
from .names import is_person_name
from .text import collapse

# Where a piece stops being the outlet: a label starts another field (the piece before it may
# still be the outlet: "新京报作者：…", "聯合報 記者…").
_LABEL_RE = re.compile(
    r"(来源|來源|稿源|出处|出處|作者|撰文|记者|記者|编辑|編輯|责编|責編|责任编辑|責任編輯|发布于|發布於|发表于|發表於|"
    r"来自|來自|IP\s*属地|IP\s*屬地|属地|浏览|瀏覽|阅读|閱讀|点击|點擊|评论|評論|字号|字號|字体|字體|分享|收藏|举报|"
    r"檢舉|打印|列印|关注|關注|订阅|訂閱|时间|時間|日期|发布|發布|更新|摄影|攝影|图片|圖片|原标题|原標題|视频|播放|报道|報導)"
)
_REPORTER_LABELS = frozenset(["记者", "記者", "作者", "撰文", "报道", "報導"])
_TIME_RE = re.compile(
    r"\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?|星期[一二三四五六日天]|週[一二三四五六日]|周[一二三四五六日]|"
    r"上午|下午|凌晨|晚上|(?<![A-Za-z])[AaPp]\.?[Mm](?![A-Za-z])\.?|(?<![A-Za-z])(?:HKT|CST|GMT|UTC|BJT)(?![A-Za-z])|\d{4}\s*年|\d{1,2}\s*月\s*\d{1,2}\s*日|"
    r"[\u4e00-\u9fff]{0,6}\d{1,2}\s*日\s*[电電讯訊]"
)
_EDGES = " \t[]【】()（）<>〈〉《》|｜/／\\╱·•-—–_:：,，.。;；'\"“”「」+*#"
_OUTLET_END_RE = re.compile(
    r"(报|報|网|網|社|台|刊|新闻|新聞|频道|頻道|杂志|雜誌|在线|在線|号|號|传媒|傳媒|媒体|媒體|站|中心|发布|發布|"
    r"观察|觀察|财经|財經|日报|時報|时报|周刊|週刊|电视|電視|广播|廣播|客户端|客戶端|News|NEWS|Daily|Times|Post|TV)$"
)
# Chinese meta lines separate their fields by spaces: a space next to a Han character ends a piece.
_FIELD_GAP_RE = re.compile(r"\s{2,}|[|｜]|(?<=[\u4e00-\u9fff》」）)])\s+|\s+(?=[\u4e00-\u9fff《「（(])")
# "This paper", "this site": the page speaking of itself, not a name.
_SELF_RE = re.compile(r"^(本报|本報|本网|本網|本站|本台|本刊|本社|本频道|本頻道)")
_PROSE_RE = re.compile(r"[，。！？；]")
# 首页 > 新闻 > 正文: a breadcrumb names the site and its channels, never the 来源.
_BREADCRUMB_RE = re.compile(r"[>»›→].*[>»›→]|^\s*(?:您的位置|你的位置|当前位置|當前位置|位置)\s*[:：]")
_LABEL_CELL_RE = re.compile(r"^[\u4e00-\u9fff ]{1,6}\s*[:：]\s*$")
# 吉政明电〔2022〕1号, 第3号: a document's number, not an account (…号).
_DOCUMENT_NUMBER_RE = re.compile(r"[〔\[(（【]\s*(?:19|20)\d{2}\s*[〕\])）】]|\d+\s*[号號]$")
_URL_RE = re.compile(r"^(https?://|www\.)", re.I)
# Two Latin letters are a label ("Ad", "TV"), not an outlet's name.
_SHORT_LATIN_RE = re.compile(r"^[A-Za-z]{1,2}$")
_PERSON_RE = re.compile(r"^[\u4e00-\u9fff]{2,3}$")
_HAN_OR_WORD_RE = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]{2}")
_CLASS_RE = re.compile(
    r"source|media|from|origin|laiyuan|copyfrom|account|publisher|brand|provider|author|\bly\b|\bwhere\b", re.I
)
# A reporter's own slot in the meta line: an unlabelled name there is the author.
_PERSON_CLASS_RE = re.compile(r"author|\bauth\b|reporter|writer|journalist|byline|rp_?name|zuozhe|jizhe", re.I)
# A reporter's role, alone or glued to the name (实习生 唐雨, 通讯员张某): a person's credit in the
# author slot, never the outlet, however the slot is named.
_ROLE_RE = re.compile(
    r"^(?:实习生|實習生|通讯员|通訊員|见习记者|見習記者|特约记者|特約記者|摄影记者|攝影記者)(?:[\u4e00-\u9fff]{2,4})?$"
)
_TOOL_WORDS = frozenset(
    [
        "分享",
        "收藏",
        "举报",
        "打印",
        "关注",
        "订阅",
        "评论",
        "字体",
        "字号",
        "大",
        "中",
        "小",
        "原创",
        "转载",
        "置顶",
        "热",
        "最新",
        "查看",
        "复制",
        "链接",
        "返回",
        "首页",
        "正文",
        "扫码",
        "下载",
        "客户端",
        "听新闻",
        "朗读",
        "纠错",
        "网友评论",
        "我要评论",
        "微博",
        "微信",
        "QQ空间",
        "更多",
        "阅读全文",
        "展开",
        "收起",
        "大字",
        "小字",
        "A",
        "A-",
        "A+",
        "繁體",
        "简体",
        "繁体",
        "English",
    ]
)


@dataclass(frozen=True)
class Outlet:
    name: str
    confidence: float


def outlet(zone: list[Block], layout: Layout, menu_words: set[str], headline: str | None) -> Outlet | None:
    """The best-scoring outlet piece of the lines in ``zone`` (headline to body), if any scores enough."""
    best: tuple[int, str] | None = None
    seen: set[HtmlElement] = set()
    dated_lines = _dated_lines(zone, layout)
    for block in zone:
        if block.length > 80 or block.owner in seen or _holds_prose(block, layout):
            continue
        if _BREADCRUMB_RE.search(block.text) or _after_other_label(block, layout):
            continue  # the site and its channels; the value of another field (发文字号：…)
        if _in_caption(block.owner, layout):
            continue  # a picture's legend and credit (Podcast © FMM), not the article's outlet
        seen.add(block.owner)
        dated = block.owner in dated_lines
        line_named = _named(block.owner, layout)
        for piece, element, before_reporter in _pieces(block.owner):
            score = _score(piece, element, block.owner, layout, dated, line_named, before_reporter, menu_words)
            if score is not None and piece != headline and (best is None or score > best[0]):
                best = (score, piece)
    if best is None or best[0] < 2:
        return None
    return Outlet(best[1], min(0.85, 0.45 + 0.1 * best[0]))


def _in_caption(owner: HtmlElement, layout: Layout) -> bool:
    node: HtmlElement | None = owner
    for _ in range(4):
        if node is None:
            return False
        if node.tag in ("figcaption", "figure"):
            return True
        node = layout.parent.get(node)
    return False


def _after_other_label(block: Block, layout: Layout) -> bool:
    """The block is the value cell of a label standing in the cell before it."""
    if block.index == 0:
        return False
    before = layout.blocks[block.index - 1]
    return before.length <= 8 and _LABEL_CELL_RE.match(before.text) is not None


def _holds_prose(block: Block, layout: Layout) -> bool:
    """The line's element holds paragraphs of its own cut by <br>: its short line sits among
    the article's sentences (keyword links inside them are no outlets).  Nested paragraphs
    (``<div><p>…</p></div>``) are theirs, not the line's."""
    owner, own = block.owner, 0
    for other in layout.blocks[max(0, block.index - 30) : block.index + 30]:
        if other.owner is owner:
            own += other.length
    return own > 240


def _dated_lines(zone: list[Block], layout: Layout) -> set[HtmlElement]:
    """The lines that hold a date, and their siblings: a meta line split into items (``<li>``
    date, ``<li>`` outlet) is still one line."""
    dated = {b.owner for b in zone if b.length <= 80 and dates.parse(b.text, UTC) is not None}
    parents = {layout.parent.get(e) for e in dated} - {None}
    return dated | {b.owner for b in zone if layout.parent.get(b.owner) in parents}


def reporter(zone: list[Block], layout: Layout) -> str | None:
    """An unlabelled person's name in the meta line's reporter slot (``class="author"``)."""
    for block in zone:
        if block.length > 60:
            continue
        for piece, element, _ in _pieces(block.owner):
            person = _PERSON_RE.match(piece) and is_person_name(piece) and not is_outlet(piece)
            if person and _slot_named(element, block.owner, layout):
                return piece
    return None


def _slot_named(element: HtmlElement, owner: HtmlElement, layout: Layout) -> bool:
    node: HtmlElement | None = element
    for _ in range(4):
        if node is None:
            return False
        if any(w and _PERSON_CLASS_RE.search(w) for w in (node.get("class"), node.get("id"))):
            return True
        if node is owner:
            return False
        node = layout.parent.get(node)
    return False


def _score(
    piece: str,
    element: HtmlElement,
    owner: HtmlElement,
    layout: Layout,
    dated: bool,
    line_named: bool,
    before_reporter: bool,
    menu_words: set[str],
) -> int | None:
    if not 2 <= len(piece) <= 20 or piece in _TOOL_WORDS or not _HAN_OR_WORD_RE.search(piece):
        return None
    if _SELF_RE.match(piece) or _URL_RE.match(piece) or _SHORT_LATIN_RE.match(piece):
        return None  # 本报, 本网: the page's own outlet by a pronoun; a bare address
    if _DOCUMENT_NUMBER_RE.search(piece):
        return None
    named = line_named or _named_between(element, owner, layout)
    if not (dated or named or before_reporter):
        return None
    score = (2 if named else 0) + (1 if dated else 0) + (1 if before_reporter else 0)
    if piece.startswith("《") and piece.endswith("》"):
        score += 1  # a title-marked name in a meta line is a publication
    elif _OUTLET_END_RE.search(piece) or is_outlet(piece) or _links_home(element):
        score += 1  # …网, …日报; or a link to a site's home page: outlets link to theirs
    elif _PERSON_RE.match(piece):
        score -= 1
    if piece in menu_words:
        score -= 2
    return score


def _links_home(element: HtmlElement) -> bool:
    return element.tag == "a" and _HOME_URL_RE.match(element.get("href") or "") is not None


# http://www.example.com/ : a site's home page, no path.
_HOME_URL_RE = re.compile(r"^\s*(?:https?:)?//[^/?#\s]+/?\s*$", re.I)


def _named(element: HtmlElement, layout: Layout) -> bool:
    """The line's element (or its parent) is named as the source or media slot."""
    parent = layout.parent.get(element)
    words = [element.get("class"), element.get("id")]
    if parent is not None:
        words += [parent.get("class"), parent.get("id")]
    return any(w and _CLASS_RE.search(w) for w in words)


def _named_between(element: HtmlElement, owner: HtmlElement, layout: Layout) -> bool:
    """An inline element from the piece up to the line is named as the source slot."""
    node: HtmlElement | None = element
    for _ in range(4):
        if node is None or node is owner:
            return False
        if any(w and _CLASS_RE.search(w) for w in (node.get("class"), node.get("id"))):
            return True
        node = layout.parent.get(node)
    return False


def _pieces(owner: HtmlElement) -> list[tuple[str, HtmlElement, bool]]:
    """The line's text cut at its inline elements, dates and labels: (piece, element, whether a
    reporter's label follows it)."""
    found: list[tuple[str, HtmlElement, bool]] = []
    for text, element in _texts(owner):
        if len(text) > 40 and _PROSE_RE.search(text):
            continue  # a sentence of the text sharing the line's element, not a meta-line item
        for part in _without_times(text):
            label = _LABEL_RE.search(part)
            head = part[: label.start()] if label else part
            before_reporter = label is not None and label.group(1) in _REPORTER_LABELS
            credit = False  # 实习生 唐雨: a role and the names after it credit a person
            for word in _FIELD_GAP_RE.split(head):
                piece = _clean(word)
                credit = credit or bool(_ROLE_RE.match(piece))
                if piece and not (credit and (_ROLE_RE.match(piece) or _PERSON_RE.match(piece))):
                    found.append((piece, element, before_reporter))
    return found


def _without_times(text: str) -> list[str]:
    """The text with its dates and times cut out, as the parts between them."""
    spans = [(m.start(), m.end()) for m in dates.NUMERIC_RE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _TIME_RE.finditer(text)]
    parts, position = [], 0
    for start, end in sorted(spans):
        if start > position:
            parts.append(text[position:start])
        position = max(position, end)
    parts.append(text[position:])
    return [p for p in parts if p.strip()]


def _clean(word: str) -> str:
    piece = collapse(word).strip(_EDGES)
    whole = collapse(word).strip(" |｜/／·•-—:：,，")
    if whole.startswith("《") and whole.endswith("》"):
        return whole  # a newspaper's title marks are part of how it is credited
    halves = re.split(r"\s*[╱/／]\s*", piece)
    if len(halves) == 2 and halves[0] == halves[1]:
        piece = halves[0]  # 某某新聞╱某某新聞: the outlet in the reporter's place too
    for suffix in ("官方账号", "官方帳號", "官方号", "官方帐号"):
        if piece.endswith(suffix) and len(piece) > len(suffix) + 1:
            piece = piece[: -len(suffix)]
    return piece


def _texts(owner: HtmlElement) -> list[tuple[str, HtmlElement]]:
    """Text nodes of the line with the element holding each, nested blocks and hidden parts left out."""
    found: list[tuple[str, HtmlElement]] = []
    walk = etree.iterwalk(owner, events=("start", "end"))
    stack: list[HtmlElement] = []
    for event, element in walk:
        if event == "start":
            if element is not owner and (element.tag in BLOCK_TAGS or is_hidden(element)):
                walk.skip_subtree()
                if element.tail and stack:
                    found.append((element.tail, stack[-1]))
                continue
            stack.append(element)
            if element.text:
                found.append((element.text, element))
        else:
            if stack and stack[-1] is element:
                stack.pop()
                if element is not owner and element.tail and stack:
                    found.append((element.tail, stack[-1]))
    return [(t, e) for t, e in found if t.strip()]
