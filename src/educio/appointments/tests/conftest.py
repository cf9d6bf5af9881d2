"""A 焦作-like tree (city → county → school) and a 宜春-like university, with the people of a nomination."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments import services
from educio.appointments.models import Nomination
from educio.appointments.tests.factories import adopt, make_person
from educio.orgs.models import BureauLevel, Organization, OrgKind
from educio.orgs.tests.factories import BureauFactory, OrganizationFactory
from educio.people.models import Certificate, CertificateLevel, PoliticalStatus, Position, TitleLevel
from educio.testing.tree import Tree
from educio.workflow.models import ReviewStep, StepState
from educio.workflow.services import step_decide

# The smallest valid JPEG header is enough: uploads are checked by name and size, not decoded.
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg")


def scan(name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


@dataclass
class Jiaozuo:
    tree: Tree
    cio: Any  # fills the form at the school
    head: Any  # 所在单位意见
    county_reviewer: Any
    city_reviewer: Any
    far_reviewer: Any
    candidate: Any  # a school head with a county-level CIO certificate: eligible


@pytest.fixture
def jz(tree: Tree) -> Jiaozuo:
    adopt(tree.city, "jiaozuo-2022")
    adopt(tree.far_city, "helan-2024")
    candidate = make_person(
        tree.school,
        "刘志强",
        birth_date=date(1978, 5, 1),
        positions=[Position.SCHOOL_HEAD],
        phone="13812345678",
        political_status=PoliticalStatus.PARTY_MEMBER,
        education="本科",
        ethnicity="汉族",
        teaching_years=22,
        admin_position="校长",
        address="焦作市解放区民主路1号",
    )
    Certificate.objects.create(
        person=candidate,
        kind="cio_training",
        level=CertificateLevel.COUNTY,
        number="JZ-CIO-001",
        issued_on=date(2021, 6, 1),
        issuer="解放区教育局",
    )
    return Jiaozuo(
        tree=tree,
        cio=user_with_role("cio", tree.school, username="jz_cio", full_name="刘志强"),
        head=user_with_role("school_head", tree.school, username="jz_head", full_name="张校长"),
        county_reviewer=user_with_role("bureau_reviewer", tree.county, username="jz_county", full_name="县审核"),
        city_reviewer=user_with_role("bureau_reviewer", tree.city, username="jz_city", full_name="市审核"),
        far_reviewer=user_with_role("bureau_reviewer", tree.far_county, username="far", full_name="外县审核"),
        candidate=candidate,
    )


def open_window(actor: Any, bureau: Organization, *, days_left: int = 30) -> None:
    today = timezone.localdate()
    services.window_create(
        actor=actor,
        organization=bureau,
        post="cio",
        title="2026年首席信息官推荐",
        opens_on=today - timedelta(days=10),
        deadline=today + timedelta(days=days_left),
    )


def fill_jiaozuo(nomination: Nomination, actor: Any, **overrides: str) -> Nomination:
    data = {**nomination.data, "work_record": "牵头制定学校信息化发展规划。" * 10, **overrides}
    honours = [{"title": "河南省信息化先进个人", "awarded_on": "2021-09", "granted_by": "河南省教育厅", "note": ""}]
    nomination = services.nomination_save(actor=actor, nomination=nomination, data=data, honours=honours)
    services.nomination_set_photo(actor=actor, nomination=nomination, upload=photo())
    services.nomination_attach(actor=actor, nomination=nomination, slot="training_certificate", upload=scan())
    return Nomination.objects.get(pk=nomination.pk)


def decide_pending(nomination: Nomination, actor: Any, decision: str = "approve", opinion: str = "同意推荐。") -> None:
    step = ReviewStep.objects.get(process=nomination.process, state=StepState.PENDING)
    step_decide(actor=actor, step=step, decision=decision, opinion=opinion, seal=step.seal_required)


@dataclass
class Yichun:
    university: Organization
    department: Organization
    president: Any
    party_office: Any
    admin: Any
    candidate: Any


@pytest.fixture
def yc(db: None) -> Yichun:
    province = BureauFactory(name="江西省教育厅", bureau_level=BureauLevel.PROVINCE, region_code="360000")
    uni = OrganizationFactory(parent=province, name="宜春学院", kind=OrgKind.UNIVERSITY, bureau_level="")
    dept = OrganizationFactory(parent=uni, name="现代教育技术与信息中心", kind=OrgKind.DEPARTMENT, bureau_level="")
    uni = Organization.objects.get(pk=uni.pk)
    dept = Organization.objects.get(pk=dept.pk)
    adopt(uni, "yichun-2025")
    candidate = make_person(
        dept,
        "黄国平",
        positions=[Position.VICE_PRESIDENT_IT],
        political_status=PoliticalStatus.PARTY_MEMBER,
        title_level=TitleLevel.SENIOR,
        joined_unit_on=date(2012, 9, 1),
        birth_date=date(1972, 3, 1),
        admin_position="副校长",
    )
    return Yichun(
        university=uni,
        department=dept,
        president=user_with_role("school_head", uni, username="yc_president", full_name="校长"),
        party_office=user_with_role("bureau_reviewer", uni, username="yc_party", full_name="党委办公室"),
        admin=user_with_role("bureau_admin", uni, username="yc_adm", full_name="学校管理员"),
        candidate=candidate,
    )
