"""Forms of the organisation pages: input only; rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from educio.forms import style_form
from educio.orgs.models import ALLOWED_CHILD_KINDS, Organization, OrgKind


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "bureau_level",
            "school_type",
            "moe_code",
            "region_code",
            "address",
            "contact_person",
            "contact_phone",
        ]

    def __init__(self, *args: Any, parent: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parent is not None:
            allowed = ALLOWED_CHILD_KINDS.get(parent.kind, set())
            kind_field = self.fields["kind"]
            kind_field.choices = [c for c in OrgKind.choices if c[0] in allowed]  # type: ignore[attr-defined]
        style_form(self)
        self.fields["bureau_level"].help_text = _("仅教育行政部门填写")
        self.fields["school_type"].help_text = _("仅学校填写")
        self.fields["moe_code"].help_text = _("10位数字,教育部学校标识码")

    def validate_unique(self) -> None:
        """Uniqueness is checked by the service inside its transaction, not twice."""


class MoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("新的上级单位"),
        queryset=Organization.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel 文件 (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
    )
