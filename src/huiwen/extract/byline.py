"""Stage 5b: the fields printed around the headline and the body.

Chinese templates put one "info line" under the headline (``2023年11月10日
08:30 来源：人民网-人民日报``), the 责编 line after the body and the print
citation (``《人民日报》（2023年11月10日 第03版）``) at either end.  These
are read from the blocks near the headline and at the ends of the body,
never from a site-specific place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, tzinfo
from itertools import pairwise
from typing import TypeVar

from . import dates, metaline
from .blocks import Block, Layout
from .body import Body, is_editing_prose, without_leading_captions
from .metadata import is_outlet, split_names
from .names import DAMAGED, as_shown, is_person_name, mended, split_glued
from .provenance import DATELINE, LABEL, META_LINE, Provenance
from .text import nfkc_key

T = TypeVar("T")

# The value: a name of several Latin words (Orchard of Apps), or up to the next field (a space, a bar,
# a bracket, a comma), with a second name after a dash (人民网-人民日报) and a short remark in
# brackets kept as written (财华社(深圳), 某网(综合)).
_SOURCE_VALUE = (
    r"((?:[A-Z][A-Za-z0-9&.'’-]*(?: (?:of|the|and|for|[A-Z][A-Za-z0-9&.'’-]*)){1,4}(?![A-Za-z0-9&.'’-])|"
    r"[^\s|｜【】\[\]()（）:：，,;；。]{1,30})(?:\s?[-—]\s?[^\s|｜【】\[\]()（）:：，,;；。]{1,20})?"
    r"(?:[(（][^\s()（）:：，,]{1,6}[)）])?)"
)
_SOURCE_RE = re.compile(
    r"(?:(?:来源|來源|稿源|出处|出處|消息来源|文章来源|本文来源|信息来源|資料來源|资料来源)\s*[:：|｜]|"
    r"(?:摘自|转自|轉自|转载自|轉載自|本文来源于|本文來源於|来源于)\s*[:：]?)\s*" + _SOURCE_VALUE
)
# 时间 2012-1-12 来源 某某网, 素材来源 某某: in a short line the label may stand without a colon.
_SOURCE_SPACED_RE = re.compile(
    r"(?:^|\s)(?:素材|稿件|新闻|新聞|文章|内容|內容|信息|图文|圖文|消息)?(?:来源|來源|稿源)\s+" + _SOURCE_VALUE
)
# 作者：某某晚报 (the slot holding an outlet or account rather than a person).
_AUTHOR_SLOT_RE = re.compile(r"(?:作者|作 者)\s*[:：]\s*([^\s:：|｜()（）]{2,20})")
# 来源 values that name no outlet: the page only says it was reprinted, or from the web.
_GENERIC_SOURCE_RE = re.compile(
    r"^(转载文章|轉載文章|转载|轉載|网络|網絡|網路|互联网|互聯網|网友投稿|網友投稿|综合|綜合|未知|不详|佚名)$"
)
_SOURCE_STOP_RE = re.compile(
    r"(作者|编辑|責任|责任|时间|日期|发布(?=时间|時間|日期|于|於|[:：])|点击|字号|记者|浏览|阅读|参与互动|我要评论|"
    r"\d{4}[-年/]).*$"
)
# The value stops where the next label of any kind starts ("编辑：甲 责任编辑：乙").
# (Every editor pattern's label holds 编, 編, 选 or 選: _EDITOR_WORD_RE scans for them first.)
_EDITOR_RE = re.compile(
    r"(责任编辑|责编|責任編輯|責編|责任编审|网络编辑|網絡編輯|编辑|編輯|选稿|選稿)\s*[:：]\s*"
    r"((?:(?!责任编辑|责编|責任編輯|責編|网络编辑|網絡編輯|编辑|編輯|选稿|選稿)[^()（）\[\]【】]){1,40})"
)
# The stronger label wins when a line has several: 编辑：甲 责任编辑：乙 → 乙.
_EDITOR_RANK = {"责任编辑": 0, "責任編輯": 0, "责编": 0, "責編": 0, "责任编审": 1}
# （松花江网编辑 孙桂芳）: an outlet's editor credited in a bracket after the text.
_EDITOR_CREDIT_RE = re.compile(r"[(（][^()（）]{0,12}?(?:编辑|編輯|责编|責編)\s+([\u4e00-\u9fff]{2,4})\s*[)）]")
# System codes standing for (or after) a name: SN034, PN031, 李曦_NN2587, robot.
_EDITOR_CODE_RE = re.compile(r"^(?:[A-Za-z]{1,4}\d{2,}|robot|newsroom)$|[_\s]+[A-Za-z]{1,4}\d{2,}$", re.I)
# A 责编 line anywhere on the page: short, and nothing but the label and names.
_EDITOR_LINE_RE = re.compile(r"^[\[【(（•·]?\s*(?:责任编辑|責任編輯|责编|責編)\s*[:：]")
# "(曹文明 编辑)": the name before the word, as Taiwanese and HK wires write it.
_EDITOR_AFTER_NAME_RE = re.compile(r"[(（]\s*([\u4e00-\u9fff]{2,4})\s*(?:编辑|編輯|责编|責編)\s*[)）]")
# "責任編輯 呂放": a line of its own, the label and the name apart.
_EDITOR_SPACED_RE = re.compile(r"^\s*(?:责任编辑|責任編輯|责编|責編)\s+(\S{2,4}(?:[、\s]\S{2,4})*)\s*$")
_EDITOR_TAIL_RE = re.compile(r"\s*[(（\[【]\s*(?:责任编辑|责编|責任編輯|責編)\s*[:：][^)）\]】]{1,40}[)）\]】]\s*$")
_NAME_STOP_RE = re.compile(r"\s*(来源|來源|作者|时间|日期|记者|责任|責任|编辑|編輯|校对|审核|选稿|[:：]).*$")
# 作者：X / 记者 X、Y / 新京报记者 X / （记者X）/ 文/X; the name must end at a
# space, a bracket, a slash or 报道/摄, which keeps "记者来到现场" out.
# (A label added here goes into _AUTHOR_WORD_RE too: that scan runs first.)
_AUTHOR_RE = re.compile(
    r"(?:作者|撰文|撰稿|执笔人|執筆人|执笔|執筆|采写|採寫|编译|編譯|(?:^|[\s(（【\[〔、|｜■◎●])文\s*[/／╱:：|｜]|記者|记者|实习生|實習生|"
    r"通讯员|通訊員|(?:^|[\s(（【\[〔。！？])(?:報導|报道|採訪|采访)\s*[╱/／])\s*[:：/／╱|｜]?\s*"
    # A two-character name may be padded to the width of three (王乐文  方  敏), anywhere in the list.
    r"((?:[\u4e00-\u9fff·]{2,9}|[\u4e00-\u9fff]\s{1,3}[\u4e00-\u9fff](?![\u4e00-\u9fff]))"
    r"(?:[、，,\s]+(?:[\u4e00-\u9fff·]{2,9}|[\u4e00-\u9fff]\s{1,3}[\u4e00-\u9fff](?![\u4e00-\u9fff]))){0,5})"
    r"(?=$|[\s)）】\]/／]|报道|報導|摄|攝|综合|发自|發自|[\u4e00-\u9fff]{2,4}\d{1,2}日[电電])"
)
# （姚峰 上海报道）, （張文祿報導）: the name, then (perhaps) where the report was filed.
_FILED_FROM_RE = re.compile(r"[（(]\s*([\u4e00-\u9fff]{2,4})(?:\s+[\u4e00-\u9fff]{2,8})?(?:报道|報導)\s*[)）]")
# 某某廣播電台張翠報導: a short line of the outlet, the reporter and 报道, glued together.
_GLUED_FILED_RE = re.compile(
    r"^\s*[\u4e00-\u9fff]{2,12}?(?:台|社|报|報|网|網|刊)([\u4e00-\u9fff]{2,3})\s*(?:报道|報導)\s*$"
)
# 【邱俊吉╱台北報導】: the Taiwanese bracket byline, name and place.
_BRACKET_FILED_RE = re.compile(
    r"[【\[〔(（]\s*([\u4e00-\u9fff]{2,4}(?:[、，][\u4e00-\u9fff]{2,4}){0,3})\s*[╱/／]\s*[\u4e00-\u9fff]{2,8}(?:报道|報導)"
    r"\s*[】\]〕)）]"
)
# 中国网1月17日讯（王文远）: the dateline's bracket after 讯/电.
_DATELINE_RE = re.compile(
    r"^.{0,30}?(?:讯|訊|电|電|消息)\s*[（(]\s*([\u4e00-\u9fff]{2,4}(?:[、\s]+[\u4e00-\u9fff]{2,4}){0,3})\s*[)）]"
)
# A paragraph opening with a dateline and its reporters: 湖南日报12月15日讯(记者 X 通讯员 Y).
_DATELINE_OPENING_RE = re.compile(
    r"^.{0,30}?(?:讯|訊|电|電|消息|报道|報導)\s*[（(]\s*[^()（）]{0,12}?(?:记者|記者|通讯员|通訊員|实习生|實習生)"
)
# The reporters' bracket of a dateline: …5月3日讯(记者林晓 通讯员贺明远).
_DATELINE_BRACKET_RE = re.compile(
    r"(?:讯|訊|电|電|消息)\s*[（(]\s*[^()（）]{0,12}?(?:记者|記者|通讯员|通訊員|实习生|實習生)[^()（）]{1,40}[)）]"
)
# A credit closing the last paragraph: （李欣）, (新民网 李欣), (全景网/陈祎), （ｅｗ）.
# ...after the sentence ends: "…服务点。（梁秋实）", not "…服务点（见附图）".
_CREDIT_RE = re.compile(r"(?:^|[。！？!?.…”」』])\s*[（(]([^()（）]{2,24})[)）]\s*$")
# Not names: what such brackets also hold.
_NOT_NAMES = frozenset(
    [
        "完",
        "待续",
        "未完",
        "未完待续",
        "续",
        "全文完",
        "图",
        "组图",
        "图文",
        "上",
        "中",
        "下",
        "本报讯",
        "综合",
        "综述",
        "摘编",
        "编译",
        "整理",
        "原创",
        "转载",
        "资料图",
        "视频",
        "記者",
        "记者",
        "通讯员",
        "通訊員",
        "实习生",
        "實習生",
        "见习记者",
        "特约记者",
        "特約記者",
        "摄影",
        "攝影",
        "编辑",
        "編輯",
        "责编",
        "責編",
        "文",
        "图片",
        "圖片",
    ]
)
# 来源：资料图 under a photo: the picture's credit, not the article's.
_PICTURE_RE = re.compile(r"^(资料图|資料圖|图片|圖片|截图|截圖|示意图|示意圖|视频截图|視頻截圖|图|圖)")
# 〔中央社〕… / 中国网1月17日讯 / 新华社北京11月10日电: an outlet opening the text.
_CJK_RUN_RE = re.compile(r"[\u4e00-\u9fff]+")
_DATELINE_OUTLET_RE = re.compile(
    r"^\s*(?:[〔【\[]\s*([^〔〕【】\[\]]{2,10}?)\s*[〕】\]]|[（(]\s*([^()（）]{2,10}?)\s*[)）]\s*[-–—]|[（(]?\s*"
    r"([\u4e00-\u9fff]{2,8}?)(?:[\u4e00-\u9fff]{2,4})?\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日\s*(?:讯|訊|电|電))"
)
# 记者/钟啸 通讯员/王海军: the slash after a role is read as a space.
_ROLE_SLASH_RE = re.compile(r"(记者|記者|通讯员|通訊員|实习生|實習生)\s*[/／]")
# Roles run together with the names around them (许知远邵可欣摄影韩东): set apart.
_GLUED_ROLES = "摄影|攝影|通讯员|通訊員|实习生|實習生"
_ROLE_GLUED_RE = re.compile(rf"(?<=[\u4e00-\u9fff])({_GLUED_ROLES})(?=[\u4e00-\u9fff])")
# A role glued before a name: 记者喻云亮, 通讯员王海军.
_ROLE_PREFIX_RE = re.compile(r"^(?:记者|記者|实习生|實習生|通讯员|通訊員)(?=[\u4e00-\u9fff]{2,4}$)")
# Roles between names in a byline: the people after 摄/摄影 are photographers, not authors.
_ROLE_RE = re.compile(r"^(?:.{0,8}?(?:记者|記者))?(通讯员|通訊員|实习生|實習生|见习|見習|特约|特約|综合|整理)$")
_PHOTO_RE = re.compile(r"(摄影|攝影|摄|攝|图|圖)$")
# What a name token glued to its end says it is not: a photographer (张三摄), a place (嘉義報導),
# a role done after the name (李艳撰稿).
_NOT_A_NAME_END_RE = re.compile(r"(摄|攝|摄影|攝影|报道|報導|撰稿|编制|編製|整理|供稿|供图|供圖)$")
# A token opening with where the report came from, a picture's mark, or where the reporter went (the
# sentence going on: 记者在北京报道, 记者赴新竹採訪) is no name either; 于 stays a name, a common surname.
_NOT_A_NAME_START_RE = re.compile(r"^(发自|發自|来自|來自|图|圖|摄|攝|在|正在|赴|前往|从|從)")
# （李艳 撰稿）, (李军伟 编译), （立悟/编译）: the name first, then what the person did.
# A writer's label before a picture credit on the same line (文/张三 图/李四).
_WRITER_LABEL_RE = re.compile(r"(?:^|[\s(（【\[〔■□●◎|｜])(?:文|作者|撰文)\s*[/／:：|｜]")
# 作者：Skyler, 文/kenji: a pen name in Latin letters after an explicit label.
_LATIN_AUTHOR_RE = re.compile(
    r"(?:^|[\s(（【\[〔■□●◎|｜])(?:(?:作者|撰文|文)\s*[/／:：|｜]|(?:记者|記者)\s*[:：])\s*"
    r"([A-Za-z][A-Za-z.'’-]{1,20}(?: [A-Z][A-Za-z.'’-]{1,20}){0,2})"
    r"(?=$|[\s(（)）|｜】\]])"
)
# 林晓川/文, 林晓川 文, 文/图 林晓川, 图文/林晓川: the writer named before or after the word.
# Not 全文, 原文, 正文 (文章全文: a link to the full text, no writer).
_NAME_THEN_TEXT_RE = re.compile(
    r"^[\s■□●◎【\[(（]*([\u4e00-\u9fff]{2,4})\s*[/／]?\s*(?<![全原正])文\s*[】\])）]?$"
)
_TEXT_AND_PICTURES_RE = re.compile(
    r"(?:^|[\s(（【\[〔■□●◎])(?:文\s*[/／]\s*图|文图|图文|文\s*[/／]\s*圖|文圖|圖文)\s*[/／:：|｜]?\s*"
    r"([\u4e00-\u9fff]{2,4}(?:[、\s]+[\u4e00-\u9fff]{2,4}){0,3})\s*$"
)
_ROLE_AFTER_RE = re.compile(
    r"[（(]\s*([\u4e00-\u9fff]{2,4}(?:[、\s]+[\u4e00-\u9fff]{2,4}){0,3})\s*[/／]?\s*"
    r"(?:撰稿|撰文|编译|編譯|采写|採寫|整理|(?<=[\s/／])文)\s*[)）]"
)
# 邱俐穎／台北報導, 王嘉源／綜合報導: the reporter and where the report was filed, no role word.
_NAME_FILED_RE = re.compile(
    r"(?:^|[\s【\[〔])([\u4e00-\u9fff]{2,3})\s*[╱/／]\s*[\u4e00-\u9fff]{2,8}(?:报道|報導)(?=$|[\s】\]〕])"
)
# 【（李文远／南岸市）】: a reader's or contributor's name and home town, in brackets.
_NAME_PLACE_RE = re.compile(
    r"^[【\[〔]?\s*[（(]\s*([\u4e00-\u9fff]{2,3})\s*[╱/／]\s*[\u4e00-\u9fff]{2,8}\s*[)）]\s*[】\]〕]?$"
)
# …避免久看螢幕。報導╱林明真、張佩如, …价格等。记者祝勇: the byline closing the last paragraph.
_CLOSING_BYLINE_RE = re.compile(
    r"[。！？!?”」]\s*(?:(?:報導|报道|撰文|採訪|采访)\s*[╱/／]|记者|記者)\s*"
    r"([\u4e00-\u9fff]{2,4}(?:[、，,\s]+[\u4e00-\u9fff]{2,4}){0,4})\s*$"
)
# 中廣新聞／陳奕華, 【某某醒報／林小芳】: the outlet and its reporter, no role word between them.
_OUTLET_SLASH_NAME_RE = re.compile(
    r"^\s*[【\[〔]?\s*([^\s【】\[\]〔〕/／╱]{2,12}?)\s*[╱/／]\s*([\u4e00-\u9fff]{2,4})\s*[】\]〕]?\s*$"
)
# 文 官小盈: the writer's word and the name, a space between, on a line of their own.
_TEXT_SPACE_NAME_RE = re.compile(r"^\s*[文]\s+([\u4e00-\u9fff]{2,4})\s*$")
# 2012/1/17 蔡崇梧 報導: a name standing alone before 报道 at the end of a short line.
_NAME_THEN_REPORT_RE = re.compile(r"(?:^|\s)([\u4e00-\u9fff]{2,3})\s+(?:报道|報導)\s*$")
# A sentence: mid-text lines holding one are prose, not bylines.
_SENTENCE_RE = re.compile(r"[。！？!?；;，]")
# A caption's credit for the picture: 图/本报记者 张三, 新华社记者 张三 摄 (each holds 图/圖/摄/攝,
# which _PICTURE_WORD_RE scans for first).
_PICTURE_CREDIT_RE = re.compile(
    r"(?:^|[\s(（【\[。，,.;；])(?:图|圖|图片|圖片|图表|圖表|摄影|攝影)\s*[/／:：|｜]|"
    r"[\u4e00-\u9fff]\s*(?:摄|攝)\s*[)）]?\s*$|[/／╱\s](?:摄影|攝影)\s*[)）]?\s*$"
)
# 文并摄, 文/摄, 文图 closing a byline: the writer took the pictures too (each holds 文, looked for first).
_WROTE_AND_SHOT_RE = re.compile(
    r"\s+(?:文并摄|文並攝|文\s*[/／]\s*[摄攝]|文\s*[/／]\s*[图圖]|文[图圖]|[图圖]文)\s*[)）]?\s*$"
)
# The picture's credit under its own label (摄影：李四, 图/李四), apart from the writer's.
_PICTURE_LABEL_RE = re.compile(r"[\s(（【\[。，,.;；]?\s*(?:图|圖|图片|圖片|图表|圖表|摄影|攝影)\s*[/／:：|｜]")
_REPORTER_LABEL_RE = re.compile(r"(?:记者|記者)\s*[:：/／|｜\s]")
# Who else a byline credits after the writers: editors, proofreaders, producers.
_OTHER_ROLES = "编辑|編輯|校对|校對|审核|審核|责编|責編|监制|監製|统筹|統籌|策划|策劃|摄像|攝像|制图|製圖|设计|設計"
_OTHER_ROLE_RE = re.compile(rf"(?:^|(?<=[\s|｜]))[\u4e00-\u9fff]{{0,4}}?(?:{_OTHER_ROLES})(?=\s|[:：|｜/／]|$)")
# A reporter's role: what a byline standing between paragraphs must name.
_REPORTER_RE = re.compile(r"记者|記者|通讯员|通訊員|实习生|實習生|报道|報導")
_PERSON_NAME_RE = re.compile(r"^(?:[\u4e00-\u9fff·]{2,4}|[A-Za-zＡ-Ｚａ-ｚ]{2,3})$")
_OUTLET_NAME_RE = re.compile(
    r"(报|報|网|網|社|台|刊|新闻|新聞|频道|頻道|杂志|雜誌|在线|在線|号|號|传媒|傳媒|媒体|媒體|站|中心|日报|时报|時報|周刊|"
    r"週刊|电视|電視|广播|廣播|客户端|客戶端|部落|博客|中国|中國|财经|財經|资讯|資訊|视频|視頻)$"
)
# English bylines: "By Jane Doe", "By Jane Doe and John Roe".
_BY_RE = re.compile(
    r"^\s*(?:[Bb]y|BY|[Ww]ritten by)\s+((?:[A-Z][\w.'’-]+\s*){1,4}(?:(?:,|and|&)\s*(?:[A-Z][\w.'’-]+\s*){1,4})*)",
)
_PRINT_RE = re.compile(
    r"《\s*([^《》]{2,20}?)\s*》\s*[（(]\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*"
    r"(?:第\s*)?(\d{1,3})\s*版\s*[)）]"
)
_DATE_LABEL_RE = re.compile(r"发布|發布|时间|時間|日期|发表|發表|更新|published|posted|updated", re.I)
# A time zone's name (美国东部时间: 06:40…, 北京时间 08:00): the time somewhere, as a site's header
# clock prints it, not a label saying when the article was published.
_ZONE_TIME_RE = re.compile(
    r"(?:北京|當地|当地|台北|臺北|香港|澳门|澳門|东京|東京|莫斯科|伦敦|倫敦|巴黎|纽约|紐約|格林尼治|格林威治|"
    r"美国?东部|美國?東部|美国?西部|美國?西部|美东|美東|美西|太平洋|中欧|中歐)(?:标准|標準|夏令)?[时時][间間]"
)


def _date_label(text: str) -> bool:
    return _DATE_LABEL_RE.search(_ZONE_TIME_RE.sub(" ", text)) is not None
_COPYRIGHT_YEAR_RE = re.compile(r"(19|20)\d{2}\s*[-–]\s*(19|20)\d{2}|©|copyright|版权", re.I)
_LEDE_LABEL_RE = re.compile(
    r"^[【\[]?\s*(导读|導讀|摘要|核心提示|内容提要|提要|导语|導語|编者按|編者按)\s*[】\]]?\s*[:：]?\s*"
)
_LEDE_CLASS_RE = re.compile(r"summary|lead|lede|abstract|intro|daodu|zhaiyao|digest|导读|摘要", re.I)

# Cheap scans before the costly patterns of a byline (a search that starts with a set of plain
# words runs in C at full speed; one that starts with ^ or a look-behind tries every position):
# each finds something that every match of its pattern contains, so a line without it is not
# searched at all.  Most lines read as candidate bylines are prose or page furniture.
_PICTURE_WORD_RE = re.compile("[图圖摄攝]")  # _PICTURE_CREDIT_RE
_LATIN_RE = re.compile("[A-Za-z]")  # _LATIN_AUTHOR_RE
_SLASH_RE = re.compile("[/／╱]")  # _ROLE_SLASH_RE, _OUTLET_SLASH_NAME_RE, _NAME_FILED_RE, _NAME_PLACE_RE
_GLUED_ROLE_WORD_RE = re.compile(_GLUED_ROLES)  # _ROLE_GLUED_RE
_OTHER_ROLE_WORD_RE = re.compile(_OTHER_ROLES)  # _OTHER_ROLE_RE
_EDITOR_WORD_RE = re.compile("[编編选選]")  # every label of editor_names (编辑, 責編, 选稿…)
_AUTHOR_WORD_RE = re.compile(  # _AUTHOR_RE (撰文 and 执笔人 hold 文 and 执笔)
    "作者|撰稿|执笔|執筆|采写|採寫|编译|編譯|文|記者|记者|实习生|實習生|通讯员|通訊員|報導|报道|採訪|采访"
)


@dataclass(frozen=True)
class PrintCitation:
    """Where the article stood in the printed newspaper."""

    newspaper: str
    date: date
    page: int


@dataclass
class Byline:
    published_at: datetime | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    print_citation: PrintCitation | None = None
    lede: str | None = None
    # How each visible field was read (provenance method, confidence).
    how: dict[str, Provenance] = field(default_factory=dict)
    # Whether the date stood in the lines between the headline and the body.
    dated_in_meta_line: bool = False
    # A person's name found in the 来源 slot (an author, when no byline names one).
    person_in_source: str | None = None


def read(layout: Layout, body: Body, title_block: Block | None, default_tz: tzinfo) -> Byline:
    """Read the visible fields around the headline and body; strip them from the body."""
    title_block = _anchor(layout, body, title_block)
    info = _info_zone(layout, body, title_block)
    byline = Byline()
    _read_date(byline, layout, body, title_block, default_tz)
    _read_source(byline, layout, info, body, title_block)
    near = _near_headline(layout, body, title_block)
    after = _after_body(layout, body)
    ending = body.blocks[-3:] + _last_prose(body.blocks, 2)
    byline.authors = _first_list(_authors, info + body.blocks[:3] + ending + near + after)
    # Several reports on one page, a byline printed between paragraphs: every credited
    # reporter is an author.
    for name in bylines_in_text(body.blocks):
        if name not in byline.authors:
            byline.authors.append(name)
    if byline.authors:
        # A name with a character the decoder lost is as printed, but the desk should look at it.
        damaged = any(DAMAGED in name for name in byline.authors)
        byline.how["authors"] = Provenance(LABEL, 0.5 if damaged else 0.85)
    elif opening := _names_line(body.blocks[0].text) if body.blocks else []:
        # 赵延东、风笑天 over an essay: the writers' names on a line of their own.
        byline.authors, byline.how["authors"] = opening, Provenance(DATELINE, 0.7)
        body.blocks = body.blocks[1:]
    else:
        _unlabelled_authors(byline, layout, info, body, after)
    byline.editors = _editors(body, layout, near)
    if byline.editors:
        byline.how["editor"] = Provenance(LABEL, 0.9)
    byline.print_citation = _first(_print_citation, info + body.blocks[-4:] + body.blocks[:2])
    byline.lede = _explicit_lede(info + body.blocks[:2])
    body.blocks = without_leading_captions(_without_meta_lines(body.blocks, byline))
    return byline


def _unlabelled_authors(byline: Byline, layout: Layout, info: list[Block], body: Body, after: list[Block]) -> None:
    """No byline: a person after the 来源 (来源：某网 X), the reporter's slot in the meta line,
    a credit closing the text (（X）), or a person standing in the 来源 slot, in that order."""
    found = _first_list(_after_source, info + body.blocks[-3:] + after)
    if not found:
        reporter = metaline.reporter(info, layout) or _first(_bracketed_reporter, info)
        found = [reporter] if reporter else []
    found = found or _first_list(_credit, body.blocks[-2:] + _last_prose(body.blocks, 2))
    found = found or _first_list(_titled_author, body.blocks[-3:] + after)
    found = found or _first_list(_broadcast_credit, body.blocks[-2:])
    if not found:
        for block in body.blocks[-2:][::-1]:
            found = _names_and_place(block.text)
            if found:
                body.blocks = [b for b in body.blocks if b is not block]  # a credit, not text
                break
    if not found and byline.person_in_source:
        found = [byline.person_in_source]
    if found:
        byline.authors, byline.how["authors"] = found, Provenance(DATELINE, 0.7)


def _broadcast_credit(text: str) -> list[str]:
    """…新唐人電視黃某某、林某某台灣新竹採訪報導。: a broadcaster's closing sentence, the station, its
    reporters run together with it and with the place they filed from. The reporters are read as
    full names of three characters, as such credits print them (the place follows without a mark)."""
    match = _BROADCAST_CREDIT_RE.search(text[-80:])
    if match is None:
        return []
    names = match.group(1).split("、")
    return names if all(is_person_name(n) and _is_person(n) for n in names) else []


# The station (電視, 電視台, 電台) or 記者, the reporters' names (、 between them), the place, 採訪報導.
_BROADCAST_CREDIT_RE = re.compile(
    r"(?:電視台?|电视台?|電台|电台|記者|记者)((?:[\u4e00-\u9fff]{3}、)*[\u4e00-\u9fff]{3})[\u4e00-\u9fff]{2,6}?"
    r"(?:採訪|采访)?(?:報導|报道)[。.]?\s*$"
)


def _titled_author(text: str) -> list[str]:
    """(作者：张晓明中国人民大学教授), (作者：某某研究中心研究员张晓明): a writer's name run together
    with where they work and their title, after it or before it."""
    match = _TITLED_AUTHOR_RE.search(text[-120:])
    if match is None:
        return []
    value = match.group(1)
    after_title = _NAME_AFTER_TITLE_RE.search(value)
    if after_title and is_person_name(after_title.group(1)):
        return [after_title.group(1)]
    if not _TITLE_WORD_END_RE.search(value):
        return []
    for length in (3, 2):  # the commoner length first
        name, rest = value[:length], value[length:]
        if is_person_name(name) and _is_person(name) and _AFFILIATION_OPENING_RE.match(rest):
            return [name]
    return []


# The label and what follows it to the bracket (or the line) closing the text.
# (A platform's short link may follow the bracket: …张晓明）返回首页.)
_TITLED_AUTHOR_RE = re.compile(r"(?:作者|撰文)\s*[:：]\s*([^()（）:：]{5,90}?)(?:\s*[)）][^()（）]{0,12}|\s*)$")
_TITLE_WORDS = (
    "研究员|副研究员|教授|副教授|讲师|主任|副主任|部长|院长|所长|博士|博士后|专家|学者|主编|编审|高级经济师|研究生"
)
_NAME_AFTER_TITLE_RE = re.compile(rf"(?:{_TITLE_WORDS})([\u4e00-\u9fff]{{2,3}})$")
_TITLE_WORD_END_RE = re.compile(rf"(?:{_TITLE_WORDS})$")
# How the name of a place of work opens: the country, a municipality, a national body, or a
# place of two characters and its kind (某某省, 某某大学).
_AFFILIATION_OPENING_RE = re.compile(
    r"(?:中国|北京|上海|天津|重庆|国家|国务院|全国|中央|中共|香港|澳门|台湾|清华|复旦|南开|"
    r"[\u4e00-\u9fff]{2}(?:省|市|县|大学|学院|研究院|研究所))"
)


def _bracketed_reporter(text: str) -> str | None:
    """2004年7月16日08:19 [ 张三 ] 来源：[ 某报 ]: a person in brackets in a dated meta line."""
    if len(text) > 100 or not _YEAR_RE.search(text):
        return None
    for match in _BRACKETED_NAME_RE.finditer(text):
        name = match.group(1)
        if is_person_name(name) and _is_person(name) and not is_outlet(name):
            return name
    return None


# A year, as meta lines print dates (2004年, 2004-07-16).
_YEAR_RE = re.compile(r"(?:19|20)\d\d\s*[年/.-]")
_BRACKETED_NAME_RE = re.compile(r"(?<![:：])\s*[\[【]\s*([\u4e00-\u9fff]{2,4})\s*[\]】]")


def _names_line(text: str) -> list[str]:
    """Two or more people's names and nothing else (赵延东、风笑天)."""
    match = _NAMES_LINE_RE.match(text) if len(text) <= 30 else None
    if match is None:
        return []
    names = split_names(match.group(0))
    return names if len(names) >= 2 and all(is_person_name(n) for n in names) else []


