"""Excel import of persons: the template, all-or-nothing, a report naming row, column and reason."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from educio.accounts.tests.factories import user_with_role
from educio.audit.models import EventKind, SecurityEvent
from educio.people import imports, services
from educio.people.models import Person
from educio.people.tests.factories import PersonFactory
from educio.testing.xlsx import upload, xlsx_upload


def row(name: str, **cells: str) -> list[str]:
    values = {
        imports.NAME: name,
        imports.GENDER: "男",
        imports.BIRTH: "1980-05-12",
        imports.POLITICAL: "中共党员",
        imports.POSITIONS: "学校主要负责人、学校法定代表人",
        imports.TITLE: "高级教师",
        imports.JOINED: "2012-09-01",
        imports.PHONE: "13800001111",
        **cells,
    }
    return [values.get(h, "") for h in imports.HEADERS]


def sheet(*rows: list[str]):
    return xlsx_upload(imports.HEADERS, rows)


@pytest.fixture
def admin_client(county_admin) -> Client:
    client = Client()
    client.force_login(county_admin)
    return client


def test_template_round_trips_through_the_import(tree, county_admin, admin_client):
    response = admin_client.get(reverse("people:import_template", args=[tree.school.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))

    report = services.person_import(actor=county_admin, upload=upload(response.content), organization=tree.school)

    assert list(rows[0]) == imports.HEADERS
    assert report.errors == []
    person = Person.objects.get(name="张明")
    assert person.organization == tree.school
    assert person.positions == ["deputy_head"]
    assert person.title_level == "associate_senior"


def test_rows_are_imported_with_labels_read_as_codes_and_the_import_logged(tree, county_admin, admin_client):
    response = admin_client.post(
        reverse("people:import", args=[tree.county.pk]),
        {"file": sheet(row("王一"), row("李二", **{imports.UNIT: tree.school.name, imports.RANK: "副处级"}))},
    )

    assert response.status_code == 302
    first, second = Person.objects.get(name="王一"), Person.objects.get(name="李二")
    assert first.organization == tree.county
    assert second.organization == tree.school
    assert first.positions == ["school_head", "legal_representative"]
    assert (first.political_status, first.birth_date) == ("中共党员", date(1980, 5, 12))
    assert second.admin_rank == "division_deputy"
    assert SecurityEvent.objects.filter(kind=EventKind.IMPORT, user=county_admin, detail__contains="2 人").exists()


def test_one_bad_row_saves_nothing_and_every_error_is_reported(tree, county_admin, admin_client):
    bad = sheet(
        row("好人"),
        row("", **{imports.GENDER: "未知"}),
        row("错日", **{imports.BIRTH: "1980-13-40", imports.PHONE: "123"}),
        row("错岗", **{imports.POSITIONS: "门卫", imports.UNIT: tree.far_school.name}),
    )

    response = admin_client.post(reverse("people:import", args=[tree.county.pk]), {"file": bad})

    assert response.status_code == 400
    assert not Person.objects.exists()
    errors = {(e.row, e.column) for e in response.context["report"].errors}
    assert errors == {
        (3, imports.NAME),
        (3, imports.GENDER),
        (4, imports.BIRTH),
        (4, imports.PHONE),
        (5, imports.POSITIONS),
        (5, imports.UNIT),
    }
    body = response.content.decode()
    assert "“门卫”不是有效的任职岗位" in body
    assert f"找不到单位“{tree.far_school.name}”" in body


def test_duplicates_in_the_file_and_on_record_are_reported(tree, county_admin):
    PersonFactory(organization=tree.county, name="已在册", birth_date=date(1980, 5, 12))

    report = services.person_import(
        actor=county_admin, upload=sheet(row("已在册"), row("重复"), row("重复")), organization=tree.county
    )

    reasons = {(e.row, e.reason) for e in report.errors}
    assert (2, "本单位已有出生日期相同的“已在册”") in reasons
    assert (4, "与第3行重复") in reasons
    assert Person.objects.count() == 1


def test_school_users_import_into_their_school_only(tree):
    head = user_with_role("school_head", tree.school)
    client = Client()
    client.force_login(head)

    assert client.get(reverse("people:import", args=[tree.county.pk])).status_code == 404
    response = client.post(
        reverse("people:import", args=[tree.school.pk]), {"file": sheet(row("甲", **{imports.UNIT: "甲市一区教育局"}))}
    )
    assert response.status_code == 400
    assert not Person.objects.exists()


def test_a_file_that_is_not_a_workbook_is_refused(tree, admin_client):
    fake = upload(b"name,gender\n", name="persons.xlsx")
    response = admin_client.post(reverse("people:import", args=[tree.county.pk]), {"file": fake})
    assert response.status_code == 400
    assert "不是有效的 Excel" in response.content.decode()
