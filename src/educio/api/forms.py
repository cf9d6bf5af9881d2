from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(label=_("用途"), max_length=80, widget=forms.TextInput(attrs={"class": "form-control"}))
    days = forms.IntegerField(
        label=_("有效天数"),
        required=False,
        min_value=1,
        max_value=366,
        initial=90,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        help_text=_("留空表示长期有效"),
    )
