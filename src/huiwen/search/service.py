"""Running a parsed query: the index finds and ranks, Article.objects.visible() decides what is public.

Cost is bounded, whatever the query: filters (channel, publisher, dates) narrow the match in
the index (meta.py); relevance ranking scores at most the newest RANK_WINDOW matches; newest
first sorts the matches of the last few days when they fill the page (NEWEST_SLICES); the page's
ids are then read through Article.objects.visible() with the filters applied exactly (a batch a
little larger than the page; more only if hidden articles took places). The total is exact up
to EXACT_COUNT matches, and the index's count (which may include a few articles not yet
visible) above that, shown as approximate; in relevance order a full ranking window is not
counted further ("more than 5,000").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.safestring import SafeString

from huiwen.newsroom.models import Article, ArticleQuerySet, Channel, Publisher
from huiwen.newsroom.rows import load_articles
from huiwen.search import meta, outlets
from huiwen.search.backends import get_backend
from huiwen.search.backends.base import Group, Match, Phrase
from huiwen.search.backends.visibility import Rule, rule
from huiwen.search.highlight import highlight, plain_text, snippet
from huiwen.search.query import FieldTerm, ParsedQuery

ORDERS = ("rank", "new")
RANK_WINDOW = 2_000  # relevance ranks the newest this many matches
EXACT_COUNT = 1_000  # totals up to this are counted through the visibility rule
NEWEST_SLICES = (3, 14, 60, 365)  # days: newest-first looks in the last 3 days first, then wider
SORT_ALL_UP_TO = 2_000  # newest first sorts all the matches when there are no more than this


@dataclass(frozen=True)
class Filters:
    channel: Channel | None = None
    publisher: Publisher | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Hit:
    article: Article
    title: SafeString
    snippet: SafeString
    source: str = ""  # the attribution lines the page shows, highlighted too (SafeString)
    author: str = ""
    column: str = ""
    newspaper: str = ""


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    total: int
    exact: bool = True  # False: the total is the index's count, which may include unpublished items
    over: bool = False  # True: more than `total` (the ranking window was full and nothing counted further)
    window: int = RANK_WINDOW  # results beyond this many are not reachable by paging


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def in_scope(articles: ArticleQuerySet, filters: Filters) -> ArticleQuerySet:
    """`articles` narrowed to the filters' channel tree and publisher (not their dates)."""
    if filters.channel is not None:
        articles = articles.in_channel_tree(filters.channel)
    if filters.publisher is not None:
        articles = articles.filter(publisher=filters.publisher)
    return articles


def visible_articles(filters: Filters, now: datetime | None = None) -> ArticleQuerySet:
    articles = in_scope(Article.objects.visible(now), filters)
    if filters.since is not None:
        articles = articles.filter(published_at__gte=_start_of(filters.since))
    if filters.until is not None:
        articles = articles.filter(published_at__lt=_start_of(filters.until + timedelta(days=1)))
    return articles


MAX_ALTERNATIVES = 50  # publishers one word can name
MAX_SOURCES = 500  # publishers one 来源:… can stand for


def _field_group(term: FieldTerm) -> list[str | Phrase]:
    if term.field == "source":
        tokens, prefix = meta.value_phrase(meta.FIELD_PREFIXES["print_newspaper"], term.value)
        group: list[str | Phrase] = [f"p{pk}" for pk in outlets.holding(term.value)[:MAX_SOURCES]]
    else:
        tokens, prefix = meta.value_phrase(meta.FIELD_PREFIXES[term.field], term.value)
        group = []
    if tokens:
        group.append(Phrase(tokens, prefix))
    return group or ["d00000000"]  # nothing can match


def match_for(query: ParsedQuery, filters: Filters) -> Match:
    publisher = filters.publisher.pk if filters.publisher is not None else None
    groups: list[Group] = list(meta.filter_groups(filters.channel, publisher, filters.since, filters.until))
    groups += [_field_group(term) for term in query.fields if not term.negated]
    excluded = [_field_group(term) for term in query.fields if term.negated]
    alternatives = {}
    for term in [*query.include, *(term for group in query.exclude for term in group)]:
        if term.prefix or len(term.text) < 2:
            continue
        found = outlets.naming(term.text)
        if 0 < len(found) <= MAX_ALTERNATIVES:
            alternatives[term] = [f"p{pk}" for pk in found]
    return Match(query, groups, excluded, alternatives)