def _names_and_place(text: str) -> list[str]:
    """黃千容 賴世杰 台中: a broadcaster's credit after the text, the reporters (full names) and
    where they filed from."""
    match = _NAMES_AND_PLACE_RE.match(text) if len(text) <= 30 else None
    if match is None:
        return []
    names = match.group(1).split()
    return names if all(is_person_name(n) for n in names) else []


# Names alone on a line, set apart by 、 or spaces.
_NAMES_LINE_RE = re.compile(
    r"^\s*[\u4e00-\u9fff]{2,4}(?:\s*[、，,]\s*[\u4e00-\u9fff]{2,4}|\s+[\u4e00-\u9fff]{2,4}){1,5}\s*$"
)
# Three-character names (the common length: two-character words are not taken for names here),
# then a place of two.
_NAMES_AND_PLACE_RE = re.compile(r"^\s*([\u4e00-\u9fff]{3}(?:\s+[\u4e00-\u9fff]{3}){0,3})\s+[\u4e00-\u9fff]{2}\s*$")


def _last_prose(blocks: list[Block], count: int) -> list[Block]:
    """The last ``count`` blocks holding a sentence: credits close the text, and templates
    leave tool lines and loading notices after it."""
    return [b for b in blocks if _SENTENCE_RE.search(b.text)][-count:]


