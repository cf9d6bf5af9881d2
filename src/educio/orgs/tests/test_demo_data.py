"""The demo loader (four real jurisdictions, one login per role) and the province-sized bench loader."""

from __future__ import annotations

from io import StringIO

import pytest
from auditlog import get_logentry_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.urls import reverse

from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import Perm, Role
from educio.accounts.scope import scope_paths
from educio.orgs.demo_data import DEMO_PASSWORD, JURISDICTIONS, all_accounts, all_units
from educio.orgs.management.commands.seed_scale import find_province, path_number, path_step
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.orgs.selectors import org_list

JIAOZUO_COUNTIES = {"410802", "410803", "410804", "410811", "410821", "410822", "410823", "410825", "410882", "410883"}
WUHAI_DISTRICTS = {"150302", "150303", "150304"}


def run(command: str, **options: object) -> str:
    out = StringIO()
    call_command(command, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def children(org: Organization, **filters: object) -> list[Organization]:
    return list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, **filters))


def snapshot() -> tuple[int, int, int, int]:
    return (
        Organization.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        get_logentry_model().objects.count(),
    )


def assert_tree_sound(parent: Organization | None = None) -> None:
    assert Organization.objects.find_problems(parent=parent) == ([], [], [], [], [])


def test_demo_data_is_consistent() -> None:
    refs = [unit.ref for unit, _parent in all_units()]
    assert len(refs) == len(set(refs))
    codes = [unit.moe_code for unit, _parent in all_units() if unit.moe_code]
    assert len(codes) == len(set(codes))
    assert all(len(code) == 10 and code.isdigit() for code in codes)
    assert {a.unit_ref for a in all_accounts()} <= set(refs)
    usernames = [a.username for a in all_accounts()]
    assert len(usernames) == len(set(usernames))
    validate_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_load_demo_builds_the_four_jurisdictions() -> None:
    run("load_demo")
    roots = {o.name: o for o in Organization.objects.filter(depth=1)}
    assert set(roots) == {"焦作市教育局", "贺兰县教育体育局", "宜春学院", "乌海市教育局"}

    jiaozuo = roots["焦作市教育局"]
    assert (jiaozuo.kind, jiaozuo.bureau_level, jiaozuo.region_code) == (OrgKind.BUREAU, BureauLevel.CITY, "410800")
    counties = children(jiaozuo, kind=OrgKind.BUREAU)
    assert {c.region_code for c in counties} == JIAOZUO_COUNTIES
    assert {c.bureau_level for c in counties} == {BureauLevel.COUNTY}
    assert "解放区教育局" in {c.name for c in counties}
    for county in counties:
        assert len(children(county, kind=OrgKind.SCHOOL)) >= 3, county.name

    helan = roots["贺兰县教育体育局"]
    assert (helan.bureau_level, helan.region_code) == (BureauLevel.COUNTY, "640122")
    assert len(children(helan, kind=OrgKind.SCHOOL)) >= 8

    yichun = roots["宜春学院"]
    assert (yichun.kind, yichun.region_code) == (OrgKind.UNIVERSITY, "360902")
    departments = {d.name for d in children(yichun, kind=OrgKind.DEPARTMENT)}
    assert len(departments) >= 10
    assert {"数学与计算机科学学院", "信息中心", "党委办公室", "校长办公室"} <= departments

    wuhai = roots["乌海市教育局"]
    assert (wuhai.bureau_level, wuhai.region_code) == (BureauLevel.CITY, "150300")
    districts = children(wuhai, kind=OrgKind.BUREAU)
    assert {d.region_code for d in districts} == WUHAI_DISTRICTS
    for district in districts:
        assert len(children(district, kind=OrgKind.SCHOOL)) >= 5, district.name

    schools = Organization.objects.filter(kind=OrgKind.SCHOOL)
    assert all(s.moe_code and len(s.moe_code) == 10 and s.moe_code.isdigit() for s in schools)
    assert_tree_sound()
    # Each unit was audited as a system change, with its path for scoping.
    assert get_logentry_model().objects.filter(additional_data__org_path=jiaozuo.path, actor=None).exists()


@pytest.mark.django_db
def test_load_demo_is_idempotent() -> None:
    run("load_demo")
    before = snapshot()
    output = run("load_demo")
    assert snapshot() == before
    assert "新建单位 0 个" in output


