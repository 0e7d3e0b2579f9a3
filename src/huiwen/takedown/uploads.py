"""Evidence files: type checked by content (not by name), size capped, stored privately by hash.

Files that arrived with a form that had other errors are staged, and the form carries a signed
token for them, so the sender does not have to choose them again.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

ALLOWED = {"PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
           "WEBP": "image/webp", "TEXT": "text/plain"}
_SIGNER = signing.Signer(salt="huiwen.takedown.staged")


class BadUpload(ValueError):
    pass


@dataclass(frozen=True)
class Staged:
    token: str
    name: str
    content_type: str
    size: int


def _kind(data: bytes) -> str:
    if data.startswith(b"%PDF-"):
        return "PDF"
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            if image.format in ALLOWED:
                return str(image.format)
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        pass
    try:
        data.decode("utf-8")
        if b"\0" not in data:
            return "TEXT"
    except UnicodeDecodeError:
        pass
    raise BadUpload("只接受 PDF、图片(JPEG/PNG/GIF/WebP)或纯文本文件")


def _root() -> Path:
    return Path(settings.TAKEDOWN["PRIVATE_DIR"])


def stage(upload: UploadedFile) -> Staged:
    limit = settings.TAKEDOWN["MAX_UPLOAD"]
    if upload.size is None or upload.size > limit:
        raise BadUpload(f"文件“{upload.name}”超过 {limit // (1024 * 1024)} MB")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise BadUpload(f"文件“{upload.name}”超过 {limit // (1024 * 1024)} MB")
    content_type = ALLOWED[_kind(data)]
    name = Path(upload.name or "evidence").name[:200]
    key = uuid.uuid4().hex
    folder = _root() / "staging"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / key).write_bytes(data)
    token = _SIGNER.sign_object({"key": key, "name": name, "type": content_type, "size": len(data)})
    return Staged(token=token, name=name, content_type=content_type, size=len(data))


def unstage(token: str) -> Staged:
    try:
        value = _SIGNER.unsign_object(token)
    except signing.BadSignature as error:
        raise BadUpload("附件令牌无效,请重新选择文件") from error
    if not (_root() / "staging" / value["key"]).exists():
        raise BadUpload(f"暂存的文件“{value['name']}”已过期,请重新选择")
    return Staged(token=token, name=value["name"], content_type=value["type"], size=value["size"])


def keep(staged: Staged) -> tuple[str, str]:
    """Move a staged file into the evidence store: (relative path, sha256)."""
    key = _SIGNER.unsign_object(staged.token)["key"]
    data = (_root() / "staging" / key).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    relative = f"evidence/{digest[:2]}/{digest}"
    target = _root() / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    (_root() / "staging" / key).unlink(missing_ok=True)
    return relative, digest


def path_of(relative: str) -> Path:
    return _root() / relative
