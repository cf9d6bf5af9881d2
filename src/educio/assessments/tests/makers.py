"""Assessment objects for the project-wide permission-matrix test (registered in ``educio.testing.makers``).

Each object lies under a bureau of its own below ``ctx.org`` (a bureau runs a
cycle once a year), written with the ORM. A subject is assigned to
``ctx.owner`` for scoring, so the review pages of a role that may score answer
it, and an expert sees it (and only it).
"""

from __future__ import annotations

from typing import Any, cast

from django.core.files.base import ContentFile

from educio.assessments.models import AssessmentCycle, AssessmentSubject, EvidenceFile, IndicatorTemplate
from educio.assessments.tests.factories import assign, make_cycle, make_subject, make_template, self_assess
from educio.orgs.models import BureauLevel, Organization
from educio.orgs.tests.factories import BureauFactory, SchoolFactory


def _bureau(ctx: Any) -> Organization:
    bureau = BureauFactory(parent=ctx.org, name=f"{ctx.label}考核局", bureau_level=BureauLevel.COUNTY)
    return Organization.objects.get(pk=cast(Organization, bureau).pk)


def cycle(ctx: Any) -> AssessmentCycle:
    return make_cycle(_bureau(ctx), creator=ctx.owner, name=f"{ctx.label}考核")


def subject(ctx: Any) -> AssessmentSubject:
    """A self-assessed school of an open cycle, assigned to ``ctx.owner``."""
    run = cycle(ctx)
    school = SchoolFactory(parent=run.organization, name=f"{ctx.label}学校")
    made = self_assess(make_subject(run, Organization.objects.get(pk=cast(Organization, school).pk)), ctx.owner)
    assign(made, ctx.owner, ctx.owner)
    return made


def evidence(ctx: Any) -> EvidenceFile:
    made = subject(ctx)
    return EvidenceFile.objects.create(
        subject=made,
        indicator_id=made.cycle.indicators[0]["id"],
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="evidence.pdf"),
        original_name=f"{ctx.label}材料.pdf",
        size=15,
        uploaded_by=ctx.owner,
    )


def template(ctx: Any) -> IndicatorTemplate:
    return make_template(_bureau(ctx), creator=ctx.owner, name=f"{ctx.label}指标模板")
