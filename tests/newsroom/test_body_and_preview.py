"""The body as structured paragraphs, and the preview rendered by the reader's own page (issue 15)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from huiwen.backoffice import bodytext
from huiwen.backoffice.models import PendingRevision
from huiwen.newsroom.models import Article
from huiwen.newsroom.text import clean_body_html
from tests import factories
from tests.newsroom.desk import collected, user
from tests.reader.pages import html, text


@pytest.mark.parametrize(("typed", "stored"), [
    ("第一段。\n第二段。", "<p>第一段。</p><p>第二段。</p>"),
    ("<p>甲。</p>乙。\n丙。<p>丁。</p>", "<p>甲。</p><p>乙。</p><p>丙。</p><p>丁。</p>"),
    ("引言<strong>重</strong>点\n\n下一段", "<p>引言<strong>重</strong>点</p><p>下一段</p>"),
    ("<h1>小标题</h1>正文", "<h2>小标题</h2><p>正文</p>"),
    ("<div>一段<em>话</em></div><div><p>已有段落</p>尾巴</div>", "<p>一段<em>话</em></p><p>已有段落</p><p>尾巴</p>"),
    ("<figure><img src=\"https://img.example/a.png\" alt=\"桥\"><figcaption>新桥</figcaption></figure>尾声",
     "<figure><img src=\"https://img.example/a.png\" alt=\"桥\"><figcaption>新桥</figcaption></figure><p>尾声</p>"),
    ("  \n ", ""),
])
def test_structure_puts_every_line_in_a_block(typed, stored):
    assert bodytext.structure(typed) == stored
    assert clean_body_html(stored) == stored  # already what the sanitiser keeps: saving changes nothing


def test_structure_of_word_markup_after_the_sanitiser():
    word_paste = ('<p class="MsoNormal" style="mso-line-height:150%"><span lang="ZH-CN" style="font-family:宋体">'
                  '河道治理<o:p></o:p></span></p><p class="MsoNormal"><b>第二段</b></p>')
    assert clean_body_html(bodytext.structure(word_paste)) == "<p>河道治理</p><p><strong>第二段</strong></p>"


pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(client):
    made = user("wanglan", "chief", real_name="王岚")
    client.force_login(made)
    return made


def article_element(page):
    return page.xpath("//article[@class='article']")[0]


def test_typed_lines_are_paragraphs_on_the_reader_page_as_in_the_preview(client, chief):
    article = collected(factories.channel("news", "新闻"), "草稿一篇", status="pending")
    form = {"title": article.title, "column": "", "channel": article.channel_id, "publisher": article.publisher_id,
            "original_author": article.original_author, "lede": "", "body": "第一段。\n第二段。"}
    preview = html(client.post(reverse("backoffice:page-preview", args=[article.pk]), form))
    assert [text(p) for p in article_element(preview).xpath(".//div[@class='article-body']/p")] == ["第一段。", "第二段。"]
    client.post(reverse("backoffice:edit", args=[article.pk]), form)
    article.refresh_from_db()
    assert article.body == "<p>第一段。</p><p>第二段。</p>"


def test_page_preview_is_the_reader_template_in_both_editions(client, chief):
    news = factories.channel("news", "新闻")
    article = collected(news, "城市发展规划公布", status="published", body="<p>这座城市的发展规划公布了。</p>")
    page = html(client.get(reverse("backoffice:page-preview", args=[article.pk])))
    assert page.xpath("//link[@rel='stylesheet']/@href")[0].endswith("reader/site.css")
    assert text(page.xpath("//p[@class='desk-preview-banner']")[0]).startswith("预览(简体版,已发布)")
    hant = html(client.get(reverse("backoffice:page-preview", args=[article.pk]), {"edition": "hant"}))
    assert hant.get("lang") == "zh-Hant"
    assert text(article_element(hant).xpath(".//h1")[0]) == "城市發展規劃公佈"
    client.logout()
    published = html(client.get(article.get_absolute_url()))
    assert (article_element(page).xpath("string(.)") == article_element(published).xpath("string(.)"))


def test_page_preview_of_a_waiting_change(client, chief):
    article = collected(factories.channel("news", "新闻"), "原来的标题", status="published")
    change = PendingRevision.objects.create(
        article=article, title="修改后的标题", body="<p>修改后的正文。</p>", channel=article.channel,
        publisher=article.publisher, note="改题", proposed_by=chief)
    page = html(client.get(reverse("backoffice:page-preview", args=[article.pk]), {"revision": change.pk}))
    assert text(article_element(page).xpath(".//h1")[0]) == "修改后的标题"
    assert Article.objects.get(pk=article.pk).title == "原来的标题"
    assert client.get(reverse("backoffice:page-preview", args=[article.pk]), {"revision": 999999}).status_code == 404


def test_page_preview_needs_the_desk(client):
    article = collected(factories.channel("news", "新闻"), "某篇")
    response = client.get(reverse("backoffice:page-preview", args=[article.pk]))
    assert response.status_code == 302 and "/newsroom/login/" in response["Location"]
