"""Nomination and appointment pages: the 推荐表 (filled, autosaved, checked live), its review, appointments.

Views parse input, fetch through the scoped selectors (404 outside the
scope) and call a service; every rule lives in ``services``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.models import User
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, filter_in_scope, has_perm
from educio.appointments import exports, formspec, selectors, services
from educio.appointments.filters import AppointmentFilterSet, NominationFilterSet
from educio.appointments.forms import (
    ChangeForm,
    IssueForm,
    NominationDataForm,
    ReopenForm,
    RevokeForm,
    StartForm,
    SubmitForm,
    WindowForm,
    honours_from_post,
)
from educio.appointments.models import (
    Appointment,
    AppointmentStatus,
    Nomination,
    NominationAttachment,
    NominationKind,
)
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import XLSX_CONTENT_TYPE, Column
from educio.forms import add_service_errors
from educio.listing import TableView
from educio.orgs.models import Organization, OrgKind
from educio.orgs.selectors import org_get, org_scope_roots
from educio.people.models import Person
from educio.policies.eligibility import FindingStatus
from educio.policies.selectors import effective_pack, effective_packs
from educio.workflow.models import StepState
from educio.workflow.selectors import process_timeline
from educio.workflow.services import is_submitter, withdrawable

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Larger summary sheets are built by the task worker with a progress bar (documents.ExportJob).
SYNC_EXPORT_LIMIT = 2000


def account(request: HttpRequest) -> User:
    """The signed-in account (every view here requires a login)."""
    return cast(User, request.user)


def attachment_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- nominations -------------------------------------------------------------------------------


class NominationListView(TableView):
    """推荐情况: every nomination in scope; the export is the 汇总表 the bureau files."""

    permission = Perm.NOMINATION_VIEW
    export_permission = Perm.APPOINTMENT_EXPORT
    selector = staticmethod(selectors.nomination_list)
    filterset_class = NominationFilterSet
    template_name = "appointments/nomination_list.html"
    sort_fields = {
        "org": "organization__path",
        "name": "person__name",
        "status": "status",
        "submitted": "process__submitted_at",
        "created": "created_at",
    }
    default_sort = "-created"

    def summary_root(self, request: HttpRequest) -> Organization | None:
        """The unit whose subtree is exported: the one filtered on, else the user's first unit in scope."""
        chosen = request.GET.get("org", "")
        if chosen.isdigit():
            return org_get(user=request.user, pk=int(chosen), perm=Perm.APPOINTMENT_EXPORT)
        roots = org_scope_roots(user=request.user, perm=Perm.APPOINTMENT_EXPORT)
        return roots[0] if roots else None

    def export(self, request: HttpRequest) -> HttpResponse:
        """The 汇总表 (焦作 附件2): at once for a small subtree, by the task worker (with progress) for a large one."""
        if not has_perm(request.user, Perm.APPOINTMENT_EXPORT):
            raise PermissionDenied
        queryset = self.get_queryset()
        root = self.summary_root(request)
        if queryset.count() > SYNC_EXPORT_LIMIT:
            filters = {k: v for k, v in request.GET.dict().items() if k not in ("export", "page")}
            job = exports.nomination_summary_start(actor=request.user, filters=filters, organization=root)
            return redirect("documents:job_detail", pk=job.pk)
        title = exports.summary_title(root) if root else _("首席信息官推荐汇总表")
        content = exports.summary_workbook(queryset, title=title)
        security_event_record(
            kind=EventKind.EXPORT,
            request=request,
            user=request.user,
            detail=f"{title}: {queryset.count()} 行; {request.GET.urlencode()}"[:500],
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        return attachment_response(content, f"{title}-{stamp}.xlsx", XLSX_CONTENT_TYPE)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_nominate"] = has_perm(self.request.user, Perm.NOMINATION_MANAGE)
        context["can_manage_windows"] = has_perm(self.request.user, Perm.APPOINTMENT_MANAGE)
        return context


def nominating_units(user: Any) -> QuerySet[Organization]:
    """Units where the user may nominate: schools and universities in their scope."""
    return filter_in_scope(
        Organization.objects.filter(kind__in=[OrgKind.SCHOOL, OrgKind.UNIVERSITY], is_active=True),
        user,
        Perm.NOMINATION_MANAGE,
    ).order_by("path")


def persons_of(user: Any, organization: Organization) -> QuerySet[Person]:
    return filter_in_scope(
        Person.objects.filter(is_active=True, organization__path__startswith=organization.path).select_related(
            "organization"
        ),
        user,
        Perm.PERSON_VIEW,
        "organization",
    ).order_by("organization__path", "name")


class NominationStartView(PermissionRequiredMixin, View):
    """新建推荐: pick the unit (if the user has several) and the person; the form variant follows the pack."""

    permission = Perm.NOMINATION_MANAGE

    def unit(self, request: HttpRequest) -> tuple[QuerySet[Organization], Organization | None]:
        units = nominating_units(request.user)
        chosen = request.GET.get("org") or request.POST.get("org")
        if chosen and chosen.isdigit():
            return units, get_object_or_404(units, pk=int(chosen))
        return units, units.first() if units.count() == 1 else None

    def render_form(self, request: HttpRequest, form: StartForm | None, status: int = 200) -> HttpResponse:
        units, unit = self.unit(request)
        if unit is not None and form is None:
            form = StartForm(persons=persons_of(request.user, unit))
        pack = effective_pack(unit) if unit else None
        context = {
            "units": units[:500],
            "unit": unit,
            "form": form,
            "pack": pack,
            "deadline": selectors.deadline_for(unit, pack.spec.nomination_form.post or "", pack)
            if unit and pack and pack.spec.nomination_form
            else None,
        }
        return render(request, "appointments/nomination_start.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, None)

    def post(self, request: HttpRequest) -> HttpResponse:
        _units, unit = self.unit(request)
        if unit is None:
            raise Http404
        form = StartForm(request.POST, persons=persons_of(request.user, unit))
        if form.is_valid():
            try:
                nomination = services.nomination_start(
                    actor=request.user, organization=unit, person=form.cleaned_data["person"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已创建推荐表草稿,填写内容会自动保存。"))
                return redirect("appointments:nomination_edit", pk=nomination.pk)
        return self.render_form(request, form, status=400)


def _eligibility_context(nomination: Nomination, data: dict[str, Any] | None = None) -> dict[str, Any]:
    result = services.nomination_eligibility(nomination, data=data)
    return {
        "eligibility": result,
        "manual_findings": [f for f in result.findings if f.status == FindingStatus.MANUAL],
        "checked_findings": [f for f in result.findings if f.status != FindingStatus.MANUAL],
    }


def _editable(user: Any, nomination: Nomination) -> bool:
    return (
        covers(user, Perm.NOMINATION_MANAGE, nomination.organization)
        and nomination.process is not None
        and nomination.process.state in services.EDITABLE_STATES
    )


class NominationEditView(PermissionRequiredMixin, View):
    """The 推荐表 as printed by the pack, autosaved as it is typed, with the eligibility check beside it."""

    permission = Perm.NOMINATION_MANAGE

    def fetch(self, request: HttpRequest, pk: int) -> Nomination:
        nomination = selectors.nomination_get(user=request.user, pk=pk, perm=Perm.NOMINATION_MANAGE)
        if not _editable(request.user, nomination):
            raise Http404
        return nomination

    def render_page(
        self,
        request: HttpRequest,
        nomination: Nomination,
        *,
        data_form: NominationDataForm | None = None,
        submit_form: SubmitForm | None = None,
        honours: list[dict[str, str]] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        spec = formspec.form_of(nomination)
        data_form = data_form or NominationDataForm(initial=nomination.data, form_spec=spec)
        rows = honours if honours is not None else nomination.honours
        attachments = list(nomination.attachments.all())
        deadline = selectors.deadline_for(nomination.organization, nomination.post)
        context = {
            "nomination": nomination,
            "spec": spec,
            "data_form": data_form,
            "submit_form": submit_form
            or SubmitForm(
                initial={"justification": nomination.justification, "confirmer_name": account(request).full_name}
            ),
            "honour_rows": [*rows, {}, {}] if spec.honours else [],
            "attachments": attachments,
            "attachment_slots": [(a, [f for f in attachments if f.slot == a.id]) for a in spec.attachments],
            "deadline": deadline,
            "late": deadline is not None and deadline.passed and getattr(nomination, "status", "") == "draft",
            "errors": errors or {},
            "returned_step": next(
                (s for s in selectors.latest_round_steps(nomination) if s.state == StepState.RETURNED), None
            ),
            **_eligibility_context(nomination, data=dict(data_form.data) if data_form.is_bound else None),
        }
        return render(request, "appointments/nomination_edit.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.fetch(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """保存: the same as autosave, with the page shown again (and errors next to their fields)."""
        nomination = self.fetch(request, pk)
        spec = formspec.form_of(nomination)
        data_form = NominationDataForm(request.POST, form_spec=spec)
        honours = honours_from_post(spec, request.POST)
        try:
            services.nomination_save(
                actor=request.user,
                nomination=nomination,
                data=request.POST.dict(),
                honours=honours,
                justification=request.POST.get("justification"),
            )
        except ValidationError as exc:
            add_service_errors(data_form, exc)
            return self.render_page(
                request, nomination, data_form=data_form, honours=honours, errors=_error_map(exc), status=400
            )
        messages.success(request, _("已保存。"))
        return redirect("appointments:nomination_edit", pk=nomination.pk)


def _error_map(exc: ValidationError) -> dict[str, str]:
    """Errors by field id; the form-wide one under ``general`` (templates cannot read ``__all__``)."""
    if hasattr(exc, "error_dict"):
        return {
            ("general" if k == NON_FIELD_ERRORS else k): " ".join(e.messages[0] for e in v)
            for k, v in exc.error_dict.items()
        }
    return {"general": " ".join(exc.messages)}


class NominationAutosaveView(NominationEditView):
    """htmx: save the draft as typed and return the save status and the live eligibility panel."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.fetch(request, pk)
        spec = formspec.form_of(nomination)
        errors: dict[str, str] = {}
        try:
            nomination = services.nomination_save(
                actor=request.user,
                nomination=nomination,
                data=request.POST.dict(),
                honours=honours_from_post(spec, request.POST),
                justification=request.POST.get("justification"),
            )
        except ValidationError as exc:
            errors = _error_map(exc)
        labels = {f.id: f.label for f in spec.fields}
        context = {
            "nomination": nomination,
            "errors": [(labels.get(k, ""), v) for k, v in errors.items()],
            "saved_at": None if errors else timezone.localtime(),
            **_eligibility_context(nomination, data=request.POST.dict()),
        }
        return render(request, "appointments/_autosave.html", context)


class NominationUploadView(NominationEditView):
    """POST the photo or one attachment (multipart); errors come back as a message on the form page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.fetch(request, pk)
        upload = request.FILES.get("file")
        slot = request.POST.get("slot", "")
        try:
            if upload is None:
                raise ValidationError(_("请选择要上传的文件。"))
            if slot == "photo":
                services.nomination_set_photo(actor=request.user, nomination=nomination, upload=upload)
            else:
                services.nomination_attach(actor=request.user, nomination=nomination, slot=slot, upload=upload)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已上传。"))
        return redirect(reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk}) + "#materials")


class AttachmentDeleteView(PermissionRequiredMixin, View):
    permission = Perm.NOMINATION_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = attachment_get(request.user, pk, Perm.NOMINATION_MANAGE)
        try:
            services.nomination_detach(actor=request.user, attachment=attachment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("appointments:nomination_edit", kwargs={"pk": attachment.nomination_id}) + "#materials")


def attachment_get(user: Any, pk: int, perm: str) -> NominationAttachment:
    queryset = filter_in_scope(
        NominationAttachment.objects.select_related("nomination__organization", "nomination__process"),
        user,
        perm,
        "nomination__organization",
    )
    return get_object_or_404(queryset, pk=pk)


class AttachmentDownloadView(PermissionRequiredMixin, View):
    permission = Perm.NOMINATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = attachment_get(request.user, pk, Perm.NOMINATION_VIEW)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


class NominationPhotoView(PermissionRequiredMixin, View):
    permission = Perm.NOMINATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        nomination = selectors.nomination_get(user=request.user, pk=pk)
        if not nomination.photo:
            raise Http404
        return FileResponse(nomination.photo.open("rb"))


class NominationSubmitView(NominationEditView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.fetch(request, pk)
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                services.nomination_submit(
                    actor=request.user,
                    nomination=nomination,
                    confirmed=form.cleaned_data["confirmed"],
                    confirmer_name=form.cleaned_data["confirmer_name"],
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.render_page(request, nomination, submit_form=form, errors=_error_map(exc), status=400)
            messages.success(request, _("推荐表已报送,审核进度可在本页查看。"))
            return redirect("appointments:nomination_detail", pk=nomination.pk)
        return self.render_page(request, nomination, submit_form=form, status=400)


class NominationDetailView(PermissionRequiredMixin, View):
    """The filled 推荐表 as read by reviewers, its eligibility check, its review timeline and the next actions."""

    permission = Perm.NOMINATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = selectors.nomination_get(user=request.user, pk=pk)
        spec = formspec.form_of(nomination)
        process = nomination.process
        timeline = process_timeline(user=request.user, process=process) if process else None
        status = getattr(nomination, "status", "")  # annotated by the selector
        approved = status == "approved"
        context = {
            "nomination": nomination,
            "spec": spec,
            "values": [(f, nomination.data.get(f.id, "")) for f in spec.fields],
            "attachments": list(nomination.attachments.all()),
            "timeline": timeline,
            "can_edit": _editable(request.user, nomination),
            "can_withdraw": process is not None
            and is_submitter(request.user, process)
            and withdrawable(process, decided_in_round=bool(timeline and timeline.decided_in_current_round)),
            "can_reopen": status == "draft" and covers(request.user, Perm.APPOINTMENT_MANAGE, nomination.organization),
            "can_issue": approved and covers(request.user, Perm.APPOINTMENT_MANAGE, nomination.organization),
            "reopen_form": ReopenForm(),
            "deadline": selectors.deadline_for(nomination.organization, nomination.post),
        }
        return render(request, "appointments/nomination_detail.html", context)


class NominationDocxView(PermissionRequiredMixin, View):
    """The 推荐表 as a Word document that prints like the paper form."""

    permission = Perm.NOMINATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = selectors.nomination_get(user=request.user, pk=pk)
        try:
            content = exports.nomination_docx(nomination)
        except ValidationError as exc:  # a bureau's own template that does not fit this form's data
            messages.error(request, " ".join(exc.messages))
            return redirect("appointments:nomination_detail", pk=nomination.pk)
        security_event_record(
            kind=EventKind.EXPORT, request=request, user=request.user, detail=f"推荐表: {nomination}"[:500]
        )
        title = formspec.form_of(nomination).title
        return attachment_response(content, f"{title}-{nomination.person.name}.docx", DOCX_CONTENT_TYPE)


class NominationWithdrawView(PermissionRequiredMixin, View):
    permission = Perm.NOMINATION_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = selectors.nomination_get(user=request.user, pk=pk, perm=Perm.NOMINATION_MANAGE)
        try:
            services.nomination_withdraw(
                actor=request.user, nomination=nomination, reason=request.POST.get("reason", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已撤回,本单位可重新推荐。"))
        return redirect("appointments:nomination_detail", pk=nomination.pk)


class NominationReopenView(PermissionRequiredMixin, View):
    permission = Perm.APPOINTMENT_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = selectors.nomination_get(user=request.user, pk=pk, perm=Perm.APPOINTMENT_MANAGE)
        form = ReopenForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(_("请填写有效的延期日期。"))
            services.nomination_reopen(actor=request.user, nomination=nomination, until=form.cleaned_data["until"])
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("已延期报送。"))
        return redirect("appointments:nomination_detail", pk=nomination.pk)


class AppointmentIssueView(PermissionRequiredMixin, View):
    """发文聘任 of an approved nomination."""

    permission = Perm.APPOINTMENT_MANAGE

    def fetch(self, request: HttpRequest, pk: int) -> Nomination:
        return selectors.nomination_get(user=request.user, pk=pk, perm=Perm.APPOINTMENT_MANAGE)

    def render_form(
        self, request: HttpRequest, nomination: Nomination, form: IssueForm, status: int = 200
    ) -> HttpResponse:
        pack = effective_pack(nomination.organization)
        term = selectors.term_for(pack, nomination.post) if pack else None
        context = {"nomination": nomination, "form": form, "term": term, "pack": pack}
        return render(request, "appointments/appointment_issue.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_form(request, self.fetch(request, pk), IssueForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.fetch(request, pk)
        form = IssueForm(request.POST)
        if form.is_valid():
            try:
                appointment = services.appointment_issue(actor=request.user, nomination=nomination, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    exc = ValidationError(str(exc))
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已发文聘任,任期开始。"))
                return redirect("appointments:appointment_detail", pk=appointment.pk)
        return self.render_form(request, nomination, form, status=400)


# --- appointments ------------------------------------------------------------------------------


class AppointmentListView(TableView):
    """任命情况: the appointments in scope; exports as a table or as the 聘任通知."""

    permission = Perm.APPOINTMENT_VIEW
    export_permission = Perm.APPOINTMENT_EXPORT
    export_title = "首席信息官任命情况"
    selector = staticmethod(selectors.appointment_list)
    filterset_class = AppointmentFilterSet
    template_name = "appointments/appointment_list.html"
    sort_fields = {
        "org": "organization__path",
        "name": "person__name",
        "starts": "starts_on",
        "ends": "ends_on",
        "status": "status",
    }
    default_sort = "-starts"
    notice_limit = 500

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "notice":
            return self.notice(request)
        return super().get(request, *args, **kwargs)

    def notice(self, request: HttpRequest) -> HttpResponse:
        """聘任通知 listing the active appointments the current filter shows."""
        if not has_perm(request.user, Perm.APPOINTMENT_EXPORT):
            raise PermissionDenied
        rows = list(self.get_queryset().filter(status=AppointmentStatus.ACTIVE)[: self.notice_limit])
        if not rows:
            messages.error(request, _("当前筛选结果中没有在任的任命,无法生成聘任通知。"))
            return redirect(request.path + "?" + request.GET.urlencode().replace("export=notice", ""))
        issuer = account(request).home_organization
        try:
            content = exports.appointment_notice_docx(
                rows,
                issuer_name=issuer.name if issuer else "",
                doc_number=rows[0].doc_number,
                doc_date=rows[0].doc_date,
                title=exports.notice_title(rows),
                organization=issuer,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(request.path)
        security_event_record(
            kind=EventKind.EXPORT, request=request, user=request.user, detail=f"聘任通知: {len(rows)} 人"[:500]
        )
        return attachment_response(content, _("聘任通知") + ".docx", DOCX_CONTENT_TYPE)

    def export_columns(self) -> Sequence[Column]:
        return [
            Column(_("单位"), 30),
            Column(_("岗位"), 20),
            Column(_("姓名"), 12),
            Column(_("聘任文号"), 24),
            Column(_("发文日期"), 14),
            Column(_("任期开始"), 14),
            Column(_("任期届满"), 14),
            Column(_("连续任期"), 10),
            Column(_("状态"), 12),
            Column(_("离任原因"), 24),
        ]

    def export_row(self, obj: Appointment) -> Sequence[Any]:
        return [
            obj.organization.name,
            obj.post_name,
            obj.person.name,
            obj.doc_number,
            obj.doc_date,
            obj.starts_on,
            obj.ends_on or _("长期"),
            obj.term_number,
            obj.get_status_display(),
            " ".join(filter(None, [obj.get_end_reason_display(), obj.end_note])),
        ]


class AppointmentDetailView(PermissionRequiredMixin, View):
    """One appointment, the post's history at the unit, and renewal / change / revocation."""

    permission = Perm.APPOINTMENT_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        appointment = selectors.appointment_get(user=request.user, pk=pk)
        return self.render_page(request, appointment)

    def render_page(
        self,
        request: HttpRequest,
        appointment: Appointment,
        *,
        revoke_form: RevokeForm | None = None,
        change_form: ChangeForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        active = appointment.status == AppointmentStatus.ACTIVE
        can_nominate = active and covers(request.user, Perm.NOMINATION_MANAGE, appointment.organization)
        context = {
            "appointment": appointment,
            "history": selectors.post_history(appointment),
            "can_revoke": active and covers(request.user, Perm.APPOINTMENT_MANAGE, appointment.organization),
            "can_nominate": can_nominate,
            "revoke_form": revoke_form or RevokeForm(),
            "change_form": change_form
            or (ChangeForm(persons=persons_of(request.user, appointment.organization)) if can_nominate else None),
        }
        return render(request, "appointments/appointment_detail.html", context, status=status)


class AppointmentRevokeView(AppointmentDetailView):
    permission = Perm.APPOINTMENT_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        appointment = selectors.appointment_get(user=request.user, pk=pk, perm=Perm.APPOINTMENT_MANAGE)
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.appointment_revoke(actor=request.user, appointment=appointment, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已取消任命,该单位须重新推荐。"))
                return redirect("appointments:appointment_detail", pk=appointment.pk)
        return self.render_page(request, appointment, revoke_form=form, status=400)


class AppointmentSuccessionView(AppointmentDetailView):
    """续聘 (the same person, pre-filled from the last form) or 任期内变更 (a new person, with the reason)."""

    permission = Perm.NOMINATION_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        appointment = selectors.appointment_get(user=request.user, pk=pk, perm=Perm.NOMINATION_MANAGE)
        kind = request.POST.get("kind")
        form = ChangeForm(request.POST, persons=persons_of(request.user, appointment.organization))
        try:
            if kind == NominationKind.RENEWAL:
                nomination = services.nomination_start(
                    actor=request.user,
                    organization=appointment.organization,
                    person=appointment.person,
                    post_id=appointment.post,
                    kind=NominationKind.RENEWAL,
                    replaces=appointment,
                )
            elif kind == NominationKind.CHANGE and form.is_valid():
                nomination = services.nomination_start(
                    actor=request.user,
                    organization=appointment.organization,
                    person=form.cleaned_data["person"],
                    post_id=appointment.post,
                    kind=NominationKind.CHANGE,
                    replaces=appointment,
                    change_reason=form.cleaned_data["change_reason"],
                )
            else:
                return self.render_page(request, appointment, change_form=form, status=400)
        except ValidationError as exc:
            if kind == NominationKind.CHANGE:
                add_service_errors(form, exc)
                return self.render_page(request, appointment, change_form=form, status=400)
            messages.error(request, " ".join(exc.messages))
            return redirect("appointments:appointment_detail", pk=appointment.pk)
        messages.success(request, _("已创建推荐表草稿。"))
        return redirect("appointments:nomination_edit", pk=nomination.pk)


# --- nomination windows (推荐批次) ---------------------------------------------------------------


class WindowListView(PermissionRequiredMixin, View):
    """推荐批次: the calls for nominations in scope, and a form for a bureau to open one."""

    permission = Perm.NOMINATION_VIEW

    def form(self, request: HttpRequest, data: Any = None) -> WindowForm | None:
        if not has_perm(request.user, Perm.APPOINTMENT_MANAGE):
            return None
        units = filter_in_scope(
            Organization.objects.filter(kind__in=[OrgKind.BUREAU, OrgKind.UNIVERSITY], is_active=True),
            request.user,
            Perm.APPOINTMENT_MANAGE,
        ).order_by("path")
        packs = effective_packs(list(units[:50]))
        posts = sorted({(p.id, p.name) for pack in packs.values() if pack for p in pack.spec.posts})
        return WindowForm(data, units=units, posts=posts)

    def render_page(self, request: HttpRequest, form: WindowForm | None, status: int = 200) -> HttpResponse:
        windows = selectors.window_list(user=request.user)[:200]
        return render(request, "appointments/window_list.html", {"windows": windows, "form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, self.form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request, request.POST)
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.window_create(actor=request.user, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                messages.success(request, _("已发布推荐批次。"))
                return redirect("appointments:window_list")
        return self.render_page(request, form, status=400)
