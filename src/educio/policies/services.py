"""Every write to packs and adoptions. Each runs in one audited transaction.

- ``pack_publish``: store a new pack version from an uploaded file (validated,
  versioned: the same content again is a no-op, different content under an
  existing version is refused).
- ``pack_adopt``: a unit adopts a version for its subtree, superseding its
  previous adoption (which stays, with the time it ended).
- ``pack_adoption_end``: a unit stops using its own adoption (the units then
  fall back to the pack adopted above them, if any).
- ``seed_packs_load`` / ``demo_packs_adopt``: the command-line loaders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from educio.accounts.scope import covers, is_global
from educio.audit.models import EventKind
from educio.audit.services import audited, security_event_record
from educio.orgs.models import Organization
from educio.policies.loader import PackInvalid, ParsedPack, parse_pack, parse_pack_file
from educio.policies.models import PackAdoption, PolicyPack
from educio.policies.permissions import POLICY_MANAGE
from educio.policies.selectors import ADOPTING_KINDS, pack_list

PACKS_DIR = Path(__file__).resolve().parent / "packs"

# The demo jurisdictions (orgs/demo_data.py) and the seed pack each one adopts.
DEMO_ADOPTIONS = {
    "焦作市教育局": "jiaozuo-2022",
    "贺兰县教育体育局": "helan-2024",
    "宜春学院": "yichun-2025",
    "乌海市教育局": "wuhai-2023",
}


@dataclass(frozen=True)
class PublishResult:
    pack: PolicyPack
    created: bool


def _require_can_publish(actor: Any, owner: Organization | None, pack_id: str) -> None:
    if owner is None:
        if not is_global(actor, POLICY_MANAGE):
            raise PermissionDenied(_("只有平台管理员可以发布平台制度包。"))
    else:
        if not covers(actor, POLICY_MANAGE, owner):
            raise PermissionDenied(_("您无权以该单位名义发布制度包。"))
        if owner.kind not in ADOPTING_KINDS:
            raise ValidationError({"owner": _("只有教育行政部门或高等学校可以发布制度包。")})
    # A new version of an existing pack id may come only from whoever may manage its publisher.
    for earlier in PolicyPack.objects.filter(pack_id=pack_id).select_related("owner"):
        if earlier.owner is None and not is_global(actor, POLICY_MANAGE):
            raise PermissionDenied(
                _("制度包“%(id)s”是平台制度包,只有平台管理员可以发布新版本;如需修改,请使用新的 id。") % {"id": pack_id}
            )
        if earlier.owner is not None and not covers(actor, POLICY_MANAGE, earlier.owner):
            raise PermissionDenied(
                _("制度包“%(id)s”由%(org)s发布,您无权发布它的新版本;如需修改,请使用新的 id。")
                % {"id": pack_id, "org": earlier.owner.name}
            )


def _store(parsed: ParsedPack, *, filename: str, owner: Organization | None, actor: Any) -> PublishResult:
    """Insert the version, or return the identical stored one; refuse different content under the same version."""
    spec = parsed.pack
    existing = PolicyPack.objects.select_for_update().filter(pack_id=spec.id, version=spec.version).first()
    if existing is not None:
        if existing.sha256 == parsed.sha256:
            return PublishResult(existing, created=False)
        raise ValidationError(
            _("制度包“%(id)s”第 %(v)d 版已存在且内容不同。已发布的版本不能修改,请提高 version 后再上传。")
            % {"id": spec.id, "v": spec.version}
        )
    try:
        row = PolicyPack.objects.create(
            pack_id=spec.id,
            version=spec.version,
            title=spec.title,
            issuer=spec.issuer,
            doc_number=spec.doc_number or "",
            issued_on=spec.issued_on,
            source=parsed.source,
            filename=filename[:200],
            sha256=parsed.sha256,
            owner=owner,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    except IntegrityError as exc:  # a concurrent upload of the same version won the race
        raise ValidationError(
            _("制度包“%(id)s”第 %(v)d 版刚刚已被发布。") % {"id": spec.id, "v": spec.version}
        ) from exc
    return PublishResult(row, created=True)


def pack_publish(*, actor: Any, raw: bytes | str, filename: str, owner: Organization | None) -> PublishResult:
    """Validate an uploaded pack file and store it as a new version published by ``owner``.

    Raises ``PackInvalid`` (with line-precise errors) for a bad file,
    ``ValidationError`` when the version exists with other content, and
    ``PermissionDenied`` when the actor may not publish for ``owner``.
    """
    parsed = parse_pack(raw, filename=filename)
    _require_can_publish(actor, owner, parsed.pack.id)
    with audited(actor):
        result = _store(parsed, filename=filename, owner=owner, actor=actor)
        if result.created:
            security_event_record(
                kind=EventKind.IMPORT,
                user=actor,
                org_path=owner.path if owner else "",
                detail=f"上传制度包 {parsed.pack.id} 第{parsed.pack.version}版,文件 {filename},sha256 {parsed.sha256}",
            )
    return result


def _adopt(*, actor: Any, pack: PolicyPack, organization: Organization) -> PackAdoption:
    """Supersede the unit's active adoption (if any) and record the new one; the caller holds a transaction."""
    now = timezone.now()
    current = PackAdoption.objects.select_for_update().filter(organization=organization, superseded_at__isnull=True)
    user = actor if getattr(actor, "is_authenticated", False) else None
    for adoption in current:
        if adoption.pack_id == pack.pk:
            raise ValidationError(_("%(org)s已在采用该版本。") % {"org": organization.name})
        adoption.superseded_at = now
        adoption.superseded_by = user
        adoption.save(update_fields=["superseded_at", "superseded_by"])
    try:
        return PackAdoption.objects.create(organization=organization, pack=pack, adopted_by=user, adopted_at=now)
    except IntegrityError as exc:  # two adoptions at the same moment: the other one won
        raise ValidationError(_("%(org)s的制度包刚刚已被他人变更,请刷新后重试。") % {"org": organization.name}) from exc


