"""newsroom.changes: the change path, its one batching mechanism and its handlers in a declared order."""

from __future__ import annotations

import pytest

from huiwen.newsroom import changes as batch


def test_without_a_batch_nothing_is_held():
    assert batch.later(lambda items: None, 1) is False
    assert batch.memo() is None


def test_held_rows_are_written_at_the_end_grouped_by_writer_in_first_held_order():
    calls: list[tuple[str, list[object]]] = []

    def first(items):
        calls.append(("first", items))

    def second(items):
        calls.append(("second", items))

    with batch.batch():
        for item in (1, 2):
            with batch.unit():
                assert batch.later(second, f"s{item}") and batch.later(first, item)
        assert calls == []  # nothing before the end
    assert calls == [("second", ["s1", "s2"]), ("first", [1, 2])]


def test_a_failed_unit_takes_its_held_rows_with_it():
    written: list[object] = []
    with batch.batch():
        with batch.unit():
            batch.later(written.extend, "kept")
        with pytest.raises(RuntimeError), batch.unit():
            batch.later(written.extend, "lost")
            raise RuntimeError("this page failed")
        with batch.unit():
            batch.later(written.extend, "also kept")
    assert written == ["kept", "also kept"]


def test_a_failed_batch_writes_nothing_and_its_memo_ends_with_it():
    written: list[object] = []
    with pytest.raises(RuntimeError), batch.batch():
        batch.memo()["seen"] = True
        with batch.unit():
            batch.later(written.extend, "held")
        raise RuntimeError("the batch failed")
    assert written == [] and batch.memo() is None


def test_an_inner_batch_leaves_the_writing_to_the_outer_one():
    written: list[object] = []
    with batch.batch():
        memo = batch.memo()
        with batch.batch():
            assert batch.memo() is memo
            batch.later(written.extend, "x")
        assert written == []
    assert written == ["x"]


def test_held_shows_what_is_not_written_yet_without_failed_units():
    def write(items):
        pass

    with batch.batch():
        with batch.unit():
            batch.later(write, "first page")
        with pytest.raises(RuntimeError), batch.unit():
            batch.later(write, "failed page")
            assert batch.held(write) == ["first page", "failed page"]  # its own, while it runs
            raise RuntimeError
        with batch.unit():
            batch.later(write, "third page")
            batch.later(print, "another kind")
            assert batch.held(write) == ["first page", "third page"]
    assert batch.held(write) == []


def test_remembered_computes_once_per_batch_and_every_time_outside():
    calls: list[int] = []

    def lookup() -> int:
        calls.append(1)
        return len(calls)

    assert batch.remembered("k", lookup) == 1 and batch.remembered("k", lookup) == 2
    with batch.batch():
        assert batch.remembered("k", lookup) == 3 and batch.remembered("k", lookup) == 3
    assert batch.remembered("k", lookup) == 4


# -- the change path over real saves -------------------------------------------------------------------


def test_a_handler_must_be_declared_in_the_order_and_a_phase_must_exist():
    with pytest.raises(ValueError, match="ORDER"):
        batch.register("mail", "set", lambda changeset: None)
    with pytest.raises(ValueError, match="phase"):
        batch.register("tags", "later", lambda changeset: None)


@pytest.mark.django_db
def test_set_handlers_run_once_per_batch_in_the_declared_order(monkeypatch):
    from tests import factories

    channel, publisher = factories.channel("guonei"), factories.publisher()
    ran: list[tuple[str, int]] = []
    for name, handler in batch.handlers("set"):
        def spy(changeset, name=name, handler=handler):
            ran.append((name, len(changeset.changes)))
            return handler(changeset)

        monkeypatch.setitem(batch._registry["set"], name, spy)
    article = factories.article(channel, title="同一篇稿件", publisher=publisher)
    assert [name for name, _ in ran] == [name for name in batch.ORDER if name in batch._registry["set"]]
    assert {count for _, count in ran} == {1}  # a save outside a batch is a set of one

    ran.clear()
    with batch.batch():
        for title in ("一改", "二改", "三改"):
            article.title = title
            article.save()
        assert ran == []  # nothing until the set ends
    assert len(ran) == len(batch.handlers("set")) and {count for _, count in ran} == {3}


@pytest.mark.django_db
def test_a_change_names_its_kind_and_actor_and_commit_handlers_wait_for_the_commit(
        monkeypatch, django_capture_on_commit_callbacks):
    from django.db import transaction

    from huiwen.newsroom.models import Article
    from tests import factories

    seen: list[list[tuple[str, str]]] = []
    article = factories.article(factories.channel("guonei"), title="待发布", status=Article.Status.DRAFT)
    user = factories.editor()
    monkeypatch.setitem(batch._registry["commit"], "tags", lambda changeset: seen.append(
        [(change.kind, str(change.actor)) for change in changeset.changes]))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        with batch.acting(batch.Kind.PUBLISH, user, "核实无误"):
            article.status = Article.Status.PUBLISHED
            article.save()
        raise RuntimeError("rolled back")
    assert seen == []  # a rolled-back change reaches nothing outside
    with (django_capture_on_commit_callbacks(execute=True), transaction.atomic(),
          batch.acting(batch.Kind.PUBLISH, user, "核实无误")):
        article.status = Article.Status.PUBLISHED
        article.save()
    assert seen == [[(batch.Kind.PUBLISH, str(user))]]
    revision = article.history.first()
    assert revision.history_user_id == user.pk and revision.history_change_reason == "核实无误"


@pytest.mark.django_db
def test_no_plain_sql_write_bypasses_the_change_path():
    """newsroom.rows refuses the models whose changes the handlers must see; each of those records
    its changes in its own save()."""
    from django.apps import apps

    from huiwen.newsroom import rows
    from huiwen.newsroom.models import Article, Publisher, Story

    with pytest.raises(rows.RecordedModel):
        rows.insert_object(Publisher(name="绕过变更的出版方"))
    with pytest.raises(rows.RecordedModel):
        rows.insert_rows(Article, ("title",), [("绕过",)])
    assert not Publisher.objects.filter(name="绕过变更的出版方").exists()
    story = Story()
    rows.insert_object(story)  # newsroom.stories' fast path, which records the change beside it
    assert story.pk is not None
    for label in batch.RECORDED:
        model = apps.get_model(label)
        assert "record" in model.save.__code__.co_names or "changes" in model.save.__code__.co_names, label


@pytest.mark.django_db
def test_the_set_handlers_share_the_sets_memo(monkeypatch):
    """A lookup remembered for the set (a channel's lists, say) is asked once for the whole set,
    by its handlers too, not once per change."""

    class Thing:
        pk = 1

    asked: list[int] = []

    def handler(changeset):
        for _ in changeset.changes:
            batch.remembered("lists", lambda: asked.append(1))

    monkeypatch.setitem(batch._registry["set"], "tags", handler)
    with batch.batch():
        for _ in range(3):
            batch.record(Thing(), None, {})  # type: ignore[arg-type]
    assert asked == [1]
    assert batch.memo() is None  # and it ends with the handlers
