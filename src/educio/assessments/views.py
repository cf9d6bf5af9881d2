"""Assessment pages: indicator templates, cycles and their progress, self-assessment, scoring, results, appeals.

Views parse input, fetch through the scoped selectors (404 outside the scope;
an expert reaches only the subjects assigned to it, through the review pages)
and call a service; every rule lives in ``services``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, filter_in_scope, has_perm, scope_paths
from educio.assessments import exports, indicators, selectors, services
from educio.assessments.filters import (
    AssignmentFilterSet,
    CycleFilterSet,
    SubjectFilterSet,
    TemplateFilterSet,
    UnitSubjectFilterSet,
)
from educio.assessments.forms import (
    AppealDecisionForm,
    AppealForm,
    AssignForm,
    CopyForm,
    CycleForm,
    DeadlinesForm,
    ExtendForm,
    PublishForm,
)
from educio.assessments.models import (
    PROGRESS_STATUSES,
    RESULT_STATUSES,
    AssessmentCycle,
    AssessmentSubject,
    CycleStatus,
    EvidenceFile,
    IndicatorTemplate,
    ReviewerAssignment,
    SubjectStatus,
)
from educio.assessments.uploads import ACCEPT, CONTENT_TYPES
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import Column
from educio.forms import add_service_errors
from educio.listing import TableView
from educio.orgs.models import Organization, OrgKind
from educio.people.uploads import extension
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import SUBJECT_LABELS
from educio.policies.selectors import effective_packs, pack_get, packs_in_subtree

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ORGANISING_KINDS = (OrgKind.BUREAU, OrgKind.UNIVERSITY)


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def managed_units(user: Any) -> QuerySet[Organization]:
    """Bureaus and universities where the user may organise assessments and keep templates."""
    return filter_in_scope(
        Organization.objects.filter(kind__in=ORGANISING_KINDS, is_active=True), user, Perm.ASSESSMENT_MANAGE
    ).order_by("path")


def scope_roots(user: Any, perm: str) -> list[Organization]:
    paths = scope_paths(user, perm)
    if paths == [""]:
        return list(Organization.objects.get_root_nodes())
    return list(Organization.objects.filter(path__in=paths).order_by("path"))


def scope_label(user: Any) -> str:
    roots = scope_roots(user, Perm.ASSESSMENT_VIEW)
    if not roots:
        return "—"
    return "、".join(r.name for r in roots[:5]) + (_("等") if len(roots) > 5 else "")


# --- indicator templates -----------------------------------------------------------------------


class TemplateListView(TableView):
    """指标模板: the packs' indicator trees per cycle, and the bureaus' versioned copies."""

    permission = Perm.ASSESSMENT_VIEW
    selector = staticmethod(selectors.template_list)
    filterset_class = TemplateFilterSet
    template_name = "assessments/template_list.html"
    sort_fields = {"org": "organization__path", "name": "name", "created": "created_at"}
    default_sort = "org"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        packs = {
            p.pk: p for root in scope_roots(self.request.user, Perm.ASSESSMENT_VIEW) for p in packs_in_subtree(root)
        }
        context["pack_cycles"] = [
            (pack, cycle) for pack in packs.values() if pack.spec.assessments for cycle in pack.spec.assessments.cycles
        ]
        return context


def tree_context(tree: list[dict[str, Any]], pack_version_id: int) -> dict[str, Any]:
    cited = selectors.citations(pack_version_id)
    return {"rows": list(indicators.rows(tree, cited)), "leaf_count": len(indicators.leaves(tree))}


class PackTemplateView(PermissionRequiredMixin, View):
    """The indicator tree a pack prints for one cycle (``?pack=<id>&cycle=<id>``), and copying it."""

    permission = Perm.ASSESSMENT_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        pack_pk, cycle_id = request.GET.get("pack", ""), request.GET.get("cycle", "")
        if not pack_pk.isdigit():
            return redirect("assessments:template_list")
        pack = LoadedPack.from_row(pack_get(user=request.user, pk=int(pack_pk)))
        spec = services.pack_cycle(pack, cycle_id)
        if spec is None:
            raise Http404
        units = managed_units(request.user)
        packs = effective_packs(list(units[:200]))
        fitting = [pk for pk, found in packs.items() if found is not None and found.pk == pack.pk]
        tree = indicators.from_pack(spec)
        context = {
            "pack": pack,
            "spec": spec,
            "grades": indicators.grades_from_pack(spec),
            "copy_form": CopyForm(units=units.filter(pk__in=fitting)) if fitting else None,
            "subject_label": SUBJECT_LABELS.get(spec.subject, ""),
            "article": pack.article(spec.article),
            **tree_context(tree, pack.pk),
        }
        return render(request, "assessments/pack_template.html", context)


class TemplateDetailView(PermissionRequiredMixin, View):
    permission = Perm.ASSESSMENT_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = selectors.template_get(user=request.user, pk=pk)
        units = managed_units(request.user).filter(path__startswith=template.organization.path)
        context = {
            "template": template,
            "can_edit": covers(request.user, Perm.ASSESSMENT_MANAGE, template.organization),
            "copy_form": CopyForm(units=units) if units.exists() else None,
            "versions": selectors.template_list(user=request.user)
            .filter(pack_id=template.pack_id, cycle_id=template.cycle_id)
            .order_by("organization__path", "-version"),
            "cycles": selectors.cycle_list(user=request.user).filter(template=template)[:50],
            **tree_context(template.indicators, template.pack_version_id),
        }
        return render(request, "assessments/template_detail.html", context)


class TemplateCopyView(PermissionRequiredMixin, View):
    """复制: from a pack cycle (``pack`` + ``cycle``) or from a template (``source``) into a managed unit."""

    permission = Perm.ASSESSMENT_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CopyForm(request.POST, units=managed_units(request.user))
        source = request.POST.get("source", "")
        back = request.POST.get("back") or reverse("assessments:template_list")
        if not form.is_valid():
            messages.error(request, _("请选择要复制到的单位。"))
            return redirect(back if back.startswith("/") else reverse("assessments:template_list"))
        organization = form.cleaned_data["organization"]
        try:
            if source.isdigit():
                original = selectors.template_get(user=request.user, pk=int(source))
                template = services.template_copy(actor=request.user, organization=organization, source=original)
            else:
                template = services.template_create_from_pack(
                    actor=request.user, organization=organization, cycle_id=request.POST.get("cycle", "")
                )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
            return redirect(back if back.startswith("/") else reverse("assessments:template_list"))
        messages.success(request, _("已复制为第%(v)d版,可按本单位要求调整。") % {"v": template.version})
        return redirect("assessments:template_edit", pk=template.pk)


class TemplateEditView(PermissionRequiredMixin, View):
    """The two-level editor: names, weights, evidence, guidance and articles; grades and the pass line."""

    permission = Perm.ASSESSMENT_MANAGE

    def render_page(
        self,
        request: HttpRequest,
        template: IndicatorTemplate,
        *,
        lines: list[indicators.EditorRow] | None = None,
        grades: list[dict[str, Any]] | None = None,
        values: dict[str, str] | None = None,
        errors: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        lines = lines if lines is not None else indicators.editor_rows(template.indicators)
        grades = grades if grades is not None else template.grades
        context = {
            "template": template,
            "lines": [*lines, *[None] * (2 if lines else 4)],
            "grades": [*grades, None, None],
            "values": values
            or {
                "name": template.name,
                "pass_threshold": "" if template.pass_threshold is None else f"{template.pass_threshold.normalize():f}",
                "note": template.note,
            },
            "errors": errors or [],
            "too_deep": indicators.depth_of(template.indicators) > 2,
            "articles": sorted(selectors.citations(template.pack_version_id).items()),
        }
        return render(request, "assessments/template_edit.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, selectors.template_get(user=request.user, pk=pk, manage=True))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = selectors.template_get(user=request.user, pk=pk, manage=True)
        lines = indicators.posted_rows(request.POST)
        grades = indicators.posted_grades(request.POST)
        values = {k: request.POST.get(k, "") for k in ("name", "pass_threshold", "note")}
        try:
            services.template_update(
                actor=request.user,
                template=template,
                name=values["name"],
                tree=indicators.tree_from_rows(lines),
                pass_threshold=values["pass_threshold"],
                grades=grades,
                note=values["note"],
            )
        except ValidationError as exc:
            errors = exc.messages
            return self.render_page(
                request, template, lines=lines, grades=grades, values=values, errors=errors, status=400
            )
        messages.success(request, _("指标模板已保存。"))
        return redirect("assessments:template_detail", pk=template.pk)


# --- cycles ------------------------------------------------------------------------------------


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


class SubjectListView(TableView):
    """The subjects of one cycle the user sees, filtered by status, county and grade; bulk reviewer assignment."""

    permission = Perm.ASSESSMENT_VIEW
    export_permission = Perm.ASSESSMENT_VIEW
    selector = staticmethod(selectors.subject_list)
    filterset_class = SubjectFilterSet
    template_name = "assessments/subject_list.html"
    sort_fields = {"org": "organization__path", "status": "status", "total": "total", "grade": "grade"}
    default_sort = "org"
    paginate_by = 50

    cycle: AssessmentCycle

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.cycle = selectors.cycle_get(user=request.user, pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    @property
    def export_title(self) -> str:  # type: ignore[override]
        return f"{self.cycle.name}考核对象"

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            selectors.subject_list(user=self.request.user)
            .filter(cycle=self.cycle)
            .annotate(reviewer_count=Count("assignments"))
        )

    def get_queryset(self) -> QuerySet[Any]:
        queryset = super().get_queryset()
        form = self.filterset.form
        branches = Organization.objects.filter(
            path__startswith=self.cycle.organization.path, depth=self.cycle.organization.depth + 1
        ).filter(pk__in=scope_visible_branches(self.request.user, self.cycle))
        form.fields["branch"].widget.choices = [("", _("全部"))] + [(o.pk, o.name) for o in branches.order_by("path")]
        grade_names = [str(g["name"]) for g in self.cycle.grades] or [_("合格"), _("不合格")]
        form.fields["grade"].widget.choices = [("", _("全部等级")), *((g, g) for g in grade_names)]
        return queryset

    def export_columns(self) -> Sequence[Column]:
        return exports.SUBJECT_COLUMNS

    def export_row(self, obj: AssessmentSubject) -> Sequence[Any]:
        obj.cycle = self.cycle
        return exports.subject_row(obj, show_result=selectors.result_visible(self.request.user, obj))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        manage = selectors.can_manage(self.request.user, self.cycle)
        context.update(
            cycle=self.cycle,
            can_manage=manage,
            can_assign=manage and self.cycle.status in services.SCORING_CYCLE_STATES,
            see_results=manage or covers(self.request.user, Perm.ASSESSMENT_SCORE, self.cycle.organization),
            assign_form=AssignForm(reviewers=selectors.eligible_reviewers(self.cycle)) if manage else None,
        )
        return context


def scope_visible_branches(user: Any, cycle: AssessmentCycle) -> QuerySet[AssessmentSubject]:
    """Child units of the organiser under which the user sees at least one subject (an id subquery)."""
    prefix = len(cycle.organization.path) + Organization.steplen
    paths = (
        selectors.subject_list(user=user)
        .filter(cycle=cycle)
        .annotate(branch=Substr("organization__path", 1, prefix))
        .values("branch")
    )
    return Organization.objects.filter(path__in=paths).values("pk")


def filtered_subject_ids(user: Any, cycle: AssessmentCycle, query: str) -> QuerySet[Any]:
    """The ids of the subjects the subjects page shows for ``query`` (its filter), on every page."""
    queryset = selectors.subject_list(user=user).filter(cycle=cycle)
    filterset = SubjectFilterSet(QueryDict(query) or None, queryset=queryset)
    chosen = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    return chosen.order_by().values_list("pk", flat=True)


class CycleAssignView(PermissionRequiredMixin, View):
    """分配评审: the ticked subjects (or every subject the filter shows) to one reviewer."""

    permission = Perm.ASSESSMENT_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        cycle = selectors.cycle_get(user=request.user, pk=pk, manage=True)
        form = AssignForm(request.POST, reviewers=selectors.eligible_reviewers(cycle))
        query = request.POST.get("query", "")
        back = reverse("assessments:subject_list", kwargs={"pk": cycle.pk}) + (f"?{query}" if query else "")
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect(back)
        ids = form.cleaned_data["subjects"]
        if form.cleaned_data["all_filtered"]:
            ids = filtered_subject_ids(request.user, cycle, query)
        try:
            done = services.reviewers_assign(
                actor=request.user, cycle=cycle, subject_ids=ids, reviewer=form.cleaned_data["reviewer"]
            )
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(
                request,
                _("已分配 %(n)d 个考核对象;跳过 %(s)d 个(已分配、已评审或不在该评审人的范围内)。")
                % {"n": done.created, "s": done.skipped},
            )
        return redirect(back)


# --- one subject -------------------------------------------------------------------------------


def subject_context(request: HttpRequest, subject: AssessmentSubject) -> dict[str, Any]:
    user = request.user
    manage = selectors.can_manage(user, subject.cycle)
    appeal = getattr(subject, "appeal", None)
    today = timezone.localdate()
    can_submit = covers(user, Perm.ASSESSMENT_SUBMIT, subject.organization)
    deadline = subject.cycle.appeal_deadline
    return {
        "subject": subject,
        "cycle": subject.cycle,
        "groups": selectors.subject_sheet(subject),
        "show_scores": selectors.result_visible(user, subject),
        "show_reviewers": manage,
        "can_manage": manage,
        "can_fill": can_submit
        and subject.status == SubjectStatus.NOT_STARTED
        and subject.cycle.status in services.SCORING_CYCLE_STATES,
        "late": subject.status == SubjectStatus.NOT_STARTED and today > subject.self_deadline,
        "assignments": list(subject.assignments.select_related("reviewer").order_by("pk")) if manage else [],
        "appeal": appeal,
        "can_appeal": can_submit
        and appeal is None
        and subject.status == SubjectStatus.PUBLISHED
        and deadline is not None
        and today <= deadline,
        "appeal_form": AppealForm(),
        "decision_form": AppealDecisionForm(),
        "extend_form": ExtendForm(),
        "can_confirm": manage and subject.status in services.SCORABLE,
    }


class SubjectDetailView(PermissionRequiredMixin, View):
    """One assessed unit: self-assessment and evidence, scores (when visible), result and appeal."""

    permission = Perm.ASSESSMENT_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        subject = selectors.subject_get(user=request.user, pk=pk)
        return render(request, "assessments/subject_detail.html", subject_context(request, subject))


class SubjectActionView(PermissionRequiredMixin, View):
    """POST an action on one subject; errors come back as a message on the subject page."""

    http_method_names = ["post"]
    action: ClassVar[str] = ""

    def fetch(self, request: HttpRequest, pk: int) -> AssessmentSubject:
        if self.permission == Perm.ASSESSMENT_MANAGE:
            return selectors.subject_manage_get(user=request.user, pk=pk)
        return selectors.subject_get(user=request.user, pk=pk, perm=self.permission)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subject = self.fetch(request, pk)
        try:
            done = getattr(self, f"do_{self.action}")(request, subject)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, done)
        return redirect(self.next_url(subject))

    def next_url(self, subject: AssessmentSubject) -> str:
        return reverse("assessments:subject_detail", kwargs={"pk": subject.pk})


class SubjectManageView(SubjectActionView):
    permission = Perm.ASSESSMENT_MANAGE

    def do_extend(self, request: HttpRequest, subject: AssessmentSubject) -> str:
        form = ExtendForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请填写延期日期。"))
        services.subject_extend(actor=request.user, subject=subject, until=form.cleaned_data["until"])
        return _("已延期。")

    def do_confirm(self, request: HttpRequest, subject: AssessmentSubject) -> str:
        services.subject_mark_reviewed(actor=request.user, subject=subject)
        return _("评审结果已确认。")

    def do_unassign(self, request: HttpRequest, subject: AssessmentSubject) -> str:
        assignment = ReviewerAssignment.objects.filter(subject=subject, pk=request.POST.get("assignment") or 0).first()
        if assignment is None:
            raise ValidationError(_("请选择要撤回的评审人。"))
        services.reviewer_unassign(actor=request.user, assignment=assignment)
        return _("已撤回该评审人。")

    def do_decide(self, request: HttpRequest, subject: AssessmentSubject) -> str:
        appeal = getattr(subject, "appeal", None)
        if appeal is None:
            raise ValidationError(_("该结果没有申诉。"))
        form = AppealDecisionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("请选择处理结果并填写处理意见。"))
        services.appeal_decide(actor=request.user, appeal=appeal, **form.cleaned_data)
        return _("申诉已处理。")


class SubjectAppealView(SubjectActionView):
    permission = Perm.ASSESSMENT_SUBMIT
    action = "appeal"

    def do_appeal(self, request: HttpRequest, subject: AssessmentSubject) -> str:
        services.appeal_submit(actor=request.user, subject=subject, reasons=request.POST.get("reasons", ""))
        return _("申诉已提交,请等待组织考核的单位处理。")


def plain(value: Any) -> str:
    """A stored decimal as a person typed it: 20 rather than 20.00."""
    return "" if value is None else f"{value.normalize():f}"


def fill_forms(
    groups: list[selectors.Group],
    posted: dict[str, tuple[str, str]],
    errors: dict[str, str],
    names: tuple[str, str],
    stored: Any,
) -> None:
    """Put each leaf's input values on the sheet: what was posted (after a refusal) or what is stored."""
    first, second = names
    for group in groups:
        for sheet in group.leaves:
            key = sheet.leaf.id
            values = posted.get(key, ("", "")) if posted else stored(sheet)
            sheet.form = {
                first: values[0],
                second: values[1],
                f"{first}_error": errors.get(f"{first}-{key}", ""),
                f"{second}_error": errors.get(f"{second}-{key}", ""),
            }


