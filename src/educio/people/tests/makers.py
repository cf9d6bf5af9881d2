"""Objects of the people app for the permission matrix (``educio.testing.makers``)."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from educio.people.tests.factories import (
    PDF_BYTES,
    PNG_BYTES,
    CertificateFactory,
    ExperienceFactory,
    HonourFactory,
    PersonFactory,
)

PROBE_PHOTO = "persons/matrix/probe.png"
PROBE_SCAN = "persons/matrix/probe.pdf"


def _probe_file(name: str, content: bytes) -> str:
    """One file on disk shared by every probe object, so the matrix leaves no pile of uploads behind."""
    if not default_storage.exists(name):
        return default_storage.save(name, ContentFile(content))
    return name


def make_person(ctx: Any) -> Any:
    from educio.testing.makers import Made

    person = PersonFactory(organization=ctx.org, name=f"{ctx.label}人员", created_by=ctx.owner)
    return Made(person.pk, person.name)


def make_person_with_photo(ctx: Any) -> Any:
    from educio.testing.makers import Made

    person = PersonFactory(
        organization=ctx.org,
        name=f"{ctx.label}有照片人员",
        created_by=ctx.owner,
        photo=_probe_file(PROBE_PHOTO, PNG_BYTES),
    )
    return Made(person.pk, person.name)


def _person(ctx: Any, suffix: str) -> Any:
    return PersonFactory(organization=ctx.org, name=f"{ctx.label}{suffix}", created_by=ctx.owner)


def make_experience(ctx: Any) -> Any:
    from educio.testing.makers import Made

    row = ExperienceFactory(person=_person(ctx, "经历人员"), unit_name=f"{ctx.label}经历单位")
    return Made(row.pk, row.unit_name)


def make_honour(ctx: Any) -> Any:
    from educio.testing.makers import Made

    row = HonourFactory(person=_person(ctx, "荣誉人员"), title=f"{ctx.label}荣誉")
    return Made(row.pk, row.title)


def make_certificate(ctx: Any) -> Any:
    """A certificate with a scan (its download URL answers 200 inside the scope)."""
    from educio.testing.makers import Made

    row = CertificateFactory(
        person=_person(ctx, "证书人员"), issuer=f"{ctx.label}发证单位", scan=_probe_file(PROBE_SCAN, PDF_BYTES)
    )
    return Made(row.pk, row.issuer)
