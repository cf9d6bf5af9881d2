"""Cycle pages: the list, creating a cycle, its progress and charts, the bureau's actions and the report."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import has_perm
from educio.assessments import exports, selectors, services
from educio.assessments.filters import CycleFilterSet
from educio.assessments.forms import CycleForm, DeadlinesForm, PublishForm
from educio.assessments.models import (
    PROGRESS_STATUSES,
    RESULT_STATUSES,
    AssessmentCycle,
    IndicatorTemplate,
    SubjectStatus,
)
from educio.assessments.views._common import (
    DOCX_CONTENT_TYPE,
    attachment,
    error_text,
    managed_units,
    scope_label,
    tree_context,
)
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.forms import add_service_errors
from educio.listing import TableView
from educio.orgs.models import Organization
from educio.policies.selectors import effective_packs


class CycleListView(TableView):
    """考核评价: the cycles organised in the user's scope or above it."""

    permission = Perm.ASSESSMENT_VIEW
    selector = staticmethod(selectors.cycle_list)
    filterset_class = CycleFilterSet
    template_name = "assessments/cycle_list.html"
    sort_fields = {"year": "year", "name": "name", "org": "organization__path", "deadline": "self_deadline"}
    default_sort = "-year"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_manage"] = has_perm(self.request.user, Perm.ASSESSMENT_MANAGE)
        context["can_submit"] = has_perm(self.request.user, Perm.ASSESSMENT_SUBMIT)
        return context


class CycleCreateView(PermissionRequiredMixin, View):
    """新建考核: the organising unit, then the pack's cycle, template, year and deadlines."""

    permission = Perm.ASSESSMENT_MANAGE

    def unit(self, request: HttpRequest) -> tuple[QuerySet[Organization], Organization | None]:
        units = managed_units(request.user)
        chosen = request.GET.get("org") or request.POST.get("org")
        if chosen and chosen.isdigit():
            return units, get_object_or_404(units, pk=int(chosen))
        return units, units.first() if units.count() == 1 else None

    def form(self, request: HttpRequest, unit: Organization | None, data: Any = None) -> CycleForm | None:
        if unit is None:
            return None
        pack = effective_packs([unit]).get(unit.pk)
        cycles = pack.spec.assessments.cycles if pack and pack.spec.assessments else []
        choices = [(c.id, c.name) for c in cycles]
        templates = (
            selectors.templates_usable_at(unit, pack.pack_id).order_by("cycle_id", "organization__path", "-version")
            if pack is not None
            else IndicatorTemplate.objects.none()
        )
        return CycleForm(data, cycles=choices, templates=templates)

    def render_page(self, request: HttpRequest, form: CycleForm | None = None, status: int = 200) -> HttpResponse:
        units, unit = self.unit(request)
        form = form or self.form(request, unit)
        pack = effective_packs([unit]).get(unit.pk) if unit else None
        context = {"units": units[:500], "unit": unit, "form": form, "pack": pack}
        return render(request, "assessments/cycle_form.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        _units, unit = self.unit(request)
        if unit is None:
            raise Http404
        form = self.form(request, unit, request.POST)
        assert form is not None
        if form.is_valid():
            try:
                cycle = services.cycle_create(actor=request.user, organization=unit, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已创建考核(草稿)。确认指标与日期后请启动考核。"))
                return redirect("assessments:cycle_detail", pk=cycle.pk)
        return self.render_page(request, form, status=400)


STAGE_COLOURS = {
    SubjectStatus.NOT_STARTED: "#adb5bd",
    SubjectStatus.SELF_ASSESSED: "#4299e1",
    SubjectStatus.REVIEWED: "#ae3ec9",
    SubjectStatus.PUBLISHED: "#2fb344",
    SubjectStatus.APPEALED: "#f76707",
}
PASS_COLOURS = ["#2fb344", "#4299e1", "#17a2b8", "#ae3ec9"]
FAIL_COLOUR = "#d63939"


def progress_chart(branches: list[selectors.BranchProgress]) -> dict[str, Any]:
    """Stacked bars: each child unit's subjects by stage."""
    return {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": [(b.unit.short_name or b.unit.name) if b.unit else "—" for b in branches],
            "axisLabel": {"interval": 0, "rotate": 30 if len(branches) > 6 else 0},
        },
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": str(SubjectStatus(s).label),
                "type": "bar",
                "stack": "progress",
                "barMaxWidth": 40,
                "itemStyle": {"color": STAGE_COLOURS[s]},
                "data": [b.count(s) for b in branches],
            }
            for s in PROGRESS_STATUSES
        ],
    }


def grade_chart(grades: list[tuple[str, int]], cycle: AssessmentCycle) -> dict[str, Any]:
    """Grades from the best to the lowest; the lowest (failing) grade in red."""
    lowest = str(cycle.grades[-1]["name"]) if cycle.grades else _("不合格")
    return {
        "tooltip": {"trigger": "item"},
        "legend": {"bottom": 0},
        "series": [
            {
                "name": _("等级"),
                "type": "pie",
                "radius": ["40%", "68%"],
                "label": {"formatter": "{b}: {c}"},
                "data": [
                    {
                        "name": name,
                        "value": n,
                        "itemStyle": {"color": FAIL_COLOUR if name == lowest else PASS_COLOURS[i % len(PASS_COLOURS)]},
                    }
                    for i, (name, n) in enumerate(grades)
                ],
            }
        ],
    }


