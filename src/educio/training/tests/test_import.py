"""Attendance from Excel: the template lists the enrolled, every row is checked first, nothing saved on an error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from educio.appointments.tests.factories import make_person
from educio.audit.models import EventKind, SecurityEvent
from educio.testing.content import xlsx_rows
from educio.testing.xlsx import upload, xlsx_upload
from educio.training import imports, services
from educio.training.models import Attendance, Enrollment, TrainingResult
from educio.training.tests.factories import make_enrollment, make_event


def row(name: str, **cells: Any) -> list[Any]:
    values = {imports.NAME: name, imports.ATTENDANCE: "已参训", **cells}
    return [values.get(h, "") for h in imports.HEADERS]


def sheet(*rows: list[Any]) -> Any:
    return xlsx_upload(imports.HEADERS, rows)


@pytest.fixture
def event(tree: Any) -> Any:
    training = make_event(tree.county, hours="16", issues_certificate=True, certificate_kind="cio_training")
    make_enrollment(training, make_person(tree.school, "张伟", phone="13800000001"))
    make_enrollment(training, make_person(tree.sibling_school, "张伟", phone="13800000002"))
    make_enrollment(training, make_person(tree.school, "李娜", phone="13800000003"))
    return training


def state(event: Any) -> dict[tuple[str, str], tuple[str, Decimal | None, str, str | None]]:
    return {
        (e.person.name, e.person.organization.name): (
            e.attendance,
            e.hours_attended,
            e.result,
            e.certificate.number if e.certificate else None,
        )
        for e in Enrollment.objects.filter(event=event).select_related("person__organization", "certificate")
    }


def test_the_template_lists_the_enrolled_with_masked_phones_and_is_logged(tree, event, county_admin):
    client = Client()
    client.force_login(county_admin)

    response = client.get(reverse("training:attendance_template", args=[event.pk]))

    rows = xlsx_rows(response.content)
    assert rows[0] == imports.HEADERS
    assert {(r[0], r[1], r[2]) for r in rows[1:]} == {
        ("张伟", "一区第一小学", "138****0001"),
        ("张伟", "一区第二中学", "138****0002"),
        ("李娜", "一区第一小学", "138****0003"),
    }
    assert SecurityEvent.objects.filter(kind=EventKind.EXPORT, detail__contains="培训考勤模板").exists()


def test_the_filled_template_records_attendance_and_issues_the_numbered_certificates(tree, event, county_admin):
    upload_file = sheet(
        row("张伟", **{imports.UNIT: "一区第一小学", imports.RESULT: "合格", imports.NUMBER: "HL-2025-001"}),
        row("张伟", **{imports.PHONE: "138-0000-0002", imports.HOURS: "12", imports.RESULT: "不合格"}),
        row("李娜", **{imports.ATTENDANCE: "缺勤", imports.PHONE: "138****0003"}),
    )

    report = services.attendance_import(actor=county_admin, event=event, upload=upload_file)

    assert report.errors == []
    assert report.created == 3
    assert state(event) == {
        ("张伟", "一区第一小学"): (Attendance.ATTENDED, Decimal("16.0"), TrainingResult.PASSED, "HL-2025-001"),
        ("张伟", "一区第二中学"): (Attendance.ATTENDED, Decimal("12.0"), TrainingResult.FAILED, None),
        ("李娜", "一区第一小学"): (Attendance.ABSENT, None, "", None),
    }
    assert SecurityEvent.objects.filter(kind=EventKind.IMPORT, detail__contains=event.title).exists()


def test_one_bad_row_saves_nothing_and_every_error_names_row_column_and_reason(tree, event, county_admin):
    before = state(event)
    upload_file = sheet(
        row("李娜", **{imports.RESULT: "合格"}),
        row("张伟"),
        row("王五"),
        row("李娜", **{imports.HOURS: "20", imports.ATTENDANCE: "请假"}),
        row("李娜", **{imports.ATTENDANCE: "缺勤", imports.RESULT: "合格"}),
    )

    report = services.attendance_import(actor=county_admin, event=event, upload=upload_file)

    errors = {(e.row, e.column, e.reason) for e in report.errors}
    assert errors == {
        (3, imports.NAME, "有2名报名人员叫“张伟”,请填写单位或手机号"),
        (4, imports.NAME, "“王五”未报名本次培训"),
        (5, imports.ATTENDANCE, "“请假”不是有效的出勤情况"),
        (5, imports.NAME, "与第2行是同一人"),
        (6, imports.NAME, "与第2行是同一人"),
    }
    assert all(e.sheet == "Sheet1" for e in report.errors)
    assert state(event) == before


def test_rule_errors_are_reported_per_row(tree, event, county_admin):
    upload_file = sheet(
        row("李娜", **{imports.HOURS: "20"}),
        row("张伟", **{imports.UNIT: "一区第一小学", imports.ATTENDANCE: "缺勤", imports.RESULT: "合格"}),
        row("张伟", **{imports.UNIT: "一区第二中学", imports.NUMBER: "X-1"}),
    )

    report = services.attendance_import(actor=county_admin, event=event, upload=upload_file)

    assert {(e.row, e.column, e.reason) for e in report.errors} == {
        (2, imports.HOURS, "获得学时应在0至16之间。"),
        (3, imports.RESULT, "未参训的人员不能评定考核结果。"),
        (4, imports.NUMBER, "考核结果为合格才能填写证书编号"),
    }
    assert Enrollment.objects.filter(event=event, attendance=Attendance.ENROLLED).count() == 3


def test_a_phone_that_belongs_to_someone_else_is_refused(tree, event, county_admin):
    report = services.attendance_import(
        actor=county_admin, event=event, upload=sheet(row("李娜", **{imports.PHONE: "13800000001"}))
    )
    assert [(e.row, e.column, e.reason) for e in report.errors] == [
        (2, imports.PHONE, "手机号对应的报名人员是“张伟”,与姓名不符")
    ]


def test_a_certificate_number_repeated_in_the_file_is_refused(tree, event, county_admin):
    upload_file = sheet(
        row("张伟", **{imports.UNIT: "一区第一小学", imports.RESULT: "合格", imports.NUMBER: "N-1"}),
        row("李娜", **{imports.RESULT: "合格", imports.NUMBER: "N-1"}),
    )
    report = services.attendance_import(actor=county_admin, event=event, upload=upload_file)
    assert [(e.row, e.column) for e in report.errors] == [(3, imports.NUMBER)]
    assert not Enrollment.objects.filter(certificate__isnull=False).exists()


def test_the_page_shows_the_report_and_a_wrong_file_type(tree, event, county_admin):
    client = Client()
    client.force_login(county_admin)
    address = reverse("training:attendance_import", args=[event.pk])

    bad = client.post(address, {"file": sheet(row("王五"))})
    wrong = client.post(address, {"file": upload(b"not a workbook", "a.xlsx")})
    good = client.post(address, {"file": sheet(row("李娜"))})

    assert bad.status_code == 400
    assert "“王五”未报名本次培训" in bad.content.decode()
    assert "不是有效的 Excel" in wrong.content.decode()
    assert good.status_code == 302
    assert Enrollment.objects.get(event=event, person__name="李娜").attendance == Attendance.ATTENDED


def test_re_importing_the_downloaded_template_changes_nothing(tree, event, county_admin):
    first = sheet(
        row(
            "张伟",
            **{imports.UNIT: "一区第一小学", imports.HOURS: "12.5", imports.RESULT: "合格", imports.NUMBER: "A-1"},
        ),
        row("张伟", **{imports.UNIT: "一区第二中学", imports.ATTENDANCE: "缺勤"}),
        row("李娜", **{imports.RESULT: "合格"}),
    )
    assert services.attendance_import(actor=county_admin, event=event, upload=first).errors == []
    before = state(event)
    client = Client()
    client.force_login(county_admin)
    template = client.get(reverse("training:attendance_template", args=[event.pk])).content

    report = services.attendance_import(actor=county_admin, event=event, upload=upload(template))

    assert report.errors == []
    assert state(event) == before
    assert before[("张伟", "一区第一小学")] == (Attendance.ATTENDED, Decimal("12.5"), TrainingResult.PASSED, "A-1")


def test_the_template_keeps_the_chinese_words_in_the_english_ui() -> None:
    from django.utils import translation

    from educio.training.imports import template_columns

    with translation.override("en"):
        attendance = next(c for c in template_columns() if c.header == "出勤")
    assert attendance.choices == ["已参训", "缺勤"]
