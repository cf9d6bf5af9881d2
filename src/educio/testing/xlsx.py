"""Workbooks built in tests, shaped like the files people upload."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from educio.documents.xlsx import XLSX_CONTENT_TYPE


def xlsx_bytes(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str = "Sheet1") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "import.xlsx", content_type: str = XLSX_CONTENT_TYPE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def xlsx_upload(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, name: str = "import.xlsx", title: str = "Sheet1"
) -> SimpleUploadedFile:
    return upload(xlsx_bytes(headers, rows, title=title), name)
