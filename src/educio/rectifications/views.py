"""Rectification orders (限期整改), commendation / accountability records and the rectification dashboard.

Views parse input, fetch through the scoped selectors (404 outside the
scope) and call a service; every rule lives in ``services``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, filter_in_scope, has_perm
from educio.documents.xlsx import Column
from educio.forms import add_service_errors, style_form
from educio.listing import TableView
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.rectifications import charts, selectors, services
from educio.rectifications.filters import OrderFilterSet, RecognitionFilterSet
from educio.rectifications.forms import CloseForm, DeadlineForm, EvidenceForm, OrderForm, RecognitionForm, ReportForm
from educio.rectifications.models import OrderStatus, Recognition, RectificationOrder
from educio.workflow.selectors import process_timeline

UNIT_PICK_LIMIT = 2000


def _refusal(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


class UnitTableView(TableView):
    """A table whose ``org`` filter lists the bureaus in scope (plus the unit a dashboard link named)."""

    def get_queryset(self) -> QuerySet[Any]:
        org_id = self.request.GET.get("org", "")
        selected = selectors.unit_get(user=self.request.user, pk=int(org_id)) if org_id.isdigit() else None
        self.filterset = self.filterset_class(
            self.request.GET or None,
            queryset=self.scoped_queryset(),
            unit_choices=selectors.unit_choices(user=self.request.user, selected=selected),
        )
        style_form(self.filterset.form)
        form_ok = self.filterset.is_bound and self.filterset.is_valid()
        queryset = self.filterset.qs if form_ok else self.filterset.queryset
        return queryset.order_by(*self.ordering_fields(), "pk")


# --- orders --------------------------------------------------------------------------------------


class OrderListView(UnitTableView):
    """限期整改: the orders in scope, overdue ones flagged; exportable."""

    permission = Perm.RECTIFICATION_VIEW
    export_permission = Perm.RECTIFICATION_VIEW
    export_title = "限期整改情况"
    selector = staticmethod(selectors.order_list)
    filterset_class = OrderFilterSet
    template_name = "rectifications/order_list.html"
    sort_fields = {
        "deadline": "deadline",
        "org": "organization__path",
        "number": "number_seq",
        "status": "status",
        "created": "created_at",
    }
    default_sort = "deadline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_open"] = has_perm(self.request.user, Perm.RECTIFICATION_MANAGE)
        return context

    def export_columns(self) -> Sequence[Column]:
        return [
            Column(_("整改通知单号"), 20),
            Column(_("整改单位"), 30),
            Column(_("责任人"), 12),
            Column(_("来源"), 24),
            Column(_("存在问题"), 50),
            Column(_("依据条款"), 16),
            Column(_("整改期限"), 14),
            Column(_("状态"), 16),
            Column(_("下达单位"), 24),
            Column(_("后果执行情况"), 40),
        ]

    def export_row(self, obj: RectificationOrder) -> Sequence[Any]:
        return [
            obj.number,
            obj.organization.name,
            obj.person.name if obj.person else "",
            obj.cycle_name,
            obj.findings,
            obj.article,
            obj.deadline or "",
            obj.get_status_display() + (_("(已逾期)") if obj.is_overdue and obj.status == OrderStatus.OPEN else ""),
            obj.issuer.name,
            obj.consequence_note,
        ]


def target_units(user: Any) -> QuerySet[Organization]:
    """Units a bureau user may order to rectify or record: below the bureaus where they manage."""
    return filter_in_scope(Organization.objects.filter(is_active=True), user, Perm.RECTIFICATION_MANAGE).order_by(
        "path"
    )


def persons_of(user: Any, organization: Organization) -> QuerySet[Person]:
    return filter_in_scope(
        Person.objects.filter(is_active=True, organization__path__startswith=organization.path).select_related(
            "organization"
        ),
        user,
        Perm.PERSON_VIEW,
        "organization",
    ).order_by("organization__path", "name")


class UnitFormView(PermissionRequiredMixin, View, ABC):
    """A bureau's form about one unit: pick the unit (``?org=``), then fill in the form naming its people."""

    permission = Perm.RECTIFICATION_MANAGE
    form_class: Any
    template_name: str

    def unit(self, request: HttpRequest) -> tuple[QuerySet[Organization], Organization | None]:
        units = target_units(request.user)
        chosen = request.GET.get("org") or request.POST.get("org")
        if chosen and chosen.isdigit():
            return units, get_object_or_404(units, pk=int(chosen))
        return units, None

    def render_form(self, request: HttpRequest, form: Any, status: int = 200) -> HttpResponse:
        units, unit = self.unit(request)
        if unit is not None and form is None:
            form = self.form_class(persons=persons_of(request.user, unit))
        # Departments stay: 宜春 第二十三条 commends and holds accountable the university's own departments.
        context = {"units": units[:UNIT_PICK_LIMIT], "unit": unit, "form": form}
        return render(request, self.template_name, {**context, **self.extra_context(unit)}, status=status)

    def extra_context(self, unit: Organization | None) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(request, None)

    def post(self, request: HttpRequest) -> HttpResponse:
        _units, unit = self.unit(request)
        if unit is None:
            messages.error(request, _("请选择单位。"))
            return redirect(request.path)
        form = self.form_class(request.POST, persons=persons_of(request.user, unit))
        if form.is_valid():
            try:
                return self.save(request, unit, form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        return self.render_form(request, form, status=400)

    @abstractmethod
    def save(self, request: HttpRequest, unit: Organization, data: dict[str, Any]) -> HttpResponse:
        """Run the form's service for ``unit`` and answer (each subclass names its own service)."""


class OrderCreateView(UnitFormView):
    """下达整改通知 by hand (an inspection, an incident ...)."""

    form_class = OrderForm
    template_name = "rectifications/order_form.html"

    def save(self, request: HttpRequest, unit: Organization, data: dict[str, Any]) -> HttpResponse:
        order = services.order_open(actor=request.user, organization=unit, **data)
        messages.success(request, _("已下达整改通知 %(n)s,已通知该单位。") % {"n": order.number})
        return redirect("rectifications:order_detail", pk=order.pk)


class OrderDetailView(PermissionRequiredMixin, View):
    """One order: findings, deadline, the unit's report and evidence, the re-check, the consequence."""

    permission = Perm.RECTIFICATION_VIEW

    def fetch(self, request: HttpRequest, pk: int, perm: str = Perm.RECTIFICATION_VIEW) -> RectificationOrder:
        return selectors.order_get(user=request.user, pk=pk, perm=perm)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.fetch(request, pk))

    def render_page(
        self, request: HttpRequest, order: RectificationOrder, status: int = 200, **bound: Any
    ) -> HttpResponse:
        user = request.user
        unit_turn = order.status == OrderStatus.OPEN and covers(user, Perm.RECTIFICATION_SUBMIT, order.organization)
        manage = order.is_live and covers(user, Perm.RECTIFICATION_MANAGE, order.organization)
        process = order.recheck_process
        source = order.source if order.content_type_id else None
        days_left = order.days_left()
        context = {
            "order": order,
            "days_left": days_left,
            "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
            "evidence": list(order.evidence.select_related("uploaded_by")),
            "timeline": process_timeline(user=user, process=process) if process else None,
            "source": source,
            "source_url": getattr(source, "get_absolute_url", lambda: "")() if source is not None else "",
            "can_report": unit_turn,
            "can_manage": manage,
            "report_form": bound.get("report_form") or ReportForm(initial={"report": order.report}),
            "evidence_form": bound.get("evidence_form") or EvidenceForm(),
            "deadline_form": bound.get("deadline_form") or DeadlineForm(initial={"deadline": order.deadline}),
            "close_form": bound.get("close_form") or CloseForm(),
        }
        return render(request, "rectifications/order_detail.html", context, status=status)


