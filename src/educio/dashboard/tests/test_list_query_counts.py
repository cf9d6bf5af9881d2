"""Every list page and API list costs the same number of SQL queries with 1 row and with 50 (DESIGN.md §4).

A new list page is one more line in ``PAGES``: its URL, the role that reads
it, and a function adding ``n`` rows that the page shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.api.models import ApiToken, hash_token, new_raw_token
from educio.appointments.tests.rows import (
    add_appointments,
    add_nominations,
    add_schools_with_cios,
    add_schools_without_cios,
)
from educio.assessments.tests.rows import (
    add_assigned_subjects,
    add_cycles,
    add_results,
    add_subjects,
    add_templates,
    counted_cycle_pk,
)
from educio.audit.models import EventKind, SecurityEvent
from educio.audit.services import audited
from educio.documents.tests.rows import add_document_templates, add_own_export_jobs
from educio.notifications.tests.helpers import add_own_notifications
from educio.orgs.tests.factories import SchoolFactory
from educio.people.tests.factories import add_persons
from educio.rectifications.tests.rows import add_orders, add_recognitions
from educio.testing.content import response_text
from educio.training.tests.rows import (
    add_certificates,
    add_enrollments,
    add_trained_cios,
    add_training_events,
    listed_event,
)

# ``add_rows(tree, reader, n, tag)`` adds n rows the page shows and returns "text|text": what the first and
# the last of them display (a page sorted either way shows one of the two).
RowAdder = Callable[[Any, User, int, str], str]


def add_schools(tree: Any, reader: User, n: int, tag: str) -> str:
    """Schools in the county, created as a user would (so each also leaves a change-log entry)."""
    with audited(reader):
        for i in range(n):
            SchoolFactory(parent=tree.county, name=f"{tag}学校{i:02d}", contact_person=f"联系人{i}")
    return f"{tag}学校00|{tag}学校{n - 1:02d}"


def add_accounts(tree: Any, reader: User, n: int, tag: str) -> str:
    """Accounts with two roles each in the county (roles are listed per account)."""
    users = User.objects.bulk_create(User(username=f"{tag}_{i:02d}", full_name=f"{tag}账号{i:02d}") for i in range(n))
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(user=u, role=Role.CIO, organization=tree.school) for u in users]
        + [RoleAssignment(user=u, role=Role.LIAISON, organization=tree.county) for u in users]
    )
    return f"{tag}_00|{tag}_{n - 1:02d}"


def add_security_events(tree: Any, reader: User, n: int, tag: str) -> str:
    users = User.objects.bulk_create(User(username=f"{tag}_{i:02d}") for i in range(n))
    SecurityEvent.objects.bulk_create(
        SecurityEvent(kind=EventKind.LOGIN, user=u, username=u.username, org_path=tree.county.path, detail=tag)
        for u in users
    )
    return f"{tag}_"


def add_own_tokens(tree: Any, reader: User, n: int, tag: str) -> str:
    """The reader's own tokens (written directly: the service caps active tokens at 10)."""
    ApiToken.objects.bulk_create(
        ApiToken(
            user=reader,
            name=f"{tag}令牌{i:02d}",
            prefix=f"edu_{i:06d}",
            token_hash=hash_token(new_raw_token()),
            expires_at=timezone.now() + timedelta(days=30),
            revoked_at=timezone.now() if i % 2 else None,
        )
        for i in range(n)
    )
    return f"{tag}令牌00|{tag}令牌{n - 1:02d}"


def add_schools_and_accounts(tree: Any, reader: User, n: int, tag: str) -> str:
    add_accounts(tree, reader, n, tag)
    return add_schools(tree, reader, n, tag)


def url(name: str, query: str = "", **kwargs: Callable[[Any], Any]) -> Callable[[Any], str]:
    def build(tree: Any) -> str:
        return reverse(name, kwargs={k: get(tree) for k, get in kwargs.items()}) + query

    return build


@dataclass(frozen=True)
class ListPage:
    id: str
    url: Callable[[Any], str]
    role: str
    add_rows: RowAdder
    shows_rows: bool = True  # False for pages that only count rows (the marker text is not displayed)


def county(tree: Any) -> Any:
    return tree.county.pk


