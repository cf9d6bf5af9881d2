"""Chains of the seed documents written as data, and the units and reviewers that run them."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from educio.accounts.tests.factories import user_with_role
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.orgs.tests.factories import BureauFactory, OrganizationFactory, SchoolFactory
from educio.testing.fixtures import fast_password_hashing  # noqa: F401 - an autouse fixture
from educio.workflow.spec import ActingLevel, ChainSpec, Opinion, StepActor, StepSpec


def pytest_configure(config: pytest.Config) -> None:
    """On SQLite, put the test database in a file (unique per run) instead of shared memory.

    The concurrency test decides one step from two threads. With a file, the
    second writer waits for the first (BEGIN IMMEDIATE and the busy timeout of
    the settings), exactly as in production; SQLite's shared in-memory database
    instead fails the second writer at once with "database table is locked".
    pytest calls this hook as soon as this conftest is imported, before any
    test database exists, whichever app's tests run first.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    if database["ENGINE"] == "django.db.backends.sqlite3" and not test.get("NAME"):
        test["NAME"] = str(Path(tempfile.gettempdir()) / f"educio-test-{os.getpid()}.sqlite3")


def chain(chain_id: str, name: str, *steps: tuple[str, str, ActingLevel, str, dict[str, Any]]) -> ChainSpec:
    return ChainSpec(
        id=chain_id,
        name=name,
        steps=tuple(
            StepSpec(
                id=sid,
                name=sname,
                actor=StepActor(level=level, role=role, body=extra.get("body")),
                **{k: v for k, v in extra.items() if k != "body"},
            )
            for sid, sname, level, role, extra in steps
        ),
    )


# 焦作教文〔2022〕60号 推荐表: 所在单位意见(盖章) -> 县(市、区)教育行政部门审核意见(盖章) -> 市教育局审核意见(盖章).
JIAOZUO = chain(
    "cio_nomination",
    "焦作市首席教育信息官推荐审核",
    ("school_opinion", "所在单位意见", ActingLevel.SELF, "school_head", {"seal": True}),
    ("county_review", "县(市、区)教育行政部门审核意见", ActingLevel.COUNTY_BUREAU, "bureau_reviewer", {"seal": True}),
    (
        "city_review",
        "市教育局审核意见",
        ActingLevel.CITY_BUREAU,
        "bureau_reviewer",
        {"seal": True, "deadline_days": 10},
    ),
)

# 贺兰县: 学校推荐(单位意见、盖章) -> 县教育体育局发文聘任.
HELAN = chain(
    "cio_nomination",
    "贺兰县中小学校首席信息官推荐聘任",
    ("school_nomination", "单位意见", ActingLevel.SELF, "school_head", {"seal": True}),
    ("county_appointment", "县教育体育局聘任", ActingLevel.COUNTY_BUREAU, "bureau_admin", {}),
)

# 宜春学院: 校长提名推荐 -> 校长办公会审议 -> 党委常委会批准.
YICHUN = chain(
    "cio_nomination",
    "宜春学院首席信息官聘任",
    ("president_nomination", "校长提名推荐", ActingLevel.UNIVERSITY, "school_head", {"opinion": Opinion.OPTIONAL}),
    ("office_meeting", "校长办公会审议", ActingLevel.UNIVERSITY, "school_head", {"body": "校长办公会"}),
    ("party_committee", "党委常委会批准", ActingLevel.UNIVERSITY, "bureau_reviewer", {"body": "党委常委会"}),
)

# A made-up fifth jurisdiction, data only: four steps on levels none of the seeds uses.
FIFTH = chain(
    "platform_project",
    "某自治区信息化项目四级审核",
    ("unit_cio", "本单位首席信息官初审", ActingLevel.SELF, "cio", {"opinion": Opinion.OPTIONAL}),
    ("parent_review", "主管部门审核", ActingLevel.PARENT, "bureau_reviewer", {"deadline_days": 5}),
    ("city_admin", "市级复核", ActingLevel.CITY_BUREAU, "bureau_admin", {}),
    ("region_final", "自治区教育厅终审", ActingLevel.ROOT, "bureau_reviewer", {"seal": True, "body": "厅务会"}),
)


@dataclass
class People:
    submitter: Any
    school_head: Any
    county_reviewer: Any
    county_admin: Any
    city_reviewer: Any
    far_reviewer: Any


@pytest.fixture
def people(tree: Any) -> People:
    return People(
        submitter=user_with_role("cio", tree.school, username="school_cio", full_name="李信息"),
        school_head=user_with_role("school_head", tree.school, username="head", full_name="王校长"),
        county_reviewer=user_with_role("bureau_reviewer", tree.county, username="county_rev", full_name="赵审核"),
        county_admin=user_with_role("bureau_admin", tree.county, username="county_adm", full_name="钱局长"),
        city_reviewer=user_with_role("bureau_reviewer", tree.city, username="city_rev", full_name="孙市审"),
        far_reviewer=user_with_role("bureau_reviewer", tree.far_county, username="far_rev", full_name="周外审"),
    )


@dataclass
class University:
    province: Organization
    university: Organization
    department: Organization
    president: Any
    party_secretary: Any
    office: Any


@pytest.fixture
def university(db: None) -> University:
    province = BureauFactory(name="江西省教育厅", bureau_level=BureauLevel.PROVINCE, region_code="360000")
    uni = OrganizationFactory(parent=province, name="宜春学院", kind=OrgKind.UNIVERSITY, bureau_level="")
    dept = OrganizationFactory(parent=uni, name="网络信息中心", kind=OrgKind.DEPARTMENT, bureau_level="")
    uni = Organization.objects.get(pk=uni.pk)
    return University(
        province=Organization.objects.get(pk=province.pk),
        university=uni,
        department=Organization.objects.get(pk=dept.pk),
        president=user_with_role("school_head", uni, username="president", full_name="校长甲"),
        # The party committee's decision is recorded by its office's reviewer account (as in yichun-2025).
        party_secretary=user_with_role("bureau_reviewer", uni, username="secretary", full_name="书记乙"),
        office=user_with_role("liaison", uni, username="office", full_name="办公室丙"),
    )


@dataclass
class Region:
    region: Organization
    city: Organization
    district: Organization
    school: Organization
    cio: Any
    district_reviewer: Any
    city_admin: Any
    region_reviewer: Any


@pytest.fixture
def region(db: None) -> Region:
    root = BureauFactory(name="某自治区教育厅", bureau_level=BureauLevel.PROVINCE, region_code="150000")
    city = BureauFactory(parent=root, name="某市教育局", bureau_level=BureauLevel.CITY, region_code="150300")
    district = BureauFactory(parent=city, name="某区教育局", bureau_level=BureauLevel.COUNTY, region_code="150302")
    school = SchoolFactory(parent=district, name="某区实验学校")
    orgs = [Organization.objects.get(pk=o.pk) for o in (root, city, district, school)]
    return Region(
        *orgs,
        cio=user_with_role("cio", orgs[3], username="r_cio"),
        district_reviewer=user_with_role("bureau_reviewer", orgs[2], username="r_district"),
        city_admin=user_with_role("bureau_admin", orgs[1], username="r_city"),
        region_reviewer=user_with_role("bureau_reviewer", orgs[0], username="r_region"),
    )
