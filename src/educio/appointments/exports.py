"""The official documents of the appointment lifecycle: 推荐表 (.docx), 聘任通知 (.docx) and 汇总表 (.xlsx).

The two Word documents are printed from templates a bureau may replace with
its own (``documents.DocumentTemplate``); the defaults are in
``doc_templates/`` and the keys of their context are listed in
``doc_templates/README.md``. The summary sheet is an official sheet the
bureau files itself, so it is not masked; callers record the export.

``apps.AppointmentsConfig.ready`` imports this module, which registers the
default templates, their sample contexts and the ``nomination_summary``
background export.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from os.path import commonprefix
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Min, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.appointments.models import Appointment, Nomination, NominationStatus
from educio.documents import docx
from educio.documents.jobs import Progress, register
from educio.documents.models import ExportJob, TemplateKind
from educio.documents.selectors import template_for
from educio.documents.xlsx import Column, build_workbook
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.workflow.models import DECIDED_STEP_STATES, ReviewStep, StepState

TEMPLATES_DIR = Path(__file__).resolve().parent / "doc_templates"
JIAOZUO = "jiaozuo-2022"
PHOTO_BOX_MM = (25.0, 35.0)  # a 1-inch ID photo (一寸照片)
MIN_HONOUR_ROWS = 3  # the paper form leaves blank lines to write in
SEAL_MARK = "(盖章)"
BLANK_DATE = "年　月　日"

SUMMARY_CHUNK = 1000
PROGRESS_EVERY = 500
SUMMARY_JOB = "nomination_summary"


# --- values as printed -------------------------------------------------------------------------


def long_date(value: date | datetime | None) -> str:
    """2022年9月1日, as official documents write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return f"{value.year}年{value.month}月{value.day}日"


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date.fromisoformat(f"{text[:7]}-01")
    except ValueError:
        return None


def shown(value: Any, field_type: str, *, long: bool = False) -> str:
    """A stored value (ISO text from the form, or a person attribute) the way the paper form shows it."""
    if value in (None, ""):
        return ""
    if field_type in ("date", "month"):
        day = _as_date(value)
        if day is None:
            return docx.text(value)
        if field_type == "month":
            return f"{day.year}年{day.month}月" if long else f"{day.year}.{day.month:02d}"
        return long_date(day) if long else f"{day.year}.{day.month:02d}.{day.day:02d}"
    return docx.text(value, multiline=field_type == "textarea")


def field_value(field: dict[str, Any], nomination: Nomination) -> Any:
    """The form's value of ``field``; when the form left it empty, the person record's (``maps_to``)."""
    value = (nomination.data or {}).get(field["id"])
    if value not in (None, ""):
        return value
    attribute = field.get("maps_to")
    if attribute == "unit_name":
        return nomination.organization.name
    if attribute:
        return getattr(nomination.person, attribute, "") or ""
    return ""


def pack_id_of(pack_ref: str) -> str:
    """``jiaozuo-2022@1`` -> ``jiaozuo-2022``."""
    return (pack_ref or "").split("@", 1)[0]


# --- the 推荐表 --------------------------------------------------------------------------------


def latest_steps(nomination: Nomination) -> list[ReviewStep]:
    """The steps of the review's latest round: prefetched by the summary sheet, else one query."""
    process = nomination.process
    if process is None or process.round == 0:
        return []
    prefetched = getattr(process, "latest_steps", None)
    if prefetched is not None:
        return list(prefetched)
    steps = ReviewStep.objects.filter(process=process, round=process.round).select_related("decided_by")
    return list(steps.order_by("index"))


def _chain_seal(nomination: Nomination, step_id: str) -> bool:
    """Whether the chain asks for a seal at ``step_id`` (for boxes not reached yet)."""
    process = nomination.process
    steps = (process.chain_snapshot or {}).get("steps", []) if process is not None else []
    return any(s.get("id") == step_id and s.get("seal") for s in steps)


