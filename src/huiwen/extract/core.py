"""The pipeline: bytes in, :class:`ArticleDraft` out, stage after stage."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, tzinfo
from functools import partial
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import byline, fields, images, sanitize
from .blocks import Block, linearize
from .body import select
from .decode import decode
from .dom import Page, parse
from .draft import ArticleDraft
from .lang import chinese_script, detect_lang
from .metadata import choose_title, column_of, heading_above, in_heading, names_only_the_site, read_head
from .options import ExtractionError, ExtractOptions
from .overrides import apply_overrides
from .provenance import FALLBACK, HEADING, Provenance
from .state import read_state
from .text import absolute_url, nfkc_key

_SHANGHAI = ZoneInfo("Asia/Shanghai")


def extract(
    raw: bytes,
    url: str | None = None,
    headers: Mapping[str, str] | None = None,
    options: ExtractOptions | None = None,
) -> ArticleDraft:
    """Read one article page.  Raises :class:`ExtractionError` and nothing else."""
    options = options or ExtractOptions()
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise ExtractionError("input must be bytes")
    try:
        return _extract(bytes(raw[: options.max_bytes]), url, headers, options)
    except ExtractionError:
        raise
    except RecursionError as exc:
        raise ExtractionError("page too deeply nested") from exc
    except MemoryError as exc:
        raise ExtractionError("page too large") from exc
    except Exception as exc:
        raise ExtractionError(f"unreadable page ({type(exc).__name__}: {exc})", internal=True) from exc


def _extract(raw: bytes, url: str | None, headers: Mapping[str, str] | None, options: ExtractOptions) -> ArticleDraft:
    decoded = decode(raw, headers)
    page = parse(decoded.text, options.max_elements)
    layout = linearize(page.root, options.max_elements)
    lang = detect_lang(" ".join(b.text for b in layout.blocks[:400]), page.html_lang)
    tz = _timezone(options, lang)
    head = read_head(page, tz)
    title = choose_title(page, layout, head)
    body = select(layout, title.title, head.description)
    if names_only_the_site(title, page):
        # The <title> names the site alone: the headline is the heading printed over the text.
        title = heading_above(layout, body.blocks, title)
        body.blocks = [b for b in body.blocks if b is not title.block]
    body.blocks = _from_headline(body.blocks, title.block)
    found = byline.read(layout, body, title.block, tz)
    state = partial(read_state, page.scripts, tz, page.title_tag)  # read only when a field is missing
    chosen = fields.choose(found, head, state, page, url, tz, lang == "zh")
    placed = images.find(layout, body.roots, body.blocks, _base(page, url))
    paragraphs = tuple(b.text for b in body.blocks)
    # The lede is the first paragraph of the text, not the caption of a picture above it.
    opening = tuple(b.text for b in _without_captions(body.blocks, placed))
    if not options.include_images:
        placed = []
    draft = ArticleDraft(
        title=title.title,
        column=column_of(title.title),
        published_at=chosen.published_at,
        source=chosen.source,
        authors=tuple(chosen.authors),
        editor="、".join(chosen.editors) or None,
        editors=tuple(chosen.editors),
        lede=found.lede or _lede(head.description, opening, title.title),
        paragraphs=paragraphs,
        body_html=sanitize.body_html(body.blocks, placed, _base(page, url)),
        images=tuple(p.image for p in placed),
        print_citation=found.print_citation,
        lang=lang,
        script=chinese_script(" ".join(paragraphs) or (title.title or ""), page.html_lang) if lang == "zh" else None,
        canonical_url=_canonical(head.canonical, url),
        title_as_published=page.title_tag or None,
        encoding=decoded.encoding,
        provenance=_with_title(chosen.how, title.block is not None),
    )
    return apply_overrides(draft, page, options)


def _from_headline(blocks: list[Block], headline: Block | None) -> list[Block]:
    """The text starts under its headline: what the chosen region holds above it (a
    subscription notice, a channel's promotion) is not the article, unless the headline
    stands so low that most of the text would go (then the heading is not where it starts)."""
    if headline is None:
        return blocks
    blocks = [b for b in blocks if not in_heading(b, headline)]
    above = [b for b in blocks if b.index < headline.index]
    below = [b for b in blocks if b.index > headline.index]
    if above and below and sum(b.length for b in below) >= 2 * sum(b.length for b in above):
        return below
    return blocks


def _without_captions(blocks: list[Block], placed: list[images.PlacedImage]) -> list[Block]:
    """The article's text from its first paragraph: without the captions of the pictures
    printed above it."""
    captions = {id(p.caption_block) for p in placed if p.caption_block is not None}
    start = 0
    while start < len(blocks) and id(blocks[start]) in captions:
        start += 1
    if start == len(blocks):
        return blocks  # a photo story: the captions are its text
    return blocks[start:]


def _with_title(how: dict[str, Provenance], from_heading: bool) -> dict[str, Provenance]:
    """The fields' provenance, the headline's added: a visible heading that <title> carries is
    certain, a <title> cut at its separators a fallback."""
    return {"title": Provenance(HEADING, 0.95) if from_heading else Provenance(FALLBACK, 0.6), **how}


def _timezone(options: ExtractOptions, lang: str | None) -> tzinfo:
    if options.default_timezone:
        try:
            return ZoneInfo(options.default_timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ExtractionError(f"unknown time zone {options.default_timezone!r}") from exc
    return _SHANGHAI if lang == "zh" else UTC


def _base(page: Page, url: str | None) -> str | None:
    return url or page.canonical


def _canonical(found: str | None, url: str | None) -> str | None:
    """<link rel=canonical> or og:url made absolute, else the address given."""
    return (absolute_url(url, found) if found else None) or url


def _lede(description: str | None, paragraphs: tuple[str, ...], title: str | None) -> str | None:
    """The page's own summary when it reads as one, else the first paragraph.

    Many templates fill the description with keywords or the site's slogan,
    so it is only taken when its opening words stand in the body.
    """
    body_key = nfkc_key(" ".join(paragraphs[:5]))
    if description and len(description) >= 15 and description != title:
        opening = nfkc_key(description)[:12]
        if opening and opening in body_key:
            return description
    return paragraphs[0] if paragraphs else None
