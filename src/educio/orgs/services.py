"""Every write to the organisation tree. Each runs in one audited transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from educio.accounts.roles import Perm
from educio.accounts.scope import covers, is_global
from educio.audit.models import ChangeLogEntry, EventKind
from educio.audit.services import audited, security_event_record
from educio.documents.xlsx import ImportReport, read_sheet
from educio.orgs import imports
from educio.orgs.imports import ParsedRow
from educio.orgs.models import ALLOWED_CHILD_KINDS, BureauLevel, Organization, OrgKind
from educio.orgs.selectors import org_list

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "kind",
    "bureau_level",
    "school_type",
    "moe_code",
    "region_code",
    "address",
    "contact_person",
    "contact_phone",
)


def _require_manage(actor: Any, org: Organization | None) -> None:
    if org is None:
        if not is_global(actor, Perm.ORG_MANAGE):
            raise PermissionDenied(_("只有平台管理员可以创建顶级单位。"))
    elif not covers(actor, Perm.ORG_MANAGE, org):
        raise PermissionDenied(_("您无权管理该单位。"))


def check_placement(*, parent: Organization | None, kind: str) -> None:
    """A school sits under a bureau, a department under a school or university, and so on."""
    if parent is None:
        if kind != OrgKind.BUREAU and kind != OrgKind.UNIVERSITY:
            raise ValidationError({"parent": _("顶级单位只能是教育行政部门或高等学校。")})
        return
    if kind not in ALLOWED_CHILD_KINDS.get(parent.kind, set()):
        raise ValidationError(
            {
                "parent": _("“%(child)s”不能设在“%(parent)s”(%(pkind)s)之下。")
                % {"child": OrgKind(kind).label, "parent": parent.name, "pkind": OrgKind(parent.kind).label}
            }
        )


def _require_active_parent(parent: Organization | None) -> None:
    """An active unit never sits under a deactivated one (deactivation goes bottom-up, see org_set_active)."""
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("上级单位“%(p)s”已停用,请先启用上级单位。") % {"p": parent.name}})


def normalise_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Blank MOE codes are NULL (unique), and level/type only where the kind has one."""
    data = {k: fields.get(k, "") for k in EDITABLE_FIELDS if k in fields}
    for code in ("moe_code", "region_code"):
        if code in data:
            data[code] = imports.normalise_code(data[code])
    if "moe_code" in data:
        data["moe_code"] = data["moe_code"] or None
    kind = data.get("kind")
    if kind and kind != OrgKind.BUREAU:
        data["bureau_level"] = ""
    if kind and kind != OrgKind.SCHOOL:
        data["school_type"] = ""
    if kind == OrgKind.BUREAU and not data.get("bureau_level"):
        raise ValidationError({"bureau_level": _("教育行政部门必须填写行政级别。")})
    if kind == OrgKind.BUREAU and data.get("bureau_level") not in BureauLevel.values:
        raise ValidationError({"bureau_level": _("行政级别无效。")})
    return data


def org_create(*, actor: Any, parent: Organization | None, **fields: Any) -> Organization:
    """Add a unit under ``parent`` (or a new top-level jurisdiction for the platform admin)."""
    _require_manage(actor, parent)
    data = normalise_fields(fields)
    check_placement(parent=parent, kind=data["kind"])
    candidate = Organization(**data)
    candidate.full_clean(exclude=["path", "depth", "numchild"])
    with audited(actor):
        if parent is None:
            return Organization.objects.add_root(instance=candidate)
        locked = Organization.objects.select_for_update().get(pk=parent.pk)
        _require_active_parent(locked)
        return Organization.objects.add_child(locked, instance=candidate)


def org_update(*, actor: Any, org: Organization, **fields: Any) -> Organization:
    _require_manage(actor, org)
    data = normalise_fields({"kind": org.kind, **fields})
    parent = Organization.objects.get_parent(org)
    if data["kind"] != org.kind:
        check_placement(parent=parent, kind=data["kind"])
        if any(
            c.kind not in ALLOWED_CHILD_KINDS.get(data["kind"], set()) for c in Organization.objects.get_children(org)
        ):
            raise ValidationError({"kind": _("该单位已有下级单位,不能改为此类别。")})
    for key, value in data.items():
        setattr(org, key, value)
    org.full_clean(exclude=["path", "depth", "numchild"])
    with audited(actor):
        org.save()
    return org


def org_move(*, actor: Any, org: Organization, new_parent: Organization) -> Organization:
    """Move a unit (with its subtree) under another unit; the actor must manage both."""
    _require_manage(actor, org)
    _require_manage(actor, new_parent)
    if new_parent.path.startswith(org.path):
        raise ValidationError({"parent": _("不能把单位移动到它自己或它的下级单位之下。")})
    old_path = org.path
    if old_path[: -Organization.steplen] == new_parent.path:
        raise ValidationError({"parent": _("该单位已经在“%(p)s”之下。") % {"p": new_parent.name}})
    check_placement(parent=new_parent, kind=org.kind)
    old_parent = Organization.objects.get_parent(org)
    with audited(actor):
        _require_active_parent(Organization.objects.select_for_update().get(pk=new_parent.pk))
        Organization.objects.move(org, new_parent, pos="last-child")
        org.refresh_from_db()
        # treebeard rewrites the paths with UPDATE statements, which send no signal, so
        # django-auditlog would not see the move: it is logged here, filed under the new place.
        ChangeLogEntry.objects.log_create(
            org,
            action=ChangeLogEntry.Action.UPDATE,
            changes={
                "parent": [old_parent.name if old_parent else "", new_parent.name],
                "path": [old_path, org.path],
            },
        )
    return org


