"""MLPS 2.0 login rules: lock-out, idle timeout, password complexity, forced first change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from educio.accounts import services
from educio.accounts.models import User
from educio.accounts.passwords import CharacterClassValidator, MinimumLengthValidator
from educio.accounts.tests.factories import DEFAULT_PASSWORD, user_with_role
from educio.audit.models import EventKind, SecurityEvent

LOGIN = reverse("accounts:login")


def login(client, username: str, password: str):
    return client.post(LOGIN, {"username": username, "password": password})


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def teacher(tree):
    return user_with_role("cio", tree.school, username="zhang")


@pytest.fixture
def security_admin(tree):
    return user_with_role("security_admin", tree.city, username="sec_admin")


class TestLockOut:
    def test_five_failures_lock_the_account_even_against_the_right_password(self, client, teacher):
        for _attempt in range(4):
            assert login(client, "zhang", "wrong-Password1").status_code == 200
        assert login(client, "zhang", "wrong-Password1").status_code == 429

        response = login(client, "zhang", DEFAULT_PASSWORD)

        assert response.status_code == 429
        assert "账号已锁定" in response.content.decode()
        assert not is_logged_in(client)
        assert SecurityEvent.objects.filter(kind=EventKind.LOCKED_OUT, username="zhang").exists()

    def test_the_security_admin_unlocks_and_the_person_logs_in_again(self, client, teacher, security_admin):
        for _attempt in range(5):
            login(client, "zhang", "wrong-Password1")
        assert login(client, "zhang", DEFAULT_PASSWORD).status_code == 429

        admin_client = client.__class__()
        admin_client.force_login(security_admin)
        locked_page = admin_client.get(reverse("accounts:locked_list"))
        assert "zhang" in locked_page.content.decode()
        response = admin_client.post(reverse("accounts:user_unlock", args=[teacher.pk]), {"back": "locked"})
        assert response.status_code == 302
        assert response.url == reverse("accounts:locked_list")

        assert not AccessAttempt.objects.filter(username="zhang").exists()
        event = SecurityEvent.objects.get(kind=EventKind.UNLOCK)
        assert event.user == security_admin
        assert "zhang" in event.detail
        assert event.org_path == teacher.role_assignments.get().organization.path
        assert login(client, "zhang", DEFAULT_PASSWORD).status_code == 302
        assert is_logged_in(client)

    def test_a_bureau_admin_cannot_unlock(self, client, teacher, county_admin):
        for _attempt in range(5):
            login(client, "zhang", "wrong-Password1")
        client.force_login(county_admin)

        response = client.post(reverse("accounts:user_unlock", args=[teacher.pk]))

        assert response.status_code == 403
        assert AccessAttempt.objects.filter(username="zhang").exists()

    def test_a_security_admin_of_another_city_cannot_unlock(self, client, tree, teacher):
        far_security = user_with_role("security_admin", tree.far_city)
        for _attempt in range(5):
            login(client, "zhang", "wrong-Password1")
        client.force_login(far_security)

        assert client.post(reverse("accounts:user_unlock", args=[teacher.pk])).status_code == 404
        assert "zhang" not in client.get(reverse("accounts:locked_list")).content.decode()
        assert AccessAttempt.objects.filter(username="zhang").exists()

    def test_unlocking_an_account_that_is_not_locked_is_refused(self, teacher, security_admin):
        login_failures = AccessAttempt.objects.count()
        with pytest.raises(ValidationError, match="没有被锁定"):
            services.user_unlock(actor=security_admin, target=teacher)
        assert AccessAttempt.objects.count() == login_failures
        assert not SecurityEvent.objects.filter(kind=EventKind.UNLOCK).exists()


class TestIdleTimeout:
    def test_each_request_keeps_the_session_thirty_minutes_from_now(self, client, teacher):
        client.force_login(teacher)
        client.get(reverse("dashboard:home"))

        expiry = Session.objects.get(session_key=client.session.session_key).expire_date

        assert timedelta(minutes=29) < expiry - timezone.now() <= timedelta(minutes=30)

    def test_a_session_idle_past_its_expiry_goes_back_to_login(self, client, teacher):
        client.force_login(teacher)
        assert client.get(reverse("dashboard:home")).status_code == 200

        Session.objects.filter(session_key=client.session.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        response = client.get(reverse("dashboard:home"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


class TestPasswordRules:
    @pytest.mark.parametrize(
        ("password", "code"),
        [
            ("Ab1!xyz", "password_too_short"),
            ("abcdefgh12", "password_too_simple"),
            ("ABCDEFGH!!", "password_too_simple"),
        ],
        ids=["too-short", "two-classes-lower-digits", "two-classes-upper-symbols"],
    )
    def test_weak_passwords_are_refused_and_nothing_changes(self, client, teacher, password, code):
        client.force_login(teacher)
        before = User.objects.get(pk=teacher.pk).password

        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": DEFAULT_PASSWORD, "new_password1": password, "new_password2": password},
        )

        assert response.status_code == 400
        assert response.context["form"].has_error("new_password2", code)
        assert User.objects.get(pk=teacher.pk).password == before

    def test_the_length_rule_speaks_chinese(self):
        with pytest.raises(ValidationError, match="密码太短,至少需要8个字符"):
            MinimumLengthValidator(min_length=8).validate("Ab1!xyz")
        MinimumLengthValidator(min_length=8).validate("Ab1!xyz8")

    def test_the_class_rule_counts_four_kinds_of_character(self):
        rule = CharacterClassValidator(min_classes=3)
        with pytest.raises(ValidationError, match="至少3类"):
            rule.validate("abcdefgh12")
        rule.validate("abcdefgh1!")
        rule.validate("Abcdefgh12")

    def test_a_password_of_three_classes_is_accepted(self, client, teacher):
        client.force_login(teacher)

        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": DEFAULT_PASSWORD, "new_password1": "qiuyu-2024x", "new_password2": "qiuyu-2024x"},
        )

        assert response.status_code == 302
        assert User.objects.get(pk=teacher.pk).check_password("qiuyu-2024x")

    def test_an_administrator_cannot_set_a_weak_initial_password(self, tree, county_admin):
        with pytest.raises(ValidationError) as caught:
            services.user_create(
                actor=county_admin,
                username="li",
                full_name="李老师",
                password="abcdefgh12",
                role="cio",
                organization=tree.school,
            )
        assert "至少3类" in " ".join(caught.value.message_dict["password"])
        assert not User.objects.filter(username="li").exists()


class TestForcedPasswordChange:
    def test_an_account_created_by_an_admin_must_change_the_password_first(self, client, tree, county_admin):
        services.user_create(
            actor=county_admin,
            username="wang",
            full_name="王老师",
            password="Chushi-2024",
            role="cio",
            organization=tree.school,
        )

        response = login(client, "wang", "Chushi-2024")
        assert response.status_code == 302
        response = client.get(reverse("dashboard:home"))
        assert response.status_code == 302
        assert response.url == reverse("accounts:password_change")
        assert client.get(reverse("accounts:user_list")).url == reverse("accounts:password_change")

        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": "Chushi-2024", "new_password1": "Xinmima-2024", "new_password2": "Xinmima-2024"},
        )
        assert response.status_code == 302
        assert client.get(reverse("dashboard:home")).status_code == 200
        assert not User.objects.get(username="wang").must_change_password

    def test_a_password_reset_by_an_admin_forces_a_change_again(self, client, tree, county_admin, teacher):
        services.user_password_reset(actor=county_admin, target=teacher, new_password="Linshi-2024")

        login(client, "zhang", "Linshi-2024")

        assert client.get(reverse("dashboard:home")).url == reverse("accounts:password_change")
