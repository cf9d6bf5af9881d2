"""Demo assessments: 焦作's CIO evaluation under way (self-assessed, reviewed, expert tasks), idempotent."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from educio.accounts.models import User
from educio.assessments.demo import EXPERT_TASKS, load_demo_assessments
from educio.assessments.models import AssessmentCycle, AssessmentSubject, ReviewerAssignment, SubjectStatus
from educio.assessments.tests.conftest import client_for
from educio.testing.content import response_text
from educio.testing.fixtures import module_data


@pytest.fixture(scope="module")
def demo_data(django_db_setup: Any, django_db_blocker: Any) -> Any:
    yield from module_data(django_db_blocker, lambda: call_command("load_demo", stdout=StringIO(), stderr=StringIO()))


@pytest.fixture
def demo(demo_data: Any, db: None) -> Any:
    return demo_data


def test_jiaozuo_runs_this_years_cio_evaluation_and_a_second_load_adds_nothing(demo: Any) -> None:
    cycle = AssessmentCycle.objects.get(cycle_id="cio_annual_evaluation", year=timezone.localdate().year)
    assert cycle.organization.name == "焦作市教育局"
    counts = dict(
        AssessmentSubject.objects.filter(cycle=cycle).values_list("status").order_by().annotate(n=Count("pk"))
    )
    assert counts[SubjectStatus.SELF_ASSESSED] >= EXPERT_TASKS
    assert counts[SubjectStatus.REVIEWED] >= 1
    assert counts[SubjectStatus.NOT_STARTED] >= 1
    assert counts[SubjectStatus.VACANT] >= 1  # 解放区实验小学 has no CIO yet
    assert AssessmentCycle.objects.filter(cycle_id="school_biennial_assessment").exists()
    before = AssessmentSubject.objects.count()
    assert load_demo_assessments(User.objects.get(username="platform_admin")) == 0
    assert AssessmentSubject.objects.count() == before


def test_the_demo_expert_has_its_tasks_and_nothing_else(demo: Any) -> None:
    expert = User.objects.get(username="jz_expert")
    assigned = ReviewerAssignment.objects.filter(reviewer=expert)
    assert assigned.count() == EXPERT_TASKS
    client = client_for(expert)
    tasks = response_text(client.get(reverse("assessments:my_reviews")))
    for assignment in assigned.select_related("subject__organization"):
        assert assignment.subject.organization.name in tasks
    other = AssessmentSubject.objects.exclude(assignments__reviewer=expert).exclude(status=SubjectStatus.VACANT).first()
    assert other is not None
    assert client.get(reverse("assessments:review", args=[other.pk])).status_code == 404