def org_set_active(*, actor: Any, org: Organization, active: bool) -> Organization:
    """Deactivate or reactivate; units are never hard-deleted because records refer to them."""
    _require_manage(actor, org)
    with audited(actor):
        locked = Organization.objects.select_for_update().get(pk=org.pk)
        if locked.is_active == active:
            state = _("启用") if active else _("停用")
            raise ValidationError(_("该单位已经是%(state)s状态。") % {"state": state})
        if not active and Organization.objects.get_descendants(locked).filter(is_active=True).exists():
            raise ValidationError(_("请先停用该单位的全部下级单位。"))
        if active and locked.depth > 1:
            _require_active_parent(Organization.objects.get_parent(locked))
        locked.is_active = active
        locked.save(update_fields=["is_active", "updated_at"])
    return locked


def _resolve_parent(
    ref: str,
    *,
    default: Organization,
    by_code: dict[str, Organization],
    by_name: dict[str, list[Organization]],
    pending: dict[str, ParsedRow],
) -> Organization | ParsedRow | str:
    """The parent a row names: an existing unit (code or unique name), a row of the same file, or an error."""
    if not ref:
        return default
    if ref in by_code:
        return by_code[ref]
    matches = by_name.get(ref, [])
    if ref in pending and not matches:
        return pending[ref]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        return _("有多个名为“%(v)s”的单位,请改填其学校标识码") % {"v": ref}
    return _("找不到上级单位“%(v)s”(须在您的管理范围内)") % {"v": ref}


def org_import(
    *, actor: Any, upload: Any, default_parent: Organization, request: HttpRequest | None = None
) -> ImportReport:
    """Validate every row of an uploaded sheet; save all of them, or none if any row is wrong."""
    _require_manage(actor, default_parent)
    sheet = read_sheet(upload, expected_headers=imports.REQUIRED_HEADERS)
    result = ImportReport(sheet=sheet.sheet)
    manageable = list(
        org_list(user=actor, perm=Perm.ORG_MANAGE).only("pk", "path", "name", "kind", "moe_code", "depth")
    )
    by_code = {o.moe_code: o for o in manageable if o.moe_code}
    by_name: dict[str, list[Organization]] = {}
    for o in manageable:
        by_name.setdefault(o.name, []).append(o)
    taken_codes = set(
        Organization.objects.exclude(moe_code=None)
        .filter(moe_code__in=[imports.normalise_code(c.get(imports.MOE, "")) for _n, c in sheet.rows])
        .values_list("moe_code", flat=True)
    )
    pending: dict[str, ParsedRow] = {}
    plan: list[tuple[ParsedRow, Organization | ParsedRow]] = []
    seen_codes: dict[str, int] = {}
    for number, cells in sheet.rows:
        parsed, errors = imports.parse_row(number, cells)
        for column, reason in errors:
            result.add(number, column, reason)
        code = parsed.fields["moe_code"]
        if code and code in taken_codes:
            result.add(number, imports.MOE, _("学校标识码 %(c)s 已被其他单位使用") % {"c": code})
        elif code and code in seen_codes:
            result.add(number, imports.MOE, _("学校标识码 %(c)s 与第%(r)d行重复") % {"c": code, "r": seen_codes[code]})
        elif code:
            seen_codes[code] = number
        parent = _resolve_parent(
            parsed.parent_ref, default=default_parent, by_code=by_code, by_name=by_name, pending=pending
        )
        if isinstance(parent, str):
            result.add(number, imports.PARENT, parent)
        elif not any(column in (imports.KIND, imports.TYPE) for column, _reason in errors):
            # Report every error of a row at once, unless its kind is unreadable (nothing else can be checked).
            _validate_row(parsed, parent, result)
            if not errors:
                plan.append((parsed, parent))
        pending.setdefault(parsed.fields["name"], parsed)
    if result.errors:
        return result
    with audited(actor):
        created: dict[int, Organization] = {}
        for parsed, parent in plan:
            parent_org = created[parent.row] if isinstance(parent, ParsedRow) else parent
            parent_org = Organization.objects.get(pk=parent_org.pk)
            created[parsed.row] = Organization.objects.add_child(
                parent_org, instance=Organization(**normalise_fields(parsed.fields))
            )
        result.created = len(created)
        security_event_record(
            kind=EventKind.IMPORT,
            request=request,
            user=actor,
            org_path=default_parent.path,
            detail=f"单位导入:{result.created} 个单位,文件 {getattr(upload, 'name', '')}",
        )
    return result


def _validate_row(parsed: ParsedRow, parent: Organization | ParsedRow, result: ImportReport) -> None:
    parent_unit = (
        Organization(name=parent.fields["name"], kind=parent.fields["kind"])
        if isinstance(parent, ParsedRow)
        else parent
    )
    try:
        check_placement(parent=parent_unit, kind=parsed.fields["kind"])
        _require_active_parent(parent_unit)
        data = normalise_fields(parsed.fields)
        # Uniqueness of the MOE code was checked for the whole file at once above.
        Organization(**data).full_clean(exclude=["path", "depth", "numchild"], validate_unique=False)
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            for message in messages:
                result.add(parsed.row, imports.FIELD_COLUMNS.get(field_name, field_name), message)
