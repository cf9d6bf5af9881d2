"""Trainings and enrolments for the permission matrix (registered in ``educio.testing.makers``)."""

from __future__ import annotations

from typing import Any

from educio.appointments.tests.factories import make_person
from educio.training.models import TrainingResult
from educio.training.tests.factories import attended, make_event


def make_training_event(ctx: Any) -> Any:
    """A finished training of ctx.org giving certificates (so every tool of its page applies)."""
    from educio.testing.makers import Made

    event = make_event(
        ctx.org, f"{ctx.label}培训", issues_certificate=True, certificate_kind="cio_training", created_by=ctx.owner
    )
    return Made(event.pk, event.title)


def make_training_enrollment(ctx: Any) -> Any:
    from educio.testing.makers import Made

    event = make_event(ctx.org, f"{ctx.label}报名培训", created_by=ctx.owner)
    enrollment = attended(event, make_person(ctx.org, f"{ctx.label}学员"), TrainingResult.PASSED)
    return Made(enrollment.pk, enrollment.person.name)
