"""xlsx in and out: no exported cell runs as a formula; imports read values and check the file first."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from educio.documents.xlsx import Column, ImportFileError, build_workbook, neutralise, read_sheet
from educio.testing.xlsx import upload, xlsx_bytes

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def cells(content: bytes) -> list[Any]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [cell for row in sheet.iter_rows(min_row=2) for cell in row]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "=cmd|' /C calc'!A0"])
def test_formula_prefixes_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["一区第一小学", "0391-1234567", "", 5, -5, 1.5, None])
def test_ordinary_values_are_left_alone(value: Any) -> None:
    assert neutralise(value) == value


def test_control_characters_cannot_hide_a_formula() -> None:
    assert neutralise("\x01=1+1") == "'=1+1"
    assert neutralise("名\x0b称") == "名称"


def test_characters_xml_cannot_hold_do_not_break_an_export() -> None:
    """A name pasted with a stray control character or U+FFFE once made the whole export fail."""
    content = build_workbook(title="t", columns=[Column("名称")], rows=[["一区\x01第一\ufffe小学\uffff"]])
    assert [c.value for c in cells(content)] == ["一区第一小学"]


@hypothesis_settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30), min_size=1, max_size=5))
def test_no_exported_text_is_ever_a_formula(values: list[str]) -> None:
    content = build_workbook(title="t", columns=[Column(f"c{i}") for i in range(len(values))], rows=[values])

    for cell in cells(content):
        assert cell.data_type != "f"
        assert not str(cell.value or "").startswith(DANGEROUS)


def test_header_is_bold_and_dropdowns_cover_the_rows() -> None:
    content = build_workbook(
        title="模板", columns=[Column("名称"), Column("类别", choices=["学校", "部门"])], rows=[], validation_rows=10
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet.title == "模板"
    assert sheet["A1"].value == "名称"
    assert sheet["A1"].font.bold
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == "B2:B11"
    assert validation.formula1 == '"学校,部门"'
    assert sheet.freeze_panes == "A2"


def test_read_sheet_returns_text_by_header_and_skips_blank_rows() -> None:
    content = xlsx_bytes(
        ["名称", "代码", "备注"], [[" 甲校 ", 4108020001, None], [None, None, None], ["乙校", 12.0, "=A1"]]
    )

    sheet = read_sheet(upload(content), expected_headers=["名称", "代码"])

    assert sheet.headers == ["名称", "代码", "备注"]
    assert sheet.rows == [
        (2, {"名称": "甲校", "代码": "4108020001", "备注": ""}),
        (4, {"名称": "乙校", "代码": "12", "备注": "=A1"}),  # a formula is read as its text, never evaluated
    ]


def test_read_sheet_limits_rows(settings: Any) -> None:
    settings.EDUCIO_MAX_IMPORT_ROWS = 2
    content = xlsx_bytes(["名称"], [["a"], ["b"], ["c"]])
    with pytest.raises(ImportFileError, match="一次最多导入2行"):
        read_sheet(upload(content), expected_headers=["名称"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件不是有效的 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "文件不是有效的 Excel"),  # an old .xls
        (b"PK\x03\x04 not really a zip", "文件不是有效的 Excel"),
    ],
    ids=["empty", "xls", "fake-zip-magic"],
)
def test_read_sheet_refuses_what_is_not_xlsx(content: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        read_sheet(upload(content), expected_headers=["名称"])