def pack_adopt(*, actor: Any, pack: PolicyPack, organization: Organization) -> PackAdoption:
    """``organization`` adopts ``pack`` for its whole subtree, superseding the version it used before."""
    if not covers(actor, POLICY_MANAGE, organization):
        raise PermissionDenied(_("您无权为该单位设置制度包。"))
    if organization.kind not in ADOPTING_KINDS:
        raise ValidationError(_("只有教育行政部门或高等学校可以采用制度包。"))
    if not organization.is_active:
        raise ValidationError(_("该单位已停用。"))
    if not pack_list(user=actor).filter(pk=pack.pk).exists():
        raise PermissionDenied(_("您无权使用该制度包。"))
    with audited(actor):
        return _adopt(actor=actor, pack=pack, organization=organization)


def pack_adoption_end(*, actor: Any, adoption: PackAdoption) -> PackAdoption:
    """Stop using a pack at a unit; its subtree falls back to the pack adopted above it, if any."""
    if not covers(actor, POLICY_MANAGE, adoption.organization):
        raise PermissionDenied(_("您无权为该单位设置制度包。"))
    with audited(actor):
        locked = PackAdoption.objects.select_for_update().get(pk=adoption.pk)
        if locked.superseded_at is not None:
            raise ValidationError(_("该采用记录已经停止。"))
        locked.superseded_at = timezone.now()
        locked.superseded_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save(update_fields=["superseded_at", "superseded_by"])
    return locked


# --- command-line loaders ----------------------------------------------------------------------


@dataclass(frozen=True)
class LoadOutcome:
    filename: str
    status: str  # "created" | "unchanged" | "refused" | "invalid"
    message: str
    pack: PolicyPack | None = None


def seed_pack_load(path: Path) -> LoadOutcome:
    """Load one platform pack file: new version -> new row; same content -> nothing; changed content -> refused."""
    try:
        parsed = parse_pack_file(path)
    except PackInvalid as exc:
        return LoadOutcome(path.name, "invalid", str(exc))
    spec = parsed.pack
    try:
        with audited(None):
            result = _store(parsed, filename=path.name, owner=None, actor=None)
    except ValidationError as exc:
        return LoadOutcome(path.name, "refused", " ".join(exc.messages))
    if result.created:
        return LoadOutcome(path.name, "created", f"已加载 {spec.id} 第{spec.version}版", result.pack)
    return LoadOutcome(path.name, "unchanged", f"{spec.id} 第{spec.version}版未变化", result.pack)


def seed_packs_load(directory: Path = PACKS_DIR) -> list[LoadOutcome]:
    """Load every ``*.yaml`` of ``directory`` (safe to re-run)."""
    return [seed_pack_load(path) for path in sorted(directory.glob("*.yaml"))]


def demo_packs_adopt() -> list[str]:
    """The four demo jurisdictions adopt the newest version of their seed pack (safe to re-run).

    A unit already on an older version of its seed pack moves to the newest; a
    unit that adopted some other pack keeps it.
    """
    messages: list[str] = []
    for org_name, pack_id in DEMO_ADOPTIONS.items():
        org = Organization.objects.filter(name=org_name, depth=1).first()
        pack = PolicyPack.objects.filter(pack_id=pack_id).order_by("-version").first()
        if org is None or pack is None:
            messages.append(f"跳过 {org_name}:{'找不到该单位' if org is None else f'尚未加载制度包 {pack_id}'}")
            continue
        active = (
            PackAdoption.objects.filter(organization=org, superseded_at__isnull=True).select_related("pack").first()
        )
        if active is not None and active.pack_id == pack.pk:
            messages.append(f"{org_name} 已采用 {pack_id} 第{pack.version}版")
            continue
        if active is not None and active.pack.pack_id != pack_id:
            # Someone chose another pack for the demo unit: a re-run must not undo that choice.
            messages.append(f"{org_name} 正在采用 {active.pack.pack_id},保持不变")
            continue
        with audited(None):
            _adopt(actor=None, pack=pack, organization=org)
        messages.append(f"{org_name} 采用 {pack_id} 第{pack.version}版")
    return messages
