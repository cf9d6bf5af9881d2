"""Training pages: the list, a training with its enrolments, create/edit, attendance import, and compliance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, scope_paths
from educio.appointments import coverage
from educio.appointments.models import Appointment
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import XLSX_CONTENT_TYPE, Column, ImportReport, build_workbook
from educio.forms import add_service_errors
from educio.imports import ImportView
from educio.listing import TableView
from educio.orgs.models import Organization
from educio.orgs.selectors import org_get
from educio.people.selectors import person_list
from educio.training import compliance, imports, selectors, services
from educio.training.filters import ComplianceFilterSet, EventFilterSet, year_choices
from educio.training.forms import CancelForm, EventForm, IssueForm, RecordForm
from educio.training.models import Attendance, Enrollment, TrainingEvent, TrainingResult

VIEW = Perm.TRAINING_VIEW
MANAGE = Perm.TRAINING_MANAGE
ENROLMENTS_PER_PAGE = 100


def _detail(event: TrainingEvent, anchor: str = "enrollments") -> HttpResponse:
    return redirect(reverse("training:event_detail", kwargs={"pk": event.pk}) + f"#{anchor}")


def _refusal(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, _("未保存:") + ";".join(exc.messages))


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}-{stamp}.xlsx"
    return response


# --- the list --------------------------------------------------------------------------------------


class EventListView(TableView):
    """Trainings organised in the scope and above it; filters, sorting, export."""

    permission = VIEW
    export_permission = VIEW
    export_title = "培训列表"
    selector = staticmethod(selectors.event_list)
    filterset_class = EventFilterSet
    template_name = "training/event_list.html"
    sort_fields = {
        "starts": "starts_on",
        "title": "title",
        "organiser": "organiser__path",
        "level": "level",
        "hours": "hours",
        "enrolled": "enrolled_count",
    }
    default_sort = "-starts"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_create"] = bool(scope_paths(self.request.user, MANAGE))
        return context

    def export_columns(self) -> Sequence[Column]:
        headers = ["培训名称", "组织单位", "培训级别", "培训类别", "培训形式", "开始日期", "结束日期", "学时"]
        headers += ["培训方式", "培训地点", "颁发合格证", "报名人数", "参训人数", "状态"]
        return [Column(h, 28 if h in ("培训名称", "组织单位", "培训地点") else 12) for h in headers]

    def export_row(self, obj: TrainingEvent) -> Sequence[Any]:
        return [
            obj.title,
            obj.organiser.name,
            obj.get_level_display(),
            obj.get_kind_display(),
            _("集中培训") if obj.centralised else _("校本研修/线上自学"),
            obj.starts_on,
            obj.ends_on,
            obj.hours,
            obj.get_mode_display(),
            obj.place,
            _("是") if obj.issues_certificate else _("否"),
            getattr(obj, "enrolled_count", 0),
            getattr(obj, "attended_count", 0),
            _("已取消") if obj.is_cancelled else _("正常"),
        ]


# --- create and edit -------------------------------------------------------------------------------


class EventFormMixin(PermissionRequiredMixin):
    permission = MANAGE
    template_name = "training/event_form.html"
    request: HttpRequest

    def form(self, organiser: Organization, **kwargs: Any) -> EventForm:
        return EventForm(
            max_level=services.organiser_level(organiser),
            certificate_kinds=selectors.certificate_kinds_for(organiser),
            **kwargs,
        )

    def render_form(self, form: EventForm, status: int = 200, **context: Any) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, **context}, status=status)


class EventCreateView(EventFormMixin, View):
    """A new training; ``?org=`` picks the organising unit among those the user manages."""

    def organiser(self, choices: list[Organization]) -> Organization:
        org_id = self.request.GET.get("org", "")
        if org_id.isdigit():
            return org_get(user=self.request.user, pk=int(org_id), perm=MANAGE)
        if not choices:
            raise Http404
        return choices[0]

    def context(self) -> dict[str, Any]:
        choices = selectors.organiser_choices(user=self.request.user)
        organiser = self.organiser(choices)
        if all(c.pk != organiser.pk for c in choices):
            choices = sorted([*choices, organiser], key=lambda u: u.path)
        top = min((u.depth for u in choices), default=1)
        return {"organiser": organiser, "organisers": [(u, "　" * (u.depth - top)) for u in choices]}

    def get(self, request: HttpRequest) -> HttpResponse:
        context = self.context()
        return self.render_form(self.form(context["organiser"]), **context)

    def post(self, request: HttpRequest) -> HttpResponse:
        context = self.context()
        organiser = context["organiser"]
        form = self.form(organiser, data=request.POST)
        if form.is_valid():
            try:
                event = services.event_create(actor=request.user, organiser=organiser, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已创建培训“%(t)s”。") % {"t": event.title})
                return redirect(event)
        return self.render_form(form, status=400, **context)


class EventUpdateView(EventFormMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = selectors.managed_event_get(user=request.user, pk=pk)
        return self.render_form(self.form(event.organiser, instance=event), event=event, organiser=event.organiser)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = selectors.managed_event_get(user=request.user, pk=pk)
        form = self.form(event.organiser, data=request.POST, instance=TrainingEvent.objects.get(pk=event.pk))
        if form.is_valid():
            try:
                services.event_update(actor=request.user, event=event, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect(event)
        return self.render_form(form, status=400, event=event, organiser=event.organiser)


class EventCancelView(PermissionRequiredMixin, View):
    permission = MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = selectors.managed_event_get(user=request.user, pk=pk)
        form = CancelForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("请填写取消原因。"))
            services.event_cancel(actor=request.user, event=event, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("已取消该培训。"))
        return redirect(event)


# --- a training and its enrolments -----------------------------------------------------------------


def _may_enrol(user: Any, event: TrainingEvent) -> bool:
    """The user manages trainings somewhere in the organiser's subtree (its own unit or above it included)."""
    organiser = event.organiser.path
    return any(p.startswith(organiser) or organiser.startswith(p) for p in scope_paths(user, MANAGE))


