"""Forms of the review pages: input only; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from educio.workflow.models import Decision, ReviewStep
from educio.workflow.services import OPINION_MAX_LENGTH, REASON_MAX_LENGTH


class DecisionForm(forms.Form):
    """Approve / return for revision / reject, with the written opinion and the seal flag."""

    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=Decision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    opinion = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=OPINION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
    seal = forms.BooleanField(
        label=_("已加盖单位公章"), required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )

    def __init__(self, *args: Any, step: ReviewStep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        if step.opinion_required:
            self.fields["opinion"].help_text = _("本步骤须填写意见;退回修改或不同意时须写明理由。")
        else:
            self.fields["opinion"].help_text = _("退回修改或不同意时须写明理由。")
        if step.body:
            self.fields["opinion"].label = _("审议结论")
        if not step.seal_required:
            del self.fields["seal"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由"),
        required=False,
        max_length=REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("撤回理由(选填)")}),
    )
