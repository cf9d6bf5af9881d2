"""A cycle's subjects and reviewer assignment, and one subject's page and actions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.assessments import exports, selectors, services
from educio.assessments.filters import SubjectFilterSet
from educio.assessments.forms import AppealDecisionForm, AppealForm, AssignForm, ExtendForm
from educio.assessments.models import AssessmentCycle, AssessmentSubject, ReviewerAssignment, SubjectStatus
from educio.assessments.views._common import error_text
from educio.documents.xlsx import Column
from educio.listing import TableView
from educio.orgs.models import Organization


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
