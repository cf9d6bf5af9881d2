"""Organisation pages: tree + table, detail, create/edit/move/(de)activate, import and export."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, has_perm
from educio.appointments.models import AppointmentStatus
from educio.appointments.selectors import appointment_list
from educio.documents.xlsx import XLSX_CONTENT_TYPE, Column, ImportReport, build_workbook
from educio.forms import add_service_errors
from educio.imports import ImportView
from educio.listing import TableView
from educio.orgs import imports, selectors, services
from educio.orgs.filters import OrganizationFilterSet
from educio.orgs.forms import MoveForm, OrganizationForm
from educio.orgs.models import ALLOWED_CHILD_KINDS, Organization, OrgKind
from educio.rectifications.selectors import recognitions_of_unit


class OrganizationListView(TableView):
    """The RuoYi-style page: tree on the left, the selected subtree as a table on the right."""

    permission = Perm.ORG_VIEW
    export_permission = Perm.ORG_EXPORT
    export_title = "单位列表"
    selector = staticmethod(selectors.org_list)
    filterset_class = OrganizationFilterSet
    template_name = "orgs/organization_list.html"
    sort_fields = {
        "name": "name",
        "kind": "kind",
        "moe_code": "moe_code",
        "region_code": "region_code",
        "updated": "updated_at",
        "tree": "path",
    }
    default_sort = "tree"
    selected: Organization | None = None

    def scoped_queryset(self) -> QuerySet[Organization]:
        queryset = selectors.org_list(user=self.request.user)
        org_id = self.request.GET.get("org")
        self.selected = None
        if org_id and org_id.isdigit():
            self.selected = selectors.org_get(user=self.request.user, pk=int(org_id))
            queryset = queryset.filter(path__startswith=self.selected.path)
        return queryset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        parents = selectors.org_parents_by_path(rows)
        context.update(
            rows=[(org, parents.get(org.path[: -Organization.steplen])) for org in rows],
            tree=selectors.org_tree(user=self.request.user, selected=self.selected),
            selected=self.selected,
            can_manage=(self.selected is not None and covers(self.request.user, Perm.ORG_MANAGE, self.selected))
            or (self.selected is None and has_perm(self.request.user, Perm.ORG_MANAGE)),
        )
        return context

    def export_columns(self) -> Sequence[Column]:
        return [
            Column(h, 20)
            for h in (
                "单位名称",
                "简称",
                "类别",
                "学校标识码",
                "行政区划代码",
                "地址",
                "联系人",
                "联系电话",
                "状态",
                "层级路径",
            )
        ]

    def export_row(self, obj: Organization) -> Sequence[Any]:
        return [
            obj.name,
            obj.short_name,
            obj.kind_label,
            obj.moe_code or "",
            obj.region_code,
            obj.address,
            obj.contact_person,
            obj.contact_phone,
            _("启用") if obj.is_active else _("停用"),
            obj.path,
        ]


class OrganizationTreeChildrenView(PermissionRequiredMixin, View):
    """htmx: the children of one tree node, loaded when it is opened."""

    permission = Perm.ORG_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        parent = selectors.org_get(user=request.user, pk=pk)
        nodes = [selectors.TreeNode(c) for c in selectors.org_children(user=request.user, parent=parent)]
        return render(request, "orgs/_tree_nodes.html", {"nodes": nodes, "selected": None})


class OrganizationDetailView(PermissionRequiredMixin, TemplateView):
    permission = Perm.ORG_VIEW
    template_name = "orgs/organization_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        org = selectors.org_get(user=self.request.user, pk=kwargs["pk"])
        ancestors = list(selectors.org_ancestors(org))
        return {
            **super().get_context_data(**kwargs),
            "org": org,
            "ancestors": ancestors,
            "children_count": org.numchild,
            "subtree_count": selectors.org_list(user=self.request.user).filter(path__startswith=org.path).count() - 1,
            "can_manage": covers(self.request.user, Perm.ORG_MANAGE, org),
            "can_manage_users": covers(self.request.user, Perm.USER_MANAGE, org),
            **self.post_holders(org),
            "recognitions": recognitions_of_unit(org, user=self.request.user),
        }

    def post_holders(self, org: Organization) -> dict[str, Any]:
        """The unit's CIO now (and a link to every appointment it had), for those who may see appointments."""
        user = self.request.user
        if not has_perm(user, Perm.APPOINTMENT_VIEW):
            return {}
        holders = appointment_list(user=user).filter(organization=org, status=AppointmentStatus.ACTIVE)
        return {"post_holders": list(holders), "can_see_appointments": True}


