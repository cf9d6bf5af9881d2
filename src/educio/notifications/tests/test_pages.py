"""The notification pages and API: own rows only, unread first, opening marks read, the bell's count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from ninja.testing import TestClient

from educio.accounts.tests.factories import user_with_role
from educio.audit.models import ChangeLogEntry
from educio.notifications.api import router
from educio.notifications.models import Notification, NotificationKind
from educio.notifications.tests.helpers import own_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(tree):
    return user_with_role("cio", tree.school, username="me")


@pytest.fixture
def other(tree):
    return user_with_role("cio", tree.school, username="colleague")  # same unit, same role: still not mine


def page(client: Client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("notifications:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_my_notifications_unread_first_and_nobody_elses(client, tree, me, other):
    own_notification(me, tree.school, "早先已读的提醒", read=True)
    own_notification(me, tree.school, "尚未阅读的提醒")
    own_notification(other, tree.school, "同事的提醒")

    html = page(client, me)
    assert html.index("尚未阅读的提醒") < html.index("早先已读的提醒")
    assert "同事的提醒" not in html


def test_the_list_filters_by_read_state_and_kind(client, tree, me):
    own_notification(me, tree.school, "已读的", read=True)
    own_notification(me, tree.school, "未读的")
    unread = page(client, me, state="unread")
    assert "未读的" in unread
    assert "已读的" not in unread
    assert "未读的" not in page(client, me, state="read")
    assert "未读的" not in page(client, me, kind=NotificationKind.TERM_ENDING)


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, tree, me):
    note = own_notification(me, tree.school, "待审核:推荐")
    client.force_login(me)
    response = client.post(reverse("notifications:read", args=[note.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/workflow/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert ChangeLogEntry.objects.get_for_object(note).filter(actor=me).exists()


def test_a_notification_pointing_elsewhere_opens_the_list_instead(client, tree, me):
    note = own_notification(me, tree.school, "外链")
    Notification.objects.filter(pk=note.pk).update(url="https://evil.example.com/")
    client.force_login(me)
    response = client.post(reverse("notifications:read", args=[note.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_another_users_notification_is_not_found_and_stays_unread(client, tree, me, other):
    theirs = own_notification(other, tree.school, "同事的提醒")
    client.force_login(me)
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_my_notifications(client, tree, me, other):
    own_notification(me, tree.school, "一")
    own_notification(me, tree.school, "二")
    theirs = own_notification(other, tree.school, "同事的提醒")
    client.force_login(me)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "已将 2 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_bell_shows_my_unread_count_on_every_page(client, tree, me, other):
    for i in range(3):
        own_notification(me, tree.school, f"提醒{i}")
    own_notification(me, tree.school, "已读", read=True)
    own_notification(other, tree.school, "同事的提醒")
    client.force_login(me)
    html = client.get(reverse("workflow:mine")).content.decode()
    assert 'id="notification-bell"' in html
    assert 'id="notification-count">3</span>' in html


def test_without_unread_notifications_the_bell_has_no_count(client, tree, me):
    client.force_login(me)
    html = client.get(reverse("notifications:list")).content.decode()
    assert 'id="notification-bell"' in html
    assert 'id="notification-count"' not in html
    assert "暂无消息" in html


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def api() -> TestClient:
    return TestClient(router)


def test_api_lists_my_notifications_unread_first(api, tree, me, other):
    own_notification(me, tree.school, "已读", read=True)
    own_notification(me, tree.school, "未读")
    own_notification(other, tree.school, "同事的提醒")
    body = api.get("/", user=me).json()
    assert [(n["title"], n["is_read"]) for n in body["items"]] == [("未读", False), ("已读", True)]
    assert body["items"][0]["kind_label"] == "待审核"
    assert [n["title"] for n in api.get("/?unread=true", user=me).json()["items"]] == ["未读"]


def test_api_marks_the_given_notifications_read_and_refuses_another_users(api, tree, me, other):
    first = own_notification(me, tree.school, "一")
    second = own_notification(me, tree.school, "二")
    theirs = own_notification(other, tree.school, "同事的提醒")

    refused = api.patch("/", json={"read": True, "ids": [first.pk, theirs.pk]}, user=me)
    assert refused.status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()  # nothing marked, not even mine

    assert api.patch("/", json={"read": True, "ids": [first.pk]}, user=me).json() == {"marked": 1}
    assert Notification.objects.get(pk=second.pk).read_at is None


def test_api_marks_all_read(api, tree, me, other):
    own_notification(me, tree.school, "一")
    theirs = own_notification(other, tree.school, "同事的提醒")
    assert api.patch("/", json={"read": False}, user=me).status_code == 422  # marking unread is not offered
    assert api.patch("/", json={"read": True}, user=me).json() == {"marked": 1}
    assert Notification.objects.get(pk=theirs.pk).read_at is None