def _anchor(layout: Layout, body: Body, title_block: Block | None) -> Block | None:
    """The headline as printed nearest above the body: templates print it twice (a header
    for phones, a floating bar), and the meta line follows the copy over the text."""
    if title_block is None or not body.blocks:
        return title_block
    key = title_block.key
    first = body.blocks[0].index
    for block in reversed(layout.blocks[title_block.index + 1 : first]):
        if block.length == title_block.length and block.key == key:
            return block
    return title_block


def _read_date(byline: Byline, layout: Layout, body: Body, title_block: Block | None, default_tz: tzinfo) -> None:
    found = _visible_date(layout, body, title_block, default_tz)
    if found is None:
        return
    when, block = found
    if not (when.hour or when.minute):
        heading = [title_block] if title_block is not None else []
        when = _with_bare_clock(when, heading + _info_zone(layout, body, title_block))
    byline.published_at = when
    first = body.blocks[0].index if body.blocks else len(layout.blocks)
    start = title_block.index if title_block is not None else first - 8
    byline.dated_in_meta_line = block is not None and start <= block.index <= first
    byline.how["published_at"] = Provenance(META_LINE if byline.dated_in_meta_line else LABEL, 0.8)


def _read_source(byline: Byline, layout: Layout, info: list[Block], body: Body, title_block: Block | None) -> None:
    """来源 after its label near the headline or the body's ends; else the outlet the meta line
    names without one; else a short labelled line elsewhere, or the outlet opening a dateline."""
    after = _after_body(layout, body)
    labelled = _first(_source, _with_values(layout, info + body.blocks[:3] + body.blocks[-4:] + after))
    headline = title_block.text if title_block is not None else None
    zone = info + body.blocks[:2]
    found = metaline.outlet(zone, layout, _menu_words(layout, zone), headline)
    person = labelled is not None and is_person_name(labelled) and not is_outlet(labelled)
    if labelled and person and found is not None:
        # 来源：尹娟 — a person in the 来源 slot is the author; the meta line names the outlet.
        byline.person_in_source = labelled
    if labelled and not (person and found is not None):
        byline.source, byline.how["source"] = labelled, Provenance(LABEL, 0.95)
    elif found is not None:
        byline.source, byline.how["source"] = found.name, Provenance(META_LINE, found.confidence)
    elif paired := _first(outlet_and_reporter, info):
        byline.source, byline.how["source"] = paired[0], Provenance(META_LINE, 0.75)
    else:
        elsewhere = _first(_source, _with_values(layout, _short_lines(layout, body)))
        opening = _dateline_outlet(body.blocks[0].text) if body.blocks else None
        account = _first(_outlet_as_author, info)
        if elsewhere:
            byline.source, byline.how["source"] = elsewhere, Provenance(LABEL, 0.8)
        elif account:
            # 作者：某某晚报 — an outlet or account in the author slot is the 来源.
            byline.source, byline.how["source"] = account, Provenance(LABEL, 0.6)
        elif opening:
            byline.source, byline.how["source"] = opening, Provenance(DATELINE, 0.55)
        else:
            generic = _first(_generic_source, info + body.blocks[:3] + body.blocks[-4:])
            if generic:
                byline.source, byline.how["source"] = generic, Provenance(LABEL, 0.4)


