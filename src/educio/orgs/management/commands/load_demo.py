"""``manage.py load_demo``: the four demo jurisdictions from ``seeds/`` and one login per role.

Idempotent: every unit is looked up by its stable key (MOE code; parent +
level + region code for a bureau; parent + name for a department) and every
account by its username, and only what is missing is created. A second run
writes nothing, so it adds no audit entries either.

Audit: the loader writes through the ORM in one transaction, so django-auditlog
records each created unit, account and role assignment with no actor (shown as
"系统") and with the unit's path, exactly as it records any other change. The
demo therefore starts with an audit trail each jurisdiction's audit
administrator can see for their own subtree. (The bench loader ``seed_scale``,
by contrast, bulk-inserts synthetic rows and is not audited row by row.)

Existing units and accounts are never overwritten: an edit made in the demo
survives the next ``make run``. ``--reset-passwords`` sets every demo account
back to the demo password, re-activates it and lifts any lock-out.
"""

from __future__ import annotations

from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import Role
from educio.appointments.demo import load_demo_appointments
from educio.assessments.demo import load_demo_assessments
from educio.orgs.demo_data import DEMO_PASSWORD, DemoUnit, all_accounts, all_units
from educio.orgs.models import Organization, OrgKind
from educio.people.demo import load_demo_people
from educio.training.demo import load_demo_training


def find_unit(unit: DemoUnit, parent: Organization | None) -> Organization | None:
    """The existing row for ``unit``, found by its stable key (see the module docstring)."""
    if unit.moe_code:
        return Organization.objects.filter(moe_code=unit.moe_code).first()
    if parent is None:
        siblings = Organization.objects.filter(depth=1)
    else:
        siblings = Organization.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
    if unit.kind == OrgKind.BUREAU:
        return siblings.filter(kind=unit.kind, bureau_level=unit.bureau_level, region_code=unit.region_code).first()
    return siblings.filter(kind=unit.kind, name=unit.name).first()


def ensure_units() -> tuple[dict[str, Organization], int]:
    """Every demo unit by its ``ref``, and how many were created."""
    by_ref: dict[str, Organization] = {}
    created = 0
    for unit, parent_unit in all_units():
        parent = by_ref[parent_unit.ref] if parent_unit else None
        org = find_unit(unit, parent)
        if org is None:
            candidate = Organization(**unit.model_fields())
            candidate.full_clean(exclude=["path", "depth", "numchild"])
            if parent is None:
                org = Organization.objects.add_root(instance=candidate)
            else:
                org = Organization.objects.add_child(Organization.objects.get(pk=parent.pk), instance=candidate)
            created += 1
        by_ref[unit.ref] = org
    return by_ref, created


def ensure_accounts(by_ref: dict[str, Organization], *, reset_passwords: bool) -> tuple[int, int]:
    """Create missing demo accounts and role assignments; returns (accounts, assignments) created."""
    hashes: list[str] = []

    def password_hash() -> str:
        """Argon2 is slow on purpose: hash the demo password once and share the hash."""
        if not hashes:
            hashes.append(make_password(DEMO_PASSWORD))
        return hashes[0]

    now = timezone.now()
    accounts = {a.username: a for a in all_accounts()}
    existing = {u.username: u for u in User.objects.filter(username__in=accounts)}
    users_created = assignments_created = 0
    for username, account in accounts.items():
        user = existing.get(username)
        if user is None:
            user = User.objects.create(
                username=username,
                full_name=account.full_name,
                # The platform administrator belongs to no jurisdiction; everyone else to their unit.
                home_organization=None if account.role == Role.PLATFORM_ADMIN else by_ref[account.unit_ref],
                password=password_hash(),
                must_change_password=False,
                password_changed_at=now,
            )
            users_created += 1
        elif reset_passwords:
            user.password = password_hash()
            user.must_change_password = False
            user.is_active = True
            user.password_changed_at = now
            user.save(update_fields=["password", "must_change_password", "is_active", "password_changed_at"])
        _, made = RoleAssignment.objects.get_or_create(
            user=user, role=account.role, organization=by_ref[account.unit_ref]
        )
        assignments_created += int(made)
    return users_created, assignments_created


class Command(BaseCommand):
    help = "加载演示数据:焦作、贺兰、宜春学院、乌海四个单位体系及每个角色的演示账号(可重复运行)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="把所有演示账号的密码恢复为演示密码,并重新启用、解除锁定",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            self.stderr.write(
                self.style.WARNING("注意:DEBUG 已关闭。演示账号共用公开的演示密码,请勿在生产数据库中加载演示数据。")
            )
        with transaction.atomic():
            by_ref, units_created = ensure_units()
            users_created, assignments_created = ensure_accounts(by_ref, reset_passwords=options["reset_passwords"])
            persons_created = load_demo_people(User.objects.get(username="platform_admin"))
        # The four demo roots adopt the pack written from their own policy document.
        call_command("load_packs", adopt_demo=True, stdout=self.stdout, stderr=self.stderr)
        appointments_created = load_demo_appointments(User.objects.get(username="platform_admin"), by_ref)
        trainings_created = load_demo_training(User.objects.get(username="platform_admin"))
        cycles_opened = load_demo_assessments(User.objects.get(username="platform_admin"))
        if options["reset_passwords"]:
            for account in all_accounts():
                axes_reset(username=account.username)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪:新建单位 {units_created} 个(共 {len(by_ref)} 个),"
                f"新建账号 {users_created} 个,新建角色授权 {assignments_created} 个,新建人员 {persons_created} 人,"
                f"新建任命 {appointments_created} 个,新建培训 {trainings_created} 个。"
            )
        )
        self.stdout.write(f"新开考核 {cycles_opened} 个。")
