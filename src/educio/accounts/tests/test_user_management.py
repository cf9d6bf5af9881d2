"""Account management by bureau and security administrators: scope, grants, edits, resets, masking."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from educio.accounts import selectors, services
from educio.accounts.models import RoleAssignment, User
from educio.accounts.tests.factories import DEFAULT_PASSWORD, UserFactory, user_with_role
from educio.audit.models import SecurityEvent

NEW_PASSWORD = "Chushi-2024"


@pytest.fixture
def cio(tree):
    return user_with_role("cio", tree.school, username="cio_zhang", full_name="张老师", phone="13812345678")


@pytest.fixture
def other_cio(tree):
    return user_with_role("cio", tree.other_school, username="cio_li", full_name="李老师")


@pytest.fixture
def security_admin(tree):
    return user_with_role("security_admin", tree.city, username="sec_admin")


def create_payload(**overrides):
    data = {
        "username": "wang_cio",
        "full_name": "王老师",
        "phone": "13900001111",
        "email": "wang@example.cn",
        "role": "cio",
        "organization": "",
        "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    }
    return {**data, **overrides}


def snapshot():
    return (
        list(User.objects.order_by("pk").values_list("pk", "full_name", "is_active", "password")),
        list(RoleAssignment.objects.order_by("pk").values_list("pk", "user_id", "role", "organization_id")),
    )


class TestScope:
    def test_a_bureau_admin_cannot_see_the_accounts_of_another_county(self, client, county_admin, cio, other_cio):
        client.force_login(county_admin)

        page = client.get(reverse("accounts:user_list")).content.decode()

        assert "cio_zhang" in page
        assert "cio_li" not in page
        assert client.get(reverse("accounts:user_detail", args=[other_cio.pk])).status_code == 404
        assert client.get(reverse("accounts:user_update", args=[other_cio.pk])).status_code == 404
        assert client.post(reverse("accounts:user_set_active", args=[other_cio.pk]), {"active": "0"}).status_code == 404
        assert User.objects.get(pk=other_cio.pk).is_active

    def test_the_city_admin_sees_both_counties(self, city_admin, cio, other_cio):
        names = set(selectors.user_list(user=city_admin).values_list("username", flat=True))
        assert {"cio_zhang", "cio_li"} <= names

    def test_an_account_without_roles_stays_visible_to_the_admins_of_its_unit(self, tree, county_admin, city_admin):
        account = services.user_create(
            actor=county_admin,
            username="chen",
            full_name="陈老师",
            password=NEW_PASSWORD,
            role="liaison",
            organization=tree.school,
        )
        services.role_assignment_delete(actor=county_admin, assignment=account.role_assignments.get())

        assert not account.role_assignments.exists()
        assert selectors.user_list(user=county_admin).filter(pk=account.pk).exists()
        far_admin = user_with_role("bureau_admin", tree.far_city)
        assert not selectors.user_list(user=far_admin).filter(pk=account.pk).exists()


class TestCreate:
    def test_a_county_admin_opens_an_account_at_a_school_named_by_its_moe_code(self, client, tree, county_admin):
        client.force_login(county_admin)

        response = client.post(reverse("accounts:user_create"), create_payload(organization=tree.school.moe_code))

        account = User.objects.get(username="wang_cio")
        assert response.status_code == 302
        assert response.url == reverse("accounts:user_detail", args=[account.pk])
        assert account.must_change_password
        assert account.check_password(NEW_PASSWORD)
        assert account.home_organization == tree.school
        assert list(account.role_assignments.values_list("role", "organization")) == [("cio", tree.school.pk)]

    def test_the_suggestion_label_and_the_full_name_also_name_a_unit(self, tree, county_admin):
        label = selectors.org_option_label(tree.county)
        assert selectors.manageable_org_find(user=county_admin, text=label) == tree.county
        assert selectors.manageable_org_find(user=county_admin, text="一区第二中学") == tree.sibling_school

    def test_a_unit_outside_the_scope_is_refused_in_chinese_and_nothing_is_created(self, client, tree, county_admin):
        client.force_login(county_admin)
        before = snapshot()

        response = client.post(reverse("accounts:user_create"), create_payload(organization=tree.other_school.moe_code))

        assert response.status_code == 400
        assert "在您的账号管理范围内找不到单位" in response.content.decode()
        assert snapshot() == before

    def test_the_form_prefills_the_unit_from_the_query_string(self, client, tree, county_admin):
        client.force_login(county_admin)

        response = client.get(reverse("accounts:user_create"), {"org": tree.school.pk})

        assert selectors.org_option_label(tree.school) in response.content.decode()
        assert client.get(reverse("accounts:user_create"), {"org": tree.other_school.pk}).status_code == 404

    def test_the_create_page_never_lists_every_unit(self, client, tree, county_admin):
        client.force_login(county_admin)
        page = client.get(reverse("accounts:user_create")).content.decode()
        assert tree.school.name not in page
        assert 'list="org-options"' in page

    def test_a_taken_username_is_refused_whatever_its_case(self, tree, county_admin, cio):
        with pytest.raises(ValidationError) as caught:
            services.user_create(
                actor=county_admin,
                username="CIO_Zhang",
                full_name="重名",
                password=NEW_PASSWORD,
                role="cio",
                organization=tree.school,
            )
        assert "已被使用" in caught.value.message_dict["username"][0]

    def test_a_wrong_phone_and_mismatched_passwords_are_shown_and_nothing_is_created(self, client, tree, county_admin):
        client.force_login(county_admin)

        response = client.post(
            reverse("accounts:user_create"),
            create_payload(organization=tree.school.moe_code, phone="12345", password_confirm="Other-2024"),
        )

        body = response.content.decode()
        assert response.status_code == 400
        assert "两次输入的密码不一致" in body
        assert not User.objects.filter(username="wang_cio").exists()

    def test_the_service_checks_the_phone_itself(self, tree, county_admin):
        with pytest.raises(ValidationError) as caught:
            services.user_create(
                actor=county_admin,
                username="zhao",
                full_name="赵老师",
                phone="12345",
                password=NEW_PASSWORD,
                role="cio",
                organization=tree.school,
            )
        assert "手机号" in caught.value.message_dict["phone"][0]
        assert not User.objects.filter(username="zhao").exists()


class TestRoleGrants:
    def test_a_grant_outside_the_scope_is_refused_in_chinese_and_changes_nothing(self, tree, county_admin, cio):
        before = snapshot()

        with pytest.raises(ValidationError) as caught:
            services.role_assignment_create(
                actor=county_admin, target=cio, role="liaison", organization=tree.far_school
            )

        assert "不在您的账号管理范围内" in caught.value.message_dict["organization"][0]
        assert snapshot() == before

    def test_the_grant_form_refuses_a_unit_outside_the_scope(self, client, tree, county_admin, cio):
        client.force_login(county_admin)
        before = snapshot()

        response = client.post(
            reverse("accounts:role_assignment_create", args=[cio.pk]),
            {"role": "liaison", "organization": tree.other_school.moe_code},
        )

        assert response.status_code == 400
        assert "在您的账号管理范围内找不到单位" in response.content.decode()
        assert snapshot() == before

    def test_a_grant_inside_the_scope_covers_the_subtree(self, client, tree, county_admin, cio):
        client.force_login(county_admin)

        response = client.post(
            reverse("accounts:role_assignment_create", args=[cio.pk]),
            {"role": "inspector", "organization": selectors.org_option_label(tree.county)},
        )

        assert response.status_code == 302
        assert cio.role_assignments.filter(role="inspector", organization=tree.county).exists()

    def test_the_reserved_platform_role_is_refused_to_a_bureau_admin(self, tree, city_admin, cio):
        before = snapshot()
        with pytest.raises(ValidationError) as caught:
            services.role_assignment_create(actor=city_admin, target=cio, role="platform_admin", organization=tree.city)
        assert "保留角色" in caught.value.message_dict["role"][0]
        assert snapshot() == before

    def test_the_platform_admin_may_grant_the_reserved_role(self, tree, cio):
        platform = user_with_role("platform_admin", tree.city)
        services.role_assignment_create(actor=platform, target=cio, role="platform_admin", organization=tree.city)
        assert cio.role_assignments.filter(role="platform_admin").exists()

    def test_nobody_grants_themselves_anything(self, tree, city_admin):
        before = snapshot()
        with pytest.raises(ValidationError, match="不能给自己"):
            services.role_assignment_create(
                actor=city_admin, target=city_admin, role="security_admin", organization=tree.county
            )
        assert snapshot() == before

    def test_a_duplicate_grant_is_refused(self, tree, county_admin, cio):
        with pytest.raises(ValidationError, match="已经是"):
            services.role_assignment_create(actor=county_admin, target=cio, role="cio", organization=tree.school)
        assert cio.role_assignments.count() == 1

    def test_a_grant_at_a_deactivated_unit_is_refused(self, tree, county_admin, cio):
        type(tree.sibling_school).objects.filter(pk=tree.sibling_school.pk).update(is_active=False)
        tree.sibling_school.refresh_from_db()
        with pytest.raises(ValidationError, match="已停用"):
            services.role_assignment_create(
                actor=county_admin, target=cio, role="cio", organization=tree.sibling_school
            )

    def test_the_security_admin_grants_business_roles_only(self, tree, security_admin, cio):
        services.role_assignment_create(actor=security_admin, target=cio, role="expert", organization=tree.county)
        for role in ("bureau_admin", "security_admin", "audit_admin"):
            with pytest.raises(ValidationError, match="您无权授予"):
                services.role_assignment_create(actor=security_admin, target=cio, role=role, organization=tree.county)
        assert set(cio.role_assignments.values_list("role", flat=True)) == {"cio", "expert"}

    def test_the_last_role_can_be_removed(self, client, county_admin, cio):
        client.force_login(county_admin)
        assignment = cio.role_assignments.get()

        response = client.post(reverse("accounts:role_assignment_delete", args=[cio.pk]), {"assignment": assignment.pk})

        assert response.status_code == 302
        assert not cio.role_assignments.exists()

    def test_a_role_outside_the_scope_cannot_be_removed(self, client, tree, county_admin, cio):
        city_role = RoleAssignment.objects.create(user=cio, role="expert", organization=tree.city)
        client.force_login(county_admin)

        response = client.post(reverse("accounts:role_assignment_delete", args=[cio.pk]), {"assignment": city_role.pk})

        assert response.status_code == 404
        assert RoleAssignment.objects.filter(pk=city_role.pk).exists()
        with pytest.raises(ValidationError, match="不在您的账号管理范围内"):
            services.role_assignment_delete(actor=county_admin, assignment=city_role)


class TestAccountChanges:
    def test_a_county_admin_edits_and_deactivates_an_account(self, client, county_admin, cio):
        client.force_login(county_admin)

        response = client.post(
            reverse("accounts:user_update", args=[cio.pk]),
            {"full_name": "张明", "phone": "13700000000", "email": "", "is_active": ""},
        )

        cio.refresh_from_db()
        assert response.status_code == 302
        assert (cio.full_name, cio.phone, cio.is_active) == ("张明", "13700000000", False)

    def test_a_deactivated_account_loses_its_session(self, client, county_admin, cio):
        client.force_login(cio)
        services.user_set_active(actor=county_admin, target=cio, active=False)

        response = client.get(reverse("dashboard:home"))

        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))

    def test_the_password_reset_sets_a_temporary_password_to_change(self, client, county_admin, cio):
        client.force_login(county_admin)

        response = client.post(
            reverse("accounts:user_password_reset", args=[cio.pk]),
            {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD},
        )

        cio.refresh_from_db()
        assert response.status_code == 302
        assert cio.check_password(NEW_PASSWORD)
        assert cio.must_change_password
        assert SecurityEvent.objects.filter(kind="password_change", user=county_admin, detail__contains="cio_zhang")

    def test_a_weak_reset_password_is_refused(self, client, county_admin, cio):
        client.force_login(county_admin)

        response = client.post(
            reverse("accounts:user_password_reset", args=[cio.pk]),
            {"password": "abcdefgh12", "password_confirm": "abcdefgh12"},
        )

        cio.refresh_from_db()
        assert response.status_code == 400
        assert "至少3类" in response.content.decode()
        assert cio.check_password(DEFAULT_PASSWORD)
        assert not cio.must_change_password

    def test_a_county_admin_cannot_take_over_an_account_that_also_holds_a_city_role(self, tree, county_admin, cio):
        RoleAssignment.objects.create(user=cio, role="bureau_admin", organization=tree.city)

        with pytest.raises(ValidationError, match="无权授予的角色"):
            services.user_password_reset(actor=county_admin, target=cio, new_password=NEW_PASSWORD)
        assert User.objects.get(pk=cio.pk).check_password(DEFAULT_PASSWORD)

    def test_the_security_admin_cannot_take_over_a_bureau_admin(self, security_admin, county_admin):
        with pytest.raises(ValidationError, match="无权授予的角色"):
            services.user_set_active(actor=security_admin, target=county_admin, active=False)
        assert User.objects.get(pk=county_admin.pk).is_active

    def test_an_admin_cannot_deactivate_themselves(self, county_admin):
        with pytest.raises(ValidationError, match="自己的账号"):
            services.user_set_active(actor=county_admin, target=county_admin, active=False)
        assert User.objects.get(pk=county_admin.pk).is_active

    def test_an_account_of_another_county_is_refused_by_the_service_too(self, county_admin, other_cio):
        with pytest.raises(PermissionDenied):
            services.user_password_reset(actor=county_admin, target=other_cio, new_password=NEW_PASSWORD)


class TestPersonalData:
    def test_the_list_masks_the_phone(self, client, county_admin, cio):
        client.force_login(county_admin)
        page = client.get(reverse("accounts:user_list")).content.decode()
        assert "138****5678" in page
        assert "13812345678" not in page

    def test_the_detail_page_shows_the_full_phone_to_a_manager_and_logs_it(self, client, county_admin, cio):
        client.force_login(county_admin)

        page = client.get(reverse("accounts:user_detail", args=[cio.pk])).content.decode()

        assert "13812345678" in page
        event = SecurityEvent.objects.get(kind="personal_data_view")
        assert event.user == county_admin
        assert "cio_zhang" in event.detail
        assert event.org_path == cio.role_assignments.get().organization.path


class TestPages:
    def test_the_detail_page_shows_roles_lock_state_and_actions(self, client, county_admin, cio):
        client.force_login(county_admin)

        page = client.get(reverse("accounts:user_detail", args=[cio.pk])).content.decode()

        assert "首席信息官" in page
        assert "一区第一小学" in page
        assert 'id="reset-password"' in page
        assert 'id="grant-role"' in page
        assert 'id="unlock-account"' not in page

    def test_the_org_search_suggests_units_in_scope_only(self, client, tree, county_admin):
        client.force_login(county_admin)

        body = client.get(reverse("accounts:org_search"), {"organization": "小学"}).content.decode()

        assert selectors.org_option_label(tree.school) in body
        assert tree.other_school.name not in body

    def test_the_user_list_costs_the_same_queries_for_1_and_50_accounts(self, client, tree, county_admin):
        client.force_login(county_admin)
        url = reverse("accounts:user_list")
        user_with_role("cio", tree.school)
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            assert client.get(url).status_code == 200
        for account in UserFactory.create_batch(49):
            RoleAssignment.objects.create(user=account, role="liaison", organization=tree.sibling_school)
            RoleAssignment.objects.create(user=account, role="expert", organization=tree.county)

        with CaptureQueriesContext(connection) as fifty:
            response = client.get(url)

        assert response.status_code == 200
        assert response.context["paginator"].count == 51
        assert len(fifty) == len(one), [q["sql"] for q in fifty.captured_queries]

    def test_the_locked_list_costs_the_same_queries_for_1_and_20_locked_accounts(self, client, tree, security_admin):
        from axes.models import AccessAttempt

        def lock(username: str) -> None:
            AccessAttempt.objects.create(
                username=username,
                ip_address="10.0.0.1",
                user_agent="t",
                failures_since_start=5,
                get_data="",
                post_data="",
            )

        client.force_login(security_admin)
        url = reverse("accounts:locked_list")
        lock(user_with_role("cio", tree.school).username)
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for _n in range(19):
            lock(user_with_role("cio", tree.other_school).username)
        with CaptureQueriesContext(connection) as twenty:
            response = client.get(url)

        assert response.context["paginator"].count == 20
        assert len(twenty) == len(one)