def _with_values(layout: Layout, blocks: list[Block]) -> list[Block]:
    """The blocks, a label standing in a cell of its own (``<td>来源：</td><td>某某网</td>``)
    joined to the cell after it."""
    joined: list[Block] = []
    for block in blocks:
        following = layout.blocks[block.index + 1] if block.index + 1 < len(layout.blocks) else None
        if following is not None and block.length <= 8 and _LABEL_CELL_RE.match(block.text):
            block = replace(block, text=f"{block.text}{following.text}")
        joined.append(block)
    return joined


# A cell holding only a label: 来源：, 發文字號：.
_LABEL_CELL_RE = re.compile(r"^[\u4e00-\u9fff ]{1,6}\s*[:：]\s*$")


def _outlet_as_author(text: str) -> str | None:
    match = _AUTHOR_SLOT_RE.search(text)
    return match.group(1) if match and is_outlet(match.group(1)) else None


def _short_lines(layout: Layout, body: Body) -> list[Block]:
    """Short lines after the body, then before it: where templates print a 来源 line away from
    the headline (a footer table, a box beside the text)."""
    first = body.blocks[0].index if body.blocks else 0
    last = body.blocks[-1].index if body.blocks else 0
    after = [b for b in layout.blocks[last + 1 : last + 40] if b.length <= 40]
    before = [b for b in layout.blocks[max(0, first - 40) : first] if b.length <= 40]
    return after + before[::-1]


