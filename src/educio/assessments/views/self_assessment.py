"""The unit's side: its subjects, the self-assessment form and the evidence files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.assessments import selectors, services
from educio.assessments.filters import UnitSubjectFilterSet
from educio.assessments.models import AssessmentSubject, CycleStatus
from educio.assessments.uploads import ACCEPT
from educio.assessments.views._common import _entries, error_text, evidence_response, fill_forms, plain
from educio.assessments.views.subjects import SubjectActionView, subject_context
from educio.listing import TableView


def stored_self(sheet: selectors.LeafSheet) -> tuple[str, str]:
    return (sheet.item.text, plain(sheet.item.self_score)) if sheet.item else ("", "")


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
