"""The home page's numbers count only the user's subtree."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.orgs import services as org_services
from educio.orgs.tests.factories import SchoolFactory


def home(user: Any) -> Any:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response


def counts(response: Any) -> dict[str, int]:
    return dict(response.context["kind_counts"])


def chart(response: Any) -> dict[str, int]:
    return {d["name"]: d["value"] for d in response.context["school_type_chart"]["series"][0]["data"] if d["value"]}


def test_county_admin_counts_only_the_county(tree: Any, county_admin: Any) -> None:
    user_with_role(Role.CIO, tree.school)
    user_with_role(Role.CIO, tree.other_school)
    user_with_role(Role.CIO, tree.far_school)

    response = home(county_admin)

    assert counts(response)["教育行政部门"] == 1
    assert counts(response)["学校"] == 2
    assert dict(response.context["bureau_counts"]) == {"省级": 0, "市级": 0, "县级": 1}
    assert chart(response) == {"小学": 1, "初级中学": 1}
    assert response.context["user_count"] == 2  # the county admin and the CIO of its school
    html = response.content.decode()
    assert 'id="user-count">2<' in html


def test_city_admin_counts_the_whole_city_but_not_the_other(tree: Any, city_admin: Any) -> None:
    response = home(city_admin)

    assert counts(response)["教育行政部门"] == 3
    assert counts(response)["学校"] == 3
    assert chart(response) == {"小学": 2, "初级中学": 1}


def test_platform_admin_counts_everything(tree: Any) -> None:
    response = home(user_with_role(Role.PLATFORM_ADMIN, tree.city))

    assert counts(response)["教育行政部门"] == 5
    assert counts(response)["学校"] == 4
    assert chart(response) == {"小学": 2, "初级中学": 1, "高级中学": 1}


def test_deactivated_units_are_not_counted(tree: Any, county_admin: Any) -> None:
    org_services.org_set_active(actor=county_admin, org=tree.sibling_school, active=False)

    assert counts(home(county_admin))["学校"] == 1


def test_a_school_head_counts_only_the_school(tree: Any) -> None:
    SchoolFactory(parent=tree.county, name="另一所学校")
    response = home(user_with_role(Role.SCHOOL_HEAD, tree.school))

    assert counts(response)["学校"] == 1
    assert counts(response)["教育行政部门"] == 0


def test_recent_changes_are_those_of_the_subtree(tree: Any, county_admin: Any, city_admin: Any) -> None:
    org_services.org_update(actor=city_admin, org=tree.school, short_name="本区简称")
    org_services.org_update(actor=city_admin, org=tree.other_school, name="邻县改名小学")

    response = home(county_admin)

    reprs = {e.object_repr for e in response.context["recent_events"]}
    assert "一区第一小学" in reprs
    assert "邻县改名小学" not in reprs
    assert "邻县改名小学" not in response.content.decode()


def test_separated_administrators_are_sent_to_their_own_pages(tree: Any) -> None:
    for role, target in ((Role.AUDIT_ADMIN, "audit:list"), (Role.SECURITY_ADMIN, "accounts:user_list")):
        client = Client()
        client.force_login(user_with_role(role, tree.county))
        response = client.get(reverse("dashboard:home"))
        assert response.status_code == 302
        assert response["Location"] == reverse(target)
