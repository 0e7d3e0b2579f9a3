"""Keeping the index, the document frequencies and the term profiles in step with the articles.

Only published articles are indexed (embargoed ones too: their time comes without a save);
whether a reader may see one is still decided at query time by Article.objects.visible().
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, transaction

from huiwen.newsroom.models import Article
from huiwen.newsroom.text import html_to_text
from huiwen.rows import insert_rows, select_in
from huiwen.search import meta
from huiwen.search.backends import get_backend
from huiwen.search.backends.base import Fields
from huiwen.search.models import Profile, TermStat
from huiwen.search.text import fold, segment, words, words_and_grams

MAX_TERM_LENGTH = 100  # TermStat.term's length
PROFILE_TERMS = 32  # weighted terms kept per article
TITLE_BOOST = 3  # a word in the title counts as this many in the body
ARTICLE_COUNT = ""  # TermStat row holding the number of indexed articles

# Frequent function words that the two-character filter and IDF do not already silence.
STOPWORDS = frozenset((
    "我们", "你们", "他们", "她们", "它们", "自己", "这个", "那个", "这些", "那些", "这样", "那样", "这里", "那里",
    "什么", "怎么", "为什么", "如何", "一个", "一些", "一种", "一次", "没有", "不是", "就是", "还是", "但是", "而且",
    "并且", "因为", "所以", "如果", "虽然", "然后", "以及", "或者", "已经", "正在", "可以", "能够", "需要", "应该",
    "进行", "通过", "表示", "认为", "指出", "介绍", "据悉", "记者", "目前", "今年", "去年", "明年", "今天", "昨天",
    "近日", "日前", "同时", "此外", "其中", "其他", "相关", "有关", "方面", "工作", "情况", "问题", "还有", "之后",
    "之前", "以来", "以上", "以下", "之一", "不少", "很多", "更多", "非常", "一直", "开始", "继续", "成为", "作为",
    "对于", "关于", "由于", "根据", "随着",
))


@dataclass(frozen=True)
class Document:
    fields: Fields  # what the index holds
    title_words: list[str]  # precise-mode words, for the profile
    body_words: list[str]


def _texts(title: str, original_title: str, lede: str, body: str) -> tuple[str, str]:
    heading = title if not original_title or original_title == title else f"{title} {original_title}"
    text = html_to_text(body)
    return fold(heading), fold(f"{lede}\n{text}" if lede else text)


def document(
    article_id: int, title: str, original_title: str, lede: str, body: str, meta_tokens: list[str]
) -> Document:
    folded_title, folded_body = _texts(title, original_title, lede, body)
    title_words, title_grams = words_and_grams(folded_title, folded=True)
    body_words, body_grams = words_and_grams(folded_body, folded=True)
    fields = Fields(
        article_id,
        segment(folded_title, folded=True),
        segment(folded_body, folded=True),
        title_grams,
        body_grams,
        meta_tokens,
    )
    return Document(fields, title_words, body_words)


def signature(article: Article) -> str:
    parts = (
        article.title, article.original_title, article.lede, article.body, article.channel_id,
        article.publisher_id, article.published_at.timestamp() if article.published_at else "", article.story_id,
    )
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).hexdigest()


def _keep(word: str) -> bool:
    return 2 <= len(word) <= MAX_TERM_LENGTH and not word.isdigit() and word not in STOPWORDS


def term_counts(title_words: Iterable[str], body_words: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in title_words:
        if _keep(word):
            counts[word] += TITLE_BOOST
    for word in body_words:
        if _keep(word):
            counts[word] += 1
    return counts


def profile_terms(counts: Counter[str], df: dict[str, int], total: int) -> dict[str, float]:
    """Top PROFILE_TERMS words by (1 + ln tf) · ln(1 + N/df), scaled to unit length."""
    weights = {
        word: (1.0 + math.log(count)) * math.log(1.0 + total / max(df.get(word, 0), 1))
        for word, count in counts.items()
    }
    top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:PROFILE_TERMS]
    norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1.0
    return {word: round(weight / norm, 4) for word, weight in top}


def document_frequencies(terms: Iterable[str], using: str = "default") -> tuple[dict[str, int], int]:
    wanted = [term for term in set(terms) if len(term) <= MAX_TERM_LENGTH] + [ARTICLE_COUNT]
    # Plain SQL: a batch asks for thousands of terms, and the ORM's cost of building an IN list
    # grows with every parameter (it was a fifth of indexing a collector's batch).
    table = connections[using].ops.quote_name(TermStat._meta.db_table)
    rows: dict[str, int] = dict(select_in(f"SELECT term, df FROM {table} WHERE term", wanted, using=using, chunk=900))
    return rows, max(rows.pop(ARTICLE_COUNT, 0), 1)


def _adjust_df(added: Counter[str], removed: Counter[str], articles: int, using: str) -> None:
    """Add to or take from the document frequencies: `added[term]` more documents hold the term,
    `removed[term]` fewer, and the number of indexed articles changes by `articles`."""
    table = TermStat._meta.db_table
    added = Counter({term: n for term, n in added.items() if len(term) <= MAX_TERM_LENGTH and n > 0})
    removed = Counter({term: n for term, n in removed.items() if len(term) <= MAX_TERM_LENGTH and n > 0})
    with connections[using].cursor() as cursor:
        # Sorted, so concurrent writers take row locks in one order (no deadlocks on PostgreSQL).
        if added:
            cursor.executemany(
                f"INSERT INTO {table} (term, df) VALUES (%s, %s) "
                f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df",
                sorted(added.items()),
            )
        if removed:
            cursor.executemany(
                f"UPDATE {table} SET df = CASE WHEN df > %s THEN df - %s ELSE 0 END WHERE term = %s",
                [(count, count, term) for term, count in sorted(removed.items())],
            )
        if articles:
            cursor.execute(
                f"INSERT INTO {table} (term, df) VALUES (%s, %s) ON CONFLICT (term) DO UPDATE SET df = {table}.df + %s",
                [ARTICLE_COUNT, max(articles, 0), articles],
            )


def index_article(article: Article, *, using: str = "default") -> bool:
    """(Re-)index a published article. False when nothing it depends on changed since last time."""
    return bool(index_many([article], using=using))


def index_many(articles: Iterable[Article], *, using: str = "default") -> list[int]:
    """(Re-)index published articles together; the ids of those whose index entry changed.

    One pass for the lot (a collector's batch): the index rows, the document frequencies and the
    term profiles are each written in one statement or batch, and the profiles of the batch are
    weighted with frequencies that already count every article in it, as a rebuild would.
    """
    articles = {article.pk: article for article in articles}
    if not articles:
        return []
    known = dict(Profile.objects.using(using).filter(pk__in=list(articles)).values_list("pk", "signature"))
    signatures = {pk: signature(article) for pk, article in articles.items()}
    todo = [article for pk, article in articles.items() if known.get(pk) != signatures[pk]]
    if not todo:
        return []
    backend = get_backend(using)
    docs = [
        document(article.pk, article.title, article.original_title, article.lede, article.body,
                 meta.document_tokens(article.channel_id, article.publisher_id, article.published_at))
        for article in todo
    ]
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    new_articles = 0
    with transaction.atomic(using=using):
        old_tokens = backend.indexed_tokens_many([doc.fields.article_id for doc in docs])
        backend.remove(list(old_tokens))
        backend.bulk_insert(doc.fields for doc in docs)
        for doc in docs:
            old, new = old_tokens.get(doc.fields.article_id), doc.fields.words
            if old is None:
                new_articles += 1
                added.update(new)
            else:
                added.update(new - old)
                removed.update(old - new)
        _adjust_df(added, removed, new_articles, using)
        counts = {doc.fields.article_id: term_counts(doc.title_words, doc.body_words) for doc in docs}
        df, total = document_frequencies({term for terms in counts.values() for term in terms}, using)
        ids = list(counts)
        Profile.objects.using(using).filter(pk__in=ids).delete()
        # Plain executemany: a batch writes a profile per article.
        as_json = Profile._meta.get_field("terms").get_db_prep_save
        db = connections[using]
        insert_rows(Profile, ("article_id", "terms", "signature", "related_at"), [
            (pk, as_json(profile_terms(terms, df, total), db), signatures[pk], None) for pk, terms in counts.items()
        ], using)
    return ids


def unindex_article(article_id: int, *, using: str = "default") -> bool:
    """Take an article out of the index. False when it was not in it."""
    backend = get_backend(using)
    with transaction.atomic(using=using):
        old_tokens = backend.indexed_tokens(article_id)
        Profile.objects.using(using).filter(pk=article_id).delete()
        if old_tokens is None:
            return False
        backend.remove([article_id])
        _adjust_df(Counter(), Counter(old_tokens), -1, using)
    return True


Row = tuple[int, str, str, str, str, int, int | None, datetime, int | None]


def _published(using: str, chunk: int) -> Iterator[list[Row]]:
    rows = (
        Article.objects.using(using)
        .filter(status=Article.Status.PUBLISHED)
        .order_by("pk")
        .values_list(
            "pk", "title", "original_title", "lede", "body", "channel_id", "publisher_id", "published_at", "story_id"
        )
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:chunk])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def rebuild(*, using: str = "default", chunk: int = 1000, progress=None) -> int:
    """Rebuild the index, the document frequencies and the profiles from scratch. Returns the count.

    Two passes over the published articles: the first writes the index and counts document
    frequencies, the second (which needs the final frequencies) writes the term profiles.
    Stored 相关阅读 lists are dropped and recomputed as articles are viewed or saved (or all
    at once with `search_index --related`).
    """
    from huiwen.search.models import RelatedArticle

    backend = get_backend(using)
    with transaction.atomic(using=using):
        backend.clear()
        TermStat.objects.using(using).all().delete()
        Profile.objects.using(using).all().delete()
        RelatedArticle.objects.using(using).all().delete()
    if progress:
        progress("cleared", 0)
    df: Counter[str] = Counter()
    total = 0
    for batch in _published(using, chunk):
        docs = [
            document(pk, title, original, lede, body, meta.document_tokens(channel_id, publisher_id, published_at))
            for pk, title, original, lede, body, channel_id, publisher_id, published_at, _ in batch
        ]
        for doc in docs:
            df.update(term for term in doc.fields.words if len(term) <= MAX_TERM_LENGTH)
        with transaction.atomic(using=using):
            backend.bulk_insert(doc.fields for doc in docs)
        total += len(docs)
        if progress:
            progress("index", total)
    with transaction.atomic(using=using):
        stats = [TermStat(term=term, df=count) for term, count in df.items()]
        stats.append(TermStat(term=ARTICLE_COUNT, df=total))
        TermStat.objects.using(using).bulk_create(stats, batch_size=5000)
    done = 0
    for batch in _published(using, chunk):
        profiles = []
        for pk, title, original, lede, body, channel_id, publisher_id, published_at, story_id in batch:
            folded_title, folded_body = _texts(title, original, lede, body)
            counts = term_counts(words(folded_title, folded=True), words(folded_body, folded=True))
            stand_in = Article(
                pk=pk, title=title, original_title=original, lede=lede, body=body, channel_id=channel_id,
                publisher_id=publisher_id, published_at=published_at, story_id=story_id,
            )
            profiles.append(
                Profile(article_id=pk, terms=profile_terms(counts, df, total), signature=signature(stand_in))
            )
        with transaction.atomic(using=using):
            Profile.objects.using(using).bulk_create(profiles)
        done += len(profiles)
        if progress:
            progress("profiles", done)
    backend.optimize()
    return total
