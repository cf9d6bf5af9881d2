"""Nominations and appointments for the project-wide permission-matrix test (registered in ``educio.testing.makers``).

Each object sits at a school of its own under ``ctx.org``, which adopts the
焦作 pack, so the pages render the real form variant. Written with the ORM:
the matrix's owner may hold a role that may not nominate through the services.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.files.base import ContentFile

from educio.appointments.formspec import snapshot
from educio.appointments.models import Appointment, Nomination, NominationAttachment
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.orgs.models import Organization
from educio.orgs.tests.factories import SchoolFactory
from educio.policies.selectors import effective_pack
from educio.workflow.models import ProcessKind, ReviewProcess


def _school(ctx: Any) -> Organization:
    school = cast(Organization, SchoolFactory(parent=ctx.org, name=f"{ctx.label}学校"))
    school = Organization.objects.get(pk=school.pk)
    adopt(school, "jiaozuo-2022")
    return school


def draft_nomination(ctx: Any) -> Nomination:
    school = _school(ctx)
    pack = effective_pack(school)
    assert pack is not None
    assert pack.spec.nomination_form is not None
    person = make_person(school, f"{ctx.label}人员")
    chain = pack.review_chain("cio_nomination")
    assert chain is not None
    process = ReviewProcess.objects.create(
        kind=ProcessKind.NOMINATION,
        title=f"{school.name}首席信息官推荐",
        organization=school,
        chain_id=chain.id,
        chain_name=chain.name,
        chain_snapshot=chain.model_dump(mode="json"),
        created_by=ctx.owner,
    )
    nomination = Nomination.objects.create(
        organization=school,
        post="cio",
        post_name="首席教育信息官(CIO)",
        person=person,
        process=process,
        pack_version_id=pack.pk,
        pack_ref=f"{pack.pack_id}@{pack.version}",
        form_snapshot=snapshot(pack.spec.nomination_form),
        data={"name": person.name, "unit_name": school.name},
        photo=ContentFile(b"\xff\xd8\xff\xe0" + b"\x00" * 32, name="photo.jpg"),
        created_by=ctx.owner,
    )
    nomination.process.subject = nomination
    nomination.process.save()
    return nomination


def attachment(ctx: Any) -> NominationAttachment:
    nomination = draft_nomination(ctx)
    return NominationAttachment.objects.create(
        nomination=nomination,
        slot="training_certificate",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="certificate.pdf"),
        original_name=f"{ctx.label}证书.pdf",
        uploaded_by=ctx.owner,
    )


def appointment(ctx: Any) -> Appointment:
    school = _school(ctx)
    return make_appointment(school, person=make_person(school, f"{ctx.label}首席信息官"))
