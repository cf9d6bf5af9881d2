"""The reviewer's side: the review tasks, the scoring sheet and the evidence it reads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.assessments import selectors, services
from educio.assessments.filters import AssignmentFilterSet
from educio.assessments.models import AssessmentSubject, SubjectStatus
from educio.assessments.views._common import _entries, evidence_response, fill_forms, plain
from educio.listing import TableView


def stored_score(sheet: selectors.LeafSheet) -> tuple[str, str]:
    mine = sheet.scores[0] if sheet.scores else None
    return (plain(mine.score), mine.comment) if mine else ("", "")


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