def opinion_boxes(nomination: Nomination, form: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's signed boxes, each filled from the step of the latest round it names.

    A decided step prints its opinion (or its decision when it wrote none),
    "(盖章)" when the seal was recorded, and the date; a box not decided yet
    prints what the paper form prints: the seal mark and a blank date.
    """
    process = nomination.process
    chain_id = process.chain_id if process is not None else ""
    steps = {s.step_id: s for s in latest_steps(nomination)}
    boxes = []
    for block in form.get("opinions") or []:
        step = steps.get(block.get("step", "")) if block.get("chain") == chain_id else None
        decided = step is not None and step.state in DECIDED_STEP_STATES
        if step is not None and decided:
            decision = step.get_state_display()
            opinion = docx.text(step.opinion, multiline=True) or decision
            if step.state != StepState.APPROVED and step.opinion:
                opinion = f"{decision}:{opinion}"
            boxes.append(
                {
                    "label": block.get("label", ""),
                    "step_name": step.name,
                    "decided": True,
                    "decision": decision,
                    "opinion": opinion,
                    "sealed": step.seal_recorded,
                    "seal_text": SEAL_MARK if step.seal_recorded else "",
                    "date_text": long_date(step.decided_at),
                    "decided_by": docx.text(step.decided_by) if step.decided_by_id else "",
                }
            )
            continue
        needs_seal = step.seal_required if step is not None else _chain_seal(nomination, block.get("step", ""))
        boxes.append(
            {
                "label": block.get("label", ""),
                "step_name": step.name if step is not None else "",
                "decided": False,
                "decision": "",
                "opinion": "",
                "sealed": False,
                "seal_text": SEAL_MARK if needs_seal else "",
                "date_text": BLANK_DATE,
                "decided_by": "",
            }
        )
    return boxes


def _photo(nomination: Nomination, form: dict[str, Any]) -> docx.Image | str:
    if not form.get("photo") or not nomination.photo:
        return ""
    try:
        with nomination.photo.open("rb") as handle:
            data = handle.read()
    except OSError:  # the file is gone from storage: print the empty box rather than fail the form
        return ""
    return docx.image_or_empty(data, *PHOTO_BOX_MM)


def _honours(nomination: Nomination, form: dict[str, Any]) -> tuple[list[dict[str, str]], dict[str, Any] | None]:
    table = form.get("honours")
    if not table:
        return [], None
    columns = table.get("columns") or []
    rows = [
        {c["id"]: shown(row.get(c["id"]), c.get("type", "text")) for c in columns}
        for row in nomination.honours or []
        if isinstance(row, dict)
    ]
    padded = rows + [dict.fromkeys((c["id"] for c in columns), "") for _ in range(MIN_HONOUR_ROWS - len(rows))]
    as_table = {
        "label": table.get("label", ""),
        "columns": [c.get("label", "") for c in columns],
        "rows": [[r[c["id"]] for c in columns] for r in padded],
    }
    return padded, as_table


def _pairs(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    blank = {"id": "", "label": "", "value": ""}
    return [[rows[i], rows[i + 1] if i + 1 < len(rows) else blank] for i in range(0, len(rows), 2)]


def nomination_context(nomination: Nomination) -> dict[str, Any]:
    """What a 推荐表 template prints (keys documented in doc_templates/README.md)."""
    form = nomination.form_snapshot or {}
    fields = form.get("fields") or []
    rows = []
    for field in fields:
        raw = field_value(field, nomination)
        kind = field.get("type", "text")
        rows.append(
            {
                "id": field["id"],
                "label": field.get("label", ""),
                "type": kind,
                "value": shown(raw, kind),
                "value_long": shown(raw, kind, long=True),
                "long": kind == "textarea",
            }
        )
    by_id = {r["id"]: r for r in rows}
    honour_rows, honours = _honours(nomination, form)
    confirmation = form.get("confirmation")
    photo_spec = form.get("photo") or {}
    # A field with id filled_on is the 填表日期 line above the table, not a cell of it.
    filled_on = by_id["filled_on"]["value_long"] if "filled_on" in by_id else ""
    boxes = [r for r in rows if r["id"] != "filled_on"]
    return {
        "title": docx.text(form.get("title", "")),
        "filled_on": filled_on,
        "unit": docx.text(nomination.organization.name),
        "post_name": docx.text(nomination.post_name),
        "kind": nomination.get_kind_display(),
        "pack_ref": nomination.pack_ref,
        "value": {r["id"]: r["value"] for r in rows},
        "value_long": {r["id"]: r["value_long"] for r in rows},
        "rows": rows,
        "pairs": _pairs([r for r in boxes if not r["long"]]),
        "long_rows": [r for r in boxes if r["long"]],
        "honours": honours,
        "honour_rows": honour_rows,
        "tables": [honours] if honours else [],
        "photo": _photo(nomination, form),
        "photo_label": docx.text(photo_spec.get("label", "")),
        "photo_box": docx.text(photo_spec.get("label", "")),
        "confirmation": {
            "text": docx.text(confirmation.get("text", "")),
            "name": docx.text(nomination.confirmer_name),
            "date": long_date(nomination.confirmed_at),
        }
        if confirmation
        else None,
        "opinions": opinion_boxes(nomination, form),
        "print_note": docx.text(form.get("print_note") or ""),
    }


def nomination_docx(nomination: Nomination) -> bytes:
    """The 推荐表 printed with the template in force at the nomination's unit for its pack."""
    chosen = template_for(nomination.organization, TemplateKind.NOMINATION_FORM, pack_id_of(nomination.pack_ref))
    return chosen.render(nomination_context(nomination))


# --- the 聘任通知 ------------------------------------------------------------------------------


def term_text(appointment: Appointment) -> str:
    start = f"{appointment.starts_on.year}.{appointment.starts_on.month:02d}"
    if appointment.ends_on is None:
        return _("%(start)s起") % {"start": start}
    return f"{start}—{appointment.ends_on.year}.{appointment.ends_on.month:02d}"


def notice_title(appointments: Sequence[Appointment]) -> str:
    first = appointments[0]
    if len(appointments) == 1:
        return _("关于聘任%(name)s同志为%(post)s的通知") % {"name": first.person.name, "post": first.post_name}
    return _("关于聘任%(name)s等同志为%(post)s的通知") % {"name": first.person.name, "post": first.post_name}


def notice_body(appointments: Sequence[Appointment]) -> str:
    first = appointments[0]
    if len(appointments) == 1:
        return _("经研究,决定聘任%(name)s同志为%(unit)s%(post)s。") % {
            "name": first.person.name,
            "unit": first.organization.name,
            "post": first.post_name,
        }
    return _("经研究,决定聘任%(name)s等%(n)d名同志为所在单位%(post)s。名单如下:") % {
        "name": first.person.name,
        "n": len(appointments),
        "post": first.post_name,
    }


def _common_unit(appointments: Sequence[Appointment]) -> Organization:
    """The deepest unit above all the appointed units (its templates apply to all of them)."""
    paths = [a.organization.path for a in appointments]
    prefix = commonprefix(paths)  # noqa: RUF071 - a character prefix of materialised paths, not file paths
    prefix = prefix[: len(prefix) - len(prefix) % Organization.steplen]
    if prefix == paths[0]:
        return appointments[0].organization
    return Organization.objects.filter(path=prefix).first() or appointments[0].organization


def notice_context(
    appointments: Sequence[Appointment],
    *,
    issuer_name: str,
    doc_number: str,
    doc_date: date,
    title: str,
    addressee: str = "",
    body: str = "",
) -> dict[str, Any]:
    """What a 聘任通知 template prints (keys documented in doc_templates/README.md)."""
    return {
        "issuer_name": docx.text(issuer_name),
        "doc_number": docx.text(doc_number),
        "doc_date": long_date(doc_date),
        "title": docx.text(title),
        "addressee": docx.text(addressee or _("各有关单位")),
        "body": docx.text(body or notice_body(appointments), multiline=True),
        "appointments": [
            {
                "number": index,
                "unit": docx.text(a.organization.name),
                "name": docx.text(a.person.name),
                "post": docx.text(a.post_name),
                "term": term_text(a),
                "starts_on": long_date(a.starts_on),
                "ends_on": long_date(a.ends_on),
                "doc_number": docx.text(a.doc_number),
            }
            for index, a in enumerate(appointments, start=1)
        ],
    }


def appointment_notice_docx(
    appointments: Iterable[Appointment],
    *,
    issuer_name: str,
    doc_number: str,
    doc_date: date,
    title: str = "",
    addressee: str = "",
    body: str = "",
    organization: Organization | None = None,
) -> bytes:
    """聘任通知 listing ``appointments``, printed with the template in force at ``organization``.

    ``organization`` defaults to the deepest unit above every appointed unit.
    """
    rows = list(appointments)
    if not rows:
        raise ValidationError(_("没有可列入聘任通知的任命。"))
    unit = organization or _common_unit(rows)
    chosen = template_for(unit, TemplateKind.APPOINTMENT_NOTICE, pack_id_of(rows[0].pack_ref))
    context = notice_context(
        rows,
        issuer_name=issuer_name,
        doc_number=doc_number,
        doc_date=doc_date,
        title=title or notice_title(rows),
        addressee=addressee,
        body=body,
    )
    return chosen.render(context)


# --- the 汇总表 --------------------------------------------------------------------------------

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


# --- the background export ---------------------------------------------------------------------


def summary_title(organization: Organization) -> str:
    """The sheet's title as the unit's pack prints it (焦作市首席教育信息官汇总表), else a plain one."""
    from educio.policies.selectors import effective_pack

    pack = effective_pack(organization)
    form = pack.spec.nomination_form if pack else None
    if form is not None and form.summary_sheet is not None:
        return form.summary_sheet.title
    return _("首席信息官推荐汇总表")


def nomination_summary_queryset(job: ExportJob) -> QuerySet[Nomination]:
    """The requester's nominations in the job's subtree, scoped again now and narrowed by the list's filters."""
    from educio.appointments.filters import NominationFilterSet
    from educio.appointments.selectors import nomination_list

    user, root = job.requested_by, job.organization
    if not covers(user, Perm.APPOINTMENT_EXPORT, root):
        raise PermissionDenied(_("您已无权导出“%(org)s”的汇总表。") % {"org": root.name})
    queryset = nomination_list(user=user, perm=Perm.APPOINTMENT_EXPORT).filter(organization__path__startswith=root.path)
    filters = NominationFilterSet((job.params or {}).get("filters") or {}, queryset=queryset)
    return filters.qs if filters.is_valid() else queryset


@register(SUMMARY_JOB, label=gettext_lazy("首席信息官推荐汇总表"))
def build_nomination_summary(job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    title = (job.params or {}).get("title") or summary_title(job.organization)
    content = summary_workbook(nomination_summary_queryset(job), title=title, progress=progress)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return f"{title}-{stamp}.xlsx", content


def nomination_summary_start(
    *, actor: Any, filters: dict[str, Any], organization: Organization | None = None, title: str = ""
) -> ExportJob:
    """Queue the 汇总表 of ``organization``'s subtree (default: the actor's top unit) with the list's filters."""
    from educio.documents.services import export_job_start
    from educio.orgs.selectors import org_scope_roots

    if organization is None:
        roots = org_scope_roots(user=actor, perm=Perm.APPOINTMENT_EXPORT)
        if not roots:
            raise PermissionDenied(_("您没有导出汇总表的权限。"))
        organization = roots[0]
    elif not covers(actor, Perm.APPOINTMENT_EXPORT, organization):
        raise PermissionDenied(_("您无权导出“%(org)s”的汇总表。") % {"org": organization.name})
    title = title or summary_title(organization)
    params = {"filters": {k: str(v) for k, v in filters.items()}, "title": title}
    return export_job_start(
        actor=actor,
        kind=SUMMARY_JOB,
        params=params,
        organization=organization,
        title=f"{title} · {organization.name}",
    )


# --- defaults and samples for the template pages -----------------------------------------------


@functools.cache
def _sample_form() -> dict[str, Any]:
    from educio.policies.loader import parse_pack_file
    from educio.policies.services import PACKS_DIR

    form = parse_pack_file(PACKS_DIR / f"{JIAOZUO}.yaml").pack.nomination_form
    assert form is not None
    return form.model_dump(mode="json")


def _sample_nomination() -> Nomination:
    """A filled 焦作 推荐表 that is never saved (no query is made to print it)."""
    unit = Organization(name="示例实验小学", path="0001")
    person = Person(organization=unit, name="张明华", gender="男", birth_date=date(1978, 5, 12))
    data = {
        "filled_on": "2022-09-01",
        "education": "大学本科",
        "ethnicity": "汉族",
        "teaching_years": "24",
        "admin_position": "校长",
        "professional_title": "中小学高级教师",
        "mobile": "13900000000",
        "address": "示例市示例区示例路1号",
        "work_record": "主持学校信息化工作。\n推动智慧校园建设。",
    }
    honours = [{"title": "优秀教师", "awarded_on": "2019-09", "granted_by": "示例市教育局", "note": ""}]
    return Nomination(
        organization=unit,
        person=person,
        post_name="首席教育信息官",
        pack_ref=f"{JIAOZUO}@1",
        form_snapshot=_sample_form(),
        data=data,
        honours=honours,
        confirmer_name="张明华",
        confirmed_at=timezone.make_aware(datetime(2022, 9, 1, 9)),
    )


def _sample_nomination_context() -> dict[str, Any]:
    """The context of a real 推荐表, with a photo and the first opinion box decided."""
    context = nomination_context(_sample_nomination())
    context["photo"] = docx.Image(docx.placeholder_png(), *PHOTO_BOX_MM)
    first = context["opinions"][0]
    first.update(decided=True, decision="同意", opinion="同意推荐。", sealed=True, date_text="2022年9月5日")
    first.update(seal_text=SEAL_MARK, decided_by="王校长")
    return context


def _sample_notice_context() -> dict[str, Any]:
    unit = Organization(name="示例实验小学", path="0001")
    appointments = [
        Appointment(
            organization=unit,
            person=Person(organization=unit, name=name, gender="男"),
            post_name="首席教育信息官",
            doc_number="示教文〔2022〕1号",
            starts_on=date(2022, 10, 1),
            ends_on=date(2025, 9, 30),
        )
        for name in ("张明华", "李红")
    ]
    return notice_context(
        appointments,
        issuer_name="示例市教育局",
        doc_number="示教文〔2022〕1号",
        doc_date=date(2022, 10, 1),
        title=notice_title(appointments),
    )


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    TemplateKind.NOMINATION_FORM: _sample_nomination_context,
    TemplateKind.APPOINTMENT_NOTICE: _sample_notice_context,
}
for _kind, _build in SAMPLES.items():
    docx.register_sample(_kind, _build)
docx.register_default(
    kind=TemplateKind.NOMINATION_FORM,
    pack_id=JIAOZUO,
    path=TEMPLATES_DIR / f"nomination_form-{JIAOZUO}.docx",
    label=gettext_lazy("焦作市首席教育信息官推荐表(焦教文〔2022〕60号附件1)"),
)
docx.register_default(
    kind=TemplateKind.NOMINATION_FORM,
    path=TEMPLATES_DIR / "nomination_form.docx",
    label=gettext_lazy("推荐表(通用,按制度包的推荐表式样逐项排列)"),
)
docx.register_default(
    kind=TemplateKind.APPOINTMENT_NOTICE, path=TEMPLATES_DIR / "appointment_notice.docx", label=gettext_lazy("聘任通知")
)
