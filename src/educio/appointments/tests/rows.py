"""Row adders of the query-count test (dashboard/tests/test_list_query_counts.py) for the coverage and API lists.

Each adds ``n`` rows in the tree's county, as the reader there sees them, and
returns "first|last" of what they display.
"""

from __future__ import annotations

from typing import Any

from educio.appointments.tests.factories import adopt, make_appointment, make_nomination, make_person
from educio.orgs.models import Organization
from educio.orgs.tests.factories import SchoolFactory
from educio.policies.models import PackAdoption


def _county_on_jiaozuo(tree: Any) -> None:
    if not PackAdoption.objects.filter(organization=tree.county, superseded_at__isnull=True).exists():
        adopt(tree.county, "jiaozuo-2022")


def _schools(tree: Any, n: int, tag: str) -> list[Organization]:
    _county_on_jiaozuo(tree)
    return [SchoolFactory(parent=tree.county, name=f"{tag}学校{i:02d}") for i in range(n)]


def add_schools_with_cios(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Schools with an active CIO and a nomination in review: rows of the coverage page."""
    for school in _schools(tree, n, tag):
        make_appointment(school)
        make_nomination(school)
    return f"{tag}学校00|{tag}学校{n - 1:02d}"


def add_schools_without_cios(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Schools with no CIO, half of them with a nomination under way: rows of the gaps list."""
    for i, school in enumerate(_schools(tree, n, tag)):
        if i % 2:
            make_nomination(school)
    return f"{tag}学校00|{tag}学校{n - 1:02d}"


def add_nominations(tree: Any, reader: Any, n: int, tag: str) -> str:
    for i in range(n):
        make_nomination(tree.school, person=make_person(tree.school, f"{tag}候选人{i:02d}"))
    return f"{tag}候选人00|{tag}候选人{n - 1:02d}"


def add_appointments(tree: Any, reader: Any, n: int, tag: str) -> str:
    for i in range(n):
        make_appointment(tree.school, person=make_person(tree.school, f"{tag}在任{i:02d}"))
    return f"{tag}在任00|{tag}在任{n - 1:02d}"
