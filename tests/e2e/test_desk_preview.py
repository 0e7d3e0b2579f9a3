"""What you see is what readers get (issue 15), in real Chromium.

The desk's reader-page preview and the published page hold the same article HTML, in both editions;
the structured body editor makes paragraphs, subheads, figures with captions and links, by mouse
and by keyboard; text pasted from Word, WPS or a web page is cleaned in the browser to exactly the
markup the server stores.
"""

from __future__ import annotations

import pytest

from huiwen.backoffice import bodytext
from huiwen.newsroom.models import Article
from huiwen.newsroom.text import LINK_REL, clean_body_html
from tests import factories
from tests.e2e.desk import Hands, log_in
from tests.newsroom.desk import collected, user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BODY = ('<p>新桥连通两岸。</p><h2>通行时间缩短</h2><p>过江只要十分钟,详见<a href="https://example.org/bridge">'
        '工程公告</a>。</p><figure><img src="/media/img/bridge.png" alt="新桥"><figcaption>新桥远景</figcaption>'
        '</figure><p>居民说,出行方便多了。</p>')

PASTES = {
    "word": ('<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{margin:0}</style>'
             '</head><body><!--StartFragment--><p class="MsoNormal" style="text-indent:2em"><span lang="ZH-CN" '
             'style="font-family:宋体">河道治理<o:p></o:p></span></p><p class="MsoNormal"><b><span>第二段'
             '</span></b></p><h1>大标题</h1><!--EndFragment--></body></html>'),
    "wps": ('<body><div class="WordSection1"><p style="line-height:150%"><font face="宋体">第一段文字</font></p>'
            '<p><i>强调</i>的内容</p><table><tr><td>甲</td><td>乙</td></tr></table></div></body>'),
    "web": ('<div class="article"><section><p>网页上的<a href="https://example.org/x" onclick="evil()">链接</a>'
            '</p><script>alert(1)</script><div>没有段落标签的一行</div><img src="data:image/png;base64,AAAA">'
            '<figure><img src="https://img.example.org/a.jpg" alt="图"><figcaption>说明</figcaption></figure>'
            '</section></div>'),
}


def article_html(page) -> str:
    return page.locator("article.article").evaluate("node => node.outerHTML")


def test_preview_is_the_published_page_in_both_editions(live_server, page, artifacts):
    news = factories.channel("news", "新闻")
    user("wanglan", "chief", real_name="王岚")
    article = collected(news, "南溪大桥合龙通车", status="published", body=BODY, editor="王岚",
                        lede="两岸居民期盼多年的大桥今天通车。")
    base = live_server.url
    log_in(page, base, "wanglan", Hands(page, "mouse"))
    for preview, published, name in ((f"/newsroom/a/{article.pk}/page/", f"/a/{article.pk}.html", "hans"),
                                     (f"/newsroom/a/{article.pk}/page/?edition=hant", f"/zh-hant/a/{article.pk}.html",
                                      "hant")):
        page.goto(base + preview)
        shown = article_html(page)
        page.screenshot(path=str(artifacts / f"desk-preview-{name}.png"), full_page=True)
        assert page.locator("link[href$='reader/site.css']").count() == 1
        page.goto(base + published)
        assert article_html(page) == shown, name
    assert "南溪大橋合龍通車" in shown  # the Traditional edition really was converted

    # An unsaved edit: the preview button shows the page the save then publishes.
    page.goto(f"{base}/newsroom/a/{article.pk}/edit/")
    editor = page.locator(".body-editor")
    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("通车当天,桥上挤满了看热闹的人。")
    page.get_by_label("修改说明").fill("补充通车场面")
    with page.expect_popup() as opened:
        page.get_by_role("button", name="预览读者页面(简体)").click()
    popup = opened.value
    popup.wait_for_load_state()
    previewed = article_html(popup)
    assert "通车当天,桥上挤满了看热闹的人。" in previewed
    popup.close()
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    assert "通车当天" in Article.objects.get(pk=article.pk).body  # a chief's clean edit applies at once
    page.goto(f"{base}/a/{article.pk}.html")
    assert article_html(page) == previewed


@pytest.mark.parametrize("how", ["mouse", "keyboard"])
def test_body_editor_builds_structure_and_cleans_pastes(live_server, page, artifacts, how):
    news = factories.channel("news", "新闻")
    user("wanglan", "chief", real_name="王岚")
    article = collected(news, "社区食堂开张", status="pending", body="<p>第一段。</p>")
    hands = Hands(page, how)
    base = live_server.url
    log_in(page, base, "wanglan", hands)
    page.goto(f"{base}/newsroom/a/{article.pk}/edit/")
    editor = page.locator(".body-editor")

    # The browser's cleaning equals the server's, for each kind of paste.
    for source, html in PASTES.items():
        in_browser = page.evaluate("html => window.huiwenBodyEditor.cleanHtml(html)", html)
        assert clean_body_html(in_browser) == in_browser, source  # nothing left for the sanitiser to remove
        assert in_browser == clean_body_html(bodytext.structure(html)), source

    def toolbar(name: str) -> None:
        hands.press(page.get_by_role("toolbar", name="正文格式").get_by_role("button", name=name), navigates=False)

    editor.locator("p").last.click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("菜价公道")
    toolbar("小标题")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    toolbar("段落")
    page.keyboard.type("详情见")
    toolbar("链接…")
    hands.fill(page.get_by_label("链接地址"), "https://example.org/canteen")
    page.keyboard.press("Enter") if hands.keyboard else page.get_by_role("button", name="插入链接").click()
    toolbar("图片…")
    hands.fill(page.get_by_label("图片地址"), "https://img.example.org/canteen.jpg")
    hands.fill(page.get_by_label("图片说明"), "食堂开张当天")
    page.keyboard.press("Enter") if hands.keyboard else page.get_by_role("button", name="插入图片").click()
    editor.evaluate("""(node, html) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', '河道治理');
        node.focus();
        const range = document.createRange(); range.selectNodeContents(node); range.collapse(false);
        getSelection().removeAllRanges(); getSelection().addRange(range);
        node.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }""", PASTES["word"])
    page.screenshot(path=str(artifacts / f"desk-body-editor-{how}.png"), full_page=True)
    in_editor = page.evaluate("() => window.huiwenBodyEditor.cleanHtml(document.querySelector('.body-editor').innerHTML)")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    stored = Article.objects.get(pk=article.pk).body
    assert stored == in_editor
    assert stored == (
        f'<p>第一段。</p><h2>菜价公道</h2><p>详情见<a href="https://example.org/canteen" rel="{LINK_REL}">'
        'https://example.org/canteen</a></p><figure><img src="https://img.example.org/canteen.jpg" alt="食堂开张当天">'
        '<figcaption>食堂开张当天</figcaption></figure><p>河道治理</p><p><strong>第二段</strong></p><h2>大标题</h2>'
    ), stored
