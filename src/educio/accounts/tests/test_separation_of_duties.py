"""MLPS 2.0 separation of duties: the security administrator manages accounts and sees no business data;
the audit administrator reads the audit log and changes nothing."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from educio.accounts.models import RoleAssignment, User
from educio.accounts.tests.factories import user_with_role
from educio.audit.models import ChangeLogEntry as LogEntry
from educio.orgs.models import Organization

# Pages that act on the caller's own session or password, open to every logged-in user.
SELF_SERVICE = {"accounts:login", "accounts:logout", "accounts:password_change", "accounts:switch_role"}
PASSWORD = "Chushi-2024"


def url_names(namespace: str) -> list[tuple[str, bool]]:
    """(name, takes pk) of every URL of an app, read from the URLconf so new pages are covered too."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == namespace:
            return [
                (f"{namespace}:{p.name}", "pk" in p.pattern.regex.groupindex)
                for p in entry.url_patterns
                if isinstance(p, URLPattern) and p.name
            ]
    raise AssertionError(f"no URL namespace {namespace}")


def data_state() -> dict[str, object]:
    """Everything a write could touch; django-auditlog adds a LogEntry for any row change of EduCIO."""
    return {
        "log_entries": LogEntry.objects.count(),
        "users": list(User.objects.order_by("pk").values_list("pk", "is_active", "password", "full_name", "phone")),
        "roles": list(RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "role", "organization_id")),
        "orgs": list(Organization.objects.order_by("pk").values_list("pk", "name", "path", "is_active")),
        "lockouts": AccessAttempt.objects.count(),
    }


@pytest.fixture
def cio(tree):
    account = user_with_role("cio", tree.school, username="cio_zhang", full_name="张老师", phone="13812345678")
    AccessAttempt.objects.create(
        username="cio_zhang", ip_address="10.0.0.1", user_agent="t", failures_since_start=5, get_data="", post_data=""
    )
    return account


@pytest.fixture
def audit_admin(tree):
    return user_with_role("audit_admin", tree.city, username="auditor")


@pytest.fixture
def security_admin(tree):
    return user_with_role("security_admin", tree.city, username="sec_admin")


def attack(tree, cio) -> dict[str, str]:
    """Valid-looking values for every account and organisation form."""
    return {
        "username": "injected",
        "full_name": "越权写入",
        "phone": "13900000000",
        "email": "",
        "is_active": "",
        "active": "0",
        "role": "bureau_admin",
        "organization": tree.school.moe_code,
        "password": PASSWORD,
        "password_confirm": PASSWORD,
        "assignment": str(cio.role_assignments.get().pk),
        "name": "越权单位",
        "kind": "school",
        "school_type": "primary",
        "new_parent": str(tree.county.pk),
        "back": "locked",
    }


class TestAuditAdmin:
    @pytest.mark.parametrize("namespace", ["accounts", "orgs"])
    def test_every_write_is_refused_and_changes_nothing(self, client, tree, audit_admin, cio, namespace):
        client.force_login(audit_admin)
        objects = {"accounts": cio.pk, "orgs": tree.school.pk}
        before = data_state()
        tried = []

        for name, takes_pk in url_names(namespace):
            if name in SELF_SERVICE:
                continue
            url = reverse(name, kwargs={"pk": objects[namespace]} if takes_pk else None)
            response = client.post(url, attack(tree, cio))
            assert response.status_code in (403, 404), f"POST {url}: {response.status_code}"
            tried.append(name)

        assert data_state() == before
        assert len(tried) >= (8 if namespace == "accounts" else 6)

    def test_account_pages_are_closed_but_the_audit_log_is_open(self, client, audit_admin, cio):
        client.force_login(audit_admin)

        for name in ("accounts:user_list", "accounts:user_create", "accounts:locked_list", "accounts:org_search"):
            assert client.get(reverse(name)).status_code == 403, name
        assert client.get(reverse("accounts:user_detail", args=[cio.pk])).status_code == 403
        assert client.get(reverse("audit:list")).status_code == 200


class TestSecurityAdmin:
    def test_business_pages_and_the_api_are_closed(self, client, tree, security_admin):
        client.force_login(security_admin)

        assert client.get(reverse("orgs:list")).status_code == 403
        assert client.get(reverse("orgs:detail", args=[tree.school.pk])).status_code in (403, 404)
        for path in ("/api/v1/orgs/", f"/api/v1/orgs/{tree.school.pk}"):
            response = client.get(path)
            assert response.status_code in (403, 404), path
            assert tree.school.name not in response.content.decode()
        home = client.get(reverse("dashboard:home"))
        assert home.status_code == 302
        assert home.url == reverse("accounts:user_list")

    def test_account_pages_show_unit_names_but_no_unit_data(self, client, tree, security_admin, cio):
        client.force_login(security_admin)

        page = client.get(reverse("accounts:user_detail", args=[cio.pk])).content.decode()

        assert tree.school.name in page
        for business_value in (tree.school.moe_code, tree.county.region_code, f'href="{reverse("orgs:list")}'):
            assert business_value not in page
        assert "单位管理" not in page  # no menu entry to the organisation pages

    def test_the_security_admin_manages_accounts(self, client, tree, security_admin, cio):
        client.force_login(security_admin)

        created = client.post(
            reverse("accounts:user_create"),
            {
                "username": "liaison_wu",
                "full_name": "吴老师",
                "role": "liaison",
                "organization": tree.school.moe_code,
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            },
        )
        reset = client.post(
            reverse("accounts:user_password_reset", args=[cio.pk]), {"password": PASSWORD, "password_confirm": PASSWORD}
        )
        unlocked = client.post(reverse("accounts:user_unlock", args=[cio.pk]))

        assert created.status_code == reset.status_code == unlocked.status_code == 302
        assert User.objects.get(username="liaison_wu").role_assignments.get().role == "liaison"
        assert User.objects.get(pk=cio.pk).check_password(PASSWORD)
        assert not AccessAttempt.objects.filter(username="cio_zhang").exists()

    def test_the_security_admin_cannot_create_an_administrator(self, client, tree, security_admin):
        client.force_login(security_admin)

        response = client.post(
            reverse("accounts:user_create"),
            {
                "username": "puppet",
                "full_name": "傀儡",
                "role": "bureau_admin",
                "organization": tree.school.moe_code,
                "password": PASSWORD,
                "password_confirm": PASSWORD,
            },
        )

        assert response.status_code == 400
        assert not User.objects.filter(username="puppet").exists()
