from django import template

from educio.audit.filters import ACTION_CHOICES

register = template.Library()
_LABELS = dict(ACTION_CHOICES)


@register.filter
def audit_action(action: int) -> str:
    """auditlog's action codes in the UI language (its own catalogue has no Chinese)."""
    return str(_LABELS.get(action, action))
