"""Helpers the assessment pages share: downloads, the user's organising units, sheet forms and evidence files."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope, scope_paths
from educio.assessments import indicators, selectors
from educio.assessments.models import EvidenceFile
from educio.assessments.uploads import CONTENT_TYPES
from educio.orgs.models import Organization, OrgKind
from educio.people.uploads import extension

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ORGANISING_KINDS = (OrgKind.BUREAU, OrgKind.UNIVERSITY)


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def managed_units(user: Any) -> QuerySet[Organization]:
    """Bureaus and universities where the user may organise assessments and keep templates."""
    return filter_in_scope(
        Organization.objects.filter(kind__in=ORGANISING_KINDS, is_active=True), user, Perm.ASSESSMENT_MANAGE
    ).order_by("path")


def scope_roots(user: Any, perm: str) -> list[Organization]:
    paths = scope_paths(user, perm)
    if paths == [""]:
        return list(Organization.objects.get_root_nodes())
    return list(Organization.objects.filter(path__in=paths).order_by("path"))


def scope_label(user: Any) -> str:
    roots = scope_roots(user, Perm.ASSESSMENT_VIEW)
    if not roots:
        return "—"
    return "、".join(r.name for r in roots[:5]) + (_("等") if len(roots) > 5 else "")


def tree_context(tree: list[dict[str, Any]], pack_version_id: int) -> dict[str, Any]:
    cited = selectors.citations(pack_version_id)
    return {"rows": list(indicators.rows(tree, cited)), "leaf_count": len(indicators.leaves(tree))}


def plain(value: Any) -> str:
    """A stored decimal as a person typed it: 20 rather than 20.00."""
    return "" if value is None else f"{value.normalize():f}"


def fill_forms(
    groups: list[selectors.Group],
    posted: dict[str, tuple[str, str]],
    errors: dict[str, str],
    names: tuple[str, str],
    stored: Any,
) -> None:
    """Put each leaf's input values on the sheet: what was posted (after a refusal) or what is stored."""
    first, second = names
    for group in groups:
        for sheet in group.leaves:
            key = sheet.leaf.id
            values = posted.get(key, ("", "")) if posted else stored(sheet)
            sheet.form = {
                first: values[0],
                second: values[1],
                f"{first}_error": errors.get(f"{first}-{key}", ""),
                f"{second}_error": errors.get(f"{second}-{key}", ""),
            }


def _entries(post: Any, first: str, second: str) -> dict[str, tuple[str, str]]:
    """``<first>-<leaf id>`` / ``<second>-<leaf id>`` pairs from a posted form."""
    ids = {key.split("-", 1)[1] for key in post if key.startswith((f"{first}-", f"{second}-"))}
    return {i: (post.get(f"{first}-{i}", ""), post.get(f"{second}-{i}", "")) for i in ids}


def evidence_response(evidence: EvidenceFile) -> FileResponse:
    """The stored file under its original name, never cached by shared caches; 404 when the file is gone."""
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    ext = extension(evidence.file.name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
