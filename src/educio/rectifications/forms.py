"""Forms of the rectification and recognition pages; every rule is checked again by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from educio.forms import style_form
from educio.people.models import Person
from educio.rectifications.models import Consequence, RecognitionKind
from educio.rectifications.services import TEXT_MAX_LENGTH

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.admin_position})" if obj.admin_position else obj.name


class _WithPerson(StyledForm):
    """A form about a unit that may name one of its people (the responsible person, the one commended)."""

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]


class OrderForm(_WithPerson):
    person = PersonChoiceField(label=_("责任人"), queryset=Person.objects.none(), required=False, empty_label="—")
    findings = forms.CharField(
        label=_("存在问题"), max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )
    article = forms.CharField(
        label=_("依据条款"), max_length=200, required=False, help_text=_("如:第四条(二)。可填写制度条款编号。")
    )
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)
    consequence = forms.ChoiceField(
        label=_("整改不合格或逾期的后果"), choices=Consequence.choices, required=False, initial=Consequence.NONE
    )


class ReportForm(StyledForm):
    report = forms.CharField(
        label=_("整改报告"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("逐条说明针对存在问题采取的整改措施和成效。"),
    )


class EvidenceForm(StyledForm):
    file = forms.FileField(label=_("佐证材料(PDF 或图片,单个不超过10MB)"))


class DeadlineForm(StyledForm):
    deadline = forms.DateField(label=_("整改期限"), widget=DATE)


class CloseForm(StyledForm):
    reason = forms.CharField(label=_("撤销理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class RecognitionForm(_WithPerson):
    kind = forms.ChoiceField(label=_("类别"), choices=RecognitionKind.choices)
    person = PersonChoiceField(label=_("人员(可不选)"), queryset=Person.objects.none(), required=False, empty_label="—")
    reason = forms.CharField(label=_("事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    date = forms.DateField(label=_("日期"), widget=DATE)
    doc_number = forms.CharField(label=_("文号"), max_length=80, required=False)
    article = forms.CharField(label=_("依据条款"), max_length=200, required=False)