class EventDetailView(PermissionRequiredMixin, TemplateView):
    """The training, its enrolments (the visible ones), and the organiser's tools."""

    permission = VIEW
    template_name = "training/event_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user, params = self.request.user, self.request.GET
        event = selectors.event_get(user=user, pk=kwargs["pk"])
        enrollments = selectors.enrollment_list(user=user, event=event)
        page = Paginator(enrollments, ENROLMENTS_PER_PAGE).get_page(params.get("page"))
        open_event = not event.is_cancelled
        can_manage = open_event and covers(user, MANAGE, event.organiser)
        can_enrol = open_event and _may_enrol(user, event)
        query, holders_only = params.get("q", ""), params.get("holders") == "1"
        today = timezone.localdate()
        counts = _certificate_counts(event) if can_manage else {"pending": 0, "certified": 0}
        return {
            **super().get_context_data(**kwargs),
            "event": event,
            "page_obj": page,
            "enrollments": page.object_list,
            "query_without_page": _without_page(self.request),
            "certificate_label": selectors.certificate_kinds_for(event.organiser).get(event.certificate_kind, ""),
            "sees_all": covers(user, VIEW, event.organiser),
            "can_manage": can_manage,
            "can_enrol": can_enrol,
            "candidates": selectors.enrol_candidates(user=user, event=event, query=query, holders_only=holders_only)
            if can_enrol
            else [],
            "q": query,
            "holders_only": holders_only,
            "pending_certificates": counts["pending"],
            "may_issue": can_manage and event.issues_certificate and event.ends_on <= today,
            "started": event.starts_on <= today,
            "attendance_choices": Attendance.choices,
            "result_choices": TrainingResult.choices,
            # A training that gave certificates cannot be cancelled (they are its record).
            "cancel_form": CancelForm() if can_manage and not counts["certified"] else None,
        }


