"""Attribution enforced at publish: 来源, 原标题, 原链接, 责任编辑 (real name), 原作者 when given."""

from __future__ import annotations

import pytest

from huiwen.backoffice import attribution, workflow
from huiwen.newsroom.models import Article, AuditEntry
from tests import factories
from tests.newsroom.desk import collected, user

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return factories.channel("news", "新闻")


@pytest.mark.parametrize(("title", "original", "column", "changed"), [
    ("稳中求进谱新篇", "稳中求进谱新篇", "", False),
    ("稳中求进谱新篇(和音)", "稳中求进谱新篇", "和音", False),
    ("稳中求进谱新篇", "稳中求进谱新篇(和音)", "和音", False),
    ("【人民论坛】稳中求进谱新篇", "稳中求进谱新篇", "人民论坛", False),
    ("稳中求进 谱新篇", "稳中求进谱新篇", "", False),  # spacing is not wording
    ("稳中求进谱写新篇章", "稳中求进谱新篇", "", True),
    ("重磅!稳中求进谱新篇(和音)", "稳中求进谱新篇", "和音", True),
])
def test_title_change_beyond_the_column_tag_is_flagged(news, title, original, column, changed):
    article = Article(title=title, original_title=original, column=column)
    assert attribution.title_changed(article) is changed


def test_publisher_needs_a_real_name(news):
    nameless = user("anon", "chief", real_name=None)
    article = collected(news)
    assert workflow.publish(article, nameless) == ["责任编辑须为真实姓名:请管理员在“编辑资料”中为你填写真实姓名。"]
    article.refresh_from_db()
    assert article.status == Article.Status.PENDING


def test_every_missing_line_is_listed(news):
    chief = user("chief", "chief", real_name="王岚")
    article = collected(news, original_title="", source_url=None, publisher=None)
    assert workflow.publish_problems(article, chief) == ["缺少来源(来源媒体)。", "缺少原标题。", "缺少原链接。"]


def test_original_author_given_by_the_source_cannot_be_dropped(news):
    chief = user("chief", "chief", real_name="王岚")
    article = collected(news)  # collected with 原作者 周明远
    article.original_author = ""
    article.save()
    assert workflow.publish_problems(article, chief) == ["来源署名了原作者(周明远),不能删去。"]


def test_no_original_author_needed_when_the_source_gave_none(news):
    chief = user("chief", "chief", real_name="王岚")
    article = collected(news, original_author="")
    assert workflow.publish(article, chief) == []


def test_changed_title_is_published_flagged_with_the_original_kept(news):
    chief = user("chief", "chief", real_name="王岚")
    article = collected(news, "街区改造让老街焕发生机", original_title="老街改造进行时")
    assert workflow.publish(article, chief) == []
    article.refresh_from_db()
    assert article.original_title == "老街改造进行时" and article.editor == "王岚"
    entry = AuditEntry.objects.get(article=article)
    assert entry.reason == "发布;标题与原标题不同(原标题:老街改造进行时)"


def test_edit_form_never_changes_the_original_title(client, news):
    editor = user("editor", "editor", real_name="赵一")
    client.force_login(editor)
    article = collected(news, "老街改造进行时")
    form = {"title": "老街改造进行时", "column": "", "channel": news.pk, "publisher": article.publisher_id,
            "original_author": "周明远", "lede": "", "body": "<p>新的正文。</p>", "original_title": "篡改的原标题"}
    response = client.post(f"/newsroom/a/{article.pk}/edit/", form)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.original_title == "老街改造进行时" and article.body == "<p>新的正文。</p>"
