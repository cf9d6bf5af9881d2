"""The policy API: same scope as the pages."""

from __future__ import annotations

import pytest
from ninja.testing import TestClient

from educio.accounts.tests.factories import user_with_role
from educio.policies import services
from educio.policies.api import router


@pytest.fixture
def api():
    return TestClient(router)


def test_pack_list_detail_and_effective_pack(api, tree, seed_packs, city_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    head = user_with_role("school_head", tree.school)
    listing = api.get("/packs", user=head).json()
    assert {p["pack_id"] for p in listing["items"]} == set(seed_packs)
    detail = api.get(f"/packs/{seed_packs['jiaozuo-2022'].pk}", user=head).json()
    assert detail["content"]["review_chains"]["cio_nomination"]["steps"][1]["actor"]["level"] == "county_bureau"
    assert "eligibility" in detail["sections"]
    effective = api.get(f"/effective/{tree.school.pk}", user=head).json()
    assert effective["pack"]["pack_id"] == "jiaozuo-2022"
    assert effective["adopted_by_organization_id"] == tree.city.pk
    findings = api.get(f"/compliance/{tree.school.pk}", user=head).json()
    assert findings
    # The school has no CIO yet: the post rule (evaluated by the appointments app) fails, the rest lacks data.
    statuses = {f["rule_id"]: (f["status"], f["explanation"]) for f in findings}
    assert statuses.pop("posts.cio.filled") == ("fail", "未设立首席教育信息官（CIO）")
    assert all(status == "not_evaluable" for status, _explanation in statuses.values())


def test_api_is_scoped(api, tree, seed_packs):
    head = user_with_role("school_head", tree.school)
    assert api.get(f"/effective/{tree.far_school.pk}", user=head).status_code == 404
    assert api.get(f"/compliance/{tree.far_school.pk}", user=head).status_code == 404
