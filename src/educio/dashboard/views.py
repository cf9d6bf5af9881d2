"""The home page and the CIO coverage dashboard: real numbers for the user's scope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import has_perm
from educio.appointments import coverage
from educio.appointments.models import NominationStatus
from educio.dashboard import charts, selectors
from educio.dashboard.filters import CoverageGapFilterSet
from educio.documents.xlsx import Column
from educio.listing import TableView
from educio.orgs.models import Organization


class HomeView(PermissionRequiredMixin, TemplateView):
    permission = Perm.DASHBOARD_VIEW
    template_name = "dashboard/home.html"

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # Security and audit administrators see no business dashboard (MLPS 2.0 separation of duties).
        if request.user.is_authenticated and not has_perm(request.user, Perm.DASHBOARD_VIEW):
            if has_perm(request.user, Perm.AUDIT_VIEW):
                return redirect("audit:list")
            if has_perm(request.user, Perm.USER_VIEW):
                return redirect("accounts:user_list")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), **selectors.dashboard_summary(user=self.request.user)}


class CoverageView(PermissionRequiredMixin, TemplateView):
    """首席信息官覆盖情况: the selected unit's subtree by child unit, against the pack's target."""

    permission = Perm.APPOINTMENT_VIEW
    template_name = "dashboard/coverage.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        root = selected_unit(self.request) or coverage.coverage_default_unit(user=user)
        if root is None:
            raise Http404
        report = coverage.coverage_report(root)
        choices = unit_choices(user, root)
        return {
            **super().get_context_data(**kwargs),
            "report": report,
            "root": root,
            "choices": choices,
            "parent": next((u for u, _indent in choices if u.path == root.path[: -Organization.steplen]), None),
            "share_chart": charts.coverage_share_chart(report),
            "nomination_chart": charts.nominations_chart(report),
            "expiring_days": coverage.EXPIRING_DAYS,
        }


def selected_unit(request: HttpRequest) -> Organization | None:
    """The unit of ``?org=`` (404 outside the scope), or None when none is asked for."""
    org_id = request.GET.get("org", "")
    return coverage.coverage_unit_get(user=request.user, pk=int(org_id)) if org_id.isdigit() else None


def unit_choices(user: Any, selected: Organization | None) -> list[tuple[Organization, str]]:
    """The bureaus and universities to pick from, indented by depth (the selected unit always among them)."""
    units = coverage.coverage_unit_choices(user=user)
    if selected is not None and all(u.pk != selected.pk for u in units):
        units = sorted([*units, selected], key=lambda u: u.path)
    top = min((u.depth for u in units), default=1)
    return [(u, "　" * (u.depth - top)) for u in units]


class CoverageGapsView(TableView):
    """Units that must have a CIO and have none, in the scope (or under ``?org=``); exportable."""

    permission = Perm.APPOINTMENT_VIEW
    export_permission = Perm.APPOINTMENT_EXPORT
    export_title = "未设立首席信息官的单位"
    selector = staticmethod(coverage.coverage_units)
    filterset_class = CoverageGapFilterSet
    template_name = "dashboard/coverage_gaps.html"
    sort_fields = {"name": "name", "kind": "kind", "moe_code": "moe_code", "region_code": "region_code", "tree": "path"}
    default_sort = "tree"
    gaps: coverage.Gaps
    selected: Organization | None = None

    def scoped_queryset(self) -> QuerySet[Organization]:
        self.selected = selected_unit(self.request)
        self.gaps = coverage.coverage_gaps(user=self.request.user, root=self.selected)
        return with_parent_name(self.gaps.units)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            rows=[(unit, self.gaps.pack_title(unit), status_label(unit)) for unit in context["object_list"]],
            selected=self.selected,
            choices=unit_choices(self.request.user, self.selected),
        )
        return context

    def export_columns(self) -> Sequence[Column]:
        headers = ("单位名称", "类别", "上级单位", "学校标识码", "行政区划代码", "联系人", "适用制度", "推荐进展")
        return [Column(h, 22) for h in headers]

    def export_row(self, obj: Organization) -> Sequence[Any]:
        return [
            obj.name,
            obj.kind_label,
            getattr(obj, "parent_name", "") or "",
            obj.moe_code or "",
            obj.region_code,
            obj.contact_person,
            self.gaps.pack_title(obj),
            status_label(obj) or _("尚未推荐"),
        ]


def with_parent_name(queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    """The parent's name inside the same statement, for the page and the export alike."""
    parent = Organization.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    ).values("name")[:1]
    return queryset.annotate(parent_name=Subquery(parent))


def status_label(unit: Organization) -> str:
    status = getattr(unit, "nomination_status", None)
    return str(NominationStatus(status).label) if status in NominationStatus.values else ""