class CycleDetailView(PermissionRequiredMixin, View):
    """A cycle's progress by county, its grade distribution and the bureau's actions."""

    permission = Perm.ASSESSMENT_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, selectors.cycle_get(user=request.user, pk=pk))

    def render_page(
        self, request: HttpRequest, cycle: AssessmentCycle, *, forms: dict[str, Any] | None = None, status: int = 200
    ) -> HttpResponse:
        branches = selectors.progress_by_branch(user=request.user, cycle=cycle)
        grades = selectors.grade_counts(user=request.user, cycle=cycle)
        manage = selectors.can_manage(request.user, cycle)
        totals = {s: sum(b.count(s) for b in branches) for s in (*PROGRESS_STATUSES, SubjectStatus.VACANT)}
        forms = forms or {}
        context = {
            "cycle": cycle,
            "branches": branches,
            "statuses": [(s, SubjectStatus(s).label) for s in PROGRESS_STATUSES],
            "total_cells": [(str(s), SubjectStatus(s).label, totals[s]) for s in PROGRESS_STATUSES],
            "vacant": totals[SubjectStatus.VACANT],
            "assessed": sum(totals[s] for s in PROGRESS_STATUSES),
            "grades": grades,
            "progress_chart": progress_chart(branches),
            "grade_chart": grade_chart(grades, cycle) if any(n for _g, n in grades) else None,
            "can_manage": manage,
            "deadlines_form": forms.get("deadlines")
            or DeadlinesForm(
                initial={
                    "self_deadline": cycle.self_deadline,
                    "review_deadline": cycle.review_deadline,
                    "appeal_deadline": cycle.appeal_deadline,
                }
            ),
            "publish_form": forms.get("publish") or PublishForm(),
            **tree_context(cycle.indicators, cycle.pack_version_id),
        }
        return render(request, "assessments/cycle_detail.html", context, status=status)


class CycleActionView(CycleDetailView):
    """POST one of the bureau's actions on a cycle (start, start review, confirm results, publish, close)."""

    permission = Perm.ASSESSMENT_MANAGE
    http_method_names = ["post"]
    action: ClassVar[str] = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = selectors.cycle_get(user=request.user, pk=pk, manage=True)
        handler = getattr(self, f"do_{self.action}")
        try:
            result = handler(request, cycle)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect("assessments:cycle_detail", pk=cycle.pk)
        if isinstance(result, HttpResponse):
            return result
        messages.success(request, result)
        return redirect("assessments:cycle_detail", pk=cycle.pk)

    def do_open(self, request: HttpRequest, cycle: AssessmentCycle) -> str:
        n = services.cycle_open(actor=request.user, cycle=cycle)
        return _("考核已启动,%(n)d 个单位(人员)参评。") % {"n": n}

    def do_review(self, request: HttpRequest, cycle: AssessmentCycle) -> str:
        services.cycle_start_review(actor=request.user, cycle=cycle)
        return _("自评阶段已结束,进入评审。")

    def do_confirm(self, request: HttpRequest, cycle: AssessmentCycle) -> str:
        done, waiting = services.cycle_mark_reviewed(actor=request.user, cycle=cycle)
        return _("已确认 %(done)d 个评审结果;%(waiting)d 个尚有指标未评分。") % {"done": done, "waiting": waiting}

    def do_close(self, request: HttpRequest, cycle: AssessmentCycle) -> str:
        services.cycle_close(actor=request.user, cycle=cycle)
        return _("考核已结束。")

    def do_publish(self, request: HttpRequest, cycle: AssessmentCycle) -> str | HttpResponse:
        form = PublishForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, cycle, forms={"publish": form}, status=400)
        try:
            done = services.cycle_publish(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_page(request, cycle, forms={"publish": form}, status=400)
        return _("已发布 %(n)d 个结果,其中不合格 %(f)d 个,转入限期整改 %(r)d 个。") % {
            "n": done.published,
            "f": done.failing,
            "r": done.rectifications,
        }

    def do_deadlines(self, request: HttpRequest, cycle: AssessmentCycle) -> str | HttpResponse:
        form = DeadlinesForm(request.POST)
        if form.is_valid():
            try:
                services.cycle_set_deadlines(actor=request.user, cycle=cycle, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _("截止日期已更新。")
        return self.render_page(request, cycle, forms={"deadlines": form}, status=400)


class CycleReportView(PermissionRequiredMixin, View):
    """考核结果报告 (.docx) of what the user sees of the cycle."""

    permission = Perm.ASSESSMENT_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = selectors.cycle_get(user=request.user, pk=pk)
        failing = (
            selectors.subject_list(user=request.user)
            .filter(cycle=cycle, passed=False, status__in=RESULT_STATUSES)
            .order_by("organization__path")
        )
        content = exports.cycle_report_docx(
            cycle,
            scope_label=scope_label(request.user),
            branches=selectors.progress_by_branch(user=request.user, cycle=cycle),
            grades=selectors.grade_counts(user=request.user, cycle=cycle),
            failing=list(failing),
        )
        security_event_record(
            kind=EventKind.EXPORT, request=request, user=request.user, detail=f"考核结果报告: {cycle.name}"[:500]
        )
        return attachment(content, f"{cycle.name}结果报告.docx", DOCX_CONTENT_TYPE)
