"""Indicator template pages: the list, a pack's tree, a template, copying and the editor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.assessments import indicators, selectors, services
from educio.assessments.filters import TemplateFilterSet
from educio.assessments.forms import CopyForm
from educio.assessments.models import IndicatorTemplate
from educio.assessments.views._common import error_text, managed_units, scope_roots, tree_context
from educio.listing import TableView
from educio.policies.loaded import LoadedPack
from educio.policies.schema.people import SUBJECT_LABELS
from educio.policies.selectors import effective_packs, pack_get, packs_in_subtree


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