def _dateline_outlet(text: str) -> str | None:
    """〔中央社〕…, 中国网1月17日讯…, 新华社北京11月10日电: the outlet opening the text."""
    match = _DATELINE_OUTLET_RE.match(text)
    if match is None:
        return None
    name = match.group(1) or match.group(2)
    if name is None:
        # 新华社北京5月9日电: the outlet and the place run together; the longest outlet name
        # leaving at most a place of four characters before the date.
        run = _CJK_RUN_RE.match(text, match.start(3))
        found = run.group(0) if run else ""
        return next((found[:cut] for cut in range(len(found), 1, -1)
                     if len(found) - cut <= 4 and is_outlet(found[:cut])), None)
    return name if is_outlet(name) else None


def _after_body(layout: Layout, body: Body) -> list[Block]:
    """Short lines right after the body: credit and editor lines often stand outside it."""
    if not body.blocks:
        return []
    last = body.blocks[-1].index
    return [b for b in layout.blocks[last + 1 : last + 8] if b.length < 60]


def _menu_words(layout: Layout, zone: list[Block]) -> set[str]:
    """Short link texts of the page's menus and lists outside the meta line: channel names,
    not outlets."""
    own = {b.index for b in zone}
    return {b.text for b in layout.blocks if b.length <= 12 and b.link_density > 0.9 and b.index not in own}


def _info_zone(layout: Layout, body: Body, title_block: Block | None) -> list[Block]:
    """Blocks between the headline and the body's first sentence (or the few before the body):
    the meta line may open the chosen region."""
    first = next((b.index for b in body.blocks if not _is_info_line(b)), None)
    if first is None:
        first = body.blocks[0].index if body.blocks else len(layout.blocks)
    start = title_block.index + 1 if title_block is not None and title_block.index < first else max(0, first - 8)
    end = min(first, start + 12)
    return [b for b in layout.blocks[start:end] if b.length <= 300]


def _near_headline(layout: Layout, body: Body, title_block: Block | None) -> list[Block]:
    """Short blocks from six before the headline (or body) to six after the
    body starts: where templates print the date line and the byline."""
    first = body.blocks[0].index if body.blocks else len(layout.blocks)
    anchor = title_block.index if title_block is not None else first
    lo, hi = max(0, min(anchor, first) - 6), min(len(layout.blocks), max(anchor, first) + 6)
    return [b for b in layout.blocks[lo:hi] if b.length <= 300]