def _without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return encoded + "&" if encoded else ""


def _certificate_counts(event: TrainingEvent) -> dict[str, int]:
    """Passed enrolments still waiting for a certificate, and those that have one (one query)."""
    return Enrollment.objects.filter(event=event).aggregate(
        pending=Count("pk", filter=Q(result=TrainingResult.PASSED, certificate__isnull=True)),
        certified=Count("pk", filter=Q(certificate__isnull=False)),
    )


class EnrolView(PermissionRequiredMixin, View):
    """POST the persons ticked on the detail page; all are enrolled, or none."""

    permission = MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = selectors.event_get(user=request.user, pk=pk, perm=MANAGE)
        ids = {int(v) for v in request.POST.getlist("persons") if v.isdigit()}
        persons = list(person_list(user=request.user, perm=MANAGE).filter(pk__in=ids))
        try:
            if len(persons) != len(ids):
                raise ValidationError(_("所选人员中有不在您管理范围内的人员。"))
            enrolled = services.enrol(actor=request.user, event=event, persons=persons)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("已报名 %(n)d 人。") % {"n": len(enrolled)})
        return _detail(event)


class EnrollmentRecordView(PermissionRequiredMixin, View):
    """POST one row's attendance, hours and result."""

    permission = MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrollment = selectors.enrollment_get(user=request.user, pk=pk)
        form = RecordForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.enrollment_record(actor=request.user, enrollment=enrollment, **form.cleaned_data)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("已登记%(name)s的考勤与结果。") % {"name": enrollment.person.name})
        return _detail(enrollment.event)


class EnrollmentRemoveView(PermissionRequiredMixin, View):
    permission = MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        enrollment = selectors.enrollment_get(user=request.user, pk=pk)
        try:
            services.enrollment_remove(actor=request.user, enrollment=enrollment)
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("已撤销%(name)s的报名。") % {"name": enrollment.person.name})
        return _detail(enrollment.event)


class CertificatesIssueView(PermissionRequiredMixin, View):
    """POST: certificates for every passed enrolment without one, or for one row (with its paper number)."""

    permission = MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = selectors.managed_event_get(user=request.user, pk=pk)
        form = IssueForm(request.POST)
        row = form.cleaned_data.get("enrollment") if form.is_valid() else None
        number = form.cleaned_data.get("number", "") if form.is_valid() else ""
        try:
            issued = services.certificates_issue(
                actor=request.user,
                event=event,
                enrollments=list(event.enrollments.filter(pk=row)) if row else None,
                numbers={row: number} if row and number else None,
            )
        except ValidationError as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("已发放合格证 %(n)d 张。") % {"n": len(issued)})
        return _detail(event)


# --- attendance from Excel -------------------------------------------------------------------------


class AttendanceImportView(ImportView):
    """The training's attendance, results and certificate numbers from the filled sheet."""

    permission = MANAGE
    template_name = "training/attendance_import.html"
    target_name = "event"

    def target(self, request: HttpRequest, **kwargs: Any) -> TrainingEvent:
        return selectors.managed_event_get(user=request.user, pk=kwargs["pk"])

    def run_import(self, request: HttpRequest, target: Any, upload: UploadedFile) -> ImportReport:
        return services.attendance_import(actor=request.user, event=target, upload=upload, request=request)

    def succeeded(self, request: HttpRequest, target: Any, report: ImportReport) -> HttpResponse:
        messages.success(request, _("导入成功,已登记 %(n)d 人的考勤。") % {"n": report.created})
        return _detail(target)


