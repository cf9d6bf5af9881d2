"""Nomination pages around the form: the list and its 汇总表, start, reviewers' page, download, withdraw, reopen."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, has_perm
from educio.appointments import exports, formspec, selectors, services
from educio.appointments.filters import NominationFilterSet
from educio.appointments.forms import ReopenForm, StartForm
from educio.appointments.views._common import (
    DOCX_CONTENT_TYPE,
    SYNC_EXPORT_LIMIT,
    _editable,
    attachment_response,
    nominating_units,
    persons_of,
)
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import XLSX_CONTENT_TYPE
from educio.forms import add_service_errors
from educio.listing import TableView
from educio.orgs.models import Organization
from educio.orgs.selectors import org_get, org_scope_roots
from educio.policies.selectors import effective_pack
from educio.workflow.selectors import process_timeline
from educio.workflow.services import is_submitter, withdrawable


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
