"""Publishing versions and adopting them: the effective pack is the nearest adoption up the tree."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from educio.accounts.tests.factories import user_with_role
from educio.orgs.tests.factories import SchoolFactory
from educio.policies import selectors, services
from educio.policies.loader import PackInvalid
from educio.policies.models import PackAdoption, PolicyPack
from educio.policies.tests.conftest import pack_text


def bump(text: str, version: int) -> str:
    return text.replace("version: 1\n", f"version: {version}\n", 1)


def test_nearest_adoption_up_the_tree_wins(tree, seed_packs, city_admin, county_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    assert selectors.effective_pack(tree.school).pack_id == "jiaozuo-2022"
    services.pack_adopt(actor=county_admin, pack=seed_packs["helan-2024"], organization=tree.county)
    assert selectors.effective_pack(tree.school).pack_id == "helan-2024"
    assert selectors.effective_pack(tree.other_school).pack_id == "jiaozuo-2022"
    assert selectors.effective_pack(tree.city).pack_id == "jiaozuo-2022"
    assert selectors.effective_pack(tree.far_school) is None


def test_effective_pack_is_one_query(tree, seed_packs, city_admin, django_assert_num_queries):
    services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    with django_assert_num_queries(1):
        loaded = selectors.effective_pack(tree.school)
    assert loaded.pk == seed_packs["jiaozuo-2022"].pk
    assert loaded.version == 1
    assert loaded.adopted_by_org_id == tree.city.pk
    assert [s.id for s in loaded.review_chain("cio_nomination").steps] == [
        "unit_opinion",
        "county_review",
        "city_review",
    ]
    assert loaded.review_chain("no_such_chain") is None


def test_effective_packs_for_many_units_is_one_query(tree, seed_packs, city_admin, county_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    services.pack_adopt(actor=county_admin, pack=seed_packs["helan-2024"], organization=tree.county)
    units = [tree.school, tree.sibling_school, tree.other_school, tree.far_school]
    with CaptureQueriesContext(connection) as queries:
        packs = selectors.effective_packs(units)
    assert len(queries) == 1
    assert [packs[u.pk] and packs[u.pk].pack_id for u in units] == ["helan-2024", "helan-2024", "jiaozuo-2022", None]


def test_a_new_version_supersedes_the_old_adoption_but_keeps_the_old_row(tree, seed_packs, city_admin):
    v1 = seed_packs["jiaozuo-2022"]
    services.pack_adopt(actor=city_admin, pack=v1, organization=tree.city)
    v2 = PolicyPack.objects.create(
        **{f: getattr(v1, f) for f in ("pack_id", "title", "issuer", "doc_number", "issued_on", "filename")},
        version=2,
        source=bump(v1.source, 2),
        sha256="x" * 64,
    )
    services.pack_adopt(actor=city_admin, pack=v2, organization=tree.city)
    assert selectors.effective_pack(tree.school).version == 2
    old = PackAdoption.objects.get(pack=v1)
    assert old.superseded_at is not None
    assert old.superseded_by == city_admin
    assert selectors.loaded_pack(v1.pk).version == 1  # records made under v1 still read v1
    assert PackAdoption.objects.filter(organization=tree.city, superseded_at__isnull=True).count() == 1


def test_adopting_the_same_version_twice_is_refused(tree, seed_packs, city_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    with pytest.raises(ValidationError):
        services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)


def test_only_managers_of_a_bureau_or_university_adopt(tree, seed_packs, county_admin):
    with pytest.raises(PermissionDenied):
        services.pack_adopt(actor=county_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    with pytest.raises(ValidationError):
        services.pack_adopt(actor=county_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.school)
    head = user_with_role("school_head", tree.school)
    with pytest.raises(PermissionDenied):
        services.pack_adopt(actor=head, pack=seed_packs["jiaozuo-2022"], organization=tree.county)


def test_ending_an_adoption_falls_back_to_the_pack_above(tree, seed_packs, city_admin, county_admin):
    services.pack_adopt(actor=city_admin, pack=seed_packs["jiaozuo-2022"], organization=tree.city)
    adoption = services.pack_adopt(actor=county_admin, pack=seed_packs["helan-2024"], organization=tree.county)
    services.pack_adoption_end(actor=county_admin, adoption=adoption)
    assert selectors.effective_pack(tree.school).pack_id == "jiaozuo-2022"
    with pytest.raises(ValidationError):
        services.pack_adoption_end(actor=county_admin, adoption=adoption)


def test_publishing_is_versioned_and_audited(tree, county_admin):
    from educio.audit.models import ChangeLogEntry as LogEntry
    from educio.audit.models import SecurityEvent

    text = pack_text("helan-2024")
    first = services.pack_publish(actor=county_admin, raw=text.encode(), filename="helan.yaml", owner=tree.county)
    assert first.created
    assert first.pack.owner == tree.county
    assert first.pack.uploaded_by == county_admin
    again = services.pack_publish(actor=county_admin, raw=text, filename="helan.yaml", owner=tree.county)
    assert not again.created
    assert again.pack.pk == first.pack.pk
    with pytest.raises(ValidationError, match="已存在且内容不同"):
        services.pack_publish(actor=county_admin, raw=text + "\n# edited\n", filename="h.yaml", owner=tree.county)
    v2 = services.pack_publish(actor=county_admin, raw=bump(text, 2), filename="h2.yaml", owner=tree.county)
    assert v2.created
    assert v2.pack.version == 2
    assert PolicyPack.objects.filter(pack_id="helan-2024").count() == 2
    entry = LogEntry.objects.get_for_object(v2.pack).get()
    assert entry.actor == county_admin
    assert entry.additional_data == {"org_path": tree.county.path}
    assert "source" not in entry.changes_dict
    assert SecurityEvent.objects.filter(detail__contains="helan-2024 第2版").exists()


def test_a_broken_upload_saves_nothing(tree, county_admin):
    with pytest.raises(PackInvalid):
        services.pack_publish(actor=county_admin, raw="id: [", filename="b.yaml", owner=tree.county)
    assert not PolicyPack.objects.exists()


def test_only_the_publisher_side_may_add_versions_of_a_pack_id(tree, city_admin, county_admin, seed_packs):
    with pytest.raises(PermissionDenied, match="平台制度包"):
        services.pack_publish(
            actor=city_admin, raw=bump(pack_text("jiaozuo-2022"), 2), filename="j.yaml", owner=tree.city
        )
    services.pack_publish(
        actor=county_admin,
        raw=pack_text("helan-2024").replace("helan-2024", "county-own"),
        filename="c.yaml",
        owner=tree.county,
    )
    other = user_with_role("bureau_admin", tree.other_county)
    with pytest.raises(PermissionDenied):
        services.pack_publish(
            actor=other,
            raw=bump(pack_text("helan-2024").replace("helan-2024", "county-own"), 2),
            filename="c2.yaml",
            owner=tree.other_county,
        )
    with pytest.raises(PermissionDenied):
        services.pack_publish(actor=county_admin, raw=pack_text("wuhai-2023"), filename="w.yaml", owner=None)


def test_what_a_higher_unit_publishes_is_visible_below_and_not_beside(tree, seed_packs, city_admin, county_admin):
    own = services.pack_publish(
        actor=city_admin,
        raw=pack_text("helan-2024").replace("helan-2024", "city-own"),
        filename="c.yaml",
        owner=tree.city,
    ).pack
    head = user_with_role("school_head", tree.school)
    far = user_with_role("bureau_admin", tree.far_city)
    assert own in selectors.pack_list(user=head)
    assert own in selectors.pack_list(user=county_admin)
    assert own not in selectors.pack_list(user=far)
    assert set(seed_packs.values()) <= set(selectors.pack_list(user=far))  # platform packs are visible to all
    county_pack = services.pack_publish(
        actor=county_admin,
        raw=pack_text("helan-2024").replace("helan-2024", "county-own"),
        filename="x.yaml",
        owner=tree.county,
    ).pack
    assert county_pack in selectors.pack_list(user=city_admin)  # published inside the city's scope
    assert county_pack not in selectors.pack_list(user=user_with_role("school_head", tree.other_school))


def test_adoption_in_scope_makes_a_pack_visible(tree, city_admin):
    own = services.pack_publish(
        actor=city_admin,
        raw=pack_text("helan-2024").replace("helan-2024", "city-own"),
        filename="c.yaml",
        owner=tree.city,
    ).pack
    services.pack_adopt(actor=city_admin, pack=own, organization=tree.city)
    assert [a.organization for a in selectors.adoptions_of_pack(user=city_admin, pack=own)] == [tree.city]
    far_school_head = user_with_role("school_head", tree.far_school)
    assert selectors.adoptions_of_pack(user=far_school_head, pack=own) == []


def test_demo_jurisdictions_adopt_their_seed_pack_and_a_rerun_changes_nothing(db):
    from educio.orgs.tests.factories import BureauFactory

    roots = {name: BureauFactory(name=name) for name in services.DEMO_ADOPTIONS}
    services.seed_packs_load()
    messages = services.demo_packs_adopt()
    assert len(messages) == 4
    for name, pack_id in services.DEMO_ADOPTIONS.items():
        school = SchoolFactory(parent=roots[name])
        assert selectors.effective_pack(school).pack_id == pack_id
    count = PackAdoption.objects.count()
    services.demo_packs_adopt()
    assert PackAdoption.objects.count() == count
