"""The rectification API: the pages' scope, filters, and 404 outside it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from educio.rectifications.models import OrderStatus, RecognitionKind
from educio.rectifications.tests.conftest import Jiaozuo
from educio.rectifications.tests.factories import make_order, make_recognition


def api_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_orders_are_those_of_the_scope_with_the_overdue_flag(jz: Jiaozuo) -> None:
    late = make_order(jz.tree.school, issuer=jz.tree.county, deadline=timezone.localdate() - timedelta(days=2))
    on_time = make_order(jz.tree.sibling_school, issuer=jz.tree.county)
    make_order(jz.tree.other_school, issuer=jz.tree.other_county)

    rows = items(api_client(jz.county_admin).get(reverse("api-v1:order_list")))

    assert {r["id"]: r["overdue"] for r in rows} == {late.pk: True, on_time.pk: False}
    overdue = items(api_client(jz.county_admin).get(reverse("api-v1:order_list"), {"overdue": "true"}))
    assert [r["id"] for r in overdue] == [late.pk]
    assert overdue[0]["number"] == late.number
    assert overdue[0]["organization_name"] == jz.tree.school.name


def test_an_order_outside_the_scope_is_not_found(jz: Jiaozuo) -> None:
    order = make_order(jz.tree.other_school, issuer=jz.tree.other_county, status=OrderStatus.PASSED)
    client = api_client(jz.county_admin)

    assert client.get(reverse("api-v1:order_detail", args=[order.pk])).status_code == 404
    assert client.get(reverse("api-v1:order_list"), {"org": jz.tree.other_county.pk}).status_code == 404
    detail = api_client(jz.city_admin).get(reverse("api-v1:order_detail", args=[order.pk])).json()
    assert detail["status"] == "passed"
    assert detail["findings"] == order.findings


def test_recognitions_are_listed_in_scope_by_kind(jz: Jiaozuo) -> None:
    praised = make_recognition(jz.tree.school, person=jz.appointment.person)
    make_recognition(jz.tree.school, kind=RecognitionKind.ACCOUNTABILITY)
    make_recognition(jz.tree.far_school)

    rows = items(api_client(jz.head).get(reverse("api-v1:recognition_list"), {"kind": "commendation"}))

    assert [r["id"] for r in rows] == [praised.pk]
    assert rows[0]["person_name"] == "刘志强"


def test_roles_without_the_permission_are_refused(jz: Jiaozuo) -> None:
    from educio.accounts.tests.factories import user_with_role

    auditor = user_with_role("audit_admin", jz.tree.city, username="auditor")
    assert api_client(auditor).get(reverse("api-v1:order_list")).status_code == 403
