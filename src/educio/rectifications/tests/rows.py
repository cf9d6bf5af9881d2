"""Row adders of the query-count test (dashboard/tests/test_list_query_counts.py) for the rectification lists.

Each adds ``n`` rows in the tree's county, as the reader there sees them, and
returns "first|last" of what they display.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from educio.appointments.tests.factories import make_appointment, make_person
from educio.rectifications.models import RecognitionKind
from educio.rectifications.tests.factories import make_order, make_recognition


def add_orders(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Orders at the county's school: the even ones overdue (the first included), every third one's CIO revoked."""
    today = timezone.localdate()
    for i in range(n):
        person = make_person(tree.school, f"{tag}责任人{i:02d}")
        deadline = today - timedelta(days=1 + i) if i % 2 == 0 else today + timedelta(days=i)
        order = make_order(tree.school, issuer=tree.county, person=person, deadline=deadline)
        if i % 3 == 0:
            order.revoked_appointment = make_appointment(tree.school, person=person, status="revoked")
            order.save(update_fields=["revoked_appointment"])
    return f"{tag}责任人00|{tag}责任人{n - 1:02d}"


def add_recognitions(tree: Any, reader: Any, n: int, tag: str) -> str:
    for i in range(n):
        kind = RecognitionKind.ACCOUNTABILITY if i % 2 else RecognitionKind.COMMENDATION
        make_recognition(tree.school, kind=kind, person=make_person(tree.school, f"{tag}获奖人{i:02d}"))
    return f"{tag}获奖人00|{tag}获奖人{n - 1:02d}"
