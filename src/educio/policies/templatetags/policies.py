"""Template helpers of the pack pages: Chinese labels of codes, article citations, rule trees."""

from __future__ import annotations

from typing import Any

from django import template

from educio.policies import display
from educio.policies.eligibility import Vocabulary
from educio.policies.schema import Pack

register = template.Library()


@register.filter
def policy_label(value: Any, vocabulary: str) -> str:
    """``{{ step.actor.level|policy_label:"level" }}`` -> 县级教育行政部门."""
    return display.label(value, vocabulary)


@register.filter
def policy_labels(values: Any, vocabulary: str) -> str:
    return display.labels(values, vocabulary)


@register.inclusion_tag("policies/_article.html")
def cite(pack: Pack, article_id: str | None, compact: bool = False) -> dict[str, Any]:
    """The cited article's number and verbatim text, shown beside the rule that encodes it."""
    return {"article": pack.article(article_id), "article_id": article_id, "compact": compact}


@register.inclusion_tag("policies/_condition.html")
def describe_rule(pack: Pack, rule: Any) -> dict[str, Any]:
    return {"node": display.describe(rule, Vocabulary.of(pack))}


@register.simple_tag
def chain_step(pack: Pack, chain_id: str, step_id: str) -> Any:
    chain = pack.review_chains.get(chain_id)
    return next((s for s in chain.steps if s.id == step_id), None) if chain else None
