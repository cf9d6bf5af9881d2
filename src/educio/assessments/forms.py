"""Forms of the assessment pages; the rules behind them live in ``services``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.assessments.models import AppealDecision, IndicatorTemplate
from educio.forms import style_form
from educio.orgs.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class TemplateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organization.name} · {obj.name}(第{obj.version}版)"


class CopyForm(StyledForm):
    organization = UnitChoiceField(label=_("复制到"), queryset=Organization.objects.none(), empty_label=None)

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = units  # type: ignore[attr-defined]


class CycleForm(StyledForm):
    cycle_id = forms.ChoiceField(label=_("考核类别(制度方案)"))
    template = TemplateChoiceField(
        label=_("指标模板"),
        queryset=IndicatorTemplate.objects.none(),
        required=False,
        empty_label=_("使用制度方案中的指标体系"),
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    name = forms.CharField(
        label=_("考核名称"), max_length=200, required=False, help_text=_("留空则按年度与考核类别命名")
    )
    self_deadline = forms.DateField(label=_("自评截止日期"), widget=DATE)
    review_deadline = forms.DateField(label=_("评审截止日期"), widget=DATE)
    appeal_deadline = forms.DateField(
        label=_("申诉截止日期"), widget=DATE, required=False, help_text=_("可在发布结果时再设定")
    )

    def __init__(
        self, *args: Any, cycles: list[tuple[str, str]], templates: QuerySet[IndicatorTemplate], **kwargs: Any
    ) -> None:
        today = timezone.localdate()
        kwargs.setdefault(
            "initial",
            {
                "year": today.year,
                "self_deadline": today + timedelta(days=30),
                "review_deadline": today + timedelta(days=60),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["cycle_id"].choices = cycles  # type: ignore[attr-defined]
        self.fields["template"].queryset = templates  # type: ignore[attr-defined]


class DeadlinesForm(StyledForm):
    self_deadline = forms.DateField(label=_("自评截止日期"), widget=DATE)
    review_deadline = forms.DateField(label=_("评审截止日期"), widget=DATE)
    appeal_deadline = forms.DateField(label=_("申诉截止日期"), widget=DATE, required=False)


class PublishForm(StyledForm):
    appeal_deadline = forms.DateField(label=_("申诉截止日期"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"appeal_deadline": timezone.localdate() + timedelta(days=15)})
        super().__init__(*args, **kwargs)


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name or obj.username}({obj.username})"


class AssignForm(StyledForm):
    reviewer = ReviewerChoiceField(label=_("评审人"), queryset=None)
    subjects = forms.TypedMultipleChoiceField(label=_("考核对象"), coerce=int, required=False)
    all_filtered = forms.BooleanField(label=_("分配给筛选结果中的全部对象"), required=False)

    def __init__(self, *args: Any, reviewers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers  # type: ignore[attr-defined]
        # Any id may be posted; the service keeps only the cycle's subjects in the reviewer's area.
        self.fields["subjects"].choices = [(v, v) for v in self.data.getlist("subjects")] if self.is_bound else []  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("subjects") and not cleaned.get("all_filtered"):
            raise forms.ValidationError(_("请勾选要分配的考核对象,或选择“分配给筛选结果中的全部对象”。"))
        return cleaned


class ExtendForm(StyledForm):
    until = forms.DateField(label=_("延期至"), widget=DATE)


class AppealForm(StyledForm):
    reasons = forms.CharField(
        label=_("申诉理由"), widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000, "data-count": ""})
    )


class AppealDecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("处理结果"), choices=AppealDecision.choices)
    new_total = forms.CharField(
        label=_("变更后总分"), required=False, help_text=_("变更结果时填写,等级按考核规则重新确定")
    )
    note = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}))
