"""Excel import of organisations: the template, all-or-nothing validation, file checks, formula safety."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from educio.audit.models import ChangeLogEntry as LogEntry
from educio.audit.models import EventKind, SecurityEvent
from educio.documents.xlsx import XLSX_CONTENT_TYPE, ImportFileError
from educio.orgs import imports, services
from educio.orgs.models import Organization, OrgKind, SchoolType
from educio.testing.xlsx import upload, xlsx_bytes, xlsx_upload

FORMULA = "=cmd|' /C calc'!A0"


def school_row(name: str, code: str = "", *, parent: str = "", kind: str = "学校", school_type: str = "小学") -> list:
    return [parent, name, "", kind, "", school_type, code, "410802", "示例路2号", "王老师", "0391-1234567"]


@pytest.fixture
def admin_client(county_admin: Any) -> Client:
    client = Client()
    client.force_login(county_admin)
    return client


def import_url(org: Organization) -> str:
    return reverse("orgs:import", args=[org.pk])


def post_file(client: Client, org: Organization, file: Any) -> Any:
    return client.post(import_url(org), {"file": file})


# --- the template -------------------------------------------------------------------------------


def test_template_has_the_headers_dropdowns_and_an_example_row(tree: Any, admin_client: Client) -> None:
    response = admin_client.get(reverse("orgs:import_template", args=[tree.county.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == imports.HEADERS
    example = dict(zip(imports.HEADERS, rows[1], strict=True))
    assert example[imports.PARENT] == tree.county.name
    assert example[imports.KIND] == str(OrgKind.SCHOOL.label)
    assert example[imports.TYPE] == str(SchoolType.PRIMARY.label)

    dropdowns = {str(dv.sqref).split(":")[0]: dv for dv in sheet.data_validations.dataValidation}
    kind_col = "ABCDEFGHIJK"[imports.HEADERS.index(imports.KIND)]
    type_col = "ABCDEFGHIJK"[imports.HEADERS.index(imports.TYPE)]
    for column, labels in ((kind_col, OrgKind.labels), (type_col, SchoolType.labels)):
        validation = dropdowns[f"{column}2"]
        assert validation.type == "list"
        assert validation.formula1 == '"' + ",".join(str(label) for label in labels) + '"'
        assert str(validation.sqref).endswith(f"{column}501")  # the dropdown reaches well below the example


def test_template_round_trips_through_the_import(tree: Any, county_admin: Any) -> None:
    """The downloaded template, with its example row kept, imports as it is."""
    client = Client()
    client.force_login(county_admin)
    content = client.get(reverse("orgs:import_template", args=[tree.county.pk])).content

    report = services.org_import(actor=county_admin, upload=upload(content), default_parent=tree.county)

    assert report.errors == []
    assert Organization.objects.get(name="示例第一小学").path.startswith(tree.county.path)


# --- a good file --------------------------------------------------------------------------------


def test_good_file_creates_both_schools_under_the_county_with_audit(tree: Any, admin_client: Client, county_admin):
    before = Organization.objects.count()
    file = xlsx_upload(imports.HEADERS, [school_row("新建第一小学", "4108021001"), school_row("新建第二小学")])

    response = post_file(admin_client, tree.county, file)

    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:list") + f"?org={tree.county.pk}"
    assert Organization.objects.count() == before + 2
    first = Organization.objects.get(name="新建第一小学")
    second = Organization.objects.get(name="新建第二小学")
    for org in (first, second):
        assert org.path.startswith(tree.county.path)
        assert org.depth == tree.county.depth + 1
        assert org.kind == OrgKind.SCHOOL
        assert org.school_type == SchoolType.PRIMARY
    assert first.moe_code == "4108021001"
    assert second.moe_code is None  # a blank code is NULL, so any number of schools may lack one

    org_type = ContentType.objects.get_for_model(Organization)
    for org in (first, second):
        entry = LogEntry.objects.get(content_type=org_type, object_id=org.pk, action=LogEntry.Action.CREATE)
        assert entry.actor == county_admin
        assert entry.additional_data == {"org_path": org.path}
        assert entry.remote_addr == "127.0.0.1"

    event = SecurityEvent.objects.get(kind=EventKind.IMPORT)
    assert event.user == county_admin
    assert event.org_path == tree.county.path
    assert event.ip_address == "127.0.0.1"
    assert "2" in event.detail


def test_a_row_may_name_a_unit_created_earlier_in_the_same_file(tree: Any, county_admin: Any) -> None:
    rows = [
        ["", "新区教育局", "", "教育行政部门", "县级", "", "", "410803", "", "", ""],
        school_row("新区实验学校", parent="新区教育局", school_type="九年一贯制学校"),
        school_row("一区第一小学分校", parent=tree.school.moe_code, kind="部门/学院", school_type=""),
    ]

    report = services.org_import(
        actor=county_admin, upload=xlsx_upload(imports.HEADERS, rows), default_parent=tree.county
    )

    assert report.errors == []
    assert report.created == 3
    bureau = Organization.objects.get(name="新区教育局")
    school = Organization.objects.get(name="新区实验学校")
    department = Organization.objects.get(name="一区第一小学分校")
    assert Organization.objects.get_parent(school) == bureau
    assert school.school_type == SchoolType.NINE_YEAR
    assert Organization.objects.get_parent(department) == tree.school


# --- a file with bad rows -----------------------------------------------------------------------


@pytest.fixture
def bad_rows(tree: Any) -> list[list]:
    return [
        school_row("合格的学校", "4108029001"),  # row 2: fine on its own
        school_row("重复标识码学校", "4108029001"),  # row 3: same code as row 2
        school_row("已占用标识码学校", tree.school.moe_code),  # row 4: code of an existing school
        school_row("无主学校", parent="不存在的教育局"),  # row 5: unknown parent
        school_row("十一位码学校", "41080290011"),  # row 6: 11 digits
        school_row("", "4108029006"),  # row 7: empty name
        school_row("幼儿园", kind="幼儿园"),  # row 8: not a kind
        school_row("越界学校", parent=tree.far_school.name),  # row 9: a school outside the admin's scope
        school_row("校中校", parent=tree.school.name),  # row 10: a school under a school
    ]


EXPECTED_ERRORS = {
    (3, imports.MOE, "与第2行重复"),
    (4, imports.MOE, "已被其他单位使用"),
    (5, imports.PARENT, "找不到上级单位“不存在的教育局”"),
    (6, imports.MOE, "学校标识码必须是10位数字"),
    (7, imports.NAME, "不能为空"),
    (8, imports.KIND, "“幼儿园”不是有效的类别"),
    (9, imports.PARENT, "找不到上级单位“三区第一中学”"),
    (10, imports.PARENT, "不能设在“一区第一小学”"),
}


def assert_reported(errors: list[Any]) -> None:
    found = {(e.row, e.column) for e in errors}
    for row, column, reason in EXPECTED_ERRORS:
        assert (row, column) in found, f"row {row} column {column} not reported; got {found}"
        assert any(e.row == row and e.column == column and reason in e.reason for e in errors), (
            f"row {row}: expected a reason containing {reason!r}, got {[e.reason for e in errors if e.row == row]}"
        )
    assert 2 not in {e.row for e in errors}, "the good row must not be reported"
    assert all(e.sheet == "Sheet1" for e in errors)


def test_bad_rows_are_all_reported_and_nothing_is_saved(tree: Any, county_admin: Any, bad_rows: list) -> None:
    before = Organization.objects.count()
    log_before = LogEntry.objects.count()

    report = services.org_import(
        actor=county_admin, upload=xlsx_upload(imports.HEADERS, bad_rows), default_parent=tree.county
    )

    assert_reported(report.errors)
    assert report.created == 0
    assert Organization.objects.count() == before
    assert not Organization.objects.filter(name="合格的学校").exists()
    assert LogEntry.objects.count() == log_before
    assert not SecurityEvent.objects.filter(kind=EventKind.IMPORT).exists()


def test_bad_rows_are_listed_on_the_page(tree: Any, admin_client: Client, bad_rows: list) -> None:
    before = Organization.objects.count()

    response = post_file(admin_client, tree.county, xlsx_upload(imports.HEADERS, bad_rows))

    assert response.status_code == 400
    report = response.context["report"]
    assert_reported(report.errors)
    html = response.content.decode()
    assert f"发现 {len(report.errors)} 处错误,未保存任何数据" in html
    for error in report.errors:
        assert f"<td>{error.row}</td><td>{error.column}</td>" in html
    for _row, _column, reason in EXPECTED_ERRORS:
        assert reason in html
    assert Organization.objects.count() == before


# --- files that are not workbooks ---------------------------------------------------------------


def zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "不是工作簿")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("orgs.xlsx", "单位名称,类别\n新学校,学校\n".encode(), "文件不是有效的 Excel (.xlsx) 文件。"),
        ("orgs.csv", "单位名称,类别\n新学校,学校\n".encode("gbk"), "文件不是有效的 Excel (.xlsx) 文件。"),
        ("orgs.xlsx", zip_without_workbook(), "无法读取该文件:它不是有效的 Excel 工作簿或已损坏。"),
        ("orgs.xlsx", xlsx_bytes(["名称"], [["新学校"]]), "表头缺少以下列:单位名称、类别。"),
    ],
    ids=["text-renamed-xlsx", "csv", "zip-without-workbook", "wrong-headers"],
)
def test_a_file_that_is_not_the_template_gets_a_chinese_error(
    tree: Any, admin_client: Client, name: str, content: bytes, message: str
) -> None:
    before = Organization.objects.count()

    response = post_file(admin_client, tree.county, upload(content, name, "text/csv"))

    assert response.status_code == 400
    assert message in response.context["form"].errors["file"][0]
    assert message in response.content.decode()
    assert Organization.objects.count() == before
    assert not SecurityEvent.objects.filter(kind=EventKind.IMPORT).exists()


def test_an_oversized_file_is_refused_before_reading(tree: Any, county_admin: Any, settings: Any) -> None:
    settings.EDUCIO_MAX_IMPORT_BYTES = 1024
    big = xlsx_bytes(imports.HEADERS, [school_row(f"大文件学校{i}") for i in range(200)])
    assert len(big) > 1024

    with pytest.raises(ImportFileError, match="文件过大"):
        services.org_import(actor=county_admin, upload=upload(big), default_parent=tree.county)


# --- formulas -----------------------------------------------------------------------------------


def test_a_formula_is_stored_as_text_and_exported_neutralised(tree: Any, admin_client: Client) -> None:
    row = school_row(FORMULA, "4108021999")
    row[imports.HEADERS.index(imports.ADDRESS)] = FORMULA
    response = post_file(admin_client, tree.county, xlsx_upload(imports.HEADERS, [row]))
    assert response.status_code == 302

    org = Organization.objects.get(moe_code="4108021999")
    assert org.name == FORMULA
    assert org.address == FORMULA

    export = admin_client.get(reverse("orgs:list"), {"export": "xlsx", "q": "4108021999"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    (cells,) = [r for r in sheet.iter_rows(min_row=2) if "4108021999" in [c.value for c in r]]
    for column in ("单位名称", "地址"):
        cell = cells[headers.index(column)]
        assert cell.data_type == "s", f"{column} was written as a formula"
        assert cell.value == "'" + FORMULA
    for every in sheet.iter_rows():
        for cell in every:
            assert cell.data_type != "f"
            assert not str(cell.value or "").startswith(("=", "+", "-", "@"))


def test_full_width_codes_are_read_as_digits_and_checked_against_the_database(tree: Any, county_admin: Any) -> None:
    taken = tree.school.moe_code.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    rows = [school_row("全角码学校", taken), school_row("全角新码学校", "４１０８０２１７７７")]

    report = services.org_import(
        actor=county_admin, upload=xlsx_upload(imports.HEADERS, rows), default_parent=tree.county
    )

    assert [(e.row, e.column) for e in report.errors] == [(2, imports.MOE)]
    assert "已被其他单位使用" in report.errors[0].reason
    rows.pop(0)
    report = services.org_import(
        actor=county_admin, upload=xlsx_upload(imports.HEADERS, rows), default_parent=tree.county
    )
    assert report.errors == []
    assert Organization.objects.get(name="全角新码学校").moe_code == "4108021777"
