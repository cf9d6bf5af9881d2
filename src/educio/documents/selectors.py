"""Reads of templates and export jobs, scoped to the user; and the template a unit's documents use.

Templates follow the rule for what units publish: a user sees the templates
of the units in their scope and of the units above it (the ones that apply
to them). Export jobs are private to the account that asked for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from jinja2 import TemplateError

from educio.accounts.roles import Perm
from educio.accounts.scope import is_global, scope_paths, scope_q
from educio.documents.docx import DefaultTemplate, default_template, render, template_error_message
from educio.documents.models import DocumentTemplate, ExportJob
from educio.orgs.models import Organization
from educio.policies.permissions import POLICY_MANAGE, POLICY_VIEW
from educio.policies.selectors import ancestor_paths

logger = logging.getLogger(__name__)


def _in_or_above_scope_q(user: Any, perm: str) -> Q:
    if is_global(user, perm):
        return Q()
    paths = scope_paths(user, perm)
    above = sorted({p for path in paths for p in ancestor_paths(path, include_self=False)})
    return Q(organization__path__in=above) | scope_q(user, perm, "organization__path")


def template_list(*, user: Any, perm: str = POLICY_VIEW) -> QuerySet[DocumentTemplate]:
    """Uploaded templates of units in the user's scope or above it, active and retired."""
    return DocumentTemplate.objects.filter(_in_or_above_scope_q(user, perm)).select_related(
        "organization", "uploaded_by"
    )


def template_get(*, user: Any, pk: int, perm: str = POLICY_VIEW) -> DocumentTemplate:
    return get_object_or_404(template_list(user=user, perm=perm), pk=pk)


def template_manageable_get(*, user: Any, pk: int) -> DocumentTemplate:
    """A template uploaded by a unit the user manages (not one from above their scope), else 404."""
    queryset = DocumentTemplate.objects.filter(scope_q(user, POLICY_MANAGE, "organization__path"))
    return get_object_or_404(queryset.select_related("organization"), pk=pk)


@dataclass(frozen=True)
class ChosenTemplate:
    """The template a document is printed with: a unit's upload, or else the built-in default."""

    uploaded: DocumentTemplate | None
    default: DefaultTemplate

    @property
    def label(self) -> str:
        if self.uploaded is not None:
            return _("%(org)s上传的“%(name)s”") % {
                "org": self.uploaded.organization.name,
                "name": self.uploaded.original_name,
            }
        return _("平台默认模板(%(label)s)") % {"label": self.default.label}

    def read(self) -> bytes:
        if self.uploaded is None:
            return self.default.read()
        try:
            with self.uploaded.file.open("rb") as handle:
                return handle.read()
        except OSError:  # the stored file is gone (a restore without media): print with the default
            logger.exception("document template %s: file %s is missing", self.uploaded.pk, self.uploaded.file.name)
            return self.default.read()

    def render(self, context: dict[str, Any]) -> bytes:
        """The filled document; a template that breaks on real data is reported like one refused at upload."""
        try:
            return render(self.read(), context)
        except TemplateError as exc:
            raise ValidationError(
                _("无法用%(tpl)s生成文书:%(why)s") % {"tpl": self.label, "why": template_error_message(exc)}
            ) from exc


def template_for(organization: Organization, kind: str, pack_id: str = "") -> ChosenTemplate:
    """The nearest active upload for ``kind`` at or above ``organization`` (one query), else the default.

    At the same unit, a template made for the form's pack wins over one for any pack.
    """
    fits_pack = Q(pack_id="") | Q(pack_id=pack_id) if pack_id else Q(pack_id="")
    uploaded = (
        DocumentTemplate.objects.filter(fits_pack, organization__path__in=ancestor_paths(organization.path))
        .filter(kind=kind, is_active=True)
        .select_related("organization")
        .order_by("-organization__depth", "-pack_id", "-uploaded_at", "-pk")
        .first()
    )
    return ChosenTemplate(uploaded=uploaded, default=default_template(kind, pack_id))


# Jobs belong to their requester; anyone who works in the platform may ask for exports and see their own.
JOB_PERMISSION = Perm.DASHBOARD_VIEW


def job_list(*, user: Any) -> QuerySet[ExportJob]:
    """The user's own export jobs only, whatever roles they hold (like API tokens)."""
    return ExportJob.objects.filter(requested_by=user).select_related("organization")


def job_get(*, user: Any, pk: int) -> ExportJob:
    return get_object_or_404(job_list(user=user), pk=pk)
