"""Forms of the nomination and appointment pages; the 推荐表 itself is built from the pack's variant."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from educio.forms import style_form
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.schema.people import FieldType, FormField, NominationForm


def date_input() -> forms.DateInput:
    """An HTML date picker; it only accepts ISO dates, whatever the page's language formats dates as."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


def _widget(field: FormField) -> forms.Widget:
    attrs: dict[str, Any] = {}
    if field.max_length:
        attrs["maxlength"] = field.max_length
    if field.type == FieldType.TEXTAREA:
        return forms.Textarea(attrs={**attrs, "rows": 8, "data-count": "1"})
    if field.type == FieldType.DATE:
        return date_input()
    if field.type == FieldType.MONTH:
        return forms.TextInput(attrs={"type": "month", "placeholder": "1980-05"})
    if field.type == FieldType.INTEGER:
        return forms.NumberInput(attrs={"min": field.min_value, "max": field.max_value})
    if field.type == FieldType.PHONE:
        return forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})
    if field.type == FieldType.EMAIL:
        return forms.EmailInput()
    if field.type == FieldType.CHOICE:
        return forms.Select(choices=[("", "—")] + [(c, c) for c in field.choices or []])
    return forms.TextInput(attrs=attrs)


class NominationDataForm(StyledForm):
    """The pack variant's fields, exactly as printed; values are cleaned by the service, not here."""

    def __init__(self, *args: Any, form_spec: NominationForm, **kwargs: Any) -> None:
        self.form_spec = form_spec
        super().__init__(*args, **kwargs)
        for spec in form_spec.fields:
            self.fields[spec.id] = forms.CharField(
                label=spec.label,
                required=False,
                widget=_widget(spec),
                help_text=spec.help or "",
            )
            # The printed form's own marks: required (shown, enforced on submission) and full-width boxes.
            self.fields[spec.id].spec_required = spec.required  # type: ignore[attr-defined]
            self.fields[spec.id].wide = spec.type == FieldType.TEXTAREA  # type: ignore[attr-defined]
        style_form(self)


def honours_from_post(form_spec: NominationForm, data: Any) -> list[dict[str, str]]:
    """Rows ``honours-<row>-<column>`` of the posted table, in row order."""
    table = form_spec.honours
    if table is None:
        return []
    indexes = sorted(
        {int(key.split("-")[1]) for key in data if key.startswith("honours-") and key.split("-")[1].isdigit()}
    )
    return [{c.id: data.get(f"honours-{i}-{c.id}", "") for c in table.columns} for i in indexes]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.organization.name} {obj.admin_position})"


class StartForm(StyledForm):
    person = PersonChoiceField(label=_("被推荐人"), queryset=Person.objects.none())

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = persons


class ChangeForm(StartForm):
    change_reason = forms.CharField(label=_("变更原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SubmitForm(StyledForm):
    justification = forms.CharField(
        label=_("情况说明(未满足或无法核实的条件)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirmed = forms.BooleanField(label=_("本人确认"), required=False)
    confirmer_name = forms.CharField(label=_("填写人签字(姓名)"), required=False, max_length=40)


class IssueForm(StyledForm):
    doc_number = forms.CharField(label=_("聘任文号"), max_length=80)
    doc_date = forms.DateField(label=_("发文日期"), widget=date_input())
    starts_on = forms.DateField(label=_("任期开始"), widget=date_input())
    ends_on = forms.DateField(
        label=_("任期届满"),
        required=False,
        widget=date_input(),
        help_text=_("留空则按制度方案的任期年限计算;制度方案未规定任期的长期有效。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["doc_date"].initial = today
        self.fields["starts_on"].initial = today


class RevokeForm(StyledForm):
    reason = forms.CharField(label=_("取消任命原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    doc_number = forms.CharField(label=_("文号"), max_length=80)
    article = forms.CharField(label=_("依据条款"), max_length=200, required=False)


class ReopenForm(StyledForm):
    until = forms.DateField(label=_("延期报送至"), widget=date_input())


class WindowForm(StyledForm):
    organization = forms.ModelChoiceField(label=_("组织单位"), queryset=Organization.objects.none())
    post = forms.ChoiceField(label=_("岗位"))
    title = forms.CharField(label=_("批次名称"), max_length=120)
    opens_on = forms.DateField(label=_("开始日期"), widget=date_input())
    deadline = forms.DateField(label=_("报送截止日期"), widget=date_input())
    note = forms.CharField(label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, units: QuerySet[Any], posts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["organization"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        post_field = self.fields["post"]
        assert isinstance(post_field, forms.ChoiceField)
        post_field.choices = posts
