"""A 焦作-like city (two counties) running its annual CIO evaluation, and the people who take part in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.assessments import services
from educio.assessments.models import AssessmentCycle
from educio.assessments.tests.factories import CIO_CYCLE
from educio.people.models import Person
from educio.testing.tree import Tree


@dataclass
class City:
    tree: Tree
    admin: Any  # bureau_admin of the city: organises the cycle
    expert: Any  # expert of the city: scores what it is assigned
    second_expert: Any
    county_reviewer: Any  # bureau_reviewer of 一区
    county_admin: Any
    cio: Any  # cio account at 一区第一小学: self-assesses and appeals
    sibling_cio: Any
    far_expert: Any
    cio_person: Person  # the appointed CIO of 一区第一小学
    sibling_person: Person  # the appointed CIO of 一区第二中学 (二县实验小学 has none)


@pytest.fixture
def city(tree: Tree) -> City:
    adopt(tree.city, "jiaozuo-2022")
    adopt(tree.far_city, "helan-2024")
    cio_person = make_person(tree.school, "刘志强")
    sibling_person = make_person(tree.sibling_school, "王海燕")
    make_appointment(tree.school, person=cio_person)
    make_appointment(tree.sibling_school, person=sibling_person)
    return City(
        tree=tree,
        admin=user_with_role("bureau_admin", tree.city, username="city_adm", full_name="市管理员"),
        expert=user_with_role("expert", tree.city, username="expert_a", full_name="专家甲"),
        second_expert=user_with_role("expert", tree.city, username="expert_b", full_name="专家乙"),
        county_reviewer=user_with_role("bureau_reviewer", tree.county, username="county_rev", full_name="区审核员"),
        county_admin=user_with_role("bureau_admin", tree.county, username="county_adm", full_name="区管理员"),
        cio=user_with_role("cio", tree.school, username="school_cio", full_name="刘志强"),
        sibling_cio=user_with_role("cio", tree.sibling_school, username="sibling_cio", full_name="王海燕"),
        far_expert=user_with_role("expert", tree.far_city, username="far_expert", full_name="外市专家"),
        cio_person=cio_person,
        sibling_person=sibling_person,
    )


def opened(city: City, cycle_id: str = CIO_CYCLE, **fields: Any) -> AssessmentCycle:
    """The city's cycle, created and opened through the services."""
    today = timezone.localdate()
    cycle = services.cycle_create(
        actor=city.admin,
        organization=city.tree.city,
        cycle_id=cycle_id,
        year=fields.pop("year", today.year),
        self_deadline=fields.pop("self_deadline", today + timedelta(days=10)),
        review_deadline=fields.pop("review_deadline", today + timedelta(days=20)),
        **fields,
    )
    services.cycle_open(actor=city.admin, cycle=cycle)
    return AssessmentCycle.objects.get(pk=cycle.pk)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf(name: str = "规划.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
