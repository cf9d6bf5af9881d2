"""Personal access tokens: created and revoked on the token page, shown once, stored only as a hash."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.api.models import TOKEN_PREFIX, ApiToken, hash_token
from educio.api.services import MAX_ACTIVE_TOKENS, api_token_create
from educio.audit.models import ChangeLogEntry as LogEntry
from educio.audit.models import EventKind, SecurityEvent

TOKEN_RE = re.compile(r"<code>(edu_[A-Za-z0-9_\-]+)</code>")


@pytest.fixture
def cio(tree: Any) -> Any:
    return user_with_role(Role.CIO, tree.school, username="school_cio")


@pytest.fixture
def cio_client(cio: Any) -> Client:
    client = Client(REMOTE_ADDR="10.0.0.8")
    client.force_login(cio)
    return client


def create_on_page(client: Client, name: str = "市平台对接", days: Any = 30) -> str:
    response = client.post(reverse("api:tokens"), {"name": name, "days": days})
    assert response.status_code == 200, response.content.decode()[:500]
    match = TOKEN_RE.search(response.content.decode())
    assert match, "the new token is not shown"
    return match.group(1)


def test_a_token_is_shown_once_and_only_its_hash_is_stored(cio: Any, cio_client: Client) -> None:
    raw = create_on_page(cio_client)

    token = ApiToken.objects.get(user=cio)
    assert raw.startswith(TOKEN_PREFIX)
    assert len(raw) > 40
    assert token.token_hash == hash_token(raw)
    assert token.prefix == raw[:10]
    assert token.name == "市平台对接"
    assert token.expires_at is not None
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert raw not in stored
    for entry in LogEntry.objects.all():
        assert raw not in str(entry.changes)
        assert token.token_hash not in str(entry.changes)
    event = SecurityEvent.objects.get(kind=EventKind.TOKEN_CREATE)
    assert (event.user, event.ip_address) == (cio, "10.0.0.8")

    page = cio_client.get(reverse("api:tokens")).content.decode()
    assert raw not in page
    assert token.prefix in page


def test_an_empty_purpose_or_a_bad_lifetime_is_refused(cio: Any, cio_client: Client) -> None:
    for data in ({"name": " ", "days": 30}, {"name": "x", "days": 0}, {"name": "x", "days": 400}):
        response = cio_client.post(reverse("api:tokens"), data)
        assert response.status_code == 400
        assert not TOKEN_RE.search(response.content.decode())
    assert not ApiToken.objects.filter(user=cio).exists()


def test_a_token_without_lifetime_never_expires(cio: Any, cio_client: Client) -> None:
    create_on_page(cio_client, days="")
    assert ApiToken.objects.get(user=cio).expires_at is None


def test_active_tokens_are_capped(cio: Any, cio_client: Client) -> None:
    for i in range(MAX_ACTIVE_TOKENS):
        api_token_create(request=None, user=cio, name=f"令牌{i}", days=30)

    response = cio_client.post(reverse("api:tokens"), {"name": "第十一个", "days": 30})

    assert response.status_code == 400
    assert f"最多同时持有{MAX_ACTIVE_TOKENS}个有效令牌" in response.content.decode()
    assert ApiToken.objects.filter(user=cio).count() == MAX_ACTIVE_TOKENS


def test_revoke_on_the_page(cio: Any, cio_client: Client) -> None:
    raw = create_on_page(cio_client)
    token = ApiToken.objects.get(user=cio)

    response = cio_client.post(reverse("api:token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_REVOKE, user=cio).count() == 1
    assert Client().get("/api/v1/orgs/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401

    again = cio_client.post(reverse("api:token_revoke", args=[token.pk]), follow=True)
    assert "该令牌已经吊销" in again.content.decode()
    assert SecurityEvent.objects.filter(kind=EventKind.TOKEN_REVOKE).count() == 1


def test_nobody_else_can_see_or_revoke_a_token(tree: Any, cio: Any, city_admin: Any) -> None:
    """Tokens are personal: not even the city administrator over the token owner's school may revoke one."""
    token, _raw = api_token_create(request=None, user=cio, name="本人令牌", days=30)
    client = Client()
    client.force_login(city_admin)

    assert "本人令牌" not in client.get(reverse("api:tokens")).content.decode()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_account_that_must_change_its_password_cannot_create_tokens(cio: Any, cio_client: Client) -> None:
    cio.must_change_password = True
    cio.save()

    response = cio_client.post(reverse("api:tokens"), {"name": "绕过改密", "days": 30})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    assert not ApiToken.objects.filter(user=cio).exists()