def stored_self(sheet: selectors.LeafSheet) -> tuple[str, str]:
    return (sheet.item.text, plain(sheet.item.self_score)) if sheet.item else ("", "")


def stored_score(sheet: selectors.LeafSheet) -> tuple[str, str]:
    mine = sheet.scores[0] if sheet.scores else None
    return (plain(mine.score), mine.comment) if mine else ("", "")


def _entries(post: Any, first: str, second: str) -> dict[str, tuple[str, str]]:
    """``<first>-<leaf id>`` / ``<second>-<leaf id>`` pairs from a posted form."""
    ids = {key.split("-", 1)[1] for key in post if key.startswith((f"{first}-", f"{second}-"))}
    return {i: (post.get(f"{first}-{i}", ""), post.get(f"{second}-{i}", "")) for i in ids}


class SelfAssessmentView(PermissionRequiredMixin, View):
    """填报自评: an account (and optional self score) per leaf, evidence files, then submission."""

    permission = Perm.ASSESSMENT_SUBMIT

    def fetch(self, request: HttpRequest, pk: int) -> AssessmentSubject:
        return selectors.subject_get(user=request.user, pk=pk, perm=Perm.ASSESSMENT_SUBMIT)

    def render_page(
        self,
        request: HttpRequest,
        subject: AssessmentSubject,
        *,
        posted: dict[str, tuple[str, str]] | None = None,
        errors: dict[str, str] | None = None,
        general: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = subject_context(request, subject)
        fill_forms(context["groups"], posted or {}, errors or {}, ("text", "score"), stored_self)
        context.update(errors=errors or {}, general=general or [], accept=ACCEPT)
        return render(request, "assessments/self_assessment.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.fetch(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subject = self.fetch(request, pk)
        entries = _entries(request.POST, "text", "score")
        try:
            services.self_assessment_save(actor=request.user, subject=subject, entries=entries)
            if request.POST.get("submit"):
                services.self_assessment_submit(actor=request.user, subject=subject)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
            general = [] if errors else exc.messages
            subject.refresh_from_db()
            return self.render_page(request, subject, posted=entries, errors=errors, general=general, status=400)
        if request.POST.get("submit"):
            messages.success(request, _("自评已提交。"))
            return redirect("assessments:subject_detail", pk=subject.pk)
        messages.success(request, _("已保存。"))
        return redirect("assessments:self_assessment", pk=subject.pk)


class EvidenceUploadView(SubjectActionView):
    permission = Perm.ASSESSMENT_SUBMIT
    action = "upload"

    def do_upload(self, request: HttpRequest, subject: AssessmentSubject) -> str:
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError(_("请选择要上传的文件。"))
        services.evidence_add(
            actor=request.user, subject=subject, indicator_id=request.POST.get("indicator", ""), upload=upload
        )
        return _("材料已上传。")

    def next_url(self, subject: AssessmentSubject) -> str:
        anchor = self.request.POST.get("indicator", "")
        return reverse("assessments:self_assessment", kwargs={"pk": subject.pk}) + f"#leaf-{anchor}"


def evidence_response(evidence: EvidenceFile) -> FileResponse:
    """The stored file under its original name, never cached by shared caches; 404 when the file is gone."""
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    ext = extension(evidence.file.name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


class EvidenceDownloadView(PermissionRequiredMixin, View):
    permission = Perm.ASSESSMENT_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return evidence_response(selectors.evidence_get(user=request.user, pk=pk))


class EvidenceDeleteView(PermissionRequiredMixin, View):
    permission = Perm.ASSESSMENT_SUBMIT
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        evidence = selectors.evidence_get(user=request.user, pk=pk, perm=Perm.ASSESSMENT_SUBMIT)
        try:
            services.evidence_remove(actor=request.user, evidence=evidence)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("材料已删除。"))
        page = reverse("assessments:self_assessment", kwargs={"pk": evidence.subject_id})
        return redirect(f"{page}#leaf-{evidence.indicator_id}")


# --- the unit's and the reviewer's lists -------------------------------------------------------


class MySubjectsView(TableView):
    """我的考核: the subjects of the units where the user self-assesses."""

    permission = Perm.ASSESSMENT_SUBMIT
    selector = staticmethod(selectors.subject_list)
    filterset_class = UnitSubjectFilterSet
    template_name = "assessments/my_subjects.html"
    sort_fields = {"year": "cycle__year", "org": "organization__path", "status": "status"}
    default_sort = "-year"

    def scoped_queryset(self) -> QuerySet[Any]:
        return selectors.subject_list(user=self.request.user, perm=Perm.ASSESSMENT_SUBMIT).exclude(
            cycle__status=CycleStatus.DRAFT
        )


class MyReviewsView(TableView):
    """我的评审任务: the subjects assigned to the user, with how far their scoring is."""

    permission = Perm.ASSESSMENT_SCORE
    selector = staticmethod(selectors.assignment_list)
    filterset_class = AssignmentFilterSet
    template_name = "assessments/my_reviews.html"
    sort_fields = {"org": "subject__organization__path", "deadline": "cycle__review_deadline"}
    default_sort = "deadline"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class ReviewView(PermissionRequiredMixin, View):
    """评分: the unit's self-assessment and evidence beside the reviewer's score and comment per leaf."""

    permission = Perm.ASSESSMENT_SCORE

    def render_page(
        self,
        request: HttpRequest,
        subject: AssessmentSubject,
        *,
        posted: dict[str, tuple[str, str]] | None = None,
        errors: dict[str, str] | None = None,
        general: list[str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        assignment = selectors.my_assignment(request.user, subject)
        scoring_open = assignment is not None and subject.status in services.SCORABLE
        groups = selectors.subject_sheet(subject, reviewer=request.user if assignment else None)
        if assignment is not None:
            fill_forms(groups, posted or {}, errors or {}, ("score", "comment"), stored_score)
        context = {
            "subject": subject,
            "cycle": subject.cycle,
            "assignment": assignment,
            "groups": groups,
            "can_score": scoring_open and subject.cycle.status in services.SCORING_CYCLE_STATES,
            "errors": errors or {},
            "general": general or [],
        }
        return render(request, "assessments/review.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, selectors.review_subject_get(user=request.user, pk=pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        subject = selectors.review_subject_get(user=request.user, pk=pk)
        values = _entries(request.POST, "score", "comment")
        try:
            services.scores_save(actor=request.user, subject=subject, values=values)
            if request.POST.get("submit"):
                subject = services.scores_submit(actor=request.user, subject=subject)
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {}
            return self.render_page(
                request, subject, posted=values, errors=errors, general=[] if errors else exc.messages, status=400
            )
        if request.POST.get("submit"):
            messages.success(
                request,
                _("评分已提交,评审结果已确认。") if subject.status == SubjectStatus.REVIEWED else _("评分已提交。"),
            )
            return redirect("assessments:my_reviews")
        messages.success(request, _("评分已保存。"))
        return redirect("assessments:review", pk=subject.pk)


class ReviewEvidenceView(PermissionRequiredMixin, View):
    """An evidence file of a subject the user reviews (the expert's way to read it)."""

    permission = Perm.ASSESSMENT_SCORE

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        return evidence_response(selectors.review_evidence_get(user=request.user, pk=pk))


# --- the yearly result sheet -------------------------------------------------------------------


class ResultSheetView(TableView):
    """年度考核结果: the published results of a unit (and the units below it) for a year (贺兰 第十四条)."""

    permission = Perm.ASSESSMENT_VIEW
    export_permission = Perm.ASSESSMENT_VIEW
    export_title = "年度考核结果"
    selector = staticmethod(selectors.subject_list)
    filterset_class = UnitSubjectFilterSet
    template_name = "assessments/results.html"
    sort_fields = {"org": "organization__path", "year": "cycle__year", "total": "total"}
    default_sort = "org"

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            selectors.subject_list(user=self.request.user).filter(status__in=RESULT_STATUSES).select_related("appeal")
        )

    def export_columns(self) -> Sequence[Column]:
        return exports.RESULT_COLUMNS

    def export_row(self, obj: AssessmentSubject) -> Sequence[Any]:
        return exports.result_row(obj)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = self.request.GET.get("org", "")
        context["unit"] = unit_in_scope(self.request.user, int(org)) if org.isdigit() else None
        return context


def unit_in_scope(user: Any, pk: int) -> Organization | None:
    return filter_in_scope(Organization.objects.all(), user, Perm.ASSESSMENT_VIEW).filter(pk=pk).first()
