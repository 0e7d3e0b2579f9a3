"""An authored article page whose ordinary paragraphs are interleaved with stored-XSS snippets.

The paragraphs are fictional text written for these tests; the snippets cover every family an
attacker leaves in a source page's body: script, event handlers, javascript: and data: URLs,
SVG, style, srcdoc, meta refresh and mutation XSS (markup that a sanitiser and a browser parse
differently). Each snippet that could run calls alert() with its family's name, so a browser
test can tell which one ran. Pure data: used by the extractor's tests (no Django), the
collector's and Chromium's.
"""

from __future__ import annotations

from html import escape

TITLE = "桐湾渡口改建完工 夜航班次增至每晚六班"
PARAGRAPHS = (
    "桐湾渡口改建工程昨天通过验收,新候船厅和两座浮动码头同时启用,老渡口的木质栈桥完成了它的使命。",
    "新候船厅设有三百个座位,南侧的售票窗口改成了自助机和人工窗口并行,带孩子的乘客可以在母婴室休息。",
    "渡运公司介绍,夜航班次从每晚两班增加到六班,末班船推迟到晚上十一点,方便在对岸工作的居民回家。",
    "改建期间,渡口临时搬到上游八百米处,不少老人每天要多走一刻钟。工程方为此开通了免费接驳车。",
    "下一步,码头周边还将增设自行车停放点,并在候船厅外的空地种上二十棵香樟,明年春天完成绿化。",
)
# A paragraph with the inline markup a reprint should keep: strong, em and an ordinary link.
INLINE = (
    '据渡运公司统计,改建后<strong>单日运力提高到一万两千人次</strong>,'
    '高峰时段的<em>平均候船时间</em>缩短到八分钟,详见'
    '<a href="/notice/2026/ferry.html">渡运公司公告</a>。'
)
INLINE_TEXT = "据渡运公司统计,改建后单日运力提高到一万两千人次,高峰时段的平均候船时间缩短到八分钟,详见渡运公司公告。"

PAYLOADS: dict[str, tuple[str, ...]] = {
    "script": (
        "<script>alert('script')</script>",
        "<script src=\"data:text/javascript,alert('script-src')\"></script>",
    ),
    "event handler": (
        "<img src=\"/none.png\" onerror=\"alert('onerror')\">",
        "<div onmouseover=\"alert('onmouseover')\" style=\"position:fixed;inset:0\"></div>",
        "<details open ontoggle=\"alert('ontoggle')\"><summary></summary></details>",
        "<body onload=\"alert('body-onload')\">",
    ),
    "javascript: URL": (
        "<a href=\"javascript:alert('javascript-url')\">查看原图</a>",
        "<a href=\"&#106;avascript:alert('entity-url')\">下载附件</a>",
        "<form action=\"javascript:alert('form-action')\"><button>提交</button></form>",
    ),
    "data: URL": (
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgnZGF0YScpPC9zY3JpcHQ+\">打开文件</a>",
        "<object data=\"data:text/html,<script>alert('object-data')</script>\"></object>",
        "<embed src=\"data:image/svg+xml,<svg onload=alert('embed')>\">",
    ),
    "SVG": (
        "<svg onload=\"alert('svg-onload')\">",
        "<svg><a href=\"javascript:alert('svg-link')\"><text x=\"0\" y=\"15\">点此</text></a></svg>",
        "<svg><animate onbegin=\"alert('svg-animate')\" attributeName=\"x\" dur=\"1s\"></animate></svg>",
    ),
    "style": (
        "<style>@import url(\"javascript:alert('style-import')\");</style>",
        "<p style=\"background:url(javascript:alert('style-attr'))\"></p>",
    ),
    "srcdoc": (
        "<iframe srcdoc=\"&lt;script&gt;parent.alert('srcdoc')&lt;/script&gt;\"></iframe>",
        "<iframe src=\"javascript:alert('iframe-src')\"></iframe>",
    ),
    "meta refresh": (
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('meta-refresh')\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=data:text/html,<script>alert('meta-data')</script>\">",
    ),
    "mutation XSS": (
        "<noscript><p title=\"</noscript><img src=x onerror=alert('mxss-noscript')>\"></noscript>",
        "<svg></p><style><a id=\"</style><img src=1 onerror=alert('mxss-svg-style')>\">",
        "<math><mtext><table><mglyph><style><!--</style>"
        "<img title=\"--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror=alert('mxss-math')&gt;\">",
        "<textarea><img src=x onerror=alert('mxss-textarea')></textarea>",
        "<template><img src=x onerror=alert('mxss-template')></template>",
    ),
}


def all_payloads() -> list[str]:
    return [snippet for snippets in PAYLOADS.values() for snippet in snippets]


def body(snippets: list[str]) -> str:
    """The ordinary paragraphs (and the inline one, second) with the snippets dealt between them."""
    paragraphs = [f"<p>{escape(PARAGRAPHS[0])}</p>", f"<p>{INLINE}</p>"]
    paragraphs += [f"<p>{escape(text)}</p>" for text in PARAGRAPHS[1:]]
    gaps: list[list[str]] = [[] for _ in paragraphs[:-1]]
    for index, snippet in enumerate(snippets):
        gaps[index % len(gaps)].append(snippet)
    out = []
    for paragraph, gap in zip(paragraphs, [*gaps, []], strict=True):
        out.append(paragraph)
        out.extend(gap)
    return "\n".join(out)


def expected_paragraphs() -> list[str]:
    """The paragraphs a reader must see, in this order."""
    return [PARAGRAPHS[0], INLINE_TEXT, *PARAGRAPHS[1:]]


def page(snippets: list[str], *, source: str = "桐湾日报") -> str:
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE}_桐湾日报</title></head>
<body>
<div class="top-nav"><a href="/">首页</a> <a href="/city/">城市</a> <a href="/life/">生活</a></div>
<div class="main">
  <h1>{TITLE}</h1>
  <div class="info">2026-11-18 08:40  来源:{source}  作者:记者 阮青禾</div>
  <div class="article-content">
{body(snippets)}
  </div>
  <div class="editor">(责任编辑:韦小满)</div>
</div>
<div class="footer">桐湾日报社 版权所有</div>
</body></html>"""
