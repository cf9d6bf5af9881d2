"""Pack pages: list, detail (every section beside its article), source, upload, adopt; and compliance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.scope import covers, has_perm, is_global
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import XLSX_CONTENT_TYPE, Column, build_workbook
from educio.listing import TableView
from educio.orgs.models import Organization
from educio.orgs.selectors import org_get, org_list, org_scope_roots
from educio.policies import selectors, services
from educio.policies.compliance import evaluate_units, rollup, rule_choices
from educio.policies.compliance.engine import ComplianceFinding, iter_chunks
from educio.policies.filters import ComplianceFilterSet, PolicyPackFilterSet
from educio.policies.forms import AdoptForm, PackUploadForm
from educio.policies.loaded import parsed
from educio.policies.loader import PackInvalid
from educio.policies.permissions import POLICY_EXPORT, POLICY_MANAGE, POLICY_VIEW
from educio.policies.schema import SECTION_LABELS


class PackListView(TableView):
    """The packs a user may read: platform packs and those published or adopted in or above their scope."""

    permission = POLICY_VIEW
    selector = staticmethod(selectors.pack_list)
    filterset_class = PolicyPackFilterSet
    template_name = "policies/pack_list.html"
    sort_fields = {"title": "title", "issuer": "issuer", "issued": "issued_on", "uploaded": "created_at"}
    default_sort = "title"

    def ordering_fields(self) -> list[str]:
        return [*super().ordering_fields(), "pack_id", "-version"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_upload"] = has_perm(self.request.user, POLICY_MANAGE)
        return context


class PackDetailView(PermissionRequiredMixin, TemplateView):
    """Every section of the pack in Chinese, each rule beside the article it encodes, and who uses it."""

    permission = POLICY_VIEW
    template_name = "policies/pack_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        pack = selectors.pack_get(user=user, pk=kwargs["pk"])
        spec = parsed(pack)
        adoptions = selectors.adoptions_of_pack(user=user, pack=pack)
        units = selectors.adoptable_units(user=user)
        can_adopt = units.exists()
        return {
            **super().get_context_data(**kwargs),
            "pack": pack,
            "spec": spec,
            "sections": [(name, SECTION_LABELS[name]) for name in spec.present_sections()],
            "versions": selectors.pack_versions(user=user, pack=pack),
            "adoptions": adoptions,
            "manageable_adoptions": {
                a.pk for a in adoptions if a.is_active and covers(user, POLICY_MANAGE, a.organization)
            },
            "adopt_form": AdoptForm(units=units) if can_adopt else None,
        }


class PackSourceView(PermissionRequiredMixin, View):
    """The stored YAML, for download (e.g. to copy and adjust as a new pack)."""

    permission = POLICY_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        pack = selectors.pack_get(user=request.user, pk=pk)
        response = HttpResponse(pack.source, content_type="application/yaml; charset=utf-8")
        name = f"{pack.pack_id}-v{pack.version}.yaml"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


class PackUploadView(PermissionRequiredMixin, View):
    """Upload a pack file: validated with line-precise errors shown on the page, stored as a new version."""

    permission = POLICY_MANAGE
    template_name = "policies/pack_upload.html"

    def form(self, data: Any = None, files: Any = None) -> PackUploadForm:
        user = self.request.user
        return PackUploadForm(
            data,
            files,
            owners=selectors.adoptable_units(user=user),
            allow_platform=is_global(user, POLICY_MANAGE),
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            owner = form.cleaned_data.get("owner")
            try:
                result = services.pack_publish(actor=request.user, raw=upload.read(), filename=upload.name, owner=owner)
                if form.cleaned_data.get("adopt") and owner is not None:
                    services.pack_adopt(actor=request.user, pack=result.pack, organization=owner)
            except PackInvalid as exc:
                context["pack_errors"] = exc.errors
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if result.created:
                    done = {"t": result.pack.title, "v": result.pack.version}
                    messages.success(request, _("已上传“%(t)s”第 %(v)d 版。") % done)
                else:
                    messages.info(request, _("该版本已存在且内容相同,未重复保存。"))
                return redirect("policies:detail", pk=result.pack.pk)
        return render(request, self.template_name, context, status=400)


class PackAdoptView(PermissionRequiredMixin, View):
    permission = POLICY_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        pack = selectors.pack_get(user=request.user, pk=pk)
        form = AdoptForm(request.POST, units=selectors.adoptable_units(user=request.user))
        if not form.is_valid():
            messages.error(request, _("请选择您管理的教育行政部门或高等学校。"))
            return redirect("policies:detail", pk=pack.pk)
        unit = form.cleaned_data["organization"]
        try:
            services.pack_adopt(actor=request.user, pack=pack, organization=unit)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            done = {"org": unit.name, "t": pack.title, "v": pack.version}
            messages.success(request, _("%(org)s已采用“%(t)s”第 %(v)d 版。") % done)
        return redirect("policies:detail", pk=pack.pk)


class AdoptionEndView(PermissionRequiredMixin, View):
    permission = POLICY_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        adoption = selectors.adoption_get(user=request.user, pk=pk)
        try:
            services.pack_adoption_end(actor=request.user, adoption=adoption)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(org)s已停止采用该制度包。") % {"org": adoption.organization.name})
        return redirect("policies:detail", pk=adoption.pack_id)


class ComplianceView(TableView):
    """Findings of the units of a subtree against their packs' checkable rules, a page of units at a time."""

    permission = POLICY_VIEW
    export_permission = POLICY_EXPORT
    export_title = "合规检查"
    export_unit_limit = 5000
    rollup_unit_limit = 5000
    selector = staticmethod(org_list)
    filterset_class = ComplianceFilterSet
    template_name = "policies/compliance.html"
    paginate_by = 10
    sort_fields = {"tree": "path", "name": "name"}
    default_sort = "tree"
    root: Organization

    def scoped_queryset(self) -> QuerySet[Organization]:
        user = self.request.user
        org_id = self.request.GET.get("org", "")
        if org_id.isdigit():
            self.root = org_get(user=user, pk=int(org_id), perm=POLICY_VIEW)
        else:
            roots = org_scope_roots(user=user, perm=POLICY_VIEW)
            if not roots:
                raise PermissionDenied
            self.root = roots[0]
        self.packs = selectors.packs_in_subtree(self.root)
        return org_list(user=user, perm=POLICY_VIEW).filter(path__startswith=self.root.path, is_active=True)

    def get_queryset(self) -> QuerySet[Any]:
        queryset = self.scoped_queryset()
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, rule_choices=rule_choices(self.packs)
        )
        valid = self.filterset.is_bound and self.filterset.is_valid()
        self.selected_rule = self.filterset.form.cleaned_data.get("rule") if valid else ""
        self.selected_status = self.filterset.form.cleaned_data.get("status") if valid else ""
        filtered = self.filterset.qs if valid else self.filterset.queryset
        return filtered.order_by(*self.ordering_fields(), "pk")

    def findings(self, units: Sequence[Organization]) -> list[ComplianceFinding]:
        return evaluate_units(
            units,
            rule_ids={self.selected_rule} if self.selected_rule else None,
            statuses={self.selected_status} if self.selected_status else None,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        units = list(context["object_list"])
        user = self.request.user
        filtered_units = self.get_queryset()
        total = filtered_units.count()
        context.update(
            root=self.root,
            packs=self.packs,
            findings=self.findings(units),
            scope_roots=org_list(user=user, perm=POLICY_VIEW).filter(kind__in=selectors.ADOPTING_KINDS)[:500],
            # One chunk for the whole summary, so the page costs the same for 1 unit or 5,000.
            summary=rollup(filtered_units, chunk_size=self.rollup_unit_limit)
            if total <= self.rollup_unit_limit
            else None,
            unit_total=total,
        )
        return context

    def export_columns(self) -> Sequence[Column]:
        return [
            Column("单位", 28),
            Column("单位类别", 12),
            Column("制度包", 30),
            Column("规则编号", 30),
            Column("规则", 40),
            Column("条款", 12),
            Column("条款原文", 60),
            Column("状态", 12),
            Column("说明", 50),
        ]

    def export(self, request: HttpRequest) -> HttpResponse:
        """One row per finding for every unit of the filtered subtree (evaluated in chunks)."""
        if not has_perm(request.user, POLICY_EXPORT):
            raise PermissionDenied
        queryset = self.get_queryset()
        rows: list[list[Any]] = []
        seen = 0
        for chunk in iter_chunks(queryset, 500):
            chunk = chunk[: max(self.export_unit_limit - seen, 0)]
            seen += len(chunk)
            rows.extend(
                [
                    f.unit.name,
                    f.unit.kind_label,
                    str(f.pack),
                    f.rule.id,
                    f.rule.title,
                    f.article_number,
                    f.article_text,
                    f.status_label,
                    f.explanation,
                ]
                for f in self.findings(chunk)
            )
            if seen >= self.export_unit_limit:
                break
        content = build_workbook(title=self.export_title, columns=self.export_columns(), rows=rows)
        security_event_record(
            kind=EventKind.EXPORT,
            request=request,
            user=request.user,
            org_path=self.root.path,
            detail=f"{self.export_title}: {self.root.name} {len(rows)} 行; {request.GET.urlencode()}"[:500],
        )
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(self.export_title)}-{stamp}.xlsx"
        return response
