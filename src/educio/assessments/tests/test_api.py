"""The assessment API: the same scope as the pages, results hidden from the unit until published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.assessments import services
from educio.assessments.models import AssessmentSubject, SubjectStatus
from educio.assessments.tests.conftest import City, client_for, opened
from educio.assessments.tests.factories import assign, give_scores, self_assess

pytestmark = pytest.mark.django_db


def test_the_unit_sees_its_total_only_once_published(city: City) -> None:
    cycle = opened(city)
    subject = self_assess(AssessmentSubject.objects.get(cycle=cycle, organization=city.tree.school), city.cio)
    assign(subject, city.expert, city.admin)
    give_scores(subject, city.expert, Decimal("0.8"))
    services.subject_mark_reviewed(actor=city.admin, subject=subject)
    school = client_for(city.cio)
    url = reverse("api-v1:assessment_subject_list")
    rows = school.get(url, {"cycle": cycle.pk}).json()["items"]
    assert [(r["organization_name"], r["status"], r["total"]) for r in rows] == [
        (city.tree.school.name, SubjectStatus.REVIEWED, None)
    ]
    bureau_rows = client_for(city.admin).get(url, {"cycle": cycle.pk, "status": "reviewed"}).json()["items"]
    assert [Decimal(r["total"]) for r in bureau_rows] == [Decimal("80.00")]
    services.cycle_publish(actor=city.admin, cycle=cycle, appeal_deadline=timezone.localdate())
    detail = school.get(reverse("api-v1:assessment_subject_detail", kwargs={"subject_id": subject.pk})).json()
    assert (Decimal(detail["total"]), detail["grade"], detail["passed"]) == (Decimal("80.00"), "合格", True)
    assert [(leaf["id"], Decimal(leaf["score"])) for leaf in detail["indicators"]][:2] == [
        ("planning", Decimal("16.00")),
        ("rules", Decimal("12.00")),
    ]


def test_a_county_lists_its_schools_and_the_cycle_counts_them(city: City) -> None:
    cycle = opened(city)
    county = client_for(city.county_admin)
    rows = county.get(reverse("api-v1:assessment_subject_list")).json()["items"]
    assert {r["organization_name"] for r in rows} == {city.tree.school.name, city.tree.sibling_school.name}
    outside = AssessmentSubject.objects.get(cycle=cycle, organization=city.tree.other_school)
    assert county.get(reverse("api-v1:assessment_subject_detail", kwargs={"subject_id": outside.pk})).status_code == 404
    detail = county.get(reverse("api-v1:assessment_cycle_detail", kwargs={"cycle_id": cycle.pk})).json()
    counts = {c["status"]: c["count"] for c in detail["progress"]}
    assert counts["not_started"] == 2
    assert counts["vacant"] == 0
    assert client_for(city.far_expert).get(reverse("api-v1:assessment_review_list")).json()["items"] == []


def test_cycles_are_listed_to_the_units_below_the_organiser_only(city: City) -> None:
    cycle = opened(city)
    listed = client_for(city.cio).get(reverse("api-v1:assessment_cycle_list")).json()["items"]
    assert [c["id"] for c in listed] == [cycle.pk]
    far = client_for(city.far_expert)
    assert far.get(reverse("api-v1:assessment_cycle_list")).status_code == 403
    helan_inspector = user_with_role("inspector", city.tree.far_city, username="far_inspector")
    assert client_for(helan_inspector).get(reverse("api-v1:assessment_cycle_list")).json()["items"] == []
    url = reverse("api-v1:assessment_cycle_detail", kwargs={"cycle_id": cycle.pk})
    assert client_for(helan_inspector).get(url).status_code == 404
