"""The index of works (issue 18, point 3): every text signature huiwen keeps, and the one matcher.

Two kinds of print live in one store (newsroom.models.Fingerprint and its band keys):
- "story": a collected article's text. The collector folds a reprint into the story of the work
  it matches (collect.store);
- "blocked": a work withdrawn on a takedown notice, kept after its article is gone. The collector
  refuses a page that matches one (takedown.blocklist, asked through newsroom.ports).

Both are searched by `similar()`: the LSH band keys of text.fingerprint looked up by indexed
equality, the candidates confirmed by the signatures' estimated similarity (SAME_WORK or more).

A new article's print is written with its collector batch (newsroom.changes.later: three statements
per batch instead of two per page); `similar()` sees the prints the open batch still holds, so a
reprint and its original can arrive in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from huiwen.newsroom import changes
from huiwen.newsroom.models import Fingerprint, FingerprintBand
from huiwen.newsroom.rows import band_candidates, insert_rows, select_pairs
from huiwen.text import fingerprint

Kind = Fingerprint.Kind
# Band rows whose prints are compared in full with a new text, at most.
MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Match:
    """A print of the same work: its id (None while the open batch holds it), its article (a
    story print's) and the estimated similarity."""

    fingerprint_id: int | None
    article_id: int | None
    score: float


def similar(signature: fingerprint.Signature, kind: Kind, *, exclude_article: int | None = None) -> list[Match]:
    """The prints of `kind` that are the same work as `signature`, most similar first (of equal
    ones, the held and the later found first). `exclude_article`: the article the signature is
    of, never its own match. A text too short to fingerprint matches nothing."""
    if not signature.usable:
        return []
    keys = signature.band_keys()
    found: list[Match] = []
    rows = [row for row in band_candidates(kind.value, keys, exclude_article, MAX_CANDIDATES)
            if row[3] >= fingerprint.MIN_FEATURES]  # usable texts only
    if rows:
        # All candidates' estimated similarities in one array operation.
        scores = fingerprint.similarities(signature, [bytes(row[2]) for row in rows])
        found += [Match(print_id, article_id, float(score))
                  for (print_id, article_id, _, _), score in zip(rows, scores, strict=True)
                  if score >= fingerprint.SAME_WORK]
    if kind == Kind.STORY:
        wanted = set(keys)
        for held in _held().values():
            if held.article_id != exclude_article and held.signature.usable and not wanted.isdisjoint(held.keys):
                score = fingerprint.similarity(signature, held.signature)
                if score >= fingerprint.SAME_WORK:
                    found.append(Match(None, held.article_id, score))
    order = {id(match): position for position, match in enumerate(found)}
    return sorted(found, key=lambda match: (-match.score, -order[id(match)]))


# -- story prints (the collector's) -----------------------------------------------------------

@dataclass(frozen=True)
class _Print:
    """A new article's print, held until its batch writes all of them together."""

    article_id: int
    signature: fingerprint.Signature
    keys: list[int]


def keep(article_id: int, signature: fingerprint.Signature, *, new: bool) -> None:
    """Store the article's print and its band keys (replacing its old ones unless `new`).

    A new article's is written with its batch's; an article stored earlier in the same batch and
    changed again is held again: the batch writes its last print only.
    """
    held = _Print(article_id, signature, signature.band_keys())
    if new or article_id in _held():
        if not changes.later(_write_held, held):
            _write_held([held])
        return
    stored, _ = Fingerprint.objects.update_or_create(
        article_id=article_id,
        defaults={"kind": Kind.STORY, "signature": signature.to_bytes(), "features": signature.features})
    FingerprintBand.objects.filter(fingerprint=stored).delete()
    insert_rows(FingerprintBand, ("fingerprint_id", "kind", "key"),
                [(stored.pk, Kind.STORY.value, key) for key in held.keys])


def _held() -> dict[int, _Print]:
    """The open batch's prints not written yet, the last one of each article."""
    return {held.article_id: held for held in changes.held(_write_held)}


def _write_held(prints: list[_Print]) -> None:
    # Plain inserts: a model instance per row costs more than the statement.
    last = list({held.article_id: held for held in prints}.values())  # an article's last print
    insert_rows(Fingerprint, ("kind", "article_id", "signature", "features"),
                [(Kind.STORY.value, held.article_id, held.signature.to_bytes(), held.signature.features)
                 for held in last])
    ids = select_pairs(Fingerprint, "article_id", "id", [held.article_id for held in last])
    insert_rows(FingerprintBand, ("fingerprint_id", "kind", "key"),
                [(ids[held.article_id], Kind.STORY.value, key) for held in last for key in held.keys])


def story_signatures(article_ids: Iterable[int]) -> dict[int, fingerprint.Signature]:
    """The stored story signatures of these articles (those that have one), by article."""
    return {article_id: fingerprint.Signature.from_bytes(bytes(signature), features)
            for article_id, signature, features in Fingerprint.objects.filter(article_id__in=list(article_ids))
            .values_list("article_id", "signature", "features")}


# -- blocked prints (takedown's) --------------------------------------------------------------

def block(signatures: Sequence[fingerprint.Signature]) -> list[int]:
    """Add these works' prints as "blocked" (a few statements, whatever their number): their ids,
    in order. Only usable signatures are given (a shorter text is blocked by its URL alone)."""
    if not signatures:
        return []
    assert all(signature.usable for signature in signatures), "a text too short to fingerprint is never blocked by it"
    stored = Fingerprint.objects.bulk_create([
        Fingerprint(kind=Kind.BLOCKED, signature=signature.to_bytes(), features=signature.features)
        for signature in signatures])
    insert_rows(FingerprintBand, ("fingerprint_id", "kind", "key"),
                [(print_.pk, Kind.BLOCKED.value, key) for print_, signature in zip(stored, signatures, strict=True)
                 for key in signature.band_keys()])
    return [print_.pk for print_ in stored]


def forget(fingerprint_ids: Iterable[int]) -> None:
    """Remove these blocked prints (their band keys with them)."""
    ids = [pk for pk in fingerprint_ids if pk is not None]
    FingerprintBand.objects.filter(fingerprint_id__in=ids).delete()
    Fingerprint.objects.filter(pk__in=ids, kind=Kind.BLOCKED).delete()
