"""The training pages: what each unit sees, the organiser's tools, compliance and its export."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.testing.content import response_text, xlsx_rows
from educio.training.models import Attendance, Enrollment, TrainingEvent, TrainingResult
from educio.training.tests.factories import attended, make_enrollment, make_event

TODAY = timezone.localdate()


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def events(tree: Any) -> dict[str, TrainingEvent]:
    return {
        "city": make_event(tree.city, "全市信息化业务培训", kind="informatization_training"),
        "county": make_event(tree.county, "一区首席信息官培训", starts_on=date(TODAY.year - 1, 5, 1)),
        "other": make_event(tree.other_county, "二县首席信息官培训"),
        "school": make_event(tree.school, "一小校本研修", centralised=False),
    }


def test_a_school_sees_its_own_trainings_and_those_from_above_only(tree, events):
    body = login(user_with_role("cio", tree.school)).get(reverse("training:event_list")).content.decode()

    for title in ("全市信息化业务培训", "一区首席信息官培训", "一小校本研修"):
        assert title in body
    assert "二县首席信息官培训" not in body


def test_the_list_filters_by_year_level_and_organiser_subtree_and_exports(tree, events, county_admin):
    client = login(county_admin)
    last_year = client.get(reverse("training:event_list"), {"year": TODAY.year - 1}).content.decode()
    county_level = client.get(reverse("training:event_list"), {"level": "county"}).content.decode()
    below = client.get(reverse("training:event_list"), {"org": tree.school.pk}).content.decode()
    export = client.get(reverse("training:event_list"), {"export": "xlsx"})

    assert "一区首席信息官培训" in last_year
    assert "全市信息化业务培训" not in last_year
    assert "一区首席信息官培训" in county_level
    assert "一小校本研修" not in county_level
    assert "一小校本研修" in below
    assert "一区首席信息官培训" not in below
    titles = {row[0] for row in xlsx_rows(export.content)[1:]}
    assert titles == {"全市信息化业务培训", "一区首席信息官培训", "一小校本研修"}


def test_a_training_outside_the_scope_is_not_found(tree, events, county_admin):
    client = login(county_admin)
    assert client.get(reverse("training:event_detail", args=[events["other"].pk])).status_code == 404
    assert client.get(reverse("training:event_update", args=[events["city"].pk])).status_code == 404
    assert client.get(reverse("training:event_detail", args=[events["city"].pk])).status_code == 200


def test_a_unit_below_sees_only_its_own_peoples_enrolments_of_a_city_training(tree, events):
    city_training = events["city"]
    make_enrollment(city_training, make_person(tree.school, "一区学员"))
    make_enrollment(city_training, make_person(tree.other_school, "二县学员"))

    county_view = response_text(
        login(user_with_role("bureau_admin", tree.county)).get(
            reverse("training:event_detail", args=[city_training.pk])
        )
    )
    city_view = response_text(
        login(user_with_role("bureau_admin", tree.city)).get(reverse("training:event_detail", args=[city_training.pk]))
    )

    assert "一区学员" in county_view
    assert "二县学员" not in county_view
    assert "一区学员" in city_view
    assert "二县学员" in city_view


def test_a_county_admin_creates_a_training_from_the_page(tree, county_admin):
    client = login(county_admin)
    response = client.post(
        reverse("training:event_create") + f"?org={tree.county.pk}",
        {
            "title": "全区网络安全培训",
            "level": "county",
            "kind": "security_training",
            "centralised": "on",
            "starts_on": (TODAY + timedelta(days=7)).isoformat(),
            "ends_on": (TODAY + timedelta(days=8)).isoformat(),
            "hours": "8",
            "mode": "offline",
            "place": "区电教馆",
        },
    )

    event = TrainingEvent.objects.get(title="全区网络安全培训")
    assert response.status_code == 302
    assert response["Location"] == reverse("training:event_detail", args=[event.pk])
    assert event.organiser == tree.county
    assert event.created_by == county_admin


def test_the_create_form_offers_no_level_above_the_organiser(tree):
    body = login(user_with_role("cio", tree.school)).get(reverse("training:event_create")).content.decode()
    assert 'value="school"' in body
    assert 'value="county"' not in body


def test_enrol_record_and_certify_from_the_detail_page(tree, county_admin):
    event = make_event(tree.county, issues_certificate=True, certificate_kind="cio_training")
    person = make_person(tree.school, "赵强")
    client = login(county_admin)
    page = client.get(reverse("training:event_detail", args=[event.pk])).content.decode()
    assert f'value="{person.pk}"' in page  # offered for enrolment

    client.post(reverse("training:event_enrol", args=[event.pk]), {"persons": [person.pk]})
    enrollment = Enrollment.objects.get(event=event, person=person)
    client.post(
        reverse("training:enrollment_record", args=[enrollment.pk]),
        {"attendance": "attended", "hours_attended": "", "result": "passed"},
    )
    client.post(reverse("training:certificates_issue", args=[event.pk]), {"enrollment": enrollment.pk, "number": "C-9"})

    enrollment.refresh_from_db()
    assert enrollment.attendance == Attendance.ATTENDED
    assert enrollment.certificate is not None
    assert enrollment.certificate.number == "C-9"
    assert "C-9" in client.get(reverse("training:event_detail", args=[event.pk])).content.decode()


def test_a_refused_enrolment_is_explained_and_changes_nothing(tree, county_admin):
    event = make_event(tree.county)
    outsider = make_person(tree.other_school, "外县教师")

    response = login(county_admin).post(
        reverse("training:event_enrol", args=[event.pk]), {"persons": [outsider.pk]}, follow=True
    )

    assert "所选人员中有不在您管理范围内的人员" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_compliance_page_lists_who_is_missing_and_exports_them(tree, county_admin):
    adopt(tree.county, "helan-2024")
    trained = make_appointment(tree.school, person=make_person(tree.school, "已培训校长"))
    make_appointment(tree.sibling_school, person=make_person(tree.sibling_school, "缺训校长"))
    attended(make_event(tree.county, "全县集中培训", starts_on=date(TODAY.year, 1, 2)), trained.person)
    client = login(county_admin)

    page = client.get(reverse("training:compliance"))
    missing = client.get(reverse("training:compliance"), {"status": "missing", "export": "xlsx"})

    body = page.content.decode()
    assert "每年不少于1次集中培训" in body
    assert "第16条" in body
    assert "已培训校长" in body
    assert "缺训校长" in body
    assert 'data-chart="compliance-chart-data"' in body
    rows = xlsx_rows(missing.content)
    assert [r[1] for r in rows[1:]] == ["缺训校长"]
    assert rows[1][6] == "缺训"


def test_compliance_page_says_when_the_pack_sets_no_requirement(tree, county_admin):
    adopt(tree.city, "jiaozuo-2022")
    body = login(county_admin).get(reverse("training:compliance")).content.decode()
    assert 'id="no-requirement"' in body


def test_compliance_of_a_unit_outside_the_scope_is_not_found(tree, county_admin):
    response = login(county_admin).get(reverse("training:compliance"), {"org": tree.other_county.pk})
    assert response.status_code == 404


def test_the_person_card_lists_trainings_only_for_those_who_may_see_them(tree):
    person = make_person(tree.school, "钱明")
    attended(make_event(tree.county, "区级培训"), person, TrainingResult.PASSED)
    template = Template("{% load training %}{% person_trainings person %}")

    def render(user: Any) -> str:
        request = RequestFactory().get("/")
        request.user = user
        return template.render(Context({"person": person, "request": request}))

    assert "区级培训" in render(user_with_role("inspector", tree.county))
    assert "您无权查看该人员的培训记录" in render(user_with_role("bureau_admin", tree.other_county))
