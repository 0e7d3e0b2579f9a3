"""The shapes of the API's answers. django-ninja validates every answer against them and writes
them into the OpenAPI document, so the document cannot drift from what is served.

Attribution is always present as a key; a value the article lacks is null, never "".
Times are ISO 8601 in the site's time zone (+08:00 for Asia/Shanghai), to the second.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class ParameterError(Schema):
    parameter: str = Field(description="参数名 / parameter name")
    location: str = Field(description="query 或 path / where the parameter was")
    message: str


class Error(Schema):
    status: int = Field(description="HTTP 状态码 / HTTP status")
    code: str = Field(description="机器可读的错误代码 / machine-readable code, e.g. article_gone")
    message: str = Field(description="中文 / English message")
    errors: list[ParameterError] = Field(description="有误的参数 / the offending parameters (400 only)")


class ChannelRef(Schema):
    id: int
    name: str = Field(description="频道名称")
    path: str = Field(description="频道路径,如 news/china / the channel's path of slugs")
    url: str = Field(description="频道页地址 / the channel page on the site")


class PublisherRef(Schema):
    id: int
    name: str = Field(description="来源媒体名称 / the original publisher")
    url: str | None = Field(description="来源媒体网址 / the publisher's site")


class ArticleSummary(Schema):
    id: int
    title: str = Field(description="标题")
    excerpt: str = Field(description="摘要 (导语或正文开头) / lede or start of the body, plain text")
    published_at: dt.datetime = Field(description="发布时间 / publication time, ISO 8601 with offset")
    channel: ChannelRef
    publisher: PublisherRef | None = Field(description="来源 / source")
    url: str = Field(description="本站文章页 / the article page on the site")
    api_url: str = Field(description="本接口的文章详情 / this article in the API")


class PrintCitation(Schema):
    newspaper: str = Field(description="报纸")
    date: dt.date = Field(description="见报日期")
    page: str | None = Field(description="版次")
    text: str = Field(description="版面出处,如《人民日报》(2026年01月05日 03 版)")


class ArticleDetail(ArticleSummary):
    column: str | None = Field(description="栏目标记,如 和音")
    original_title: str | None = Field(description="原标题")
    original_author: str | None = Field(description="原作者")
    editor: str | None = Field(description="责任编辑 (本站) / our responsible editor")
    source_editor: str | None = Field(description="原责任编辑 (来源页面署名) / the editor the original names")
    source_url: str | None = Field(description="原链接 / URL of the original")
    lede: str | None = Field(description="导语")
    body_html: str = Field(description="正文 HTML,已清洗 / body HTML, sanitised with an allowlist")
    updated_at: dt.datetime = Field(description="最后修改时间 / last change")
    print_citation: PrintCitation | None = Field(description="版面出处 / print citation")
    breadcrumbs: list[ChannelRef] = Field(
        description="频道路径,从顶级频道起 / the channel and its ancestors, root first"
    )
    canonical_url: str = Field(
        description="文章页的 canonical 链接 (原链接或本站,见 HUIWEN_CANONICAL) / the page's canonical link"
    )


class ArticlePage(Schema):
    items: list[ArticleSummary]
    limit: int
    next_cursor: str | None = Field(description="下一页的 cursor,没有下一页时为 null / null on the last page")
    next_url: str | None = Field(description="下一页的地址 / the next page of this list")


class ChannelNode(Schema):
    id: int
    name: str
    slug: str
    path: str
    description: str | None
    url: str = Field(description="频道页 / the channel page")
    articles_url: str = Field(description="本频道及下级频道的文章 / articles of this channel and below, in the API")
    children: list[ChannelNode]


class ChannelTree(Schema):
    channels: list[ChannelNode] = Field(description="顶级频道,按顺序 / the top-level channels, in order")


class SearchHit(Schema):
    article: ArticleSummary
    title_html: str = Field(description="标题,HTML 转义,命中词以 <mark> 标出 / escaped title, terms in <mark>")
    snippet_html: str = Field(description="摘录,HTML 转义,命中词以 <mark> 标出 / escaped snippet, terms in <mark>")


class SearchResults(Schema):
    query: str
    total: int = Field(description="结果总数 / number of results")
    total_exact: bool = Field(description="false: 总数是估计 / false when the total is an estimate")
    page: int
    pages: int = Field(description="可翻到的页数 / pages that can be reached")
    page_size: int
    notices: list[str] = Field(description="关于搜索词的提示 / notes on the query (cut, unsearchable…)")
    hits: list[SearchHit]


ChannelNode.model_rebuild()