class OrderReportView(OrderDetailView):
    """The unit sends its rectification report for re-check (again, after a return)."""

    permission = Perm.RECTIFICATION_SUBMIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = self.fetch(request, pk, Perm.RECTIFICATION_SUBMIT)
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                services.order_submit_report(actor=request.user, order=order, report=form.cleaned_data["report"])
            except (ValidationError, PermissionDenied) as exc:
                add_service_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
            else:
                messages.success(request, _("整改报告已报送,等待复查。"))
                return redirect("rectifications:order_detail", pk=order.pk)
        return self.render_page(request, order, status=400, report_form=form)


class _OrderActionView(PermissionRequiredMixin, View, ABC):
    """A POST on one order that ends with a message on the order page."""

    http_method_names = ["post"]
    success_message = ""
    anchor = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = selectors.order_get(user=request.user, pk=pk, perm=self.permission)
        try:
            self.act(request, order)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, self.success_message)
        return redirect(reverse("rectifications:order_detail", kwargs={"pk": order.pk}) + self.anchor)

    @abstractmethod
    def act(self, request: HttpRequest, order: RectificationOrder) -> None:
        """Run the button's service on ``order`` (each subclass names its own service)."""


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError([e for errors in form.errors.values() for e in errors])
    return dict(form.cleaned_data)


