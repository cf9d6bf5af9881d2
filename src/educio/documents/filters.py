"""Filters of the template table."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from educio.documents.models import DocumentTemplate, TemplateKind
from educio.listing import ActiveStatusSelect


class DocumentTemplateFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("文书类别"), choices=TemplateKind.choices, empty_label=_("全部类别"))
    is_active = django_filters.BooleanFilter(label=_("状态"), widget=ActiveStatusSelect)

    class Meta:
        model = DocumentTemplate
        fields = ["kind", "is_active"]
