from django import template
from django.core.exceptions import FieldDoesNotExist

from educio.audit.filters import ACTION_CHOICES
from educio.audit.models import ChangeLogEntry

register = template.Library()
_LABELS = dict(ACTION_CHOICES)


@register.filter
def audit_action(action: int) -> str:
    """auditlog's action codes in the UI language (its own catalogue has no Chinese)."""
    return str(_LABELS.get(action, action))


@register.filter
def change_lines(entry: ChangeLogEntry) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each changed field, with verbose names and choice labels.

    Uses only the model's metadata (no query), so the audit page keeps a fixed query count.
    """
    model = entry.content_type.model_class() if entry.content_type_id else None
    lines = []
    for name, values in (entry.changes_dict or {}).items():
        old, new = [*values, None, None][:2] if isinstance(values, list) else (None, values)
        label, choices = name, {}
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and (not getattr(field, "concrete", False) or getattr(field, "primary_key", False)):
                continue  # reverse relations and the row id say nothing a reader needs
            if field is not None:
                label = str(getattr(field, "verbose_name", name))
                choices = {str(k): str(v) for k, v in (getattr(field, "choices", None) or [])}
        lines.append((label, _display(old, choices), _display(new, choices)))
    return lines


def _display(value: object, choices: dict[str, str]) -> str:
    if value in (None, "None", ""):
        return "—"
    text = str(value)
    return choices.get(text, text)