class EvidenceUploadView(_OrderActionView):
    permission = Perm.RECTIFICATION_SUBMIT
    success_message = _("已上传。")
    anchor = "#evidence"

    def act(self, request: HttpRequest, order: RectificationOrder) -> None:
        data = _valid(EvidenceForm(request.POST, request.FILES))
        services.order_attach(actor=request.user, order=order, upload=data["file"])


class OrderDeadlineView(_OrderActionView):
    permission = Perm.RECTIFICATION_MANAGE
    success_message = _("已调整整改期限。")

    def act(self, request: HttpRequest, order: RectificationOrder) -> None:
        services.order_set_deadline(actor=request.user, order=order, **_valid(DeadlineForm(request.POST)))


class OrderCloseView(_OrderActionView):
    permission = Perm.RECTIFICATION_MANAGE
    success_message = _("已撤销整改通知。")

    def act(self, request: HttpRequest, order: RectificationOrder) -> None:
        services.order_close(actor=request.user, order=order, **_valid(CloseForm(request.POST)))


class EvidenceDownloadView(PermissionRequiredMixin, View):
    permission = Perm.RECTIFICATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        evidence = selectors.evidence_get(user=request.user, pk=pk)
        return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name)


class EvidenceDeleteView(PermissionRequiredMixin, View):
    permission = Perm.RECTIFICATION_SUBMIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = selectors.evidence_get(user=request.user, pk=pk, perm=Perm.RECTIFICATION_SUBMIT)
        try:
            services.order_detach(actor=request.user, evidence=evidence)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("已删除。"))
        return redirect(reverse("rectifications:order_detail", kwargs={"pk": evidence.order_id}) + "#evidence")


# --- commendation and accountability -------------------------------------------------------------


class RecognitionListView(UnitTableView):
    """表彰与追责: the records in scope; exportable."""

    permission = Perm.RECTIFICATION_VIEW
    export_permission = Perm.RECTIFICATION_VIEW
    export_title = "表彰与追责记录"
    selector = staticmethod(selectors.recognition_list)
    filterset_class = RecognitionFilterSet
    template_name = "rectifications/recognition_list.html"
    sort_fields = {"date": "date", "org": "organization__path", "kind": "kind"}
    default_sort = "-date"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_record"] = has_perm(self.request.user, Perm.RECTIFICATION_MANAGE)
        return context

    def export_columns(self) -> Sequence[Column]:
        headers = (("类别", 12), ("单位", 30), ("人员", 12), ("事由", 50), ("日期", 14), ("文号", 24), ("依据条款", 16))
        return [Column(_(h), w) for h, w in headers] + [Column(_("决定单位"), 24)]

    def export_row(self, obj: Recognition) -> Sequence[Any]:
        return [
            obj.get_kind_display(),
            obj.organization.name,
            obj.person.name if obj.person else "",
            obj.reason,
            obj.date,
            obj.doc_number,
            obj.article,
            obj.issuer.name,
        ]


class RecognitionCreateView(UnitFormView):
    """登记表彰奖励、激励或追责 for a unit (and maybe one of its people)."""

    form_class = RecognitionForm
    template_name = "rectifications/recognition_form.html"

    def save(self, request: HttpRequest, unit: Organization, data: dict[str, Any]) -> HttpResponse:
        record = services.recognition_create(actor=request.user, organization=unit, **data)
        messages.success(request, _("已登记:%(r)s") % {"r": record})
        return redirect(reverse("rectifications:recognition_list") + f"?org={unit.pk}")


# --- dashboard -----------------------------------------------------------------------------------


class DashboardView(PermissionRequiredMixin, TemplateView):
    """限期整改统计: open / under re-check / overdue / passed / revoked under the chosen unit, by child unit."""

    permission = Perm.RECTIFICATION_VIEW
    template_name = "rectifications/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        org_id = self.request.GET.get("org", "")
        root = selectors.unit_get(user=user, pk=int(org_id)) if org_id.isdigit() else selectors.default_unit(user=user)
        if root is None:
            raise Http404
        dashboard = selectors.order_dashboard(user=user, root=root)
        parent = Organization.objects.get_parent(root) if root.depth > 1 else None
        return {
            **super().get_context_data(**kwargs),
            "dashboard": dashboard,
            "root": root,
            "choices": selectors.unit_choices(user=user, selected=root),
            "parent": parent if parent is not None and covers(user, Perm.RECTIFICATION_VIEW, parent) else None,
            "chart": charts.orders_by_unit_chart(dashboard),
        }
