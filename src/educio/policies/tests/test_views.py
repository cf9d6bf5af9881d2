"""Pack pages: scoped list and detail (404 outside), every section beside its article, upload, adopt."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from educio.accounts.tests.factories import user_with_role
from educio.policies import services
from educio.policies.loader import parse_pack
from educio.policies.models import PackAdoption, PolicyPack
from educio.policies.tests.conftest import pack_text


@pytest.fixture
def city_pack(tree, city_admin):
    text = pack_text("helan-2024").replace("helan-2024", "city-own")
    return services.pack_publish(actor=city_admin, raw=text, filename="city-own.yaml", owner=tree.city).pack


def login(client, user):
    client.force_login(user)
    return client


def test_list_shows_platform_packs_and_those_from_above(client, tree, seed_packs, city_pack):
    head = user_with_role("school_head", tree.school)
    page = login(client, head).get(reverse("policies:list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "city-own" in body
    assert "焦作市教育局关于在全市中小学设立首席教育信息官（CIO）的通知" in body


def test_detail_is_404_outside_the_scope(client, tree, city_pack):
    far = user_with_role("bureau_admin", tree.far_city)
    assert login(client, far).get(reverse("policies:detail", kwargs={"pk": city_pack.pk})).status_code == 404
    assert client.get(reverse("policies:source", kwargs={"pk": city_pack.pk})).status_code == 404
    response = client.post(reverse("policies:adopt", kwargs={"pk": city_pack.pk}), {"organization": tree.far_city.pk})
    assert response.status_code == 404
    assert not PackAdoption.objects.exists()


def test_list_does_not_leak_packs_published_beside(client, tree, city_pack):
    far = user_with_role("bureau_admin", tree.far_city)
    assert "city-own" not in login(client, far).get(reverse("policies:list")).content.decode()


@pytest.mark.parametrize("pack_id", ["jiaozuo-2022", "helan-2024", "yichun-2025", "wuhai-2023"])
def test_detail_shows_every_section_with_article_text(client, tree, seed_packs, city_admin, pack_id):
    pack = seed_packs[pack_id]
    services.pack_adopt(actor=city_admin, pack=pack, organization=tree.city)
    body = login(client, city_admin).get(reverse("policies:detail", kwargs={"pk": pack.pk})).content.decode()
    spec = parse_pack(pack.source).pack
    for section in spec.present_sections():
        assert f'id="section-{section}"' in body
    for article in spec.articles:
        assert article.text.split("\n")[0] in body.replace("<br>", "\n")
    assert tree.city.name in body  # which units use it


def test_jiaozuo_eligibility_rule_sits_beside_its_article(client, tree, seed_packs, city_admin):
    body = (
        login(client, city_admin)
        .get(reverse("policies:detail", kwargs={"pk": seed_packs["jiaozuo-2022"].pk}))
        .content.decode()
    )
    rule = body[body.index('id="rule-eligibility-training_or_experience"') :]
    rule = rule[: rule.index("policy-rule", 10)]
    assert "满足以下任一项" in rule
    assert "持有县级及以上CIO培训合格证" in rule
    assert "第二条(二)" in rule
    assert "参加过国家、省、市、县举办的首席信息官（CIO）培训并取得合格证者" in rule
    chain = body[body.index('id="chain-cio_nomination"') :]
    assert "县级教育行政部门" in chain
    assert "盖章" in chain


def test_upload_of_a_broken_pack_shows_line_precise_errors(client, tree, county_admin):
    text = pack_text("helan-2024").replace(
        "actor: {level: county_bureau, role: bureau_reviewer}", "actor: {level: town, role: bureau_reviewer}", 1
    )
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if "level: town" in row)
    upload = SimpleUploadedFile("my-pack.yaml", text.encode(), content_type="application/x-yaml")
    response = login(client, county_admin).post(reverse("policies:upload"), {"file": upload, "owner": tree.county.pk})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="pack-errors"' in body
    assert (
        f"my-pack.yaml:{line}: review_chains.cio_nomination.steps[1].actor.level: 未知的级别 &#x27;town&#x27;" in body
    )
    assert not PolicyPack.objects.exists()


def test_upload_and_adopt_through_the_page(client, tree, county_admin):
    text = pack_text("helan-2024").replace("helan-2024", "county-rules")
    upload = SimpleUploadedFile("county-rules.yaml", text.encode())
    response = login(client, county_admin).post(
        reverse("policies:upload"), {"file": upload, "owner": tree.county.pk, "adopt": "on"}
    )
    pack = PolicyPack.objects.get(pack_id="county-rules")
    assert response.status_code == 302
    assert response.url == reverse("policies:detail", kwargs={"pk": pack.pk})
    assert pack.owner == tree.county
    assert PackAdoption.objects.get().organization == tree.county


def test_upload_refuses_other_files_and_other_units(client, tree, county_admin):
    login(client, county_admin)
    response = client.post(
        reverse("policies:upload"), {"file": SimpleUploadedFile("x.txt", b"id: x"), "owner": tree.county.pk}
    )
    assert response.status_code == 400
    assert "请上传 .yaml 或 .yml 文件" in response.content.decode()
    response = client.post(
        reverse("policies:upload"),
        {"file": SimpleUploadedFile("x.yaml", pack_text("helan-2024").encode()), "owner": tree.city.pk},
    )
    assert response.status_code == 400
    assert not PolicyPack.objects.exists()


def test_school_staff_may_read_but_not_upload_or_adopt(client, tree, seed_packs):
    head = user_with_role("school_head", tree.school)
    login(client, head)
    assert client.get(reverse("policies:upload")).status_code == 403
    response = client.post(
        reverse("policies:adopt", kwargs={"pk": seed_packs["jiaozuo-2022"].pk}), {"organization": tree.county.pk}
    )
    assert response.status_code == 403
    assert (
        'id="adopt-form"'
        not in client.get(reverse("policies:detail", kwargs={"pk": seed_packs["jiaozuo-2022"].pk})).content.decode()
    )


def test_adopt_and_end_through_the_page(client, tree, seed_packs, county_admin):
    pack = seed_packs["helan-2024"]
    login(client, county_admin)
    response = client.post(reverse("policies:adopt", kwargs={"pk": pack.pk}), {"organization": tree.county.pk})
    assert response.status_code == 302
    adoption = PackAdoption.objects.get()
    assert adoption.organization == tree.county
    assert adoption.adopted_by == county_admin
    assert (
        client.post(reverse("policies:adopt", kwargs={"pk": pack.pk}), {"organization": tree.city.pk}).status_code
        == 302
    )
    assert PackAdoption.objects.count() == 1  # the city is not the county admin's to set
    client.post(reverse("policies:adoption_end", kwargs={"pk": adoption.pk}))
    adoption.refresh_from_db()
    assert adoption.superseded_at is not None


def test_source_download(client, tree, seed_packs):
    head = user_with_role("school_head", tree.school)
    response = login(client, head).get(reverse("policies:source", kwargs={"pk": seed_packs["wuhai-2023"].pk}))
    assert response.status_code == 200
    assert response.content.decode() == pack_text("wuhai-2023")


def test_list_and_detail_query_counts_do_not_grow(client, tree, seed_packs, city_admin):
    client.force_login(city_admin)
    counts = []
    for batch in (1, 30):
        for n in range(batch):
            text = pack_text("wuhai-2023").replace("wuhai-2023", f"p{len(counts)}-{n}-pack")
            pack = services.pack_publish(actor=city_admin, raw=text, filename="p.yaml", owner=tree.city).pack
            services.pack_adopt(actor=city_admin, pack=pack, organization=tree.city)
        with CaptureQueriesContext(connection) as listing:
            response = client.get(reverse("policies:list"))
        shown = len(re.findall(r'href="/policies/\d+/"', response.content.decode()))
        assert shown == min(PolicyPack.objects.count(), 20)
        with CaptureQueriesContext(connection) as detail:
            assert client.get(reverse("policies:detail", kwargs={"pk": pack.pk})).status_code == 200
        counts.append((len(listing), len(detail)))
    assert counts[0] == counts[1], counts
