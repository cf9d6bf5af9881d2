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
from educio.audit.models import EventKind, SecurityEvent
from educio.audit.services import audited
from educio.orgs.tests.factories import SchoolFactory
from educio.testing.content import response_text

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
    ListPage("api-v1-orgs", url("api-v1:org_list"), Role.BUREAU_ADMIN, add_schools),
    ListPage("api-v1-orgs-within", url("api-v1:org_list", "?within={}"), Role.INSPECTOR, add_schools),
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
