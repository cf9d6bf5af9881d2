"""Review objects for the project-wide permission-matrix test (registered in ``educio.testing.makers``).

The matrix gives an organisation (``ctx.org``) and an owner; the process made
here is submitted by that owner for that organisation, and its pending step is
decided at that organisation by the owner's own role. So the owner is both the
submitter and an eligible reviewer, and whatever the matrix expects of a role
(its permission inside, nothing outside) is what the pages answer. Written
with the ORM because the owner may hold a role (security or audit
administrator) that may not start a review through the services.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess, ReviewStep, StepState
from educio.workflow.spec import ActingLevel, ChainSpec, StepActor, StepSpec


def _process(ctx: Any) -> tuple[ReviewProcess, ReviewStep]:
    role = ctx.owner.role_assignments.values_list("role", flat=True).first()
    chain = ChainSpec(
        id="matrix",
        name="矩阵测试审核",
        steps=(StepSpec(id="own", name="本单位审核", actor=StepActor(level=ActingLevel.SELF, role=role)),),
    )
    now = timezone.now()
    process = ReviewProcess.objects.create(
        kind=ProcessKind.GENERAL,
        title=f"{ctx.label}审核事项",
        organization=ctx.org,
        chain_id=chain.id,
        chain_name=chain.name,
        chain_snapshot=chain.model_dump(mode="json"),
        state=ProcessState.IN_REVIEW,
        round=1,
        created_by=ctx.owner,
        submitted_by=ctx.owner,
        submitted_at=now,
        last_submitted_at=now,
    )
    step = ReviewStep.objects.create(
        process=process,
        round=1,
        index=0,
        step_id="own",
        name="本单位审核",
        acting_organization=ctx.org,
        level=ActingLevel.SELF,
        role=role,
        state=StepState.PENDING,
        activated_at=now,
    )
    return process, step


def make_review_process(ctx: Any) -> Any:
    from educio.testing.makers import Made

    process, _step = _process(ctx)
    return Made(process.pk, process.title)


def make_review_step(ctx: Any) -> Any:
    from educio.testing.makers import Made

    process, step = _process(ctx)
    return Made(step.pk, process.title)
