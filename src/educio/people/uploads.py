"""Checks on uploaded photos and scans: size, extension and the file's real type (DESIGN.md §4).

A file is accepted only when its first bytes are those of the type its name
claims, so a renamed executable or HTML page is refused whatever it is called.
Accepted files get a random name: the original one may carry personal data, and
a stored name must never be guessable from outside.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from educio.people.models import MAX_UPLOAD_BYTES

SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class UploadRule:
    label: str
    extensions: tuple[str, ...]
    max_bytes: int

    @property
    def accept(self) -> str:
        """For the ``accept`` attribute of the file input."""
        return ",".join(f".{e}" for e in self.extensions)


PHOTO = UploadRule(label="照片", extensions=("jpg", "jpeg", "png"), max_bytes=5 * 1024 * 1024)
SCAN = UploadRule(label="证书扫描件", extensions=("pdf", "jpg", "jpeg", "png"), max_bytes=MAX_UPLOAD_BYTES)


def extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def check_upload(upload: Any, rule: UploadRule, *, field: str) -> None:
    """Refuse a file that is too large, of another type, or whose content is not what its name says.

    On success the upload is renamed to a random name with its extension.
    """
    kinds = "、".join(e.upper() for e in rule.extensions if e != "jpeg")
    ext = extension(upload.name)
    if ext not in rule.extensions:
        raise ValidationError({field: _("%(what)s只能是 %(kinds)s 文件。") % {"what": rule.label, "kinds": kinds}})
    size = upload.size or 0
    if size > rule.max_bytes:
        limit = rule.max_bytes // (1024 * 1024)
        raise ValidationError({field: _("%(what)s不能超过 %(mb)d MB。") % {"what": rule.label, "mb": limit}})
    if size == 0:
        raise ValidationError({field: _("%(what)s是空文件。") % {"what": rule.label}})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(SIGNATURES[ext]):
        message = _("%(what)s的内容不是有效的 %(kind)s 文件,请重新导出后上传。")
        raise ValidationError({field: message % {"what": rule.label, "kind": ext.upper()}})
    upload.name = f"{uuid.uuid4().hex}.{ext}"
