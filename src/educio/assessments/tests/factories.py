"""Rows for assessment tests, written directly (no services): cycles with the pack's indicators, subjects, reviewers.

Each helper fills exactly what the model's constraints ask for, so a test (or
the permission matrix, or a query-count test) can build "an open cycle with a
self-assessed subject assigned to this expert" in a few lines.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from educio.appointments.tests.factories import seed_pack
from educio.assessments import indicators, services
from educio.assessments.models import (
    AssessmentCycle,
    AssessmentSubject,
    CycleStatus,
    IndicatorTemplate,
    ReviewerAssignment,
    Score,
    SelfAssessmentItem,
    SubjectStatus,
)
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import AssessmentCycle as PackCycle

JIAOZUO = "jiaozuo-2022"
CIO_CYCLE = "cio_annual_evaluation"  # 焦作 首席信息官年度测评: six first-level indicators, pass 60
SCHOOL_CYCLE = "school_biennial_assessment"


def pack_cycle(pack_id: str = JIAOZUO, cycle_id: str = CIO_CYCLE) -> tuple[LoadedPack, PackCycle]:
    pack = LoadedPack.from_row(seed_pack(pack_id))
    spec = services.pack_cycle(pack, cycle_id)
    assert spec is not None, cycle_id
    return pack, spec


def make_cycle(
    organization: Organization,
    *,
    creator: Any,
    name: str = "测试年度首席信息官年度测评",
    pack_id: str = JIAOZUO,
    cycle_id: str = CIO_CYCLE,
    status: str = CycleStatus.OPEN,
    year: int | None = None,
    self_deadline: date | None = None,
) -> AssessmentCycle:
    """A cycle of the pack's ``cycle_id`` with its indicators frozen in, in ``status``."""
    pack, spec = pack_cycle(pack_id, cycle_id)
    today = timezone.localdate()
    year = year or today.year
    deadline = self_deadline or today + timedelta(days=30)
    return AssessmentCycle.objects.create(
        organization=organization,
        pack_version_id=pack.pk,
        pack_id=pack.pack_id,
        pack_ref=str(pack),
        cycle_id=spec.id,
        kind_label=spec.name,
        name=name,
        subject_kind=spec.subject.value,
        subject_kinds=[k.value for k in spec.subject_kinds],
        posts=list(spec.posts),
        year=year,
        period_label=services.period_label(spec, year),
        indicators=indicators.from_pack(spec),
        pass_threshold=Decimal(str(spec.pass_threshold)) if spec.pass_threshold is not None else None,
        grades=indicators.grades_from_pack(spec),
        on_fail=services.on_fail_rule(pack, spec),
        self_deadline=deadline,
        review_deadline=max(deadline, today) + timedelta(days=30),
        status=status,
        opened_at=timezone.now() if status != CycleStatus.DRAFT else None,
        created_by=creator,
    )


def make_subject(
    cycle: AssessmentCycle,
    unit: Organization,
    *,
    person: Person | None = None,
    status: str = SubjectStatus.NOT_STARTED,
) -> AssessmentSubject:
    return AssessmentSubject.objects.create(cycle=cycle, organization=unit, person=person, status=status)


def self_assess(subject: AssessmentSubject, actor: Any, text: str = "已按要求完成。") -> AssessmentSubject:
    """Every leaf written and the self-assessment submitted (rows only)."""
    SelfAssessmentItem.objects.bulk_create(
        SelfAssessmentItem(subject=subject, indicator_id=leaf.id, text=text, updated_by=actor)
        for leaf in indicators.leaves(subject.cycle.indicators)
    )
    subject.status = SubjectStatus.SELF_ASSESSED
    subject.self_submitted_at = timezone.now()
    subject.self_submitted_by = actor
    subject.save()
    return subject


def assign(subject: AssessmentSubject, reviewer: Any, by: Any) -> ReviewerAssignment:
    return ReviewerAssignment.objects.create(cycle=subject.cycle, subject=subject, reviewer=reviewer, assigned_by=by)


def give_scores(subject: AssessmentSubject, reviewer: Any, share: Decimal) -> None:
    """``reviewer`` scores every leaf at ``share`` of its maximum (rows only)."""
    Score.objects.bulk_create(
        Score(
            subject=subject,
            indicator_id=leaf.id,
            reviewer=reviewer,
            score=(leaf.weight * share).quantize(Decimal("0.01")),
        )
        for leaf in indicators.leaves(subject.cycle.indicators)
    )


def make_template(organization: Organization, *, creator: Any, name: str = "测试指标模板") -> IndicatorTemplate:
    pack, spec = pack_cycle()
    return IndicatorTemplate.objects.create(
        organization=organization,
        pack_version_id=pack.pk,
        pack_id=pack.pack_id,
        pack_ref=str(pack),
        cycle_id=spec.id,
        name=name,
        version=services.next_version(organization, pack.pack_id, spec.id),
        indicators=indicators.from_pack(spec),
        pass_threshold=Decimal(60),
        grades=indicators.grades_from_pack(spec),
        created_by=creator,
    )
