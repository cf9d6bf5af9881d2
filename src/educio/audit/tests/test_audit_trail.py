"""The audit trail: security events with the client address, and audit pages scoped to the subtree."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from educio.accounts.roles import Role
from educio.accounts.tests.factories import DEFAULT_PASSWORD, user_with_role
from educio.audit.models import ChangeLogEntry as LogEntry
from educio.audit.models import EventKind, SecurityEvent
from educio.audit.services import audited, security_event_record
from educio.orgs import services as org_services
from educio.orgs.models import Organization
from educio.testing.content import response_text

IP = "10.20.30.40"


def login_client(user: Any) -> Client:
    client = Client(REMOTE_ADDR=IP)
    client.force_login(user)
    return client


# --- security events ----------------------------------------------------------------------------


def test_login_is_recorded_with_the_address_and_the_home_unit(tree: Any, county_admin: Any) -> None:
    client = Client(REMOTE_ADDR=IP)

    response = client.post(reverse("accounts:login"), {"username": "county_admin", "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=EventKind.LOGIN)
    assert event.user == county_admin
    assert event.username == "county_admin"
    assert event.ip_address == IP
    assert event.org_path == tree.county.path


def test_failed_login_is_recorded_under_the_named_account(tree: Any, county_admin: Any) -> None:
    client = Client(REMOTE_ADDR=IP)

    response = client.post(reverse("accounts:login"), {"username": "county_admin", "password": "wrong-Password-1"})

    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()
    event = SecurityEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert event.user is None
    assert event.username == "county_admin"
    assert event.ip_address == IP
    assert event.org_path == tree.county.path
    assert not SecurityEvent.objects.filter(kind=EventKind.LOGIN).exists()


def test_failed_login_of_an_unknown_name_is_recorded_for_the_platform_only(tree: Any) -> None:
    Client(REMOTE_ADDR=IP).post(reverse("accounts:login"), {"username": "nobody", "password": "x"})

    event = SecurityEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert event.username == "nobody"
    assert event.org_path == ""


def test_logout_is_recorded_with_the_address(tree: Any, county_admin: Any) -> None:
    client = login_client(county_admin)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    event = SecurityEvent.objects.get(kind=EventKind.LOGOUT)
    assert event.user == county_admin
    assert event.ip_address == IP


def test_an_export_is_recorded(tree: Any, county_admin: Any) -> None:
    client = login_client(county_admin)

    response = client.get(reverse("orgs:list"), {"export": "xlsx", "kind": "school"})

    assert response.status_code == 200
    event = SecurityEvent.objects.get(kind=EventKind.EXPORT)
    assert event.user == county_admin
    assert event.ip_address == IP
    assert event.org_path == tree.county.path
    assert event.detail.startswith("单位列表: 2 行")
    assert "kind=school" in event.detail


def test_a_refused_export_records_nothing(tree: Any) -> None:
    liaison = user_with_role(Role.LIAISON, tree.county)  # may view units but not export them

    response = login_client(liaison).get(reverse("orgs:list"), {"export": "xlsx"})

    assert response.status_code == 403
    assert not SecurityEvent.objects.filter(kind=EventKind.EXPORT).exists()


# --- scoped audit pages -------------------------------------------------------------------------


@pytest.fixture
def trail(tree: Any, county_admin: Any) -> None:
    """Changes and events in the county, in its sibling county and in the other city."""
    other_admin = user_with_role(Role.BUREAU_ADMIN, tree.other_county, username="other_admin")
    far_admin = user_with_role(Role.BUREAU_ADMIN, tree.far_county, username="far_admin")
    org_services.org_update(actor=county_admin, org=tree.school, name="本区改名小学")
    org_services.org_update(actor=other_admin, org=tree.other_school, name="邻县改名小学")
    org_services.org_update(actor=far_admin, org=tree.far_school, name="外市改名中学")
    security_event_record(kind=EventKind.LOGIN, user=county_admin, detail="本区登录事件")
    security_event_record(kind=EventKind.LOGIN, user=other_admin, detail="邻县登录事件")
    security_event_record(kind=EventKind.LOGIN, user=far_admin, detail="外市登录事件")


@pytest.mark.parametrize("name", ["audit:list", "audit:events"])
@pytest.mark.parametrize("export", [False, True], ids=["page", "export"])
def test_county_audit_admin_sees_only_the_county(tree: Any, trail: None, name: str, export: bool) -> None:
    auditor = user_with_role(Role.AUDIT_ADMIN, tree.county)

    response = login_client(auditor).get(reverse(name), {"export": "xlsx"} if export else {})

    assert response.status_code == 200
    text = response_text(response)
    assert "本区" in text
    for outside in ("邻县", "外市", "二县", "乙市"):
        assert outside not in text


def test_city_audit_admin_sees_both_counties_but_not_the_other_city(tree: Any, trail: None) -> None:
    auditor = user_with_role(Role.AUDIT_ADMIN, tree.city)
    client = login_client(auditor)

    for name in ("audit:list", "audit:events"):
        text = response_text(client.get(reverse(name)))
        assert "本区" in text
        assert "邻县" in text
        assert "外市" not in text


def test_audit_admin_reads_the_trail_but_no_business_data(tree: Any) -> None:
    auditor = user_with_role(Role.AUDIT_ADMIN, tree.county)
    client = login_client(auditor)

    assert client.get(reverse("audit:list"), {"export": "xlsx"}).status_code == 200
    for url in (reverse("orgs:list"), reverse("accounts:user_list")):
        assert client.get(url).status_code == 403
        assert client.get(url, {"export": "xlsx"}).status_code == 403
    assert client.get(reverse("orgs:detail", args=[tree.school.pk])).status_code in (403, 404)
    api = client.get("/api/v1/orgs/")
    assert api.status_code == 403
    assert api.json()["code"] == "forbidden"
    home = client.get(reverse("dashboard:home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("audit:list")
    assert SecurityEvent.objects.filter(kind=EventKind.EXPORT).count() == 1  # the audit log export only


def test_business_roles_cannot_read_the_audit_trail(tree: Any) -> None:
    for role in (Role.BUREAU_ADMIN, Role.CIO, Role.INSPECTOR, Role.SECURITY_ADMIN):
        client = login_client(user_with_role(role, tree.county))
        assert client.get(reverse("audit:list")).status_code == 403
        assert client.get(reverse("audit:events"), {"export": "xlsx"}).status_code == 403


# --- change-log mechanics -----------------------------------------------------------------------


def test_changes_through_the_pages_carry_actor_address_and_path(tree: Any, county_admin: Any) -> None:
    client = login_client(county_admin)

    response = client.post(
        reverse("orgs:update", args=[tree.school.pk]),
        {"name": "页面改名小学", "kind": "school", "school_type": "primary"},
    )

    assert response.status_code == 302
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Organization), object_id=tree.school.pk
    ).latest("pk")
    assert entry.actor == county_admin
    assert entry.remote_addr == IP
    assert entry.additional_data == {"org_path": tree.school.path}


def test_requests_do_not_leave_audit_signal_receivers_behind(tree: Any, county_admin: Any) -> None:
    """Each request that calls a service used to leave one pre_save receiver connected for good."""
    client = login_client(county_admin)
    url = reverse("orgs:update", args=[tree.school.pk])
    client.post(url, {"name": "第一次", "kind": "school", "school_type": "primary"})
    receivers = len(pre_save.receivers)

    for i in range(3):
        client.post(url, {"name": f"第{i}次改名", "kind": "school", "school_type": "primary"})

    assert len(pre_save.receivers) == receivers


def test_after_a_service_the_request_actor_still_applies(tree: Any, county_admin: Any, city_admin: Any) -> None:
    """A service names its actor; changes made after it in the same context keep the outer actor."""
    from auditlog.context import set_actor

    with set_actor(city_admin):
        with audited(county_admin):
            tree.school.name = "服务内改名"
            tree.school.save()
        tree.sibling_school.name = "服务后改名"
        tree.sibling_school.save()

    org_type = ContentType.objects.get_for_model(Organization)
    inner = LogEntry.objects.filter(content_type=org_type, object_id=tree.school.pk).latest("pk")
    after = LogEntry.objects.filter(content_type=org_type, object_id=tree.sibling_school.pk).latest("pk")
    assert inner.actor == county_admin
    assert after.actor == city_admin
