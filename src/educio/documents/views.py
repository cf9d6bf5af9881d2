"""Pages of the documents app: the Word templates in force, and the user's own background exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.scope import covers, has_perm
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents import docx, selectors, services
from educio.documents.filters import DocumentTemplateFilterSet
from educio.documents.forms import TemplateUploadForm
from educio.documents.models import ExportJob, JobStatus
from educio.documents.selectors import JOB_PERMISSION
from educio.forms import add_service_errors
from educio.listing import TableView
from educio.policies.permissions import POLICY_MANAGE, POLICY_VIEW
from educio.policies.selectors import adoptable_units, pack_list


def attachment(handle: Any, filename: str, content_type: str = "") -> FileResponse:
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type or None)


# --- templates ---------------------------------------------------------------------------------


class TemplateListView(TableView):
    """文书模板: the built-in defaults, and the templates uploaded in or above the user's scope."""

    permission = POLICY_VIEW
    selector = staticmethod(selectors.template_list)
    filterset_class = DocumentTemplateFilterSet
    template_name = "documents/template_list.html"
    sort_fields = {"org": "organization__path", "uploaded": "uploaded_at"}
    default_sort = "org"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["defaults"] = docx.default_templates()
        context["can_upload"] = has_perm(user, POLICY_MANAGE)
        context["manageable"] = {t.pk for t in context["object_list"] if covers(user, POLICY_MANAGE, t.organization)}
        return context


class TemplateUploadView(PermissionRequiredMixin, View):
    """Upload a unit's own template: refused with docxtpl's reason when it does not render."""

    permission = POLICY_MANAGE
    template_name = "documents/template_upload.html"

    def form(self, data: Any = None, files: Any = None) -> TemplateUploadForm:
        user = self.request.user
        titles: dict[str, str] = {}  # each pack's newest title
        for pack_id, title in pack_list(user=user).order_by("pack_id", "-version").values_list("pack_id", "title"):
            titles.setdefault(pack_id, f"{title}({pack_id})")
        return TemplateUploadForm(data, files, units=adoptable_units(user=user), pack_choices=list(titles.items()))

    def page(self, request: HttpRequest, form: TemplateUploadForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "defaults": docx.default_templates()}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, self.form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            try:
                template = services.template_upload(
                    actor=request.user,
                    organization=form.cleaned_data["organization"],
                    kind=form.cleaned_data["kind"],
                    pack_id=form.cleaned_data["pack_id"],
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已上传“%(name)s”,%(org)s及其下级单位将使用该模板。")
                    % {"name": template.original_name, "org": template.organization.name},
                )
                return redirect("documents:templates")
        return self.page(request, form, status=400)


class TemplateDownloadView(PermissionRequiredMixin, View):
    permission = POLICY_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        template = selectors.template_get(user=request.user, pk=pk)
        return attachment(template.file.open("rb"), template.original_name, docx.DOCX_CONTENT_TYPE)


class DefaultTemplateDownloadView(PermissionRequiredMixin, View):
    """下载默认模板 (``?key=``): the starting point for a bureau's own template."""

    permission = POLICY_VIEW

    def get(self, request: HttpRequest) -> HttpResponseBase:
        default = docx.default_template_by_key(request.GET.get("key", ""))
        if default is None:
            return redirect("documents:templates")
        return attachment(default.path.open("rb"), default.filename, docx.DOCX_CONTENT_TYPE)


class TemplateDeactivateView(PermissionRequiredMixin, View):
    permission = POLICY_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = selectors.template_manageable_get(user=request.user, pk=pk)
        try:
            services.template_deactivate(actor=request.user, template=template)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        else:
            messages.success(request, _("已停用“%(name)s”。") % {"name": template.original_name})
        return redirect("documents:templates")


# --- export jobs -------------------------------------------------------------------------------


class JobListView(PermissionRequiredMixin, ListView):
    """我的导出: the user's own background exports, newest first."""

    permission = JOB_PERMISSION
    template_name = "documents/job_list.html"
    paginate_by = 20

    def get_queryset(self) -> Any:
        return selectors.job_list(user=self.request.user).order_by("-created_at", "-pk")


class JobDetailView(PermissionRequiredMixin, TemplateView):
    """One export: a progress bar that refreshes itself until the file is ready, then the download link."""

    permission = JOB_PERMISSION
    template_name = "documents/job_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "job": selectors.job_get(user=self.request.user, pk=kwargs["pk"])}


class JobProgressView(JobDetailView):
    """The progress card alone, polled by htmx every second while the job is queued or running."""

    template_name = "documents/_job_progress.html"


class JobDownloadView(PermissionRequiredMixin, View):
    """The finished file; each download is recorded as an export of the job's subtree."""

    permission = JOB_PERMISSION

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        job: ExportJob = selectors.job_get(user=request.user, pk=pk)
        if job.status != JobStatus.DONE or not job.file:
            raise Http404
        security_event_record(
            kind=EventKind.EXPORT,
            request=request,
            user=request.user,
            org_path=job.organization.path,
            detail=f"{job.title}: {job.total} 行; 任务 {job.pk}"[:500],
        )
        return attachment(job.file.open("rb"), job.filename)