def _visible_date(
    layout: Layout, body: Body, title_block: Block | None, default_tz: tzinfo
) -> tuple[datetime, Block | None] | None:
    """The date printed nearest the headline, preferring short dated lines
    with a time or a 发布/时间 label over dates inside sentences."""
    first = body.blocks[0].index if body.blocks else len(layout.blocks)
    anchor = title_block.index if title_block is not None else first
    best: tuple[float, datetime, Block] | None = None
    for block in _near_headline(layout, body, title_block):
        found = dates.parse(block.text, default_tz)
        if found is not None:
            score = _date_score(block, anchor)
            if best is None or score > best[0]:
                best = (score, found, block)
    if best is not None:
        return best[1], best[2]
    labelled = _labelled_date(layout, default_tz)
    if labelled is not None:
        return labelled, None
    closing = _closing_date(layout, body, default_tz)
    return (closing[0], closing[1]) if closing is not None else None


def _closing_date(layout: Layout, body: Body, default_tz: tzinfo) -> tuple[datetime, Block] | None:
    """No date at the headline: a short line with a time printed at the end of the text or just
    after it (``(2012-01-17 12:00) 午間新聞`` under a broadcaster's report)."""
    for block in body.blocks[-2:] + _after_body(layout, body)[:3]:
        if block.length <= 40 and dates.has_time(block.text):
            found = dates.parse(block.text, default_tz)
            if found is not None:
                return found, block
    return None


def _date_score(block: Block, anchor: int) -> float:
    distance = block.index - anchor
    score = -abs(distance) - (3.0 if distance < 0 else 0.0)
    if dates.has_time(block.text):
        score += 4.0
    if _labels_the_date(block):
        score += 4.0
    if block.length <= 60:
        score += 2.0
    if _LEDE_LABEL_RE.match(block.text):
        score -= 6.0  # a summary: its dates are the events', not the article's
    if _COPYRIGHT_YEAR_RE.search(block.text):
        score -= 20.0
    return score


def _with_bare_clock(day: datetime, blocks: list[Block]) -> datetime:
    """A printed day given its time by a clock standing alone at the headline (instant-news
    pages: the day in the page's header, 【16:15】 after the headline)."""
    for block in blocks:
        if block.length > 60 or dates.parse(block.text, UTC) is not None:
            continue
        clock = _BARE_CLOCK_RE.search(block.text)
        if clock:
            return day.replace(hour=int(clock.group(1)), minute=int(clock.group(2)))
    return day


# 【16:15】, (08:30): a time of day in brackets, no date with it.
_BARE_CLOCK_RE = re.compile(r"[【\[(（]\s*([01]?\d|2[0-3])[:：]([0-5]\d)\s*[】\])）]")


def _labels_the_date(block: Block) -> bool:
    """发布时间 2012-01-12: a date label on a short line, or just before the date (in prose,
    "观测时间约两小时" is no label)."""
    if block.length <= 60:
        return _date_label(block.text)
    found = dates.find_all(block.text[:200], UTC)  # positions only: any zone will do
    if not found:
        return False
    start = min(position for position, _ in found)
    return _date_label(block.text[max(0, start - 10) : start])


def _labelled_date(layout: Layout, default_tz: tzinfo) -> datetime | None:
    """Anywhere on the page: a short line that says 发布时间 / published with a time."""
    for block in layout.blocks:
        if block.length <= 120 and _date_label(block.text) and dates.has_time(block.text):
            return dates.parse(block.text, default_tz)
    return None


def _first(reader: Callable[[str], T | None], blocks: list[Block]) -> T | None:
    """What ``reader`` finds in the first block that gives something.  The readers read the text
    alone, and the zones searched overlap (the meta line is also near the headline): a text
    already read without result is not read again."""
    for text in _distinct_texts(blocks):
        found = reader(text)
        if found is not None:
            return found
    return None


def _first_list(reader: Callable[[str], list[str]], blocks: list[Block]) -> list[str]:
    for text in _distinct_texts(blocks):
        found = reader(text)
        if found:
            return found
    return []


def _distinct_texts(blocks: list[Block]) -> Iterator[str]:
    seen: set[str] = set()
    for block in blocks:
        if block.text not in seen:
            seen.add(block.text)
            yield block.text


def _source(text: str) -> str | None:
    """A labelled 来源 naming an outlet (not a generic word such as 转载文章 or 网络)."""
    value = _labelled_source(text)
    return value if value and not _GENERIC_SOURCE_RE.match(value) else None


def _generic_source(text: str) -> str | None:
    value = _labelled_source(text)
    return value if value and _GENERIC_SOURCE_RE.match(value) else None


def _labelled_source(text: str) -> str | None:
    match = _SOURCE_RE.search(text) or (_SOURCE_SPACED_RE.search(text) if len(text) <= 60 else None)
    if match is None:
        return None
    value = _SOURCE_STOP_RE.sub("", match.group(1)).strip(" -—:：")
    # 资料来源：某某醫師 under a box of tips credits the box's facts: an outlet there may be the
    # article's, people are not.
    if value and match.group(0).lstrip().startswith(("資料來源", "资料来源")) and not is_outlet(value):
        return None
    # 来源：资料图 under a photo credits the picture, not the article.
    return value if value and not _PICTURE_RE.match(value) else None


def _authors(text: str) -> list[str]:
    """The people a byline or dateline names; outlets and accounts standing there are left
    to the 来源, photographers and role words dropped, names run together split apart.  A
    name with a character the decoder could not read is kept as shown (see names.DAMAGED)."""
    if DAMAGED not in text:
        return _byline_authors(text)
    return [as_shown(name) for name in _byline_authors(mended(text))]


def _byline_authors(text: str) -> list[str]:
    found: list[str] = []
    # 文丨张三, 作者︱张三: the bar is written with characters that look alike (a CJK stroke, a
    # vertical presentation form).
    text = text.replace("丨", "｜").replace("︱", "｜")
    # 记者 张三 文并摄: the reporter wrote the text and took the pictures.
    text = _WROTE_AND_SHOT_RE.sub("", text) if len(text) <= 200 and "文" in text else text
    head = text[:60] if len(text) > 200 else text
    picture = _PICTURE_CREDIT_RE.search(head) if _PICTURE_WORD_RE.search(head) else None
    if picture:
        # 图/本报记者 张三, 记者 张三／攝影: the picture's credit; in "文/张三 图/李四" and
        # "记者：张三 摄影：李四" the writer before it still counts.
        labelled_credit = _PICTURE_LABEL_RE.match(text, picture.start()) is not None
        text = text[: picture.start()]
        if not (_WRITER_LABEL_RE.search(text) or (labelled_credit and _REPORTER_LABEL_RE.search(text))):
            return found
    latin = _LATIN_AUTHOR_RE.search(text[:60]) if _LATIN_RE.search(text, 0, 60) else None
    if latin:
        return [latin.group(1).strip()]
    for name in _byline_names(text):
        if name.endswith(("报道", "報導")) and len(name) >= 4:
            name = _name_before_place(name[:-2])  # 记者张三报道, 记者张三北京报道
        for part in split_glued(name):
            if _is_person(part) and part not in found:
                found.append(part)
    return found


def _is_person(name: str) -> bool:
    if name in _NOT_NAMES or _OUTLET_NAME_RE.search(name) or _ROLE_RE.match(name):
        return False
    if _NOT_A_NAME_END_RE.search(name) or _NOT_A_NAME_START_RE.match(name):
        return False
    if any(character.isdigit() or character in "_@#%&=<>" for character in name):
        return False
    return not name.endswith(("记者", "記者"))  # 南都记者: the outlet's reporter, a role


