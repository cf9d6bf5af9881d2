"""Rows the list pages show, for the query-count test (dashboard/tests/test_list_query_counts.py).

Each adder takes ``(tree, reader, n, tag)``, adds n rows inside the county
that ``reader`` sees, and returns "first|last": the text of the first and
the last row (a page sorted either way shows one of them).
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from educio.appointments.tests.factories import clerk
from educio.assessments.models import AssessmentCycle, AssessmentSubject, ReviewerAssignment, SubjectStatus
from educio.assessments.tests.factories import make_cycle, make_template
from educio.orgs.models import Organization
from educio.orgs.tests.factories import SchoolFactory

QUERY_CYCLE = "查询计数考核"
_years = itertools.count(2001)


def counted_cycle(tree: Any) -> AssessmentCycle:
    """The county's cycle the subject pages list (made once per test)."""
    found = AssessmentCycle.objects.filter(organization=tree.county, name=QUERY_CYCLE).first()
    return found or make_cycle(tree.county, creator=clerk(), name=QUERY_CYCLE, year=1999)


def counted_cycle_pk(tree: Any) -> int:
    return counted_cycle(tree).pk


def add_cycles(tree: Any, reader: Any, n: int, tag: str) -> str:
    for i in range(n):
        make_cycle(tree.county, creator=clerk(), name=f"{tag}考核{i:02d}", year=next(_years))
    return f"{tag}考核00|{tag}考核{n - 1:02d}"


def _subjects(tree: Any, n: int, tag: str, **fields: Any) -> list[AssessmentSubject]:
    cycle = counted_cycle(tree)
    schools = [
        Organization.objects.get(pk=cast(Organization, SchoolFactory(parent=tree.county, name=f"{tag}学校{i:02d}")).pk)
        for i in range(n)
    ]
    return AssessmentSubject.objects.bulk_create(
        AssessmentSubject(cycle=cycle, organization=school, **fields) for school in schools
    )


def add_subjects(tree: Any, reader: Any, n: int, tag: str) -> str:
    _subjects(tree, n, tag)
    return f"{tag}学校00|{tag}学校{n - 1:02d}"


def add_assigned_subjects(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Self-assessed subjects assigned to ``reader`` (an expert's review tasks)."""
    subjects = _subjects(tree, n, tag, status=SubjectStatus.SELF_ASSESSED)
    ReviewerAssignment.objects.bulk_create(
        ReviewerAssignment(cycle=s.cycle, subject=s, reviewer=reader, assigned_by=clerk()) for s in subjects
    )
    return f"{tag}学校00|{tag}学校{n - 1:02d}"


def add_results(tree: Any, reader: Any, n: int, tag: str) -> str:
    _subjects(
        tree,
        n,
        tag,
        status=SubjectStatus.PUBLISHED,
        total=Decimal("72.50"),
        grade="合格",
        passed=True,
        published_at=timezone.now(),
    )
    return f"{tag}学校00|{tag}学校{n - 1:02d}"


def add_templates(tree: Any, reader: Any, n: int, tag: str) -> str:
    for i in range(n):
        make_template(tree.county, creator=clerk(), name=f"{tag}模板{i:02d}")
    return f"{tag}模板00|{tag}模板{n - 1:02d}"
