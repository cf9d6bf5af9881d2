"""The organisation pages: the tree and table, and the forms that call the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from educio.orgs.models import Organization
from educio.testing.content import response_text


@pytest.fixture
def admin_client(county_admin: Any) -> Client:
    client = Client()
    client.force_login(county_admin)
    return client


def test_list_of_a_selected_unit_shows_its_subtree_and_opens_the_tree(tree: Any, admin_client: Client) -> None:
    response = admin_client.get(reverse("orgs:list"), {"org": tree.county.pk})

    assert response.status_code == 200
    names = [org.name for org, _parent in response.context["rows"]]
    assert names == ["甲市一区教育局", "一区第一小学", "一区第二中学"]
    (root,) = response.context["tree"]
    assert root.org == tree.county
    assert root.expanded
    assert [n.org.name for n in root.children] == ["一区第一小学", "一区第二中学"]


@pytest.mark.parametrize("target", ["other_county", "far_school", "city"])
def test_selecting_a_unit_outside_the_scope_is_not_found(tree: Any, admin_client: Client, target: str) -> None:
    org = getattr(tree, target)
    for params in ({"org": org.pk}, {"org": org.pk, "export": "xlsx"}):
        response = admin_client.get(reverse("orgs:list"), params)
        assert response.status_code == 404
        assert org.name not in response_text(response)


def test_search_never_reaches_outside_the_scope(tree: Any, admin_client: Client) -> None:
    response = admin_client.get(reverse("orgs:list"), {"q": tree.far_school.moe_code})
    assert response.context["rows"] == []
    response = admin_client.get(reverse("orgs:list"), {"q": "小学", "export": "xlsx"})
    text = response_text(response)
    assert "一区第一小学" in text
    assert "二县实验小学" not in text


def test_create_page_adds_a_school_and_shows_it(tree: Any, admin_client: Client) -> None:
    response = admin_client.post(
        reverse("orgs:create", args=[tree.county.pk]),
        {"name": "页面新建小学", "kind": "school", "school_type": "primary", "moe_code": "4108023001"},
    )

    org = Organization.objects.get(name="页面新建小学")
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:detail", args=[org.pk])
    assert Organization.objects.get_parent(org) == tree.county


def test_create_page_shows_the_rule_that_was_broken(tree: Any, admin_client: Client) -> None:
    response = admin_client.post(
        reverse("orgs:create", args=[tree.county.pk]),
        {"name": "坏码小学", "kind": "school", "school_type": "primary", "moe_code": "123"},
    )

    assert response.status_code == 400
    assert "学校标识码必须是10位数字" in response.content.decode()
    assert not Organization.objects.filter(name="坏码小学").exists()


def test_move_page_offers_only_managed_units_outside_the_subtree(tree: Any, city_admin: Any) -> None:
    client = Client()
    client.force_login(city_admin)

    response = client.get(reverse("orgs:move", args=[tree.county.pk]))

    offered = set(response.context["form"].fields["new_parent"].queryset.values_list("name", flat=True))
    assert offered == {"甲市二县教育局"}  # not itself, its schools, its current parent, nor the other city


def test_deactivating_a_unit_with_active_children_explains_why(tree: Any, admin_client: Client) -> None:
    response = admin_client.post(reverse("orgs:set_active", args=[tree.county.pk]), {"active": "0"}, follow=True)

    assert "请先停用该单位的全部下级单位。" in response.content.decode()
    tree.county.refresh_from_db()
    assert tree.county.is_active


def test_detail_shows_the_ancestors_and_the_subtree_count(tree: Any, admin_client: Client) -> None:
    response = admin_client.get(reverse("orgs:detail", args=[tree.school.pk]))

    assert [a.name for a in response.context["ancestors"]] == ["甲市教育局", "甲市一区教育局"]
    assert response.context["can_manage"]
    response = admin_client.get(reverse("orgs:detail", args=[tree.county.pk]))
    assert response.context["subtree_count"] == 2
