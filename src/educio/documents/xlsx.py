"""Excel in and out, done safely.

Exports never emit a cell that a spreadsheet would run as a formula; imports
check the real file type and size, read values only (never formulas'
results), and hand every row to the caller for validation before anything
is saved.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters XML cannot hold: openpyxl's own list misses the two non-characters U+FFFE and U+FFFF.
NOT_XML = re.compile(ILLEGAL_CHARACTERS_RE.pattern + "|[\ufffe\uffff]")
if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def import_labels(choices: Iterable[tuple[Any, Any]]) -> dict[str, Any]:
    """Label -> value in the platform language: import files are the official Chinese format, whatever the UI shows."""
    with translation.override(settings.LANGUAGE_CODE):
        return {str(label): value for value, label in choices}


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would treat as a formula with an apostrophe.

    Control characters that XML cannot hold are dropped first (openpyxl refuses
    them, which would turn one odd name into a failed export), so they cannot
    hide a formula prefix either.
    """
    if isinstance(value, str):
        value = NOT_XML.sub("", value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    header: StrOrPromise
    width: int = 16
    choices: Sequence[str] = ()
    note: str = ""


def build_workbook(
    *, title: str, columns: Sequence[Column], rows: Iterable[Sequence[Any]], validation_rows: int = 0
) -> bytes:
    """One sheet with a bold header, neutralised cells and optional dropdowns on ``validation_rows`` rows.

    The sheet is streamed (openpyxl's write-only mode): rows are written as they
    come, so a 20,000-row export neither holds every cell in memory nor pays
    for cell objects it never reads back.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    header_fill = PatternFill("solid", fgColor="DCE6F1")
    header = []
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.freeze_panes = "A2"
    sheet.append(header)
    written = 1
    for row in rows:
        sheet.append([neutralise(v) for v in row])
        written += 1
    last_row = max(written, validation_rows + 1)
    for index, column in enumerate(columns, start=1):
        if column.choices:
            letter = get_column_letter(index)
            dv = DataValidation(type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True)
            dv.error = _("请从下拉列表中选择")
            dv.add(f"{letter}2:{letter}{last_row}")
            sheet.data_validations.append(dv)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    """The outcome of an import: either rows created, or every error found (and nothing saved)."""

    sheet: str
    errors: list[RowError] = field(default_factory=list)
    created: int = 0

    def add(self, row: int, column: str, reason: str) -> None:
        self.errors.append(RowError(sheet=self.sheet, row=row, column=column, reason=str(reason)))


@dataclass
class SheetRows:
    sheet: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


class ImportFileError(ValueError):
    """The upload as a whole is unusable (not xlsx, too large, no header)."""


def read_sheet(upload: UploadedFile, *, expected_headers: Sequence[str]) -> SheetRows:
    """Read the first sheet into ``(row number, {header: value})`` pairs, skipping blank rows."""
    max_bytes: int = settings.EDUCIO_MAX_IMPORT_BYTES
    if upload.size is None or upload.size > max_bytes:
        raise ImportFileError(_("文件过大,不能超过%(mb)d MB。") % {"mb": max_bytes // (1024 * 1024)})
    data = upload.read()
    if not data.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFileError(_("文件不是有效的 Excel (.xlsx) 文件。"))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        # The library's message (English, about zip members) helps nobody who uploads a file.
        raise ImportFileError(
            _("无法读取该文件:它不是有效的 Excel 工作簿或已损坏。请用 Excel 或 WPS 另存为 .xlsx 后重新上传。")
        ) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    header_row = next(iterator, None)
    headers = [str(h).strip() if h is not None else "" for h in (header_row or ())]
    missing = [h for h in expected_headers if h not in headers]
    if missing:
        raise ImportFileError(_("表头缺少以下列:%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)})
    result = SheetRows(sheet=sheet.title, headers=headers)
    max_rows: int = settings.EDUCIO_MAX_IMPORT_ROWS
    for number, values in enumerate(iterator, start=2):
        cells = {h: _clean(v) for h, v in zip(headers, values, strict=False) if h}
        if all(v == "" for v in cells.values()):
            continue
        if len(result.rows) >= max_rows:
            raise ImportFileError(_("一次最多导入%(n)d行。") % {"n": max_rows})
        result.rows.append((number, cells))
    workbook.close()
    return result


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
