"""相关阅读: scored relatedness, stored per article, always read through the visibility rule.

score(A, C) = similarity · channel · recency, where

- similarity is the dot product of A's and C's term profiles (search.terms: unit-length weighted
  terms, title and lede counted more than the body, IDF from the whole index), and counts only
  on evidence a reader would accept: at least MIN_SIMILARITY, and at least MIN_SHARED shared
  terms, or MIN_SHARED_WITH_NAME when one of them is a name (a place, person or organisation)
  both articles carry. One common word never makes two articles related;
- channel is 1 + CHANNEL_BONUS when C is in A's channel, 1 + ROOT_BONUS when only in the same
  top-level channel;
- recency is RECENCY_FLOOR + (1 - RECENCY_FLOOR) · 2^(-|days between them| / HALF_LIFE_DAYS).

Cost per article is bounded: the index is asked for at most CANDIDATES articles that share one
of A's QUERY_TERMS strongest words, nearest in id (≈ in time) first, and only those are scored.
The best KEEP are stored; an article the collector adds later enters older lists when it beats
their weakest item. A withdrawn or deleted candidate leaves every list at once and those lists
are recomputed. Reading a list goes through Article.objects.visible() again and skips copies of
the same story, so a list is never wrong even between refreshes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

import orjson
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from huiwen.newsroom.models import Article
from huiwen.newsroom.rows import Prepared, Values, insert_rows
from huiwen.search.backends import get_backend
from huiwen.search.backends.visibility import Rule, rule, visible_among
from huiwen.search.models import Profile, RelatedArticle

CANDIDATES = 400
QUERY_TERMS = 12
KEEP = 20
# The evidence bar, set on the hand judgements of bench/judgements (docs/benchmarks.md): at 0.04
# and no count of shared terms, 47 % of related items on real pages were on-topic; at 0.10 with
# these counts, about 94 %.
MIN_SIMILARITY = 0.10
MIN_SHARED = 3
MIN_SHARED_WITH_NAME = 2
CHANNEL_BONUS = 0.25
ROOT_BONUS = 0.1
RECENCY_FLOOR = 0.6
HALF_LIFE_DAYS = 30.0
SHORTLIST = 60  # candidates whose channel and date are read at a time
# At most this many shortlists are read: an archive with hundreds of near-copies of one text (not
# yet folded into a story) would otherwise have every one of them read, all equally similar.
MAX_SHORTLISTS = 3
RECOMPUTE_AT_ONCE = 25  # lists recomputed right away when one of their items is withdrawn; the rest on view
# Only what a 相关阅读 item shows (title, excerpt, date, link) and the story it belongs to.
SHOWN_FIELDS = ("pk", "title", "excerpt", "published_at", "story_id")
SHOWN_COLUMNS = ("id", "title", "excerpt", "published_at", "story_id")  # the same, as values_list() names columns


class Listed:
    """An article as a list shows it (相关阅读 and its filler): the fields SHOWN_FIELDS names and its
    page's address, made from a plain row of a prepared statement. A model instance with its other
    fields deferred is ~6 µs a row to make (Model.from_db runs __init__ over every field), this
    ~0.5 µs. It equals (and hashes as) the Article of the same id, as two instances of one row do."""

    __slots__ = ("excerpt", "pk", "published_at", "story_id", "title")

    def __init__(self, pk: int, title: str, excerpt: str, published_at: datetime, story_id: int | None) -> None:
        self.pk, self.title, self.excerpt, self.published_at, self.story_id = pk, title, excerpt, published_at, story_id

    @property
    def id(self) -> int:
        return self.pk

    def get_absolute_url(self) -> str:
        return f"/a/{self.pk}.html"  # as Article.get_absolute_url (tests/search/test_reading.py compares)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Listed | Article):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.pk)

    def __repr__(self) -> str:
        return f"<Listed {self.pk}: {self.title}>"


Shown = Listed | Article  # an item of a list: a Listed row, or an Article read by the ORM


@dataclass(frozen=True)
class _Meta:
    pk: int
    channel_id: int
    root: str
    published: float  # seconds since 1970 (UTC): recency needs only the difference
    story_id: int | None


def _root(path: str) -> str:
    return path.split("/", 1)[0]


class TermProfile(NamedTuple):
    weights: dict[str, float]
    # As stored (a list): most candidates are decided by their shared words alone, so a set of
    # names is never built for them (400 candidates are read for each list computed).
    names: Collection[str]


def parse_profile(stored: dict[str, Any]) -> TermProfile:
    """Profile.terms as stored: {"w": weights, "n": names}; an older flat {term: weight} has no names."""
    if "w" in stored and isinstance(stored["w"], dict):
        return TermProfile(stored["w"], stored.get("n", ()))
    return TermProfile(stored, ())


def similarity(left: TermProfile, right: TermProfile) -> float:
    """The profiles' dot product when the evidence is enough for a reader, else 0."""
    # Two profiles share few of their terms: intersecting the keys (in C) first leaves only
    # those to multiply, instead of a lookup for each of one profile's terms.
    shared = left.weights.keys() & right.weights.keys()
    if len(shared) < MIN_SHARED_WITH_NAME:
        return 0.0
    value = sum(left.weights[term] * right.weights[term] for term in shared)
    if value < MIN_SIMILARITY:
        return 0.0
    if len(shared) >= MIN_SHARED or not shared.intersection(left.names).isdisjoint(right.names):
        return value
    return 0.0