@pytest.mark.django_db
def test_demo_accounts_cover_every_role_in_every_jurisdiction() -> None:
    run("load_demo")
    assert RoleAssignment.objects.filter(role=Role.PLATFORM_ADMIN).count() == 1
    for jurisdiction in JURISDICTIONS:
        root = Organization.objects.get(depth=1, name=jurisdiction.root.name)
        held = set(
            RoleAssignment.objects.filter(
                organization__path__startswith=root.path, user__username__startswith=f"{jurisdiction.prefix}_"
            ).values_list("role", flat=True)
        )
        assert held == set(Role.values) - {Role.PLATFORM_ADMIN}, jurisdiction.prefix
    users = User.objects.filter(username__in=[a.username for a in all_accounts()])
    assert users.count() == len(all_accounts())
    assert not users.filter(must_change_password=True).exists()
    assert users.first().check_password(DEMO_PASSWORD)  # one hash shared by all

    yc_liaison = RoleAssignment.objects.get(user__username="yc_liaison")
    assert yc_liaison.organization.kind == OrgKind.DEPARTMENT


@pytest.mark.django_db
def test_county_admin_sees_only_the_county(client) -> None:
    run("load_demo")
    response = client.post(reverse("accounts:login"), {"username": "jz_jiefang_admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(username="jz_jiefang_admin")
    county = Organization.objects.get(name="解放区教育局")
    visible = set(org_list(user=user, perm=Perm.ORG_VIEW).values_list("pk", flat=True))
    assert visible == set(Organization.objects.filter(path__startswith=county.path).values_list("pk", flat=True))
    assert not Organization.objects.filter(pk__in=visible, name="中站区实验小学").exists()


@pytest.mark.django_db
def test_demo_accounts_prints_the_logins() -> None:
    assert "尚未加载" in run("demo_accounts")
    run("load_demo")
    output = run("demo_accounts")
    assert "尚未加载" not in output
    for needle in ("jz_jiefang_admin", "教育局管理员", "解放区教育局", DEMO_PASSWORD, "yc_liaison"):
        assert needle in output


@pytest.mark.django_db
def test_reset_passwords_restores_the_demo_password() -> None:
    run("load_demo")
    user = User.objects.get(username="wh_school_cio")
    user.set_password("Changed#2025")
    user.is_active = False
    user.save()
    run("load_demo", reset_passwords=True)
    user.refresh_from_db()
    assert user.is_active
    assert user.check_password(DEMO_PASSWORD)


def test_path_steps_use_treebeards_alphabet() -> None:
    assert path_step(1) == "00001"
    assert path_step(36) == "00010"
    assert path_number(path_step(123456)) == 123456
    with pytest.raises(CommandError):
        path_step(36**5)


@pytest.mark.django_db
def test_seed_scale_builds_a_valid_tree_next_to_the_demo() -> None:
    run("load_demo")
    output = run("seed_scale", schools=25, cities=2, counties=3, users_per_school=2)
    assert "25 所学校" in output
    province = find_province()
    assert province is not None
    assert province.depth == 1
    assert province.numchild == 2
    assert_tree_sound()  # the whole table: demo roots and the bench root together

    counties = Organization.objects.filter(path__startswith=province.path, bureau_level=BureauLevel.COUNTY)
    assert counties.count() == 6
    sizes = sorted(len(children(c)) for c in counties)
    assert sizes == [4, 4, 4, 4, 4, 5]
    assert [c.numchild for c in counties.order_by("path")] == [len(children(c)) for c in counties.order_by("path")]
    schools = Organization.objects.filter(path__startswith=province.path, kind=OrgKind.SCHOOL)
    assert schools.count() == 25
    assert schools.filter(numchild=0, depth=4).count() == 25

    # 2 per school, 2 at the province, 3 per city, 1 per county.
    bench_users = User.objects.filter(home_organization__path__startswith=province.path)
    assert bench_users.count() == 25 * 2 + 2 + 2 * 3 + 6
    assert RoleAssignment.objects.filter(organization__path__startswith=province.path).count() == bench_users.count()
    assert bench_users.first().check_password("Bench@2024")

    county = counties.order_by("path").first()
    county_admin = User.objects.get(username="bench_c01_k01_admin")
    assert scope_paths(county_admin, Perm.ORG_VIEW) == [county.path]
    visible = set(org_list(user=county_admin, perm=Perm.ORG_VIEW).values_list("pk", flat=True))
    assert visible == set(Organization.objects.filter(path__startswith=county.path).values_list("pk", flat=True))
    assert len(visible) == 1 + county.numchild


@pytest.mark.django_db
def test_seed_scale_is_idempotent_and_resets_on_request() -> None:
    run("seed_scale", schools=10, cities=1, counties=2, users_per_school=1)
    before = snapshot()
    assert "无需生成" in run("seed_scale", schools=10, cities=1, counties=2, users_per_school=1)
    assert snapshot() == before
    with pytest.raises(CommandError, match="--reset"):
        run("seed_scale", schools=12, cities=1, counties=2)
    run("seed_scale", schools=12, cities=1, counties=2, users_per_school=1, reset=True)
    province = find_province()
    assert Organization.objects.filter(path__startswith=province.path, kind=OrgKind.SCHOOL).count() == 12
    assert Organization.objects.filter(depth=1).count() == 1
    assert_tree_sound()
