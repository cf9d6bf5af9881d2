"""Demo assessments: 焦作's annual CIO evaluation under way, and its school assessment just opened.

Called by ``manage.py load_demo`` after the demo appointments. Idempotent: a
cycle already there for this year is left alone.

- 首席信息官年度测评 (this year): opened by jz_admin; about half the appointed
  CIOs have self-assessed; jz_reviewer has scored and the bureau confirmed part of
  them (results vary around the pass line, nothing published yet); jz_expert is
  assigned a few self-assessed schools still to score (its 我的评审任务);
- 学校信息化工作考核 (biennial, unit): opened, nothing filled, so the demo school's
  head and CIO (解放区实验小学, which has no CIO appointed yet) can walk the
  self-assessment from the start.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from educio.accounts.models import User
from educio.assessments import indicators, services
from educio.assessments.models import AssessmentCycle, AssessmentSubject, SelfAssessmentItem, SubjectStatus
from educio.audit.services import audited
from educio.orgs.demo_data import JURISDICTIONS
from educio.orgs.models import Organization

EXPERT_TASKS = 3
SAMPLE_TEXT = "本年度围绕“{name}”开展了工作,相关制度、记录和成果材料齐全,详见佐证材料。"


def _account(username: str, fallback: Any) -> Any:
    return User.objects.filter(username=username).first() or fallback


def _jiaozuo_root() -> Organization | None:
    root = next((j.root for j in JURISDICTIONS if j.prefix == "jz"), None)
    return Organization.objects.filter(depth=1, name=root.name).first() if root else None


def _open(admin: Any, root: Organization, cycle_id: str, days: int) -> AssessmentCycle | None:
    year = timezone.localdate().year
    if AssessmentCycle.objects.filter(organization=root, cycle_id=cycle_id, year=year).exists():
        return None
    today = timezone.localdate()
    cycle = services.cycle_create(
        actor=admin,
        organization=root,
        cycle_id=cycle_id,
        year=year,
        self_deadline=today + timedelta(days=days),
        review_deadline=today + timedelta(days=days + 21),
    )
    services.cycle_open(actor=admin, cycle=cycle)
    return AssessmentCycle.objects.get(pk=cycle.pk)


def _self_assess(subjects: list[AssessmentSubject], writer: Any) -> None:
    """The units' own accounts (written directly: the demo has no account at most of these schools)."""
    for subject in subjects:
        SelfAssessmentItem.objects.bulk_create(
            SelfAssessmentItem(
                subject=subject, indicator_id=leaf.id, text=SAMPLE_TEXT.format(name=leaf.name), updated_by=writer
            )
            for leaf in indicators.leaves(subject.cycle.indicators)
        )
        subject.status = SubjectStatus.SELF_ASSESSED
        subject.self_submitted_at = timezone.now()
        subject.self_submitted_by = writer
        subject.save()


def _score(subject: AssessmentSubject, reviewer: Any, share: Decimal) -> None:
    comment = "材料基本齐全。" if share >= Decimal("0.6") else "部分材料不足,需补充。"
    values = {
        leaf.id: (str((leaf.weight * share).quantize(Decimal("0.1"))), comment)
        for leaf in indicators.leaves(subject.cycle.indicators)
    }
    services.scores_save(actor=reviewer, subject=subject, values=values)
    services.scores_submit(actor=reviewer, subject=subject)


def load_demo_assessments(actor: Any) -> int:
    """Open 焦作's two cycles and play part of the CIO evaluation; returns how many cycles were opened."""
    root = _jiaozuo_root()
    if root is None:
        return 0
    admin = _account("jz_admin", actor)
    reviewer = _account("jz_reviewer", actor)
    expert = _account("jz_expert", actor)
    opened = 0
    cio_cycle = _open(admin, root, "cio_annual_evaluation", days=21)
    if cio_cycle is not None:
        opened += 1
        subjects = list(
            AssessmentSubject.objects.filter(cycle=cio_cycle, status=SubjectStatus.NOT_STARTED)
            .select_related("cycle", "organization")
            .order_by("organization__path")
        )
        done = subjects[: len(subjects) // 2]
        with audited(actor):
            _self_assess(done, actor)
        for_expert, for_reviewer = done[:EXPERT_TASKS], done[EXPERT_TASKS:]
        services.reviewers_assign(actor=admin, cycle=cio_cycle, subject_ids=[s.pk for s in for_expert], reviewer=expert)
        services.reviewers_assign(
            actor=admin, cycle=cio_cycle, subject_ids=[s.pk for s in for_reviewer], reviewer=reviewer
        )
        for index, subject in enumerate(for_reviewer[: max(len(for_reviewer) * 2 // 3, 1)]):
            _score(subject, reviewer, Decimal("0.52") + Decimal("0.09") * (index % 5))
    if _open(admin, root, "school_biennial_assessment", days=30) is not None:
        opened += 1
    return opened
