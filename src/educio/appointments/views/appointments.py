"""Appointment pages: 发文聘任, the list and its 聘任通知, one appointment, revocation, renewal and change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, has_perm
from educio.appointments import exports, selectors, services
from educio.appointments.filters import AppointmentFilterSet
from educio.appointments.forms import ChangeForm, IssueForm, RevokeForm
from educio.appointments.models import Appointment, AppointmentStatus, Nomination, NominationKind
from educio.appointments.views._common import DOCX_CONTENT_TYPE, account, attachment_response, persons_of
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import Column
from educio.forms import add_service_errors
from educio.listing import TableView
from educio.policies.selectors import effective_pack


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
