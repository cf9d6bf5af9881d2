"""Checks on evidence files: PDF, pictures and Office documents up to 20 MB, judged by their content.

A Word or Excel file is a zip archive; it is accepted only when the archive
holds the part that makes it a document of that kind, so a renamed archive
or executable is refused whatever it is called.
"""

from __future__ import annotations

import uuid
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from educio.people.uploads import SIGNATURES, extension

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
EVIDENCE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "docx", "xlsx")
ACCEPT = ",".join(f".{e}" for e in EVIDENCE_EXTENSIONS)
OFFICE_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _is_office_document(upload: Any, ext: str) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return OFFICE_PARTS[ext] in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        upload.seek(0)


def _content_matches(upload: Any, ext: str) -> bool:
    if ext in OFFICE_PARTS:
        return _is_office_document(upload, ext)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return head.startswith(SIGNATURES[ext])


def check_evidence(upload: Any) -> str:
    """Refuse a file of another type, too large, empty or not what its name says; returns the original name.

    On success the upload is renamed to a random name with its extension.
    """
    original = str(upload.name or "")[:200]
    ext = extension(original)
    if ext not in EVIDENCE_EXTENSIONS:
        raise ValidationError(_("佐证材料只能是 PDF、JPG、PNG、DOCX 或 XLSX 文件。"))
    size = upload.size or 0
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("佐证材料不能超过 20 MB。"))
    if size == 0:
        raise ValidationError(_("佐证材料是空文件。"))
    if not _content_matches(upload, ext):
        raise ValidationError(_("文件内容不是有效的 %(kind)s 文件,请重新导出后上传。") % {"kind": ext.upper()})
    upload.name = f"{uuid.uuid4().hex}.{ext}"
    return original