PAGES = [
    ListPage("orgs-list-and-tree", url("orgs:list", "?org={}"), Role.BUREAU_ADMIN, add_schools),
    ListPage("orgs-export", url("orgs:list", "?export=xlsx"), Role.BUREAU_ADMIN, add_schools),
    ListPage("orgs-tree-children", url("orgs:tree_children", pk=county), Role.CIO, add_schools),
    ListPage("users-list", url("accounts:user_list"), Role.BUREAU_ADMIN, add_accounts),
    ListPage("users-export", url("accounts:user_list", "?export=xlsx"), Role.SECURITY_ADMIN, add_accounts),
    ListPage("audit-changes", url("audit:list"), Role.AUDIT_ADMIN, add_schools),
    ListPage("audit-changes-export", url("audit:list", "?export=xlsx"), Role.AUDIT_ADMIN, add_schools),
    ListPage("audit-events", url("audit:events"), Role.AUDIT_ADMIN, add_security_events),
    ListPage("audit-events-export", url("audit:events", "?export=xlsx"), Role.AUDIT_ADMIN, add_security_events),
    ListPage("dashboard-home", url("dashboard:home"), Role.BUREAU_ADMIN, add_schools_and_accounts, shows_rows=False),
    ListPage("api-token-list", url("api:tokens"), Role.CIO, add_own_tokens),
    ListPage("notifications-list", url("notifications:list"), Role.CIO, add_own_notifications),
    ListPage("api-v1-notifications", url("api-v1:notification_list"), Role.CIO, add_own_notifications),
    ListPage("api-v1-orgs", url("api-v1:org_list"), Role.BUREAU_ADMIN, add_schools),
    ListPage("people-list-and-tree", url("people:list", "?org={}"), Role.BUREAU_ADMIN, add_persons),
    ListPage("people-export", url("people:list", "?export=xlsx"), Role.INSPECTOR, add_persons),
    ListPage("people-tree-children", url("people:tree_children", org_pk=county), Role.CIO, add_schools),
    ListPage("api-v1-people", url("api-v1:person_list", "?unit={}"), Role.BUREAU_ADMIN, add_persons),
    ListPage("api-v1-orgs-within", url("api-v1:org_list", "?within={}"), Role.INSPECTOR, add_schools),
    ListPage("coverage-page", url("dashboard:coverage", "?org={}"), Role.BUREAU_ADMIN, add_schools_with_cios),
    ListPage("coverage-gaps", url("dashboard:coverage_gaps"), Role.BUREAU_ADMIN, add_schools_without_cios),
    ListPage(
        "coverage-gaps-export", url("dashboard:coverage_gaps", "?export=xlsx"), Role.INSPECTOR, add_schools_without_cios
    ),
    ListPage("nominations-list", url("appointments:nomination_list"), Role.BUREAU_ADMIN, add_nominations),
    ListPage(
        "nominations-summary", url("appointments:nomination_list", "?export=xlsx"), Role.INSPECTOR, add_nominations
    ),
    ListPage("appointments-list", url("appointments:appointment_list"), Role.BUREAU_ADMIN, add_appointments),
    ListPage(
        "appointments-export", url("appointments:appointment_list", "?export=xlsx"), Role.INSPECTOR, add_appointments
    ),
    ListPage("api-v1-nominations", url("api-v1:nomination_list"), Role.BUREAU_ADMIN, add_nominations),
    ListPage("api-v1-appointments", url("api-v1:appointment_list", "?org={}"), Role.INSPECTOR, add_appointments),
    ListPage("training-events", url("training:event_list"), Role.BUREAU_ADMIN, add_training_events),
    ListPage("training-events-export", url("training:event_list", "?export=xlsx"), Role.INSPECTOR, add_training_events),
    ListPage(
        "training-enrolments",
        url("training:event_detail", pk=lambda tree: listed_event(tree).pk),
        Role.BUREAU_ADMIN,
        add_enrollments,
    ),
    ListPage("training-compliance", url("training:compliance"), Role.BUREAU_ADMIN, add_trained_cios),
    ListPage(
        "training-compliance-export", url("training:compliance", "?export=xlsx"), Role.INSPECTOR, add_trained_cios
    ),
    ListPage("api-v1-training-events", url("api-v1:training_event_list"), Role.CIO, add_training_events),
    ListPage(
        "api-v1-training-enrolments",
        url("api-v1:training_enrollment_list", event_id=lambda tree: listed_event(tree).pk),
        Role.BUREAU_ADMIN,
        add_enrollments,
    ),
    ListPage("api-v1-training-certificates", url("api-v1:training_certificate_list"), Role.INSPECTOR, add_certificates),
    ListPage(
        "api-v1-training-compliance", url("api-v1:training_compliance_holders"), Role.BUREAU_ADMIN, add_trained_cios
    ),
    ListPage("document-templates", url("documents:templates"), Role.CIO, add_document_templates),
    ListPage("export-jobs", url("documents:job_list"), Role.CIO, add_own_export_jobs),
    ListPage("rectification-orders", url("rectifications:order_list"), Role.BUREAU_ADMIN, add_orders),
    ListPage(
        "rectification-orders-filtered",
        url("rectifications:order_list", "?org={}&overdue=1"),
        Role.INSPECTOR,
        add_orders,
    ),
    ListPage("rectification-orders-export", url("rectifications:order_list", "?export=xlsx"), Role.LIAISON, add_orders),
    ListPage(
        "rectification-dashboard",
        url("rectifications:dashboard", "?org={}"),
        Role.BUREAU_ADMIN,
        add_orders,
        shows_rows=False,
    ),
    ListPage("recognitions", url("rectifications:recognition_list"), Role.CIO, add_recognitions),
    ListPage(
        "recognitions-export", url("rectifications:recognition_list", "?export=xlsx"), Role.INSPECTOR, add_recognitions
    ),
    ListPage("api-v1-rectification-orders", url("api-v1:order_list", "?org={}"), Role.BUREAU_REVIEWER, add_orders),
    ListPage("api-v1-recognitions", url("api-v1:recognition_list"), Role.INSPECTOR, add_recognitions),
    ListPage("api-v1-exports", url("api-v1:export_job_list"), Role.CIO, add_own_export_jobs),
    ListPage("assessment-cycles", url("assessments:cycle_list"), Role.BUREAU_ADMIN, add_cycles),
    ListPage("assessment-templates", url("assessments:template_list"), Role.BUREAU_ADMIN, add_templates),
    ListPage(
        "assessment-cycle-detail",
        url("assessments:cycle_detail", pk=counted_cycle_pk),
        Role.BUREAU_ADMIN,
        add_subjects,
        shows_rows=False,
    ),
    ListPage(
        "assessment-subjects", url("assessments:subject_list", pk=counted_cycle_pk), Role.BUREAU_ADMIN, add_subjects
    ),
    ListPage(
        "assessment-subjects-export",
        url("assessments:subject_list", "?export=xlsx", pk=counted_cycle_pk),
        Role.INSPECTOR,
        add_subjects,
    ),
    ListPage("assessment-my-subjects", url("assessments:my_subjects"), Role.CIO, add_subjects),
    ListPage("assessment-my-reviews", url("assessments:my_reviews"), Role.EXPERT, add_assigned_subjects),
    ListPage("assessment-results", url("assessments:results", "?org={}"), Role.INSPECTOR, add_results),
    ListPage("assessment-results-export", url("assessments:results", "?export=xlsx"), Role.SCHOOL_HEAD, add_results),
    ListPage("api-v1-assessment-cycles", url("api-v1:assessment_cycle_list"), Role.INSPECTOR, add_cycles),
    ListPage("api-v1-assessment-subjects", url("api-v1:assessment_subject_list"), Role.BUREAU_ADMIN, add_results),
    ListPage("api-v1-assessment-reviews", url("api-v1:assessment_review_list"), Role.EXPERT, add_assigned_subjects),
]


