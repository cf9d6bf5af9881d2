"""Review pages: the reviewer's inbox (待办), my submissions, and a process with its timeline and actions.

Views parse input, fetch through the scoped selectors (404 outside the scope)
and call a service; every rule lives in ``services``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.forms import add_service_errors
from educio.listing import TableView
from educio.workflow import selectors, services
from educio.workflow.filters import InboxFilterSet, ProcessFilterSet
from educio.workflow.forms import DecisionForm, WithdrawForm
from educio.workflow.models import ProcessState, ReviewProcess
from educio.workflow.permissions import REVIEW_PERM, SUBMIT_PERM, VIEW_PERM


class InboxView(TableView):
    """Steps waiting for the current user's decision, overdue ones flagged."""

    permission = REVIEW_PERM
    selector = staticmethod(selectors.inbox)
    filterset_class = InboxFilterSet
    template_name = "workflow/inbox.html"
    sort_fields = {
        "activated": "activated_at",
        "due": "due_at",
        "title": "process__title",
        "org": "process__organization__name",
        "kind": "process__kind",
    }
    default_sort = "activated"


class MySubmissionListView(TableView):
    """The processes the current user started, with the step each one is waiting on."""

    permission = SUBMIT_PERM
    selector = staticmethod(selectors.my_submission_list)
    filterset_class = ProcessFilterSet
    template_name = "workflow/process_list.html"
    sort_fields = {"created": "created_at", "submitted": "last_submitted_at", "title": "title", "state": "state"}
    default_sort = "-created"


def render_detail(
    request: HttpRequest,
    process: ReviewProcess,
    *,
    decision_form: DecisionForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponse:
    timeline = selectors.process_timeline(user=request.user, process=process)
    step = timeline.decidable_step
    if step is not None and (decision_form is None or decision_form.step.pk != step.pk):
        decision_form = DecisionForm(step=step)
    decided_in_round = timeline.decided_in_current_round
    is_submitter = services.is_submitter(request.user, process)
    context = {
        "process": process,
        "timeline": timeline,
        "decision_form": decision_form if step is not None else None,
        "decidable_step": step,
        "withdraw_form": withdraw_form or WithdrawForm(),
        "can_submit": is_submitter and process.state == ProcessState.DRAFT,
        "can_resubmit": is_submitter and process.state == ProcessState.RETURNED,
        "can_withdraw": is_submitter and services.withdrawable(process, decided_in_round=decided_in_round),
    }
    return render(request, "workflow/process_detail.html", context, status=status)


class ProcessDetailView(PermissionRequiredMixin, View):
    """The process, its timeline and the actions the current user may take (404 outside the scope)."""

    permission = VIEW_PERM

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_detail(request, selectors.process_get(user=request.user, pk=pk))


class StepDecideView(PermissionRequiredMixin, View):
    """POST a decision on one step; only its eligible reviewers find it (404 for everyone else)."""

    permission = REVIEW_PERM
    http_method_names = ["get", "post"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Reloading the address of a refused decision goes back to the process page."""
        step = selectors.step_get_visible(user=request.user, pk=pk)
        return redirect("workflow:detail", pk=step.process_id)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        step = selectors.step_get_decidable(user=request.user, pk=pk)
        process = selectors.process_get(user=request.user, pk=step.process_id)
        form = DecisionForm(request.POST, step=step)
        if form.is_valid():
            try:
                services.step_decide(actor=request.user, step=step, **form.cleaned_data)
            except PermissionDenied:
                raise Http404 from None
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    # Decided by someone else meanwhile: show who and when on the fresh timeline.
                    messages.error(request, " ".join(exc.messages))
                    return redirect("workflow:detail", pk=process.pk)
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已提交审核意见。"))
                return redirect("workflow:detail", pk=process.pk)
        return render_detail(request, process, decision_form=form, status=400)


class ProcessActionView(PermissionRequiredMixin, View):
    """Base of the submitter's buttons: fetch in scope, run one service, report back."""

    permission = SUBMIT_PERM
    http_method_names = ["post"]
    success_message: Any = ""
    # The service the button runs, called with the actor and the process.
    action: ClassVar[Callable[..., Any]]
    # A process with a subject (a nomination ...) is sent from the subject's page, where its own checks run.
    subject_sends_it: ClassVar[bool] = False

    def act(self, request: HttpRequest, process: ReviewProcess) -> None:
        type(self).action(actor=request.user, process=process)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        process = selectors.process_get(user=request.user, pk=pk)
        if self.subject_sends_it and process.content_type_id:
            messages.error(request, _("该事项须在其材料页面报送,以便先完成材料核验。"))
            return redirect("workflow:detail", pk=process.pk)
        try:
            self.act(request, process)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, self.success_message)
        return redirect("workflow:detail", pk=process.pk)


class ProcessSubmitView(ProcessActionView):
    success_message = gettext_lazy("已报送。")
    action = staticmethod(services.process_submit)
    subject_sends_it = True


class ProcessResubmitView(ProcessActionView):
    success_message = gettext_lazy("已重新报送,审核从第一步重新开始。")
    action = staticmethod(services.process_resubmit)
    subject_sends_it = True


class ProcessWithdrawView(ProcessActionView):
    success_message = gettext_lazy("已撤回。")
    action = staticmethod(services.process_withdraw)

    def act(self, request: HttpRequest, process: ReviewProcess) -> None:
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            raise ValidationError(list(form.errors["reason"]))
        type(self).action(actor=request.user, process=process, reason=form.cleaned_data["reason"])
