"""The training API: the pages' scope, names but no contact data, and the compliance numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.training.models import TrainingResult
from educio.training.services import certificates_issue
from educio.training.tests.factories import attended, make_event

YEAR = timezone.localdate().year


def api_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def world(tree: Any, county_admin: Any) -> dict[str, Any]:
    adopt(tree.county, "helan-2024")
    county = make_event(
        tree.county, "一区培训", starts_on=date(YEAR, 1, 5), issues_certificate=True, certificate_kind="cio_training"
    )
    other = make_event(tree.other_county, "二县培训")
    trained = make_appointment(tree.school, person=make_person(tree.school, "王芳", phone="13912345678"))
    make_appointment(tree.sibling_school, person=make_person(tree.sibling_school, "李强"))
    attended(county, trained.person, TrainingResult.PASSED)
    attended(other, make_person(tree.other_school, "二县学员"), TrainingResult.PASSED)
    certificates_issue(actor=county_admin, event=county)
    return {"county": county, "other": other}


def test_trainings_are_those_of_the_scope(world, county_admin):
    rows = items(api_client(county_admin).get(reverse("api-v1:training_event_list")))
    assert [r["title"] for r in rows] == ["一区培训"]
    assert rows[0]["enrolled"] == 1
    assert rows[0]["attended"] == 1


def test_a_training_outside_the_scope_is_404(world, county_admin):
    client = api_client(county_admin)
    assert client.get(reverse("api-v1:training_event_detail", args=[world["other"].pk])).status_code == 404
    assert client.get(reverse("api-v1:training_enrollment_list", args=[world["other"].pk])).status_code == 404


def test_enrolments_and_certificates_carry_names_but_no_phone(world, county_admin):
    client = api_client(county_admin)
    enrolments = items(client.get(reverse("api-v1:training_enrollment_list", args=[world["county"].pk])))
    certificates = items(client.get(reverse("api-v1:training_certificate_list")))

    assert [(e["person_name"], e["result"]) for e in enrolments] == [("王芳", "passed")]
    assert enrolments[0]["certificate_number"] == f"{world['county'].ends_on.year}-{world['county'].pk}-001"
    assert [(c["person_name"], c["kind"], c["training_id"]) for c in certificates] == [
        ("王芳", "cio_training", world["county"].pk)
    ]
    assert "13912345678" not in str(enrolments) + str(certificates)


def test_compliance_numbers_for_the_year(world, county_admin, tree):
    client = api_client(county_admin)
    summary = client.get(reverse("api-v1:training_compliance_summary"), {"year": YEAR}).json()
    missing = items(client.get(reverse("api-v1:training_compliance_holders"), {"status": "missing"}))

    assert (summary["total"], summary["compliant"], summary["missing"]) == (2, 1, 1)
    assert summary["requirement"]["id"] == "annual_centralised_training"
    assert summary["requirement"]["article"] == "第16条"
    assert [m["person_name"] for m in missing] == ["李强"]
    outside = client.get(reverse("api-v1:training_compliance_summary"), {"org": tree.other_county.pk})
    assert outside.status_code == 404


def test_a_role_without_training_permission_is_refused(world, tree):
    expert = user_with_role("expert", tree.county)
    assert api_client(expert).get(reverse("api-v1:training_event_list")).status_code == 403