@pytest.mark.parametrize("list_page", PAGES, ids=lambda p: p.id)
def test_list_costs_the_same_queries_with_1_and_50_rows(list_page: ListPage, tree: Any) -> None:
    page = list_page
    reader = user_with_role(page.role, tree.county)
    client = Client()
    client.force_login(reader)
    address = page.url(tree).replace("{}", str(tree.county.pk))

    page.add_rows(tree, reader, 1, "单行")
    client.get(address)  # warm caches (content types, translations) so both measured calls are alike

    with CaptureQueriesContext(connection) as one:
        first = client.get(address)
    assert first.status_code == 200, f"{address}: {first.status_code}"

    marker = page.add_rows(tree, reader, 49, "多行")
    with CaptureQueriesContext(connection) as fifty:
        second = client.get(address)
    assert second.status_code == 200, f"{address}: {second.status_code}"
    if page.shows_rows:
        text = response_text(second)
        assert any(m in text for m in marker.split("|")), f"{page.id}: the added rows are not on the page"

    extra = [q["sql"] for q in fifty.captured_queries[len(one.captured_queries) :]]
    assert len(fifty) == len(one), (
        f"{page.id}: {len(one)} queries with 1 row, {len(fifty)} with 50. First extra queries: {extra[:3]}"
    )
