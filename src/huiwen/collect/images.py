"""Body images: downloaded with the article as Referer, stored once per content hash, served by us.

Chinese news sites commonly refuse image requests without their own page as Referer (hot-link
protection answers 403), so the article URL is sent. An image that cannot be fetched or is not
an image is taken out of the body and listed (ArticleImage FAILED), never left hot-linked.
"""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from django.conf import settings
from PIL import Image, UnidentifiedImageError

from huiwen.collect.fetch import Fetcher, FetchError, FetchPolicy
from huiwen.collect.models import ArticleImage, ImageAsset
from huiwen.newsroom.models import Article

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 60_000_000  # larger images are decompression bombs, not news photos
FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "GIF": ("image/gif", "gif"),
           "WEBP": ("image/webp", "webp"), "BMP": ("image/bmp", "bmp")}


class NotAnImage(Exception):
    pass


def _identify(data: bytes) -> tuple[str, str, int, int]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise NotAnImage(f"{width}x{height} pixels is too large")
            image.verify()
            kind = image.format or ""
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise NotAnImage(str(error) or "unreadable image") from error
    if kind not in FORMATS:
        raise NotAnImage(f"unsupported image format {kind or 'unknown'}")
    content_type, extension = FORMATS[kind]
    return content_type, extension, width, height


def store_image(data: bytes) -> ImageAsset:
    content_type, extension, width, height = _identify(data)
    digest = hashlib.sha256(data).hexdigest()
    existing = ImageAsset.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    relative = f"img/{digest[:2]}/{digest[2:4]}/{digest}.{extension}"
    path = Path(settings.MEDIA_ROOT) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".part")
    temporary.write_bytes(data)
    temporary.replace(path)  # atomic: a reader never sees half a file
    asset, _ = ImageAsset.objects.get_or_create(
        sha256=digest,
        defaults={"file": relative, "content_type": content_type, "size": len(data), "width": width,
                  "height": height},
    )
    return asset


@dataclass(frozen=True)
class ImageResult:
    source_url: str
    asset: ImageAsset | None
    error: str = ""


def localise_html(body_html: str, referer: str, fetcher: Fetcher | None, policy: FetchPolicy,
                  known: dict[str, ImageAsset] | None = None) -> tuple[str, list[ImageResult]]:
    """Fetch the images of `body_html` and point it at our copies; failed images are removed.

    `known` maps image URLs already stored to their assets; with `fetcher` None nothing is
    fetched (re-extraction from the archive) and unknown images count as failed.
    """
    if "<img" not in body_html:
        return body_html, []
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    results: list[ImageResult] = []
    for image in list(root.iter("img")):
        src = image.get("src") or ""
        if src.startswith(settings.MEDIA_URL):
            continue
        try:
            asset = (known or {}).get(src) or _download(src, referer, fetcher, policy)
        except (FetchError, NotAnImage) as error:
            results.append(ImageResult(src, None, str(error)[:300]))
            _remove(image)
            continue
        results.append(ImageResult(src, asset))
        image.set("src", f"{settings.MEDIA_URL}{asset.file}")
    html = (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
    return html, results


def _download(src: str, referer: str, fetcher: Fetcher | None, policy: FetchPolicy) -> ImageAsset:
    if fetcher is None:
        raise FetchError("not_fetched", "image not in the archive; re-extraction does not fetch", src)
    response = fetcher.fetch(src, policy, referer=referer, accept="image/*")
    if response.status != 200:
        raise FetchError("http", f"HTTP {response.status}", src)
    if len(response.body) > MAX_IMAGE_BYTES:
        raise NotAnImage("image over the size cap")
    return store_image(response.body)


def record(article: Article, results: list[ImageResult]) -> None:
    """Remember which images of an article are ours and which could not be fetched."""
    for result in results:
        ArticleImage.objects.update_or_create(
            article=article, source_url=result.source_url[:1000],
            defaults={"state": ArticleImage.State.STORED if result.asset else ArticleImage.State.FAILED,
                      "error": result.error, "asset": result.asset},
        )


def known_images(article: Article) -> dict[str, ImageAsset]:
    stored = article.images.filter(asset__isnull=False).select_related("asset")
    return {image.source_url: image.asset for image in stored if image.asset is not None}


def _remove(image: lxml.html.HtmlElement) -> None:
    """Take a failed image out of the body, with its figure when the figure holds nothing else."""
    figure = image.getparent()
    target = figure if figure is not None and figure.tag == "figure" and len(figure.findall(".//img")) == 1 else image
    parent = target.getparent()
    if parent is None:
        return
    if target.tail:
        previous = target.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + target.tail
        else:
            parent.text = (parent.text or "") + target.tail
    parent.remove(target)
