"""The yearly result sheet of a unit and the units below it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope
from educio.assessments import exports, selectors
from educio.assessments.filters import UnitSubjectFilterSet
from educio.assessments.models import RESULT_STATUSES, AssessmentSubject
from educio.documents.xlsx import Column
from educio.listing import TableView
from educio.orgs.models import Organization


class ResultSheetView(TableView):
    """年度考核结果: the published results of a unit (and the units below it) for a year (贺兰 第十四条)."""

    permission = Perm.ASSESSMENT_VIEW
    export_permission = Perm.ASSESSMENT_VIEW
    export_title = "年度考核结果"
    selector = staticmethod(selectors.subject_list)
    filterset_class = UnitSubjectFilterSet
    template_name = "assessments/results.html"
    sort_fields = {"org": "organization__path", "year": "cycle__year", "total": "total"}
    default_sort = "org"

    def scoped_queryset(self) -> QuerySet[Any]:
        return (
            selectors.subject_list(user=self.request.user).filter(status__in=RESULT_STATUSES).select_related("appeal")
        )

    def export_columns(self) -> Sequence[Column]:
        return exports.RESULT_COLUMNS

    def export_row(self, obj: AssessmentSubject) -> Sequence[Any]:
        return exports.result_row(obj)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        org = self.request.GET.get("org", "")
        context["unit"] = unit_in_scope(self.request.user, int(org)) if org.isdigit() else None
        return context


def unit_in_scope(user: Any, pk: int) -> Organization | None:
    return filter_in_scope(Organization.objects.all(), user, Perm.ASSESSMENT_VIEW).filter(pk=pk).first()
