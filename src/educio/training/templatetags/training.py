"""``{% person_trainings person %}``: a person's training record as a card, for the person page."""

from __future__ import annotations

from typing import Any

from django import template

from educio.people.models import Person
from educio.training.selectors import trainings_of

register = template.Library()


@register.inclusion_tag("training/_person_trainings.html", takes_context=True)
def person_trainings(context: dict[str, Any], person: Person) -> dict[str, Any]:
    """The card lists what the viewer may see: nothing (a notice) outside their training scope."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"person_trainings": trainings_of(person, user=user) if user is not None else None, "request": request}
