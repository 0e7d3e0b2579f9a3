"""Stories and attribution marks are written only through their services, so every write is a change.

A story (newsroom.Story), an article's place in one (Article.story) and the collector's attribution
marks (collect.Attribution) are changes of the change path (issue 18, point 1): newsroom.stories
and collect.marks write them and record each change, and the models' own save() and delete()
record theirs. A queryset write (update, bulk_create, delete ...), a plain-SQL write of newsroom.rows,
or a reverse relation's add/set/remove/clear would change them with no change recorded and no
handler run. This reads src/ with `ast` and fails on such a write anywhere but the services.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "huiwen"
SERVICES = {SRC / "newsroom" / "stories.py", SRC / "collect" / "marks.py"}
MODELS = {"Story", "Attribution"}
# Their fields, as a queryset write (or an Article queryset's update of its story) names them.
FIELDS = {"story", "story_id", "original_publisher", "original_publisher_id", "first_published_at",
          "source_fallback", "time_fallback", "provenance"}
QUERYSET_WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update", "delete"}
PLAIN_SQL_WRITES = {"insert_object", "update_object", "insert_rows", "set_story_original"}
# A reverse foreign key's manager writes the far side's rows (story.articles.add(article)).
RELATION_WRITES = {"add", "set", "remove", "clear"}


def _root(node: ast.expr) -> str | None:
    """The name a chain of attributes and calls starts from: Story for Story.objects.filter(...).update."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return node.id if isinstance(node, ast.Name) else None


def _names_a_story(node: ast.expr) -> bool:
    """story, joined_story, article.story: an owner of `.articles` that is a story (a notice's
    articles are another relation)."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return "story" in name.lower()


def writes(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        keywords = {keyword.arg for keyword in node.keywords}
        if isinstance(func, ast.Attribute) and name in QUERYSET_WRITES and _root(func.value) in MODELS:
            found.append((node.lineno, f"{_root(func.value)}.….{name}"))
        elif name in {"update", "bulk_update"} and keywords & FIELDS:
            found.append((node.lineno, f"{name}({', '.join(sorted(keywords & FIELDS))}=…)"))
        elif name == "bulk_update" and any(isinstance(arg, ast.List | ast.Tuple) and {
                element.value for element in arg.elts if isinstance(element, ast.Constant)} & FIELDS
                for arg in node.args[1:]):
            found.append((node.lineno, "bulk_update of a story or mark field"))
        elif name in PLAIN_SQL_WRITES and (name == "set_story_original" or any(
                _root(arg) in MODELS or (isinstance(arg, ast.Name) and arg.id.lower() in {"story", "attribution"})
                for arg in node.args[:1])):
            found.append((node.lineno, name))
        elif (name in RELATION_WRITES and isinstance(func, ast.Attribute) and isinstance(func.value, ast.Attribute)
              and func.value.attr == "articles" and _names_a_story(func.value.value)):
            found.append((node.lineno, f"articles.{name}"))
    return found


def test_stories_and_marks_are_written_only_through_their_services():
    outside = {
        f"{path.relative_to(SRC)}:{line} {what}"
        for path in SRC.rglob("*.py") if path not in SERVICES and "migrations" not in path.parts
        for line, what in writes(ast.parse(path.read_text(encoding="utf-8"), str(path)))
    }
    assert outside == set()


def test_the_services_are_where_the_writes_are():
    """The check reads the services too: each holds the writes it is excused for."""
    found = {path.name: {what for _, what in writes(ast.parse(path.read_text(encoding="utf-8")))}
             for path in SERVICES}
    assert {"insert_object", "set_story_original", "update(story=…)"} <= found["stories.py"]
    assert "Attribution.….bulk_create" in found["marks.py"]


@pytest.mark.parametrize(("source", "seen"), [
    ("Story.objects.create()", "Story.….create"),
    ("Story.objects.filter(pk=1).delete()", "Story.….delete"),
    ("Attribution.objects.update_or_create(article=a, defaults={})", "Attribution.….update_or_create"),
    ("Attribution.objects.bulk_create(rows)", "Attribution.….bulk_create"),
    ("Article.objects.filter(pk=1).update(story=s)", "update(story=…)"),
    ("Article.objects.filter(pk=1).update(story_id=None)", "update(story_id=…)"),
    ("rows.filter(article_id=1).update(source_fallback=False)", "update(source_fallback=…)"),
    ("Article.objects.bulk_update(items, ['story'])", "bulk_update of a story or mark field"),
    ("insert_object(story)", "insert_object"),
    ("rows.insert_rows(Attribution, ('article_id',), [])", "insert_rows"),
    ("set_story_original(7)", "set_story_original"),
    ("story.articles.add(article)", "articles.add"),
    ("article.story.articles.clear()", "articles.clear"),
])
def test_the_check_sees_each_kind_of_write(source, seen):
    assert [what for _, what in writes(ast.parse(source))] == [seen]


def test_the_check_leaves_other_writes_alone():
    source = """
Article.objects.filter(pk=1).update(status="withdrawn")
insert_object(screening)
Publisher.objects.create(name="x")
article.story = story
article.save()
Story.objects.filter(articles=1).first()
notice.articles.set(articles)
"""
    assert writes(ast.parse(source)) == []


@pytest.mark.django_db
def test_a_save_of_a_story_or_a_mark_records_its_change(monkeypatch):
    """What no service does (the shell, a fixture) still takes the path: save() and delete() record."""
    from huiwen.collect.models import Attribution
    from huiwen.newsroom import changes
    from huiwen.newsroom.models import Story
    from tests import factories

    article = factories.article(factories.channel("news"), "一篇稿件")
    with changes.batch() as changeset:
        story = Story.objects.create()
        mark = Attribution.objects.create(article=article, source_fallback=True)
        mark.source_fallback = False
        mark.save()
        story.delete()
    recorded = [(type(change.instance).__name__, change.kind) for change in changeset.changes]
    assert recorded == [("Story", changes.Kind.CREATE), ("Attribution", changes.Kind.CREATE),
                        ("Attribution", changes.Kind.EDIT), ("Story", changes.Kind.DELETE)]
    edit = changeset.changes[2]
    assert (edit.before or {})["source_fallback"] is True and edit.after["source_fallback"] is False