def _byline_names(text: str) -> list[str]:
    by = _BY_RE.match(text) if len(text) <= 120 else None
    if by:
        return split_names(by.group(1))
    if len(text) > 200 and not text.startswith(("(", "（", "【")):
        closing = _CLOSING_BYLINE_RE.search(text[-40:])
        if closing:
            return split_names(closing.group(1))
        # Captions glued before the dateline push it further in: 本报记者张三摄南岸日报5月3日讯(记者…).
        late = _DATELINE_BRACKET_RE.search(text[:160])
        text = late.group(0) if late and not _DATELINE_BRACKET_RE.search(text[:60]) else text[:60]
    slash = _SLASH_RE.search(text) is not None
    if slash:
        text = _ROLE_SLASH_RE.sub(r"\1 ", text)
    if _GLUED_ROLE_WORD_RE.search(text):
        text = _ROLE_GLUED_RE.sub(r" \1 ", text)
    other = _OTHER_ROLE_RE.search(text) if _OTHER_ROLE_WORD_RE.search(text) else None
    if other and other.start() > 0 and _author_label(text[: other.start()]):
        text = text[: other.start()]  # 记者 张三 编辑 李四: the editor is no author
    found = _BRACKET_FILED_RE.search(text) or _ROLE_AFTER_RE.search(text)
    if found is None and len(text) <= 24:
        found = _TEXT_AND_PICTURES_RE.search(text) or _NAME_THEN_TEXT_RE.match(text)
        if found and not all(is_person_name(n) for n in split_names(found.group(1))):
            found = None  # 阅读全文, 图文：南岸网: no person named
    if found:
        return split_names(found.group(1))
    pair = outlet_and_reporter(text) if slash else None
    if pair is not None:
        return [pair[1]]
    spaced = _TEXT_SPACE_NAME_RE.match(text)
    if spaced and is_person_name(spaced.group(1)):
        return [spaced.group(1)]
    match = _author_label(text)
    if match is None:
        found = (
            _DATELINE_RE.search(text)
            or _FILED_FROM_RE.search(text)
            or _GLUED_FILED_RE.match(text)
            or (_NAME_FILED_RE.search(text) if slash else None)
            or (_person_and_place(text) if slash else None)
            or (_NAME_THEN_REPORT_RE.search(text) if len(text) <= 40 else None)
        )
        return split_names(found.group(1)) if found else []
    while match is not None and _photographer(text, match):
        # 本报记者 韩东 摄: a photographer; a caption glued before the dateline may come first.
        match = _author_label(text, match.end())
    if match is None:
        return []
    if _glued_label(match) and (
        not is_person_name(match.group(1).split()[0]) or _LABEL_COMPOUND_RE.match(match.group(1))
    ):
        return []  # 作者手记, 作者简介: the word glued to the label is no name
    names = _before_photographers(split_names(match.group(1)))
    # "记者 彭冲 山东冠县报道": the word glued to 报道 is the place, not a name; but in
    # "实习生吴梦丽、记者喻云亮报道" a role introduces the last word, which is a name.
    glued_to_report = text[match.end() : match.end() + 2] in ("报道", "報導", "发自", "發自")
    if names and names[-1].endswith(("报道", "報導")) and len(names[-1]) > 2:
        names[-1], glued_to_report = names[-1][:-2], True  # the run took 报道 in
    if len(names) > 1 and glued_to_report and not _ROLE_PREFIX_RE.match(names[-1]):
        names = names[:-1]
    elif len(names) == 1 and glued_to_report:
        names = [_name_before_place(names[0])]  # 記者林宜真台北報導: the name, then the place
    return [_ROLE_PREFIX_RE.sub("", n) for n in names]


def _author_label(text: str, start: int = 0) -> re.Match[str] | None:
    """The first byline label at or after ``start`` with the names it introduces."""
    return _AUTHOR_RE.search(text, start) if _AUTHOR_WORD_RE.search(text, start) else None


def outlet_and_reporter(text: str) -> tuple[str, str] | None:
    """中廣新聞／陳奕華: an outlet and a person's name, and nothing else on the line."""
    match = _OUTLET_SLASH_NAME_RE.match(text) if len(text) <= 24 else None
    if match is None:
        return None
    outlet, name = match.group(1), match.group(2)
    if not is_outlet(outlet) or is_outlet(name) or not is_person_name(name):
        return None
    return outlet, name


def _photographer(text: str, match: re.Match[str]) -> bool:
    after = text[match.end() :].lstrip()
    return after[:1] in ("摄", "攝") and after[:2] not in ("摄影", "攝影")


def _person_and_place(text: str) -> re.Match[str] | None:
    found = _NAME_PLACE_RE.match(text.strip())
    return found if found and is_person_name(found.group(1)) else None


def _name_before_place(run: str) -> str:
    """The reporter's name opening a run glued to 报道 (林宜真台北 → 林宜真): three characters
    when the rest can still be a place, the most common length of a name, else two."""
    if len(run) < 4 or is_person_name(run):
        return run if len(run) >= 2 else ""
    for length in (3, 2):
        if len(run) - length >= 2 and is_person_name(run[:length]):
            return run[:length]
    return run


def _glued_label(match: re.Match[str]) -> bool:
    """作者张三: a written-out label (作者, 撰文…) with the name glued to it, no colon or space."""
    return match.group(0)[: match.start(1) - match.start(0)] in _WRITTEN_LABELS


# Words that 作者 forms compounds with: 作者简介 (about the author), 作者单位, 作者系….
_LABEL_COMPOUND_RE = re.compile(
    r"^(简介|簡介|手记|手記|单位|單位|介绍|介紹|信息|資訊|声明|聲明|系|为|為|是|按|本人|自述)"
)
_WRITTEN_LABELS = frozenset(
    ["作者", "撰文", "撰稿", "执笔人", "執筆人", "执笔", "執筆", "采写", "採寫", "编译", "編譯"]
)


def bylines_in_text(blocks: list[Block]) -> list[str]:
    """Reporters credited inside the text rather than around it: a byline standing as a line
    of its own between paragraphs (a second report on the page, a byline printed after the
    lede), and datelines opening a paragraph (``湖南日报12月15日讯(记者 X)``).  Only full
    names count here, and never a picture's credit."""
    found: list[str] = []
    for block in blocks:
        if block.length <= 40 and not _SENTENCE_RE.search(block.text) and _REPORTER_RE.search(block.text):
            line = block.text
        elif _DATELINE_OPENING_RE.match(block.text):
            line = block.text[:60]
        else:
            continue
        for name in _authors(line):
            if is_person_name(name) and name not in found:
                found.append(name)
    return found


def _before_photographers(names: list[str]) -> list[str]:
    kept: list[str] = []
    for name in names:
        if _PHOTO_RE.search(name) and len(name) <= 2:
            break
        kept.append(name)
    return kept


def _after_source(text: str) -> list[str]:
    """来源：中国新闻网 王帆: a person named after the outlet in the 来源 line is its author."""
    match = _SOURCE_RE.search(text)
    if match is None:
        return []
    rest = text[match.end() :].split()
    if not rest or re.match(r"^[^:：]{1,6}[:：]", rest[0]):
        return []  # the next field's label (关键字：…), not a person
    name = _NAME_STOP_RE.sub("", rest[0])
    return [name] if _PERSON_NAME_RE.match(name) and _is_person(name) else []


def _credit(text: str) -> list[str]:
    """（李欣）, (新民网 李欣), (全景网/陈祎), （编译/林靖东） closing the last paragraph."""
    match = _CREDIT_RE.search(text)
    if match is None:
        return []
    inner = match.group(1).strip()
    if _AUTHOR_RE.search(inner) or _FILED_FROM_RE.search(match.group(0)):
        return _authors(match.group(0))
    parts = [p for p in re.split(r"[\s/／、]+", inner) if p]
    if not 1 <= len(parts) <= 3:
        return []
    names = [p for p in parts if _PERSON_NAME_RE.match(p) and _is_person(p)]
    # Everything else in the bracket must be an outlet or a role: a parenthesised remark is not a credit.
    others = [p for p in parts if p not in names]
    # (王霄 发自上海): where the report was filed may follow the name.
    if not names or any(
        not (_OUTLET_NAME_RE.search(p) or p in _NOT_NAMES or p.startswith(("发自", "發自"))) for p in others
    ):
        return []
    return names


