"""Two things every form page does the same way: theme classes on widgets, and a service's refusal shown on the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def style_form(form: forms.BaseForm) -> None:
    """Give every widget the theme's class, so forms and filter bars look alike on every page."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


def add_service_errors(form: Any, exc: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
