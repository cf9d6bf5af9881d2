"""Forms of the documents pages: input only; a template's real check is in ``services.template_upload``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from educio.documents.models import TemplateKind
from educio.forms import style_form
from educio.orgs.models import Organization
from educio.policies.forms import UnitChoiceField


class TemplateUploadForm(forms.Form):
    organization = UnitChoiceField(
        label=_("上传单位"),
        queryset=Organization.objects.none(),
        help_text=_("该单位及其全部下级单位生成文书时使用此模板(下级单位上传的模板优先)。"),
    )
    kind = forms.ChoiceField(label=_("文书类别"), choices=TemplateKind.choices)
    pack_id = forms.ChoiceField(
        label=_("适用的推荐表式样"),
        required=False,
        help_text=_("推荐表各地式样不同:选择制度包则只用于该制度包的推荐表;不选则适用于任何式样。"),
    )
    file = forms.FileField(
        label=_("模板文件 (.docx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
        help_text=_("Word 文档,不超过 5 MB。可先下载默认模板,在 Word 或 WPS 中修改版式后上传。"),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Organization], pack_choices: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["organization"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = units
        pack_field = self.fields["pack_id"]
        assert isinstance(pack_field, forms.ChoiceField)
        pack_field.choices = [("", _("任何式样")), *pack_choices]
        style_form(self)
