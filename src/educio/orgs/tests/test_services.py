"""Writes to the organisation tree: scope, placement, codes, moves, deactivation, and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError

from educio.accounts.roles import Role
from educio.accounts.tests.factories import user_with_role
from educio.audit.models import ChangeLogEntry as LogEntry
from educio.orgs import services
from educio.orgs.models import BureauLevel, Organization, OrgKind, SchoolType
from educio.orgs.tests.factories import BureauFactory, OrganizationFactory, SchoolFactory


def school_fields(name: str = "新建实验小学", **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": OrgKind.SCHOOL, "school_type": SchoolType.PRIMARY, **extra}


def log_entries(org: Organization, action: int | None = None) -> list[LogEntry]:
    entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Organization), object_id=org.pk)
    if action is not None:
        entries = entries.filter(action=action)
    return list(entries.order_by("pk"))


def assert_audited(org: Organization, actor: Any, action: int) -> LogEntry:
    entries = log_entries(org, action)
    assert entries, f"no change-log entry ({action}) for {org}"
    entry = entries[-1]
    assert entry.actor == actor
    assert entry.additional_data == {"org_path": org.path}
    return entry


# --- create ---------------------------------------------------------------------------------------


def test_county_admin_creates_a_school_in_the_county(tree: Any, county_admin: Any) -> None:
    org = services.org_create(actor=county_admin, parent=tree.county, **school_fields(moe_code=" 4108020101 "))

    assert Organization.objects.get_parent(org) == tree.county
    assert org.moe_code == "4108020101"
    assert org.bureau_level == ""
    entry = assert_audited(org, county_admin, LogEntry.Action.CREATE)
    assert entry.changes_dict["name"] == ["None", "新建实验小学"]


def test_county_admin_cannot_create_under_another_county(tree: Any, county_admin: Any) -> None:
    before = Organization.objects.count()
    for parent in (tree.other_county, tree.far_county, tree.city):
        with pytest.raises(PermissionDenied):
            services.org_create(actor=county_admin, parent=parent, **school_fields())
    assert Organization.objects.count() == before


def test_only_the_platform_admin_creates_a_top_level_unit(tree: Any, county_admin: Any) -> None:
    fields = {"name": "丙市教育局", "kind": OrgKind.BUREAU, "bureau_level": BureauLevel.CITY}
    with pytest.raises(PermissionDenied):
        services.org_create(actor=county_admin, parent=None, **fields)

    platform = user_with_role(Role.PLATFORM_ADMIN, tree.city)
    root = services.org_create(actor=platform, parent=None, **fields)
    assert root.depth == 1


def test_a_school_cannot_be_placed_under_a_school(tree: Any, county_admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.org_create(actor=county_admin, parent=tree.school, **school_fields())

    assert caught.value.message_dict["parent"] == ["“学校”不能设在“一区第一小学”(学校)之下。"]
    assert not Organization.objects.filter(name="新建实验小学").exists()


def test_a_bureau_needs_its_level(tree: Any, county_admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.org_create(actor=county_admin, parent=tree.county, name="新局", kind=OrgKind.BUREAU)
    assert "bureau_level" in caught.value.message_dict


@pytest.mark.parametrize("code", ["410802010", "41080201011", "41080201AB", "٤١٠٨٠٢٠١٠١"])
def test_moe_code_must_be_ten_digits(tree: Any, county_admin: Any, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.org_create(actor=county_admin, parent=tree.county, **school_fields(moe_code=code))

    assert "学校标识码必须是10位数字" in caught.value.message_dict["moe_code"]
    assert not Organization.objects.filter(name="新建实验小学").exists()


def test_full_width_digits_from_a_chinese_input_method_are_stored_as_ascii(tree: Any, county_admin: Any) -> None:
    fields = school_fields(moe_code="４１０８０２０１０１", region_code="４１０８０２")
    org = services.org_create(actor=county_admin, parent=tree.county, **fields)
    assert org.moe_code == "4108020101"
    assert org.region_code == "410802"


def test_moe_code_is_unique_across_the_whole_tree(tree: Any, county_admin: Any) -> None:
    """A code used in another city is refused too, even though the county admin cannot see that school."""
    with pytest.raises(ValidationError) as caught:
        services.org_create(actor=county_admin, parent=tree.county, **school_fields(moe_code=tree.far_school.moe_code))
    assert "moe_code" in caught.value.message_dict


# --- update ---------------------------------------------------------------------------------------


def test_update_is_audited_with_the_change(tree: Any, county_admin: Any) -> None:
    services.org_update(actor=county_admin, org=tree.school, name="一区第一实验小学", address="新址")

    tree.school.refresh_from_db()
    assert tree.school.name == "一区第一实验小学"
    entry = assert_audited(tree.school, county_admin, LogEntry.Action.UPDATE)
    assert entry.changes_dict["name"] == ["一区第一小学", "一区第一实验小学"]


def test_update_outside_the_scope_is_refused(tree: Any, county_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.org_update(actor=county_admin, org=tree.other_school, name="被改名")
    tree.other_school.refresh_from_db()
    assert tree.other_school.name == "二县实验小学"


def test_update_cannot_give_a_code_twice(tree: Any, county_admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.org_update(actor=county_admin, org=tree.school, moe_code=tree.sibling_school.moe_code)
    assert "moe_code" in caught.value.message_dict


def test_a_unit_with_children_cannot_become_a_kind_that_cannot_hold_them(tree: Any, county_admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.org_update(actor=county_admin, org=tree.county, kind=OrgKind.SCHOOL, school_type=SchoolType.PRIMARY)
    assert caught.value.message_dict["kind"] == ["该单位已有下级单位,不能改为此类别。"]


# --- move -----------------------------------------------------------------------------------------


def test_city_admin_moves_a_school_to_another_county_and_it_is_audited(tree: Any, city_admin: Any) -> None:
    old_path = tree.school.path

    moved = services.org_move(actor=city_admin, org=tree.school, new_parent=tree.other_county)

    assert Organization.objects.get_parent(moved) == tree.other_county
    assert moved.path.startswith(tree.other_county.path)
    entry = assert_audited(moved, city_admin, LogEntry.Action.UPDATE)
    assert entry.changes_dict["path"] == [old_path, moved.path]
    assert entry.changes_dict["parent"] == [tree.county.name, tree.other_county.name]


def test_a_moved_subtree_keeps_its_children(tree: Any, city_admin: Any) -> None:
    department = OrganizationFactory(parent=tree.school, name="信息中心", kind=OrgKind.DEPARTMENT, bureau_level="")

    services.org_move(actor=city_admin, org=tree.school, new_parent=tree.other_county)

    department.refresh_from_db()
    tree.school.refresh_from_db()
    assert department.path.startswith(tree.school.path)
    assert Organization.objects.get_parent(department) == tree.school


def test_move_into_its_own_subtree_is_refused(tree: Any, city_admin: Any) -> None:
    sub = BureauFactory(parent=tree.county, name="一区学区", bureau_level=BureauLevel.COUNTY)
    for target in (tree.county, sub):
        with pytest.raises(ValidationError) as caught:
            services.org_move(actor=city_admin, org=tree.county, new_parent=target)
        assert caught.value.message_dict["parent"] == ["不能把单位移动到它自己或它的下级单位之下。"]
    tree.county.refresh_from_db()
    assert Organization.objects.get_parent(tree.county) == tree.city


def test_move_needs_both_ends_in_scope(tree: Any, county_admin: Any) -> None:
    path = tree.school.path
    with pytest.raises(PermissionDenied):
        services.org_move(actor=county_admin, org=tree.school, new_parent=tree.other_county)
    with pytest.raises(PermissionDenied):
        services.org_move(actor=county_admin, org=tree.other_school, new_parent=tree.county)
    tree.school.refresh_from_db()
    assert tree.school.path == path


def test_move_respects_placement_rules(tree: Any, city_admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.org_move(actor=city_admin, org=tree.school, new_parent=tree.sibling_school)
    assert "不能设在" in caught.value.message_dict["parent"][0]


def test_move_to_the_current_parent_is_refused(tree: Any, city_admin: Any) -> None:
    with pytest.raises(ValidationError):
        services.org_move(actor=city_admin, org=tree.school, new_parent=tree.county)
    assert log_entries(tree.school, LogEntry.Action.UPDATE) == []


# --- deactivate -----------------------------------------------------------------------------------


def test_deactivation_is_refused_while_active_children_exist(tree: Any, county_admin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.org_set_active(actor=county_admin, org=tree.county, active=False)
    assert caught.value.messages == ["请先停用该单位的全部下级单位。"]
    tree.county.refresh_from_db()
    assert tree.county.is_active


def test_deactivation_goes_bottom_up_and_is_audited(tree: Any, county_admin: Any) -> None:
    for school in (tree.school, tree.sibling_school):
        services.org_set_active(actor=county_admin, org=school, active=False)
    county = services.org_set_active(actor=county_admin, org=tree.county, active=False)

    assert not county.is_active
    entry = assert_audited(county, county_admin, LogEntry.Action.UPDATE)
    assert entry.changes_dict["is_active"] == ["True", "False"]
    with pytest.raises(ValidationError, match="已经是停用状态"):
        services.org_set_active(actor=county_admin, org=tree.county, active=False)


def test_no_active_unit_under_a_deactivated_one(tree: Any, county_admin: Any, city_admin: Any) -> None:
    services.org_set_active(actor=county_admin, org=tree.sibling_school, active=False)
    services.org_set_active(actor=county_admin, org=tree.school, active=False)
    services.org_set_active(actor=county_admin, org=tree.county, active=False)

    with pytest.raises(ValidationError, match="已停用"):
        services.org_set_active(actor=county_admin, org=tree.school, active=True)
    with pytest.raises(ValidationError, match="已停用"):
        services.org_create(actor=county_admin, parent=tree.county, **school_fields())
    with pytest.raises(ValidationError, match="已停用"):
        services.org_move(actor=city_admin, org=tree.other_school, new_parent=tree.county)


def test_deactivation_outside_the_scope_is_refused(tree: Any, county_admin: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.org_set_active(actor=county_admin, org=tree.far_school, active=False)
    tree.far_school.refresh_from_db()
    assert tree.far_school.is_active


def test_roles_without_manage_cannot_write(tree: Any) -> None:
    for role in (Role.CIO, Role.INSPECTOR, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        actor = user_with_role(role, tree.county)
        with pytest.raises(PermissionDenied):
            services.org_create(actor=actor, parent=tree.county, **school_fields())
        with pytest.raises(PermissionDenied):
            services.org_update(actor=actor, org=tree.school, name="改名")
        with pytest.raises(PermissionDenied):
            services.org_set_active(actor=actor, org=tree.school, active=False)


def test_every_write_is_audited_with_actor_and_path(tree: Any, city_admin: Any) -> None:
    school = SchoolFactory(parent=tree.county, name="审计用学校")
    LogEntry.objects.all().delete()

    created = services.org_create(actor=city_admin, parent=tree.county, **school_fields("审计新校"))
    services.org_update(actor=city_admin, org=school, short_name="审计")
    path_before_move = school.path
    services.org_move(actor=city_admin, org=school, new_parent=tree.other_county)
    services.org_set_active(actor=city_admin, org=school, active=False)

    entries = list(LogEntry.objects.order_by("pk"))
    assert len(entries) == 4
    for entry in entries:
        assert entry.actor == city_admin
        assert entry.additional_data["org_path"]
    assert entries[0].object_id == created.pk
    school.refresh_from_db()
    assert [e.additional_data["org_path"] for e in entries] == [
        created.path,
        path_before_move,
        school.path,
        school.path,
    ]
