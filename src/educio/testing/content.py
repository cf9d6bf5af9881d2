"""The text a response shows a person, whatever its format (HTML, JSON, xlsx)."""

from __future__ import annotations

import io
import json
from typing import Any

from openpyxl import load_workbook

from educio.documents.xlsx import XLSX_CONTENT_TYPE


def xlsx_rows(content: bytes) -> list[list[Any]]:
    """Every row of every sheet of a workbook, as values (formulas are returned as their text)."""
    workbook = load_workbook(io.BytesIO(content))
    rows = [list(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def response_text(response: Any) -> str:
    """Decoded text of a response; JSON without \\u escapes and workbooks as their cell values."""
    streaming = getattr(response, "streaming", False)
    content = b"".join(response.streaming_content) if streaming else response.content
    content_type = response.get("Content-Type", "")
    if content_type.startswith(XLSX_CONTENT_TYPE):
        return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in xlsx_rows(content))
    if content_type.startswith("application/json"):
        try:
            return json.dumps(json.loads(content), ensure_ascii=False)
        except ValueError:
            pass
    return content.decode("utf-8", errors="replace")
