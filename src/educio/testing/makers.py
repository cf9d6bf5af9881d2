"""How to make the object a URL keyword argument names, for the permission-matrix test.

The matrix test calls every URL of the project. When a URL takes a keyword
argument, it looks up ``(namespace, kwarg)`` here to create an object inside a
given organisation. A URL whose argument has no maker makes the matrix FAIL,
so that nothing is silently left unchecked: when you add such a URL, add a
maker below (a few lines, usually a factory call).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from educio.accounts.models import User
from educio.accounts.tests.factories import user_with_role
from educio.documents.tests.makers import make_document_template, make_export_job
from educio.notifications.tests.helpers import make_notification
from educio.orgs.models import BureauLevel, Organization
from educio.orgs.tests.factories import BureauFactory, SchoolFactory
from educio.people.tests.makers import (
    make_certificate,
    make_experience,
    make_honour,
    make_person,
    make_person_with_photo,
)
from educio.training.tests.makers import make_training_enrollment, make_training_event
from educio.workflow.tests.makers import make_review_process, make_review_step


@dataclass(frozen=True)
class MakerContext:
    """Where the object belongs (``org``), who owns per-user objects (``owner``) and text for its name."""

    org: Organization
    owner: User
    label: str


@dataclass(frozen=True)
class Made:
    value: Any  # the URL keyword argument
    marker: str  # text shown wherever the object is shown (checked for leaks)
    # True for objects meant to be seen outside ctx.org's subtree (e.g. a platform-wide library
    # entry): the matrix then expects from outside what it expects from inside.
    shared: bool = False
    # True for objects of one account only (an export job): nobody else sees it, a global role included.
    owner_only: bool = False


Maker = Callable[[MakerContext], Made]


def make_school(ctx: MakerContext) -> Made:
    school = cast(Organization, SchoolFactory(parent=ctx.org, name=f"{ctx.label}学校"))
    return Made(school.pk, school.name)


def make_account(ctx: MakerContext) -> Made:
    account = user_with_role("cio", ctx.org, full_name=f"{ctx.label}账号")
    return Made(account.pk, account.full_name)


def make_api_token(ctx: MakerContext) -> Made:
    """Tokens belong to one account: only ``owner`` may see or revoke it, whatever their roles."""
    from educio.api.services import api_token_create

    token, _raw = api_token_create(request=None, user=ctx.owner, name=f"{ctx.label}令牌", days=30)
    return Made(token.pk, token.name)


_numbers = itertools.count(1)

PACK_SOURCE = """\
id: {pack_id}
version: 1
title: {title}
issuer: {issuer}
applies_to: [school]
articles:
  - id: a1
    number: 第一条
    text: 矩阵测试条款。
