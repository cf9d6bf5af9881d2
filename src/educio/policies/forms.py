"""Forms of the pack pages: input only; validation of the pack itself lives in the loader."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization
from educio.policies.loader import MAX_PACK_BYTES

ALLOWED_SUFFIXES = (".yaml", ".yml")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}({obj.kind_label})"


class PackUploadForm(forms.Form):
    file = forms.FileField(
        label=_("制度包文件 (.yaml)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".yaml,.yml"}),
        help_text=_("YAML 格式,不超过 1 MB。文件中的 id 与 version 决定它是哪个制度包的第几版。"),
    )
    owner = UnitChoiceField(
        label=_("发布单位"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("发布单位及其下级单位可以看到并采用该制度包。"),
    )
    adopt = forms.BooleanField(
        label=_("上传后由发布单位立即采用"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args: Any, owners: QuerySet[Organization], allow_platform: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = owners
        self.allow_platform = allow_platform
        field.required = not allow_platform
        field.empty_label = _("平台制度包(所有单位可见)") if allow_platform else _("请选择")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if PurePath(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("请上传 .yaml 或 .yml 文件。"))
        if upload.size is None or upload.size > MAX_PACK_BYTES:
            raise forms.ValidationError(_("文件过大,不能超过 1 MB。"))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("adopt") and not data.get("owner"):
            self.add_error("adopt", _("平台制度包没有发布单位;请上传后在制度包页面选择采用单位。"))
        return data


class AdoptForm(forms.Form):
    organization = UnitChoiceField(
        label=_("采用单位"),
        queryset=Organization.objects.none(),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args: Any, units: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units
