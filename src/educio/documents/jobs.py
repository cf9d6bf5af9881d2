"""The kinds of background export, each with the function that builds its file.

An app registers its kinds when it is ready (``apps.ready`` imports the module
holding the ``@register`` calls), so the web process and the task worker know
the same kinds::

    @register("nomination_summary", label="首席信息官推荐汇总表")
    def build(job: ExportJob, progress: Progress) -> tuple[str, bytes]: ...

The builder re-applies the requester's scope itself (the job stores only ids
and filters) and reports ``progress(done, total)`` now and then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from educio.documents.models import ExportJob

Progress = Callable[[int, int], None]
Builder = Callable[["ExportJob", Progress], tuple[str, bytes]]


@dataclass(frozen=True)
class JobKind:
    kind: str
    label: StrOrPromise
    builder: Builder


_KINDS: dict[str, JobKind] = {}


def register(kind: str, *, label: StrOrPromise = "") -> Callable[[Builder], Builder]:
    """Register ``builder`` for ``kind``; registering the same kind twice with another builder is a bug."""

    def decorate(builder: Builder) -> Builder:
        known = _KINDS.get(kind)
        if known is not None and known.builder is not builder:
            raise ValueError(f"export kind {kind!r} is already registered by {known.builder.__qualname__}")
        _KINDS[kind] = JobKind(kind=kind, label=label or kind, builder=builder)
        return builder

    return decorate


def job_kind(kind: str) -> JobKind | None:
    return _KINDS.get(kind)