def editor_names(text: str) -> list[str]:
    if is_editing_prose(text):
        return []
    labelled = sorted(_EDITOR_RE.finditer(text), key=lambda m: _EDITOR_RANK.get(m.group(1), 2))
    if labelled:
        value = labelled[0].group(2)
    else:
        match = _EDITOR_AFTER_NAME_RE.search(text) or _EDITOR_CREDIT_RE.search(text) or _EDITOR_SPACED_RE.match(text)
        if match is None:
            return []
        value = match.group(1)
    value = _NAME_STOP_RE.sub("", value).strip(" ]】)）")
    names = [_EDITOR_CODE_RE.sub("", n) for n in split_names(value)]
    # A name whose first character (the family name) the decoder lost names no one.
    return [n for n in names if n and not n.startswith(DAMAGED)][:6]


def _editors(body: Body, layout: Layout, near: list[Block]) -> list[str]:
    """责编 lines set aside by the body filter, at the body's end, just after it, or in the
    lines around the headline; else a short 责任编辑 line anywhere after the headline."""
    lines = list(body.editor_lines)
    for block in body.blocks[-3:]:
        tail = _EDITOR_TAIL_RE.search(block.text) or _EDITOR_CREDIT_RE.search(block.text)
        if tail:
            lines.append(tail.group(0))
    if body.blocks:
        last = body.blocks[-1].index
        lines += [b.text for b in layout.blocks[last + 1 : last + 8] if b.length < 60]
    lines += [b.text for b in near if b.length < 60]
    start = near[0].index if near else 0
    lines += _editor_lines(layout.blocks[start:])
    lines += _editor_beside_source(layout, start)
    if body.blocks:
        lines += _lone_editor_below(layout.blocks[body.blocks[-1].index + 8 :])
    best: tuple[int, list[str]] | None = None
    # A line read before gives the same names and rank again (only a lower rank wins), and a line
    # without any editor's label word names nobody.
    for line in dict.fromkeys(line for line in lines if _EDITOR_WORD_RE.search(line)):
        rank, names = _ranked_editor(line)
        if names and (best is None or rank < best[0]):
            best = (rank, names)
    return best[1] if best else []


def _editor_lines(blocks: list[Block]) -> list[str]:
    """Short 责任编辑 lines, and a bracketed 责任编辑 credit opening a longer line (the page's
    tags printed after it: ``[责任编辑：X] 标签：…``): the bracket shows where the credit ends."""
    found: list[str] = []
    for block in blocks:
        if block.length <= 30:
            if _EDITOR_LINE_RE.match(block.text):
                found.append(block.text)
        elif bracketed := _BRACKETED_EDITOR_RE.match(block.text):
            found.append(bracketed.group(0))
    return found


# The credit's value holds no sentence: "【责任编辑：这标题谁起的？】" opening a comment names nobody.
_BRACKETED_EDITOR_RE = re.compile(
    r"^\s*[\[【(（]\s*(?:责任编辑|責任編輯|责编|責編)\s*[:：][^\[\]【】()（）。，！？!?]{1,30}[\]】)）]"
)


def _lone_editor_below(blocks: list[Block]) -> list[str]:
    """编辑：X standing alone far below the text (under the related links or the readers'
    comments), when it is the only such line there and names people: a template's credit line.
    Several such lines are a list's (other items' editors); a reader's comment after a
    nickname 编辑 says something, it names no one."""
    lines = {b.text.strip() for b in blocks if b.length <= 20 and _LONE_EDITOR_RE.match(b.text)}
    if len(lines) != 1:
        return []
    line = lines.pop()
    names = editor_names(line)
    return [line] if names and all(_editor_name(n) for n in names) else []


# 编辑：王文远, [编辑：王文远]: the label and the names, nothing else on the line.
_LONE_EDITOR_RE = re.compile(r"^\s*[\[【(（]?\s*(?:编辑|編輯)\s*[:：]\s*[^:：\s][^:：]{0,14}[\]】)）]?\s*$")
_HANDLE_RE = re.compile(r"^[a-z][a-z0-9_]{2,15}$")


def _editor_name(name: str) -> bool:
    """A person's name (a family name first) or a login handle as desks use for names."""
    return is_person_name(name) or _HANDLE_RE.match(name) is not None


def _editor_beside_source(layout: Layout, start: int) -> list[str]:
    """编辑：X printed just after a 来源 line, wherever the template put the two (a box under
    the related links): the article's credits, not a column's."""
    found: list[str] = []
    for before, block in pairwise(layout.blocks[start:]):
        if block.length <= 20 and _PLAIN_EDITOR_LINE_RE.match(block.text) and _source(before.text):
            found.append(block.text)
    return found


# 编辑：王文远 on a line of its own.
_PLAIN_EDITOR_LINE_RE = re.compile(r"^[\[【(（]?\s*(?:编辑|編輯)\s*[:：]")


def _ranked_editor(line: str) -> tuple[int, list[str]]:
    """The line's editor names and the rank of its label (责任编辑 0, 编辑 2, unlabelled 3)."""
    names = editor_names(line)
    labels = [_EDITOR_RANK.get(m.group(1), 2) for m in _EDITOR_RE.finditer(line)]
    return (min(labels) if labels else 3), names


def _print_citation(text: str) -> PrintCitation | None:
    match = _PRINT_RE.search(text)
    if match is None:
        return None
    paper, year, month, day, page = match.groups()
    try:
        return PrintCitation(paper.strip(), date(int(year), int(month), int(day)), int(page))
    except ValueError:
        return None


def _explicit_lede(blocks: list[Block]) -> str | None:
    for block in blocks:
        labelled = _LEDE_LABEL_RE.match(block.text)
        words = f"{block.owner.get('class') or ''} {block.owner.get('id') or ''}"
        if labelled or (_LEDE_CLASS_RE.search(words) and block.punct > 0):
            text = _LEDE_LABEL_RE.sub("", block.text).strip()
            if len(text) >= 10:
                return text
    return None


def _without_meta_lines(blocks: list[Block], byline: Byline) -> list[Block]:
    """Drop info lines (date + 来源), the 来源's name standing alone over the text, and
    trailing 责编 notes from the body text."""
    kept: list[Block] = []
    source = nfkc_key(byline.source) if byline.source else None
    for block in blocks:
        if _is_info_line(block) or _is_byline_line(block):
            continue
        if not kept and source and block.length <= 20 and block.key == source:
            continue  # 某某网 / 某某网北京1月17日电…: the outlet's name printed as a line of its own
        if _PRINT_RE.search(block.text) and block.length < 60:
            continue
        tail = _EDITOR_TAIL_RE.search(block.text)
        if tail:
            block = replace(block, text=block.text[: tail.start()].rstrip())
            if not block.text:
                continue
        kept.append(block)
    return kept


def _is_byline_line(block: Block) -> bool:
    """A reporter's byline standing as a line of its own (本报记者 张三 李四): credits, not text."""
    if block.length > 40 or _SENTENCE_RE.search(block.text):
        return False
    # 文/张三, 作者：张三 opening a short line: the writer's credit.
    if not (_REPORTER_RE.search(block.text) or (block.length <= 30 and _WRITER_LINE_RE.match(block.text))):
        return False
    return bool(_authors(block.text))


_WRITER_LINE_RE = re.compile(r"^\s*[【\[(（]?\s*(?:文|作者|撰文|执笔人?|執筆人?)\s*[/／╱:：|｜丨]")


def _is_info_line(block: Block) -> bool:
    """A short line of date, source and tools rather than a sentence."""
    if block.length > 90:
        return False
    has_source = _SOURCE_RE.search(block.text) is not None
    has_date = dates.has_time(block.text)
    # http://www.example.com 2012年01月12日09:30 某某网: the site's address opening the meta line.
    length = block.length - len(_LEADING_URL_RE.match(block.text).group(0))  # type: ignore[union-attr]
    return (has_source and (has_date or block.punct <= 2)) or (has_date and length < 40)


_LEADING_URL_RE = re.compile(r"^\s*(?:(?:https?://|www\.)\S+\s*)*")
