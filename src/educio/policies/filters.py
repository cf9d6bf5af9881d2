"""Filters of the pack list and the compliance table."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from educio.orgs.models import Organization, OrgKind
from educio.policies.compliance import STATUS_LABELS
from educio.policies.models import PolicyPack


class PolicyPackFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("关键字"), method="search")

    class Meta:
        model = PolicyPack
        fields = ["q"]

    def search(self, queryset: QuerySet[PolicyPack], name: str, value: Any) -> QuerySet[PolicyPack]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(issuer__icontains=value)
            | Q(doc_number__icontains=value)
            | Q(pack_id__icontains=value)
        )


def _keep(queryset: QuerySet[Organization], name: str, value: Any) -> QuerySet[Organization]:
    """Rule and status narrow the findings, not the units; the view reads them from ``form.cleaned_data``."""
    return queryset


class ComplianceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("单位名称"), method="search")
    kind = django_filters.ChoiceFilter(label=_("单位类别"), choices=OrgKind.choices, empty_label=_("全部类别"))
    rule = django_filters.ChoiceFilter(label=_("规则"), choices=[], method=_keep, empty_label=_("全部规则"))
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[(k.value, v) for k, v in STATUS_LABELS.items()],
        method=_keep,
        empty_label=_("全部状态"),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "rule", "status"]

    def __init__(self, *args: Any, rule_choices: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["rule"].extra["choices"] = rule_choices or []
        for field in self.form.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if hasattr(field, "choices") else "form-control")

    def search(self, queryset: QuerySet[Organization], name: str, value: Any) -> QuerySet[Organization]:
        value = value.strip()
        return queryset.filter(name__icontains=value) if value else queryset