class AttendanceTemplateView(PermissionRequiredMixin, View):
    """The sheet to fill: every enrolled person listed (phones masked), with what is already recorded."""

    permission = MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = selectors.managed_event_get(user=request.user, pk=pk)
        rows = imports.template_rows(selectors.enrollment_list(user=request.user, event=event))
        content = build_workbook(
            title="考勤登记", columns=imports.template_columns(), rows=rows, validation_rows=max(len(rows), 200)
        )
        security_event_record(
            kind=EventKind.EXPORT,
            request=request,
            user=request.user,
            org_path=event.organiser.path,
            detail=f"培训考勤模板:{event.title},{len(rows)} 人"[:500],
        )
        return _xlsx(content, f"考勤登记-{event.title}")


# --- compliance ------------------------------------------------------------------------------------


class ComplianceView(TableView):
    """培训合规: the holders of the required posts, how many matching trainings they attended, 合规/缺训."""

    permission = VIEW
    export_permission = VIEW
    export_title = "培训合规情况"
    filterset_class = ComplianceFilterSet
    template_name = "training/compliance.html"
    sort_fields = {
        "unit": "organization__path",
        "name": "person__name",
        "attended": "attended",
        "status": "compliant",
    }
    default_sort = "unit"
    root: Organization
    year: int
    requirement: compliance.RequirementInForce | None
    requirements: list[compliance.RequirementInForce]
    windows: list[compliance.Window]

    def parameters(self) -> None:
        user, params = self.request.user, self.request.GET
        org_id = params.get("org", "")
        root = (
            coverage.coverage_unit_get(user=user, pk=int(org_id), perm=VIEW)
            if org_id.isdigit()
            else coverage.coverage_default_unit(user=user, perm=VIEW)
        )
        if root is None:
            raise Http404
        self.root = root
        years = [y for y, _label in year_choices()]
        year = params.get("year", "")
        self.year = int(year) if year.isdigit() and int(year) in years else timezone.localdate().year
        self.requirements = compliance.requirements_in_force(root)
        wanted = params.get("requirement", "")
        self.requirement = next((r for r in self.requirements if r.key == wanted), None) or next(
            iter(self.requirements), None
        )
        period = self.requirement.requirement.period if self.requirement else "annual"
        self.windows = compliance.period_windows(period, self.year)

    def scoped_queryset(self) -> QuerySet[Appointment]:
        self.parameters()
        if self.requirement is None:
            return Appointment.objects.none()
        return compliance.holders(
            user=self.request.user, root=self.root, requirement=self.requirement, windows=self.windows
        )

    def ordering_fields(self) -> list[str]:
        return [*super().ordering_fields(), "person__name"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        report = compliance.compliance_report(
            user=self.request.user, root=self.root, year=self.year, requirement=self.requirement
        )
        choices = coverage.coverage_unit_choices(user=self.request.user, perm=VIEW)
        if all(u.pk != self.root.pk for u in choices):
            choices = sorted([*choices, self.root], key=lambda u: u.path)
        top = min((u.depth for u in choices), default=1)
        context.update(
            report=report,
            root=self.root,
            year=self.year,
            years=year_choices(),
            requirement=self.requirement,
            requirements=self.requirements,
            unit_choices=[(u, "　" * (u.depth - top)) for u in choices],
            chart=compliance.chart_option(report),
        )
        return context

    def export_columns(self) -> Sequence[Column]:
        headers = ["单位", "姓名", "岗位", "统计期间", "参加符合要求的培训(次)", "要求(次/期)", "状态", "依据"]
        return [Column(h, 26 if h in ("单位", "统计期间", "依据") else 14) for h in headers]

    def export_row(self, obj: Appointment) -> Sequence[Any]:
        requirement = self.requirement
        assert requirement is not None  # no rows without one
        return [
            obj.organization.name,
            obj.person.name,
            obj.post_name,
            "、".join(w.label for w in self.windows),
            getattr(obj, "attended", 0),
            requirement.requirement.min_count,
            _("合规") if getattr(obj, "compliant", False) else _("缺训"),
            f"{requirement.pack.title} {requirement.citation}",
        ]
