"""The appointments API: the pages' scope, no personal data beyond names, and the coverage numbers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.appointments.models import AppointmentStatus
from educio.appointments.tests.factories import adopt, make_appointment, make_nomination, make_person
from educio.workflow.models import ProcessState


def api_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def world(tree: Any) -> dict[str, Any]:
    adopt(tree.city, "jiaozuo-2022")
    in_county = make_nomination(tree.school, state=ProcessState.IN_REVIEW, person=make_person(tree.school, "王芳"))
    returned = make_nomination(tree.sibling_school, state=ProcessState.RETURNED)
    elsewhere = make_nomination(tree.other_school, person=make_person(tree.other_school, "二县候选人"))
    today = timezone.localdate()
    active = make_appointment(
        tree.school, starts_on=today - timedelta(days=1000), ends_on=today + timedelta(days=20), term_number=1
    )
    ended = make_appointment(tree.sibling_school, status=AppointmentStatus.ENDED)
    far = make_appointment(tree.other_school)
    return {
        "in_county": in_county,
        "returned": returned,
        "elsewhere": elsewhere,
        "active": active,
        "ended": ended,
        "far": far,
    }


def test_nominations_are_those_of_the_scope_with_names_but_no_contact_data(tree, world, county_admin):
    response = api_client(county_admin).get(reverse("api-v1:nomination_list"))

    rows = items(response)
    assert {r["id"] for r in rows} == {world["in_county"].pk, world["returned"].pk}
    row = next(r for r in rows if r["id"] == world["in_county"].pk)
    assert row["person_name"] == "王芳"
    assert row["organization_name"] == tree.school.name
    assert row["status"] == "in_review"
    assert row["eligibility"] == "pass"
    assert row["submitted_at"]
    text = response.content.decode()
    assert "13900000000" not in text
    assert "someone@example.cn" not in text
    assert "phone" not in text


def test_nomination_filters_and_detail(tree, world, city_admin):
    client = api_client(city_admin)
    url = reverse("api-v1:nomination_list")

    assert [r["id"] for r in items(client.get(url, {"status": "returned"}))] == [world["returned"].pk]
    assert {r["id"] for r in items(client.get(url, {"org": tree.other_county.pk}))} == {world["elsewhere"].pk}
    assert items(client.get(url, {"post": "other"})) == []
    detail = client.get(reverse("api-v1:nomination_detail", kwargs={"nomination_id": world["in_county"].pk}))
    assert detail.status_code == 200
    assert detail.json()["eligibility_label"] == "符合"
    assert "13900000000" not in detail.content.decode()


def test_objects_and_units_outside_the_scope_are_404(tree, world, county_admin):
    client = api_client(county_admin)

    assert client.get(reverse("api-v1:nomination_list"), {"org": tree.other_county.pk}).status_code == 404
    assert client.get(reverse("api-v1:appointment_list"), {"org": tree.other_county.pk}).status_code == 404
    nomination = reverse("api-v1:nomination_detail", kwargs={"nomination_id": world["elsewhere"].pk})
    assert client.get(nomination).status_code == 404
    appointment = reverse("api-v1:appointment_detail", kwargs={"appointment_id": world["far"].pk})
    assert client.get(appointment).status_code == 404
    assert client.get(reverse("api-v1:coverage_numbers"), {"org": tree.other_county.pk}).status_code == 404


def test_appointments_list_filters_and_detail(tree, world, county_admin):
    client = api_client(county_admin)
    url = reverse("api-v1:appointment_list")

    assert {r["id"] for r in items(client.get(url))} == {world["active"].pk, world["ended"].pk}
    active = items(client.get(url, {"status": "active", "expiring": 90}))
    assert [r["id"] for r in active] == [world["active"].pk]
    assert set(active[0]) >= {"person_name", "doc_number", "doc_date", "starts_on", "ends_on", "term_number"}
    detail = client.get(reverse("api-v1:appointment_detail", kwargs={"appointment_id": world["ended"].pk})).json()
    assert detail["status"] == "ended"
    assert detail["end_reason"] == "expired"


def test_coverage_numbers_for_a_unit_and_the_default_one(tree, world, county_admin, city_admin):
    county = api_client(county_admin).get(reverse("api-v1:coverage_numbers")).json()
    assert county["organization_id"] == tree.county.pk
    assert (county["required"], county["held"], county["share_percent"]) == (2, 1, 50.0)
    assert county["expiring"] == 1
    assert county["nominations"]["in_review"] == 1
    assert county["nominations"]["returned"] == 1

    city = api_client(city_admin).get(reverse("api-v1:coverage_numbers"), {"org": tree.city.pk}).json()
    assert [(r["organization_name"], r["required"], r["held"]) for r in city["rows"]] == [
        ("甲市一区教育局", 2, 1),
        ("甲市二县教育局", 1, 1),
    ]
    (target,) = city["targets"]
    assert (target["target_percent"], target["met"], target["verdict"]) == (100.0, False, "未达标")


def test_roles_without_the_permission_are_refused(tree, world):
    expert = api_client(user_with_role(Role.EXPERT, tree.county))
    assert expert.get(reverse("api-v1:appointment_list")).status_code == 403
    assert expert.get(reverse("api-v1:nomination_list")).status_code == 403
    assert expert.get(reverse("api-v1:coverage_numbers")).status_code == 403
