"""Factories for person records (rows written directly; services are tested through their own calls)."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from educio.accounts.tests.factories import UserFactory
from educio.people.models import Certificate, CertificateLevel, Experience, Gender, Honour, Person

# A tiny but real PNG and PDF: the upload checks read the first bytes.
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"测试人员{n}")
    gender = Gender.MALE
    birth_date = date(1980, 5, 12)
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    created_by = factory.SubFactory(UserFactory)


class ExperienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experience

    person = factory.SubFactory(PersonFactory)
    started_on = date(2018, 9, 1)
    unit_name = "测试学校"
    position = "信息中心主任"


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    person = factory.SubFactory(PersonFactory)
    title = "市级优秀教师"
    awarded_on = date(2020, 9, 10)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    person = factory.SubFactory(PersonFactory)
    kind = "cio_training"
    level = CertificateLevel.COUNTY
    issued_on = date(2023, 7, 1)
    issuer = "测试教育局"


def add_persons(tree: Any, reader: Any, n: int, tag: str) -> str:
    """``n`` persons at the county's school, each with a certificate (for the query-count test of list pages)."""
    persons = Person.objects.bulk_create(
        Person(
            organization=tree.school,
            name=f"{tag}人员{i:02d}",
            gender=Gender.FEMALE,
            phone=f"139{i:08d}",
            positions=["school_head"],
            created_by=reader,
        )
        for i in range(n)
    )
    Certificate.objects.bulk_create(
        Certificate(person=p, kind="cio_training", level=CertificateLevel.CITY, issued_on=date(2023, 1, 1), issuer="局")
        for p in persons
    )
    return f"{tag}人员00|{tag}人员{n - 1:02d}"