class OrganizationCreateView(PermissionRequiredMixin, View):
    """Add a unit under the parent chosen in the tree (``?parent=``)."""

    permission = Perm.ORG_MANAGE
    template_name = "orgs/organization_form.html"

    def parent(self, pk: int) -> Organization:
        return selectors.org_get(user=self.request.user, pk=pk, perm=Perm.ORG_MANAGE)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        parent = self.parent(pk)
        allowed = ALLOWED_CHILD_KINDS.get(parent.kind, set())
        kind = next((k for k in (OrgKind.SCHOOL, OrgKind.DEPARTMENT, OrgKind.BUREAU) if k in allowed), "")
        form = OrganizationForm(initial={"kind": kind, "region_code": parent.region_code}, parent=parent)
        return render(request, self.template_name, {"form": form, "parent": parent})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        parent = self.parent(pk)
        form = OrganizationForm(request.POST, parent=parent)
        if form.is_valid():
            try:
                org = services.org_create(actor=request.user, parent=parent, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已添加单位“%(name)s”。") % {"name": org.name})
                return redirect("orgs:detail", pk=org.pk)
        return render(request, self.template_name, {"form": form, "parent": parent}, status=400)


class OrganizationUpdateView(PermissionRequiredMixin, View):
    permission = Perm.ORG_MANAGE
    template_name = "orgs/organization_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        org = selectors.org_get(user=request.user, pk=pk, perm=Perm.ORG_MANAGE)
        return render(request, self.template_name, {"form": OrganizationForm(instance=org), "org": org})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        org = selectors.org_get(user=request.user, pk=pk, perm=Perm.ORG_MANAGE)
        form = OrganizationForm(request.POST, instance=Organization.objects.get(pk=org.pk))
        if form.is_valid():
            try:
                services.org_update(actor=request.user, org=org, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("orgs:detail", pk=org.pk)
        return render(request, self.template_name, {"form": form, "org": org}, status=400)


class OrganizationMoveView(PermissionRequiredMixin, View):
    permission = Perm.ORG_MANAGE
    template_name = "orgs/organization_move.html"
    candidate_limit = 2000

    def form(self, request: HttpRequest, org: Organization, data: Any = None) -> MoveForm:
        parent_kinds = [k for k, children in ALLOWED_CHILD_KINDS.items() if org.kind in children]
        parents = (
            selectors.org_list(user=request.user, perm=Perm.ORG_MANAGE)
            .filter(kind__in=parent_kinds, is_active=True)
            .exclude(path__startswith=org.path)
            .exclude(path=org.path[: -Organization.steplen])[: self.candidate_limit]
        )
        return MoveForm(data, parents=parents)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        org = selectors.org_get(user=request.user, pk=pk, perm=Perm.ORG_MANAGE)
        return render(request, self.template_name, {"form": self.form(request, org), "org": org})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        org = selectors.org_get(user=request.user, pk=pk, perm=Perm.ORG_MANAGE)
        form = self.form(request, org, request.POST)
        if form.is_valid():
            try:
                services.org_move(actor=request.user, org=org, new_parent=form.cleaned_data["new_parent"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已移动到“%(p)s”之下。") % {"p": form.cleaned_data["new_parent"].name})
                return redirect("orgs:detail", pk=org.pk)
        return render(request, self.template_name, {"form": form, "org": org}, status=400)


class OrganizationSetActiveView(PermissionRequiredMixin, View):
    permission = Perm.ORG_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        org = selectors.org_get(user=request.user, pk=pk, perm=Perm.ORG_MANAGE)
        active = request.POST.get("active") == "1"
        try:
            services.org_set_active(actor=request.user, org=org, active=active)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已启用。") if active else _("已停用。"))
        return redirect("orgs:detail", pk=org.pk)


class OrganizationImportView(ImportView):
    """Units under the parent chosen in the tree."""

    permission = Perm.ORG_MANAGE
    template_name = "orgs/organization_import.html"
    target_name = "parent"

    def target(self, request: HttpRequest, **kwargs: Any) -> Organization:
        return selectors.org_get(user=request.user, pk=kwargs["pk"], perm=Perm.ORG_MANAGE)

    def run_import(self, request: HttpRequest, target: Any, upload: UploadedFile) -> ImportReport:
        return services.org_import(actor=request.user, upload=upload, default_parent=target, request=request)

    def succeeded(self, request: HttpRequest, target: Any, report: ImportReport) -> HttpResponse:
        messages.success(request, _("导入成功,新增 %(n)d 个单位。") % {"n": report.created})
        return redirect(reverse("orgs:list") + f"?org={target.pk}")


class OrganizationImportTemplateView(PermissionRequiredMixin, View):
    permission = Perm.ORG_MANAGE

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        parent = selectors.org_get(user=request.user, pk=pk, perm=Perm.ORG_MANAGE)
        content = build_workbook(
            title="单位导入模板",
            columns=imports.template_columns(),
            rows=[imports.example_row(parent.name)],
            validation_rows=500,
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''org-import-template-{stamp}.xlsx"
        return response
