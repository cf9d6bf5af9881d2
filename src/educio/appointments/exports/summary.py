"""The 汇总表 (.xlsx): its columns, the query behind it and its rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import F, Min, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from educio.appointments.exports.values import _as_date, field_value, latest_steps, shown
from educio.appointments.models import Nomination, NominationStatus
from educio.documents import docx
from educio.documents.jobs import Progress
from educio.documents.xlsx import Column, build_workbook
from educio.workflow.models import DECIDED_STEP_STATES, ReviewStep, StepState

SUMMARY_CHUNK = 1000
PROGRESS_EVERY = 500


SUMMARY_COLUMNS = [
    Column(gettext_lazy("序号"), 6),
    Column(gettext_lazy("单位"), 30),
    Column(gettext_lazy("姓名"), 10),
    Column(gettext_lazy("性别"), 6),
    Column(gettext_lazy("出生年月"), 10),
    Column(gettext_lazy("学历"), 10),
    Column(gettext_lazy("现任职务"), 16),
    Column(gettext_lazy("专业技术职务"), 16),
    Column(gettext_lazy("联系电话"), 15),
    Column(gettext_lazy("状态"), 14),
    Column(gettext_lazy("各级意见"), 60),
    Column(gettext_lazy("报送时间"), 17),
]


# The columns a row prints (and nothing else: a summary of a province builds 100,000 model instances).
SUMMARY_ONLY = (
    "data",
    "pack_version_id",
    "organization__name",
    "organization__path",
    "person__name",
    "person__gender",
    "person__birth_date",
    "person__education",
    "person__admin_position",
    "person__professional_title",
    "person__phone",
    "process__state",
    "process__round",
    "process__submitted_at",
    "appointment__id",
)


def for_summary(queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """The rows and everything a row prints, in a fixed number of queries per chunk of rows."""
    latest_round = (
        ReviewStep.objects.filter(round=F("process__round"))
        .only("process_id", "round", "index", "name", "state", "opinion")
        .order_by("index")
    )
    queryset = (
        queryset.select_related("organization", "person", "process", "appointment")
        .only(*SUMMARY_ONLY)
        .prefetch_related(Prefetch("process__steps", queryset=latest_round, to_attr="latest_steps"))
    )
    # A caller's explicit ordering (the list page's sort) is kept; otherwise the sheet follows the tree.
    return queryset if queryset.query.order_by else queryset.order_by("organization__path", "pk")


def fields_by_attribute(queryset: QuerySet[Nomination]) -> dict[int, dict[str, dict[str, Any]]]:
    """Per pack version, the form's fields by the person attribute they fill (one query).

    A nomination's form is its pack version's form, copied when it started, so
    one snapshot per version stands for all the rows of that version.
    """
    firsts = queryset.order_by().values("pack_version_id").annotate(first=Min("pk")).values("first")
    snapshots = Nomination.objects.filter(pk__in=firsts).values_list("pack_version_id", "form_snapshot")
    return {
        version: {f["maps_to"]: f for f in (snapshot or {}).get("fields") or [] if f.get("maps_to")}
        for version, snapshot in snapshots
    }


class SummarySheet:
    """Rows of the 汇总表; labels are translated once per sheet, not once per cell."""

    def __init__(self, queryset: QuerySet[Nomination]) -> None:
        self.queryset = for_summary(queryset)
        self.step_labels = {state.value: str(state.label) for state in StepState}
        self.status_labels = {status.value: str(status.label) for status in NominationStatus}

    def status(self, nomination: Nomination) -> str:
        if getattr(nomination, "appointment", None) is not None:
            return self.status_labels[NominationStatus.APPOINTED]
        state = nomination.process.state if nomination.process is not None else NominationStatus.DRAFT
        return self.status_labels.get(state, state)

    def opinions(self, nomination: Nomination) -> str:
        """Each decided step of the latest round: "<step>:<decision> <opinion>"."""
        return ";".join(
            f"{step.name}:{self.step_labels[step.state]} {docx.text(step.opinion)}".strip()
            for step in latest_steps(nomination)
            if step.state in DECIDED_STEP_STATES
        )

    def row(self, number: int, nomination: Nomination, fields: dict[str, dict[str, Any]]) -> list[Any]:
        def raw(attribute: str) -> Any:
            field = fields.get(attribute)
            return field_value(field, nomination) if field else getattr(nomination.person, attribute, "")

        def value(attribute: str) -> str:
            return shown(raw(attribute), (fields.get(attribute) or {}).get("type", "text"))

        birth = _as_date(raw("birth_date"))
        process = nomination.process
        submitted = process.submitted_at if process is not None else None
        return [
            number,
            nomination.organization.name,
            value("name"),
            value("gender"),
            f"{birth.year}.{birth.month:02d}" if birth else "",
            value("education"),
            value("admin_position"),
            value("professional_title"),
            value("phone"),
            self.status(nomination),
            self.opinions(nomination),
            timezone.localtime(submitted).strftime("%Y-%m-%d %H:%M") if submitted else "",
        ]

    def rows(self, progress: Progress | None = None) -> Iterator[list[Any]]:
        total = self.queryset.count()
        if progress:
            progress(0, total)
        forms = fields_by_attribute(self.queryset)
        number = 0
        for number, nomination in enumerate(self.queryset.iterator(chunk_size=SUMMARY_CHUNK), start=1):
            yield self.row(number, nomination, forms.get(nomination.pack_version_id, {}))
            if progress and number % PROGRESS_EVERY == 0:
                progress(number, total)
        if progress and number % PROGRESS_EVERY:
            progress(number, total)


def summary_workbook(
    nominations_queryset: QuerySet[Nomination], *, title: str, progress: Progress | None = None
) -> bytes:
    """汇总表: one row per nomination of the queryset (already scoped by the caller), unmasked."""
    rows = SummarySheet(nominations_queryset).rows(progress)
    return build_workbook(title=title, columns=SUMMARY_COLUMNS, rows=rows)
