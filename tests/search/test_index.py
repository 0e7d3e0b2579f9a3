"""Index upkeep: saves, edits, withdrawals and deletes keep the index, frequencies and profiles right."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils.module_loading import import_string

from huiwen.newsroom.models import Article
from huiwen.search import backends, indexing
from huiwen.search.backends.base import SearchBackend
from huiwen.search.models import Profile, TermStat
from tests import factories
from tests.search.conftest import para
from tests.search.helpers import result_links, search

pytestmark = pytest.mark.django_db


def df() -> dict[str, int]:
    return dict(TermStat.objects.values_list("term", "df"))


def test_backend_follows_the_database_engine():
    backend = backends.get_backend()
    assert backend.vendor == connection.vendor
    assert isinstance(backend, SearchBackend)


def test_backend_by_dotted_path(settings):
    path = backends.DEFAULTS[connection.vendor]
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": path}
    assert backends.backend_path() == path
    settings.HUIWEN = {**settings.HUIWEN, "SEARCH_BACKEND": "huiwen.search.models.Profile"}
    with pytest.raises(TypeError):
        backends.get_backend()


def test_backend_refuses_the_wrong_database():
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    with pytest.raises(ValueError):
        import_string(backends.DEFAULTS[other])("default")


def test_edit_replaces_old_words(client, world):
    world.tea.title = "澄州秋茶上市"
    world.tea.body = para("秋茶的滋味醇厚。")
    world.tea.save()
    assert world.tea.get_absolute_url() not in result_links(search(client, q="明前茶")[1])
    assert world.tea.get_absolute_url() in result_links(search(client, q="秋茶")[1])


def test_document_frequencies_follow_changes_and_match_a_rebuild(world):
    world.tea.body = para("秋茶的滋味醇厚。")
    world.tea.save()
    world.marathon.status = Article.Status.WITHDRAWN
    world.marathon.save()
    factories.article(world.local, "茶园里的秋天", body=para("秋茶采摘开始了。"))
    world.ice_rink.delete()
    incremental = {term: count for term, count in df().items() if count > 0}
    call_command("search_index", "--rebuild")
    assert incremental == df()
    assert df()[indexing.ARTICLE_COUNT] == Article.objects.filter(status=Article.Status.PUBLISHED).count()


def test_a_rebuild_writes_the_profiles_its_articles_text_gives(world):
    """The second pass reads what the first spilled (indexing.ProfileSpill), not the articles again:
    every profile is still the one the article's own text gives with the final frequencies, and
    its signature the article's."""
    factories.article(world.local, "茶园里的秋天", body=para("秋茶采摘开始了。茶农说今年雨水多。"),
                      original_author="沈嘉禾")
    call_command("search_index", "--rebuild")
    frequencies = df()
    total = frequencies.pop(indexing.ARTICLE_COUNT)
    published = Article.objects.filter(status=Article.Status.PUBLISHED).select_related("publisher")
    assert Profile.objects.count() == published.count() > 2
    for article in published:
        row = indexing.as_row(article, article.publisher.name if article.publisher else "")
        doc = indexing.document(row)
        stored = Profile.objects.get(pk=article.pk)
        assert stored.terms == indexing.stored_profile(doc.counts, doc.names, frequencies, total)
        assert stored.signature == indexing.signature(row)


def test_unchanged_save_does_no_work(world):
    before = Profile.objects.get(pk=world.tea.pk)
    assert indexing.index_article(world.tea) is False
    world.tea.editor = "新编辑"  # not something search reads
    world.tea.save()
    assert Profile.objects.get(pk=world.tea.pk).signature == before.signature


def test_only_published_articles_are_indexed(world):
    draft = factories.article(world.local, "草稿", status=Article.Status.DRAFT)
    backend = backends.get_backend()
    assert backend.indexed_tokens(draft.pk) is None
    assert backend.indexed_tokens(world.tea.pk)
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert backend.indexed_tokens(draft.pk)
    assert backend.size() == Article.objects.filter(status=Article.Status.PUBLISHED).count()


def test_profiles_are_unit_vectors_of_title_and_body_words(world):
    terms = Profile.objects.get(pk=world.tea.pk).terms["w"]
    assert "明前茶" in terms
    assert abs(sum(weight * weight for weight in terms.values()) - 1.0) < 0.01
    assert all(len(term) >= 2 for term in terms)


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the tsvector table exists on PostgreSQL only"
)


def _documents(cursor, article_id: int | None = None) -> int:
    if article_id is None:
        cursor.execute("SELECT count(*) FROM search_document")
    else:
        cursor.execute("SELECT count(*) FROM search_document WHERE article_id = %s", [article_id])
    return cursor.fetchone()[0]


@postgres_only
def test_postgres_document_leaves_with_its_article_on_a_raw_delete(world):
    class Undo(Exception):
        pass

    with connection.cursor() as cursor:
        assert _documents(cursor, world.tea.pk) == 1
        # The other tables' foreign keys are deferred: the savepoint is rolled back before they
        # are checked, so only the trigger's work is observed.
        with pytest.raises(Undo), transaction.atomic():
            cursor.execute("DELETE FROM newsroom_article WHERE id = %s", [world.tea.pk])
            assert _documents(cursor, world.tea.pk) == 0
            assert _documents(cursor) > 0
            raise Undo
        assert _documents(cursor, world.tea.pk) == 1


@postgres_only
def test_postgres_truncating_articles_empties_the_index(world):
    """Django's flush truncates the article table; the unmanaged index table must not stop it."""
    with connection.cursor() as cursor:
        assert _documents(cursor) > 0
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the test's own inserts are still pending
        cursor.execute("TRUNCATE newsroom_article CASCADE")
        assert _documents(cursor) == 0