"""


def make_policy_pack(ctx: MakerContext) -> Made:
    """A pack version published by ctx.org (so visible in its subtree and above it, nowhere else)."""
    from educio.policies.models import PolicyPack

    pack_id = f"matrix-pack-{next(_numbers)}"
    title = f"{ctx.label}制度"
    source = PACK_SOURCE.format(pack_id=pack_id, title=title, issuer=ctx.org.name)
    pack = PolicyPack.objects.create(
        pack_id=pack_id,
        version=1,
        title=title,
        issuer=ctx.org.name,
        source=source,
        filename=f"{pack_id}.yaml",
        sha256=hashlib.sha256(source.encode()).hexdigest(),
        owner=ctx.org,
        uploaded_by=ctx.owner,
    )
    return Made(pack.pk, title)


def make_pack_adoption(ctx: MakerContext) -> Made:
    """An active adoption, at a bureau of its own under ctx.org (a unit holds one active adoption at most)."""
    from educio.policies.models import PackAdoption

    pack = make_policy_pack(ctx)
    unit = cast(Organization, BureauFactory(parent=ctx.org, name=f"{ctx.label}学区", bureau_level=BureauLevel.COUNTY))
    adoption = PackAdoption.objects.create(organization=unit, pack_id=pack.value, adopted_by=ctx.owner)
    return Made(adoption.pk, pack.marker)


def make_nomination(ctx: MakerContext) -> Made:
    from educio.appointments.tests.makers import draft_nomination

    nomination = draft_nomination(ctx)
    return Made(nomination.pk, nomination.person.name)


def make_nomination_attachment(ctx: MakerContext) -> Made:
    from educio.appointments.tests.makers import attachment

    made = attachment(ctx)
    return Made(made.pk, made.nomination.person.name)


def make_appointment(ctx: MakerContext) -> Made:
    from educio.appointments.tests.makers import appointment

    made = appointment(ctx)
    return Made(made.pk, made.person.name)


def make_rectification_order(ctx: MakerContext) -> Made:
    from educio.rectifications.tests.makers import order

    made = order(ctx)
    return Made(made.pk, made.findings)


def make_rectification_evidence(ctx: MakerContext) -> Made:
    from educio.rectifications.tests.makers import evidence

    made = evidence(ctx)
    return Made(made.pk, made.order.findings)


def make_assessment_subject(ctx: MakerContext) -> Made:
    """A self-assessed school of an open cycle, assigned to ``ctx.owner`` for scoring."""
    from educio.assessments.tests.makers import subject

    made = subject(ctx)
    return Made(made.pk, made.organization.name)


def make_assessment_cycle(ctx: MakerContext) -> Made:
    from educio.assessments.tests.makers import cycle

    made = cycle(ctx)
    return Made(made.pk, made.name)


def make_assessment_evidence(ctx: MakerContext) -> Made:
    from educio.assessments.tests.makers import evidence

    made = evidence(ctx)
    return Made(made.pk, made.subject.organization.name)


def make_indicator_template(ctx: MakerContext) -> Made:
    from educio.assessments.tests.makers import template

    made = template(ctx)
    return Made(made.pk, made.name)


# Keyed by (namespace, kwarg), or by ("namespace:url_name", kwarg) where one URL's argument means another object.
MAKERS: dict[tuple[str, str], Maker] = {
    ("orgs", "pk"): make_school,
    ("accounts", "pk"): make_account,
    ("api", "pk"): make_api_token,
    ("api-v1", "org_id"): make_school,
    ("workflow", "pk"): make_review_process,
    ("notifications", "pk"): make_notification,
    ("workflow:decide", "pk"): make_review_step,
    ("api-v1", "process_id"): make_review_process,
    ("api-v1:policy_pack_detail", "pack_pk"): make_policy_pack,
    ("policies", "pk"): make_policy_pack,
    ("policies:adoption_end", "pk"): make_pack_adoption,
    ("people", "pk"): make_person,
    ("people", "org_pk"): make_school,
    ("people:photo", "pk"): make_person_with_photo,
    ("people:experience_remove", "pk"): make_experience,
    ("people:honour_remove", "pk"): make_honour,
    ("people:certificate_remove", "pk"): make_certificate,
    ("people:certificate_scan", "pk"): make_certificate,
    ("api-v1", "person_id"): make_person,
    ("appointments", "pk"): make_nomination,
    ("appointments:attachment_download", "pk"): make_nomination_attachment,
    ("appointments:attachment_delete", "pk"): make_nomination_attachment,
    ("appointments:appointment_detail", "pk"): make_appointment,
    ("appointments:appointment_revoke", "pk"): make_appointment,
    ("appointments:appointment_succession", "pk"): make_appointment,
    ("api-v1", "nomination_id"): make_nomination,
    ("api-v1", "appointment_id"): make_appointment,
    ("rectifications", "pk"): make_rectification_order,
    ("rectifications:evidence_download", "pk"): make_rectification_evidence,
    ("rectifications:evidence_delete", "pk"): make_rectification_evidence,
    ("api-v1", "order_id"): make_rectification_order,
    ("training", "pk"): make_training_event,
    ("training:enrollment_record", "pk"): make_training_enrollment,
    ("training:enrollment_remove", "pk"): make_training_enrollment,
    ("api-v1", "event_id"): make_training_event,
    ("documents", "pk"): make_document_template,
    ("documents:job_detail", "pk"): make_export_job,
    ("documents:job_progress", "pk"): make_export_job,
    ("documents:job_download", "pk"): make_export_job,
    ("api-v1", "job_id"): make_export_job,
    ("assessments", "pk"): make_assessment_subject,
    ("assessments:cycle_detail", "pk"): make_assessment_cycle,
    ("assessments:subject_list", "pk"): make_assessment_cycle,
    ("assessments:cycle_assign", "pk"): make_assessment_cycle,
    ("assessments:cycle_report", "pk"): make_assessment_cycle,
    ("assessments:cycle_open", "pk"): make_assessment_cycle,
    ("assessments:cycle_start_review", "pk"): make_assessment_cycle,
    ("assessments:cycle_confirm", "pk"): make_assessment_cycle,
    ("assessments:cycle_publish", "pk"): make_assessment_cycle,
    ("assessments:cycle_close", "pk"): make_assessment_cycle,
    ("assessments:cycle_deadlines", "pk"): make_assessment_cycle,
    ("assessments:evidence_download", "pk"): make_assessment_evidence,
    ("assessments:evidence_delete", "pk"): make_assessment_evidence,
    ("assessments:review_evidence", "pk"): make_assessment_evidence,
    ("assessments:template_detail", "pk"): make_indicator_template,
    ("assessments:template_edit", "pk"): make_indicator_template,
    ("api-v1:assessment_cycle_detail", "cycle_id"): make_assessment_cycle,
    ("api-v1:assessment_subject_detail", "subject_id"): make_assessment_subject,
    ("api-v1:assessment_review_detail", "subject_id"): make_assessment_subject,
}


def missing_maker_message(url_name: str, route: str, namespace: str, kwarg: str) -> str:
    return (
        f"The URL {url_name!r} ({route}) takes the argument {kwarg!r}, but the permission matrix does not know "
        f"how to create an object for it. Add an entry ({namespace!r}, {kwarg!r}) (or ({url_name!r}, {kwarg!r}) "
        "when the argument means another object on this URL alone) to MAKERS in "
        "src/educio/testing/makers.py: a function that creates the object inside ctx.org and returns "
        "Made(value_for_the_url, text_shown_on_its_page)."
    )