def score(sim: float, article: _Meta, candidate: _Meta) -> float:
    if candidate.channel_id == article.channel_id:
        channel = 1.0 + CHANNEL_BONUS
    elif candidate.root == article.root:
        channel = 1.0 + ROOT_BONUS
    else:
        channel = 1.0
    days = abs(candidate.published - article.published) / 86400.0
    # Annotated: to typeshed float ** float is Any (a negative base would give a complex number).
    recency: float = RECENCY_FLOOR + (1.0 - RECENCY_FLOOR) * 0.5 ** (days / HALF_LIFE_DAYS)
    return sim * channel * recency


def _visible_rule(using: str) -> Rule:
    """The one visibility rule, compiled once, as 相关阅读's fact reads ask it."""
    return rule("visible", lambda now: Article.objects.using(using).visible(now), using)


def _metas(ids: Sequence[int], using: str, visible_only: bool) -> dict[int, _Meta]:
    """The channel, date and story of `ids` (only the visible ones with `visible_only`), read by the
    backend in plain SQL through the visibility rule compiled once (visibility.rule): compiling
    these queries in the ORM cost more than scoring the candidates."""
    if not ids:
        return {}
    visible = _visible_rule(using) if visible_only else None
    return {pk: _Meta(pk, channel, _root(path), published, story)
            for pk, channel, path, published, story in get_backend(using).article_facts(ids, visible)}


def _profiles(article_ids: list[int], using: str) -> dict[int, TermProfile]:
    """Profiles by id, read raw: Django's JSONField converters cost more than the scoring."""
    return {
        pk: parse_profile(terms if isinstance(terms, dict) else orjson.loads(terms))
        for pk, terms in get_backend(using).stored_profiles(article_ids)
    }


