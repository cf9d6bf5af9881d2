"""The 汇总表 as a background export: its title, its re-scoped query, the registered job and its start."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from educio.accounts.roles import Perm
from educio.accounts.scope import covers
from educio.appointments.exports.summary import summary_workbook
from educio.appointments.models import Nomination
from educio.documents.jobs import Progress, register
from educio.documents.models import ExportJob
from educio.orgs.models import Organization

SUMMARY_JOB = "nomination_summary"


def summary_title(organization: Organization) -> str:
    """The sheet's title as the unit's pack prints it (焦作市首席教育信息官汇总表), else a plain one."""
    from educio.policies.selectors import effective_pack

    pack = effective_pack(organization)
    form = pack.spec.nomination_form if pack else None
    if form is not None and form.summary_sheet is not None:
        return form.summary_sheet.title
    return _("首席信息官推荐汇总表")


def nomination_summary_queryset(job: ExportJob) -> QuerySet[Nomination]:
    """The requester's nominations in the job's subtree, scoped again now and narrowed by the list's filters."""
    from educio.appointments.filters import NominationFilterSet
    from educio.appointments.selectors import nomination_list

    user, root = job.requested_by, job.organization
    if not covers(user, Perm.APPOINTMENT_EXPORT, root):
        raise PermissionDenied(_("您已无权导出“%(org)s”的汇总表。") % {"org": root.name})
    queryset = nomination_list(user=user, perm=Perm.APPOINTMENT_EXPORT).filter(organization__path__startswith=root.path)
    filters = NominationFilterSet((job.params or {}).get("filters") or {}, queryset=queryset)
    return filters.qs if filters.is_valid() else queryset


@register(SUMMARY_JOB, label=gettext_lazy("首席信息官推荐汇总表"))
def build_nomination_summary(job: ExportJob, progress: Progress) -> tuple[str, bytes]:
    title = (job.params or {}).get("title") or summary_title(job.organization)
    content = summary_workbook(nomination_summary_queryset(job), title=title, progress=progress)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return f"{title}-{stamp}.xlsx", content


def nomination_summary_start(
    *, actor: Any, filters: dict[str, Any], organization: Organization | None = None, title: str = ""
) -> ExportJob:
    """Queue the 汇总表 of ``organization``'s subtree (default: the actor's top unit) with the list's filters."""
    from educio.documents.services import export_job_start
    from educio.orgs.selectors import org_scope_roots

    if organization is None:
        roots = org_scope_roots(user=actor, perm=Perm.APPOINTMENT_EXPORT)
        if not roots:
            raise PermissionDenied(_("您没有导出汇总表的权限。"))
        organization = roots[0]
    elif not covers(actor, Perm.APPOINTMENT_EXPORT, organization):
        raise PermissionDenied(_("您无权导出“%(org)s”的汇总表。") % {"org": organization.name})
    title = title or summary_title(organization)
    params = {"filters": {k: str(v) for k, v in filters.items()}, "title": title}
    return export_job_start(
        actor=actor,
        kind=SUMMARY_JOB,
        params=params,
        organization=organization,
        title=f"{title} · {organization.name}",
    )
