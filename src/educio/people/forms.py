"""Forms of the person pages: input only; the rules live in services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from educio.forms import style_form
from educio.people.models import CertificateLevel, Person, Position
from educio.people.services import PERSON_FIELDS
from educio.people.uploads import PHOTO, SCAN


class DateInput(forms.DateInput):
    """The browser's date picker (it sends and expects ISO dates)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class InlineCheckboxes(forms.CheckboxSelectMultiple):
    """Tabler's inline checks, one line of labels instead of a column of bare boxes."""

    template_name = "people/widgets/checkbox_inline.html"


class PersonForm(forms.ModelForm):
    field_order = [*PERSON_FIELDS, "photo"]
    positions = forms.MultipleChoiceField(
        label=_("任职岗位"),
        choices=Position.choices,
        required=False,
        widget=InlineCheckboxes(attrs={"class": "form-check-input"}),
        help_text=_("任职条件按岗位判断,如“学校主要负责人”“分管信息化工作的副校长”。"),
    )
    photo = forms.FileField(
        label=_("照片"),
        required=False,
        widget=forms.FileInput(attrs={"accept": PHOTO.accept}),
        help_text=_("JPG 或 PNG,不超过 5 MB。"),
    )

    class Meta:
        model = Person
        fields = [f for f in PERSON_FIELDS if f != "positions"]
        widgets = {
            "birth_date": DateInput(),
            "joined_unit_on": DateInput(),
            "work_history": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["positions"] = list(self.instance.positions or [])
        self.fields["title_level"].help_text = _("留空时按专业技术职务推断,如“副教授”为副高级。")
        self.fields["phone"].help_text = _("11位手机号码,或带区号的固定电话。")
        style_form(self)

    def validate_unique(self) -> None:
        """Duplicates are refused by the service inside its transaction, not twice."""

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("photo", None)
        return data


def kind_field(label: str, choices: Mapping[str, str], *, required: bool, blank_label: str = "") -> forms.Field:
    """The pack's kinds as a list to choose from; a free code where the pack names none."""
    if choices:
        options = [("", blank_label or "—")] if not required or blank_label else []
        return forms.ChoiceField(label=label, choices=[*options, *choices.items()], required=required)
    return forms.CharField(
        label=label,
        required=required,
        max_length=64,
        help_text=_("本单位适用的制度包未列出类别,请填写类别代码,如 cio_training。"),
    )


class ExperienceForm(forms.Form):
    started_on = forms.DateField(label=_("起始时间"), widget=DateInput())
    ended_on = forms.DateField(label=_("结束时间"), required=False, widget=DateInput(), help_text=_("至今请留空"))
    unit_name = forms.CharField(label=_("工作单位"), max_length=120)
    position = forms.CharField(label=_("职务/岗位"), max_length=60, required=False)

    def __init__(self, *args: Any, kinds: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"] = kind_field(
                str(_("计入的任职经历")), kinds, required=False, blank_label=str(_("不计入任职条件"))
            )
        style_form(self)


class HonourForm(forms.Form):
    title = forms.CharField(label=_("荣誉名称"), max_length=100)
    awarded_on = forms.DateField(label=_("获得时间"), widget=DateInput())
    granted_by = forms.CharField(label=_("授予单位"), max_length=100, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class CertificateForm(forms.Form):
    level = forms.ChoiceField(label=_("培训级别"), choices=CertificateLevel.choices)
    number = forms.CharField(label=_("证书编号"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("发证日期"), widget=DateInput())
    issuer = forms.CharField(label=_("发证单位"), max_length=100)
    scan = forms.FileField(
        label=_("证书扫描件"),
        required=False,
        widget=forms.FileInput(attrs={"accept": SCAN.accept}),
        help_text=_("PDF、JPG 或 PNG,不超过 10 MB。"),
    )

    def __init__(self, *args: Any, kinds: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"kind": kind_field(str(_("证书类别")), kinds, required=True), **self.fields}
        style_form(self)