class Reads:
    """What compute() reads, kept for the length of one consistent batch (refresh_many): the
    profiles and, per article, its metadata if it is visible (None if not). A batch of articles
    collected together shares most candidates, so most of these reads are then done once."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.profiles: dict[int, TermProfile | None] = {}
        self.visible: dict[int, _Meta | None] = {}

    def profiles_of(self, ids: Sequence[int]) -> dict[int, TermProfile]:
        missing = [pk for pk in ids if pk not in self.profiles]
        if missing:
            found = _profiles(missing, self.using)
            self.profiles.update((pk, found.get(pk)) for pk in missing)
        return {pk: terms for pk in ids if (terms := self.profiles[pk]) is not None}

    def visible_metas(self, ids: Sequence[int]) -> dict[int, _Meta]:
        missing = [pk for pk in ids if pk not in self.visible]
        found = _metas(missing, self.using, visible_only=True)
        self.visible.update((pk, found.get(pk)) for pk in missing)
        return {pk: meta for pk in ids if (meta := self.visible[pk]) is not None}

    def own(self, ids: Sequence[int]) -> dict[int, _Meta]:
        """Metadata of the articles whose lists are computed, visible or not (embargoed ones too)."""
        return _metas(ids, self.using, visible_only=False)

    def own_and_shortlists(self, article_id: int, similar: list[tuple[float, int]]) -> _Meta | None:
        """The article's own metadata (visible or not), with that of every shortlist _best may read
        (visible ones) in the same statement: one round trip where the article and each shortlist
        of SHORTLIST took one each (at a million articles each was about a millisecond)."""
        missing = [pk for _, pk in similar[: SHORTLIST * MAX_SHORTLISTS] if pk not in self.visible]
        own = None
        for pk, channel, path, published, story, shown in get_backend(self.using).article_facts(
                [article_id, *missing], _visible_rule(self.using), flagged=True):
            meta = _Meta(pk, channel, _root(path), published, story)
            if pk == article_id:
                own = meta
            else:
                self.visible[pk] = meta if shown else None
        for pk in missing:
            self.visible.setdefault(pk, None)
        return own


def compute(
    article_id: int,
    *,
    using: str = "default",
    candidates: int = CANDIDATES,
    reads: Reads | None = None,
    own: _Meta | None = None,
) -> list[tuple[int, float]]:
    """The best KEEP (related id, score) for an indexed article, best first.

    Similarity is computed for every candidate from the profiles alone; the article table is read
    (through the visibility rule) only for the most similar, SHORTLIST at a time, until no
    candidate left could still enter the list even with the largest channel and recency factors.
    """
    reads = reads or Reads(using)
    profile = reads.profiles_of([article_id]).get(article_id)
    if not profile:
        return []
    similar = _similar(article_id, profile, reads, candidates)
    own = own or reads.own_and_shortlists(article_id, similar)
    if own is None:
        return []
    return _best(own, similar, reads)


def _strongest(profile: TermProfile) -> list[str]:
    """The QUERY_TERMS terms the index is asked for candidates by."""
    weights = profile.weights
    return sorted(weights, key=lambda term: -weights[term])[:QUERY_TERMS]


def _similar(
    article_id: int, profile: TermProfile, reads: Reads, candidates: int = CANDIDATES,
    found: Sequence[int] | None = None,
) -> list[tuple[float, int]]:
    """(similarity, id) of the candidates related enough, most similar first (`found`: the
    candidates' ids when the index was already asked, as refresh_many asks for a batch at once)."""
    ids = found if found is not None else get_backend(reads.using).candidates(
        _strongest(profile), around=article_id, limit=candidates)
    similar = []
    for pk, terms in reads.profiles_of(ids).items():
        sim = similarity(profile, terms)
        if sim > 0.0 and pk != article_id:
            similar.append((sim, pk))
    similar.sort(reverse=True)
    return similar


def _best(own: _Meta, similar: list[tuple[float, int]], reads: Reads) -> list[tuple[int, float]]:
    best_factor = 1.0 + CHANNEL_BONUS
    scored: list[tuple[int, float]] = []
    for start in range(0, min(len(similar), SHORTLIST * MAX_SHORTLISTS), SHORTLIST):
        chunk = similar[start : start + SHORTLIST]
        if len(scored) >= KEEP and chunk[0][0] * best_factor < scored[KEEP - 1][1]:
            break
        metas = reads.visible_metas([pk for _, pk in chunk])
        # Copies of the article's own story are not "related reading".
        scored += [(pk, score(sim, own, metas[pk])) for sim, pk in chunk
                   if pk in metas and (own.story_id is None or metas[pk].story_id != own.story_id)]
        scored.sort(key=lambda item: (-item[1], -item[0]))
    return scored[:KEEP]


def refresh(article_id: int, *, using: str = "default", offer: bool = True) -> list[tuple[int, float]]:
    """Compute and store an article's list; with `offer`, also enter it into its neighbours' lists."""
    return refresh_many([article_id], using=using, offer=offer)[article_id]


def refresh_many(
    article_ids: Sequence[int], *, using: str = "default", offer: bool = True
) -> dict[int, list[tuple[int, float]]]:
    """refresh() for several articles, with their own profiles and metadata read once and every
    list written in one batch (a collector's batch of new articles)."""
    ids = list(dict.fromkeys(article_ids))
    reads = Reads(using)
    profiles = reads.profiles_of(ids)
    own = reads.own(ids)
    computed = [pk for pk in ids if pk in own and profiles.get(pk)]
    # The index is asked for every article's candidates at once: one round of set-up (the top id,
    # the planner settings) instead of one per article.
    found = get_backend(using).candidates_many([(_strongest(profiles[pk]), pk) for pk in computed], CANDIDATES)
    similar = {pk: _similar(pk, profiles[pk], reads, found=ids_found)
               for pk, ids_found in zip(computed, found, strict=True)}
    # Every list's first shortlist, read in one query: usually all that scoring needs.
    reads.visible_metas(list({pk for items in similar.values() for _, pk in items[:SHORTLIST]}))
    lists = {pk: _best(own[pk], similar[pk], reads) if pk in similar else [] for pk in ids}
    with transaction.atomic(using=using):
        RelatedArticle.objects.using(using).filter(article_id__in=ids).delete()
        insert_rows(RelatedArticle, ("article_id", "related_id", "score"),
                    [(pk, other, value) for pk, best in lists.items() for other, value in best], using)
        Profile.objects.using(using).filter(pk__in=ids).update(related_at=timezone.now())
        if offer:
            _offer({pk: best[:10] for pk, best in lists.items() if best}, using)
    return lists


def _offer(offers: dict[int, Sequence[tuple[int, float]]], using: str) -> None:
    """Scores are symmetric: put each article into the lists of its best matches it now beats.

    The lists' sizes and weakest scores are read first (one grouped query); only the lists an
    offer can enter (not full yet, or weaker than an offer) are then read in full.
    """
    owners = sorted({owner for best in offers.values() for owner, _ in best})
    strongest: dict[int, float] = {}
    for best in offers.values():
        for owner, value in best:
            strongest[owner] = max(value, strongest.get(owner, 0.0))
    backend = get_backend(using)
    # Lists computed at least once (a never-computed one is computed when first viewed).
    sizes = backend.list_sizes(owners)
    open_lists = [owner for owner, size, weakest in sizes
                  if size < KEEP or weakest is None or strongest[owner] > weakest]
    lists: dict[int, dict[int, float]] = {pk: {} for pk in open_lists}
    row_ids: dict[tuple[int, int], int] = {}
    for row_id, owner, other, value in backend.list_items(open_lists):
        lists[owner][other] = value
        row_ids[owner, other] = row_id
    before = {owner: dict(items) for owner, items in lists.items()}
    for article_id, best in offers.items():
        for owner, value in best:
            items = lists.get(owner)
            if items is None or article_id in items:
                continue
            if len(items) >= KEEP:
                weakest = min(items, key=items.__getitem__)
                if items[weakest] >= value:
                    continue
                del items[weakest]
            items[article_id] = value
    gone: list[int] = []
    added = []
    for owner, items in lists.items():
        old = before[owner]
        gone += [row_ids[owner, other] for other in old.keys() - items.keys()]
        added += [(owner, other, items[other]) for other in items.keys() - old.keys()]
    if gone:
        RelatedArticle.objects.using(using).filter(pk__in=gone).delete()
    insert_rows(RelatedArticle, ("article_id", "related_id", "score"), added, using)


def withdraw_rows(article_id: int, *, using: str = "default") -> list[int]:
    """Drop an article from every list (and its own list); the owners of those lists."""
    affected = list(
        RelatedArticle.objects.using(using).filter(related_id=article_id).values_list("article_id", flat=True)
    )
    RelatedArticle.objects.using(using).filter(Q(related_id=article_id) | Q(article_id=article_id)).delete()
    return affected


def recompute(owners: Sequence[int], *, using: str = "default") -> None:
    """Recompute lists that lost an item: RECOMPUTE_AT_ONCE now, the rest when next viewed."""
    for owner in owners[:RECOMPUTE_AT_ONCE]:
        refresh(owner, using=using, offer=False)
    Profile.objects.using(using).filter(pk__in=list(owners[RECOMPUTE_AT_ONCE:])).update(related_at=None)


def withdraw(article_id: int, *, using: str = "default") -> list[int]:
    """An article stopped being a candidate: drop it from every list, recompute those lists."""
    affected = withdraw_rows(article_id, using=using)
    recompute(affected, using=using)
    return affected


def related_articles(article: Article, limit: int) -> list[Shown]:
    """Up to `limit` visible articles related to `article`, best first (computed now if stale)."""
    return related_articles_many([article], limit)[article.pk]


# One article's page (the reader's case): the list's visible items in list order, each row saying
# whether the owner's list is computed; only an empty list asks that on its own. Statements
# compiled once (newsroom.rows.Prepared), no IN list.
_list_state = Prepared(lambda pk: Profile.objects.filter(pk=pk), int, rows=Values(Profile, ("related_at",)))
_visible_list = Prepared(
    lambda now, pk: RelatedArticle.objects.filter(article_id=pk)
    .filter(Exists(Article.objects.visible(now).filter(pk=OuterRef("related_id"))))
    .annotate(owner_profile=F("article__search_profile__pk"),
              owner_computed_at=F("article__search_profile__related_at"))
    .order_by("-score", "-related_id"),
    datetime, int,
    rows=Values(RelatedArticle, ("owner_profile", "owner_computed_at", *[f"related__{name}" for name in SHOWN_COLUMNS]),
                typed={"owner_profile": "article__search_profile__pk",
                       "owner_computed_at": "article__search_profile__related_at"}),
)


def _fresh_list_of_one(article: Article, limit: int) -> list[Shown] | None:
    """The article's 相关阅读 as related_articles_many gives it, or None when the stored list is
    stale or was never computed (related_articles_many then recomputes it)."""
    rows = _visible_list(timezone.now(), article.pk)
    if rows:
        owner_profile, owner_computed_at = rows[0][:2]
        if owner_profile is not None and owner_computed_at is None:
            return None
    else:
        state = _list_state(article.pk)
        if state and state[0][0] is None:
            return None
    items: list[Shown] = [Listed(*row[2:]) for row in rows]
    return [item for item in items if article.story_id is None or item.story_id != article.story_id][:limit]


def related_articles_many(articles: Sequence[Article], limit: int) -> dict[int, list[Shown]]:
    """相关阅读 of several articles at once, in two queries whatever their number (the common case).

    The stored lists come with their owners' freshness in the same query; a list marked stale is
    recomputed first (a page view writes its own list only), as is an article without any rows
    whose profile says it was never computed.
    """
    if len(articles) == 1:
        fresh = _fresh_list_of_one(articles[0], limit)
        if fresh is not None:
            return {articles[0].pk: fresh}
    ids = [article.pk for article in articles]
    order: dict[int, list[int]] = {pk: [] for pk in ids}
    stale: set[int] = set()
    rows = RelatedArticle.objects.filter(article_id__in=ids).order_by("article_id", "-score", "-related_id")
    fields = ("article_id", "related_id", "article__search_profile__pk", "article__search_profile__related_at")
    for owner, related_id, profile, computed in rows.values_list(*fields):
        order[owner].append(related_id)
        if profile is not None and computed is None:
            stale.add(owner)
    empty = [pk for pk, chosen in order.items() if not chosen]
    if empty:
        stale.update(Profile.objects.filter(pk__in=empty, related_at__isnull=True).values_list("pk", flat=True))
    for article_id in stale:
        order[article_id] = [pk for pk, _ in refresh(article_id, offer=False)]
    wanted = {pk for chosen in order.values() for pk in chosen}
    found: dict[int, Shown] = (
        {item.pk: item for item in visible_among(list(wanted)).only(*SHOWN_FIELDS)} if wanted else {})
    return {
        article.pk: [
            found[pk] for pk in order[article.pk]
            if pk in found and pk != article.pk
            and (article.story_id is None or found[pk].story_id != article.story_id)
        ][:limit]
        for article in articles
    }
