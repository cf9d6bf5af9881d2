"""The person API: scoped like the pages, and never personal data in full."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from educio.accounts.tests.factories import user_with_role
from educio.people.models import Position
from educio.people.tests.factories import CertificateFactory, HonourFactory, PersonFactory

PHONE = "13812345678"
EMAIL = "zhangming@example.cn"


@pytest.fixture
def person(tree):
    return PersonFactory(
        organization=tree.school,
        name="张明",
        phone=PHONE,
        email=EMAIL,
        address="一区示例路1号",
        birth_date=date(1980, 5, 12),
        positions=[Position.SCHOOL_HEAD],
    )


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_list_is_scoped_paginated_and_masked(tree, person, county_admin):
    PersonFactory(organization=tree.far_school, name="域外人员")

    response = api(county_admin).get("/api/v1/people/")

    payload = response.json()
    assert response.status_code == 200
    assert payload["count"] == 1
    item = payload["items"][0]
    assert (item["name"], item["organization_name"]) == ("张明", tree.school.name)
    assert (item["phone"], item["email"], item["birth_year"]) == ("138****5678", "zh***@example.cn", 1980)
    assert PHONE not in response.content.decode()
    assert "1980-05-12" not in response.content.decode()


def test_list_filters_by_unit_name_and_position(tree, person, county_admin):
    PersonFactory(organization=tree.sibling_school, name="李副", positions=[Position.DEPUTY_HEAD])
    client = api(county_admin)

    def names(**params) -> list[str]:
        return [i["name"] for i in client.get("/api/v1/people/", params).json()["items"]]

    assert names(unit=tree.school.pk) == ["张明"]
    assert names(name="李") == ["李副"]
    assert names(position="deputy_head") == ["李副"]
    assert client.get("/api/v1/people/", {"unit": tree.far_school.pk}).status_code == 404


def test_detail_is_masked_and_carries_the_record(tree, person, county_admin):
    CertificateFactory(person=person, kind="cio_training", level="county")
    HonourFactory(person=person, title="市级优秀校长")

    response = api(county_admin).get(f"/api/v1/people/{person.pk}")

    body = response.json()
    assert response.status_code == 200
    assert body["phone"] == "138****5678"
    assert "address" not in body
    assert PHONE not in response.content.decode()
    assert body["certificates"][0]["kind"] == "cio_training"
    assert body["honours"][0]["title"] == "市级优秀校长"


def test_detail_outside_the_scope_is_404_and_without_the_permission_403(tree, person):
    outsider = user_with_role("bureau_admin", tree.far_city)
    liaison = user_with_role("liaison", tree.school)

    assert api(outsider).get(f"/api/v1/people/{person.pk}").status_code == 404
    assert api(liaison).get(f"/api/v1/people/{person.pk}").status_code == 403
