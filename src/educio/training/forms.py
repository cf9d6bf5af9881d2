"""Forms of the training pages: input only; the rules live in services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from educio.forms import style_form
from educio.people.forms import DateInput
from educio.policies.schema.base import TRAINING_LEVEL_RANK, TrainingLevel
from educio.training.models import Attendance, TrainingEvent, TrainingResult
from educio.training.models import TrainingLevel as LevelChoices
from educio.training.services import EVENT_FIELDS


class EventForm(forms.ModelForm):
    """A training; the levels offered stop at the organiser's own, the certificate kinds are its pack's."""

    certificate_kind = forms.ChoiceField(label=_("证书类别"), required=False)

    class Meta:
        model = TrainingEvent
        fields = list(EVENT_FIELDS)
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "hours": forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
        }

    def __init__(self, *args: Any, max_level: str, certificate_kinds: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rank = TRAINING_LEVEL_RANK[TrainingLevel(max_level)]
        self.fields["level"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in LevelChoices.choices if TRAINING_LEVEL_RANK[TrainingLevel(value)] <= rank
        ]
        self.fields["certificate_kind"].choices = [("", "—"), *certificate_kinds.items()]  # type: ignore[attr-defined]
        self.fields["certificate_kind"].help_text = _("颁发合格证时必选;证书计入人员的任职条件核验。")
        self.fields["place"].help_text = _("线下培训必填")
        style_form(self)

    def validate_unique(self) -> None:
        """Nothing unique on a training; the service checks the rules."""


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"), max_length=200, widget=forms.TextInput(attrs={"placeholder": _("请填写取消原因")})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class EnrolForm(forms.Form):
    persons = forms.TypedMultipleChoiceField(label=_("人员"), coerce=int)

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"].choices = [(p.pk, p.name) for p in candidates]  # type: ignore[attr-defined]


class RecordForm(forms.Form):
    attendance = forms.ChoiceField(label=_("出勤"), choices=Attendance.choices)
    hours_attended = forms.DecimalField(label=_("获得学时"), required=False, max_digits=5, decimal_places=1)
    result = forms.ChoiceField(label=_("考核结果"), choices=TrainingResult.choices, required=False)


class IssueForm(forms.Form):
    enrollment = forms.IntegerField(required=False, widget=forms.HiddenInput)
    number = forms.CharField(label=_("证书编号"), max_length=60, required=False)