def visibility(filters: Filters) -> Rule:
    """visible_articles(filters) as plain SQL for the backend (compiled once per filter set)."""
    key = (
        filters.channel.pk if filters.channel else None, filters.channel.path if filters.channel else None,
        filters.publisher.pk if filters.publisher else None, filters.since, filters.until,
    )
    return rule(key, lambda now: visible_articles(filters, now))


def _newest(match: Match, visible: Rule, indexed: int, offset: int, limit: int) -> list[int]:
    """Newest first, sorting only the matches of the narrowest recent slice of days that holds
    enough of them (its newest are then the newest of all: no visible article is dated after today)."""
    backend = get_backend()
    today = timezone.localdate()
    # Up to SORT_ALL_UP_TO matches, sorting them all (from the covering index) costs less than
    # counting the slices first.
    if backend.slices_for_newest and indexed > max(offset + limit, SORT_ALL_UP_TO):
        for days in NEWEST_SLICES:  # counted one by one: a wide slice costs nearly a full count
            recent = Match(match.query, [*match.groups, meta.date_tokens(today - timedelta(days=days), today)],
                           match.excluded, match.alternatives)
            if backend.count(recent) < offset + limit:
                continue
            ids = backend.newest_visible(recent, visible, offset, limit)
            if len(ids) == limit:  # else hidden articles took places: a wider slice
                return ids
    return backend.newest_visible(match, visible, offset, limit)


def _load(ids: list[int]) -> dict[int, Article]:
    """The hits' articles by id (they passed the visibility rule a moment ago, in this request)."""
    return load_articles(ids)


def _hit(article: Article, terms: list[str]) -> Hit:
    return Hit(
        article=article,
        title=highlight(article.title, terms),
        snippet=snippet(f"{article.lede}\n{plain_text(article.body)}", terms),
        source=highlight(article.publisher.name, terms) if article.publisher else SafeString(""),
        author=highlight(article.original_author, terms),
        column=highlight(article.column, terms),
        newspaper=highlight(article.print_newspaper, terms),
    )


@dataclass(frozen=True)
class Found:
    """What the index part of a search found: the page's ids, in order, and the counts it shows."""

    ids: list[int]
    indexed: int  # matches in the index (the ranking window's size when it was full)
    counted: int | None  # visible matches, counted when there were few enough
    over: bool  # counting stopped: "more than `indexed`"


def find(match: Match, visible: Rule, *, order: str = "rank", offset: int = 0, limit: int = 20,
         window: int = RANK_WINDOW) -> Found:
    """The index's half of a search: the visible matches of one page and the counts, without
    loading an article (what bench/search.py compares with a dedicated engine)."""
    backend = get_backend()
    if order == "new":
        indexed, counted = backend.counts(match, visible, EXACT_COUNT)
        ids = _newest(match, visible, indexed, offset, limit) if indexed else []
        count_limit = backend.count_limit
        if count_limit is not None and indexed > count_limit:
            return Found(ids, count_limit, counted, True)  # counting stopped there: "more than"
        return Found(ids, indexed, counted, False)
    ranked = backend.ranked_visible(match, visible, offset + limit, window, EXACT_COUNT)
    # A full ranking window is not counted further: "more than 2,000".
    return Found(ranked.ids[offset : offset + limit], ranked.matches, ranked.visible, ranked.matches >= window)


def run(
    query: ParsedQuery, filters: Filters, *, order: str = "rank", offset: int = 0, limit: int = 20,
    window: int = RANK_WINDOW,
) -> Results:
    found = find(match_for(query, filters), visibility(filters), order=order, offset=offset, limit=limit,
                 window=window)
    if found.indexed == 0:
        return Results([], 0)
    exact = found.indexed <= EXACT_COUNT and not found.over
    total = found.counted if exact and found.counted is not None else found.indexed
    articles = _load(found.ids)
    terms = query.highlights
    hits = [_hit(articles[pk], terms) for pk in found.ids if pk in articles]
    return Results(hits, total, exact, found.over, window)
