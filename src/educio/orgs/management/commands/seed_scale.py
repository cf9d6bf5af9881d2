"""``manage.py seed_scale --schools N``: a province-sized tree for load tests and query plans.

One province bureau (a separate root, region code 990000, which no real
province uses), ``--cities`` city bureaus with ``--counties`` county bureaus
each, ``N`` schools spread evenly over the counties, ``--users-per-school``
accounts per school, administrators for every bureau, and one audit entry per
created unit and account (so the audit page has a realistic amount to scope).

It is fast because it writes the treebeard materialised paths itself (steplen
and alphabet from the model) and bulk-inserts everything in one transaction:
20,000 schools and 100,000 accounts take well under two minutes on SQLite.
Every account shares one password hashed once (argon2 is slow on purpose).
Bulk inserts bypass django-auditlog; the audit entries are written directly
with no actor, like any system import.

Idempotent: when the province already holds ``N`` schools it does nothing;
with a different ``N`` it stops unless ``--reset`` is given, which first
deletes the province's subtree, its accounts and their audit entries.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from auditlog import get_logentry_model
from auditlog.context import disable_auditlog
from auditlog.models import AbstractLogEntry
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from educio.accounts.models import RoleAssignment, User
from educio.accounts.roles import Role
from educio.audit.models import SecurityEvent
from educio.orgs.models import BureauLevel, Organization, OrgKind, SchoolType

PROVINCE_NAME = "基准测试省教育厅"
PROVINCE_REGION = "990000"
USER_PREFIX = "bench_"
DEFAULT_PASSWORD = "Bench@2024"  # noqa: S105 - synthetic load-test accounts only

# Realistic mix: most schools are primary schools, few are vocational or special.
SCHOOL_MIX: Sequence[tuple[str, str]] = (
    [(SchoolType.PRIMARY, "小学")] * 12
    + [(SchoolType.JUNIOR, "初级中学")] * 4
    + [(SchoolType.SENIOR, "高级中学")] * 2
    + [(SchoolType.NINE_YEAR, "九年一贯制学校"), (SchoolType.VOCATIONAL, "职业中学")]
)
SCHOOL_ROLES: list[tuple[str, str]] = [
    ("head", Role.SCHOOL_HEAD),
    ("cio", Role.CIO),
    ("liaison", Role.LIAISON),
    ("security", Role.SECURITY_ADMIN),
    ("audit", Role.AUDIT_ADMIN),
]


def path_step(number: int) -> str:
    """One ``steplen``-wide step of a treebeard path: ``number`` (1-based) in the model's alphabet."""
    alphabet: str = Organization.alphabet
    steplen: int = Organization.steplen
    base = len(alphabet)
    if not 0 < number < base**steplen:
        raise CommandError(f"path step {number} does not fit in {steplen} characters")
    digits = []
    while number:
        number, rest = divmod(number, base)
        digits.append(alphabet[rest])
    return "".join(reversed(digits)).rjust(steplen, alphabet[0])


def path_number(step: str) -> int:
    alphabet: str = Organization.alphabet
    number = 0
    for char in step:
        number = number * len(alphabet) + alphabet.index(char)
    return number


def find_province() -> Organization | None:
    return Organization.objects.filter(
        depth=1, kind=OrgKind.BUREAU, bureau_level=BureauLevel.PROVINCE, region_code=PROVINCE_REGION
    ).first()


def city_admin_username(city: int) -> str:
    return f"{USER_PREFIX}c{city:02d}_admin"


def county_admin_username(city: int, county: int) -> str:
    return f"{USER_PREFIX}c{city:02d}_k{county:02d}_admin"


@dataclass
class Plan:
    """The rows to insert, built in memory first."""

    orgs: list[Organization] = field(default_factory=list)
    # (username, full name, role, index into ``orgs``)
    accounts: list[tuple[str, str, str, int]] = field(default_factory=list)


def build_plan(*, root_path: str, schools: int, cities: int, counties: int, users_per_school: int) -> Plan:
    plan = Plan()
    steplen: int = Organization.steplen

    def add(org: Organization, *, path: str, numchild: int) -> int:
        org.path, org.depth, org.numchild = path, len(path) // steplen, numchild
        plan.orgs.append(org)
        return len(plan.orgs) - 1

    province = add(
        Organization(
            name=PROVINCE_NAME,
            short_name="基准省",
            kind=OrgKind.BUREAU,
            bureau_level=BureauLevel.PROVINCE,
            region_code=PROVINCE_REGION,
        ),
        path=root_path,
        numchild=cities,
    )
    plan.accounts += [
        (f"{USER_PREFIX}p_admin", "省级管理员", Role.BUREAU_ADMIN, province),
        (f"{USER_PREFIX}p_audit", "省级审计员", Role.AUDIT_ADMIN, province),
    ]
    total_counties = cities * counties
    per_county = [schools // total_counties + (1 if i < schools % total_counties else 0) for i in range(total_counties)]
    school_number = 0
    for c in range(1, cities + 1):
        city_path = root_path + path_step(c)
        city = add(
            Organization(
                name=f"基准{c:02d}市教育局",
                kind=OrgKind.BUREAU,
                bureau_level=BureauLevel.CITY,
                region_code=f"99{c:02d}00",
            ),
            path=city_path,
            numchild=counties,
        )
        plan.accounts += [
            (city_admin_username(c), f"{c:02d}市管理员", Role.BUREAU_ADMIN, city),
            (f"{USER_PREFIX}c{c:02d}_reviewer", f"{c:02d}市审核员", Role.BUREAU_REVIEWER, city),
            (f"{USER_PREFIX}c{c:02d}_audit", f"{c:02d}市审计员", Role.AUDIT_ADMIN, city),
        ]
        for k in range(1, counties + 1):
            county_path = city_path + path_step(k)
            region = f"99{c:02d}{k:02d}"
            county_schools = per_county[(c - 1) * counties + (k - 1)]
            county = add(
                Organization(
                    name=f"基准{c:02d}市{k:02d}区教育局",
                    kind=OrgKind.BUREAU,
                    bureau_level=BureauLevel.COUNTY,
                    region_code=region,
                ),
                path=county_path,
                numchild=county_schools,
            )
            plan.accounts.append((county_admin_username(c, k), f"{c:02d}市{k:02d}区管理员", Role.BUREAU_ADMIN, county))
            for s in range(1, county_schools + 1):
                school_number += 1
                school_type, suffix = SCHOOL_MIX[school_number % len(SCHOOL_MIX)]
                school = add(
                    Organization(
                        name=f"基准{c:02d}市{k:02d}区第{s}{suffix}",
                        kind=OrgKind.SCHOOL,
                        school_type=school_type,
                        region_code=region,
                        # "2" + province 99 + a serial: well-formed, and clear of the demo's codes.
                        moe_code=f"299{school_number:07d}",
                    ),
                    path=county_path + path_step(s),
                    numchild=0,
                )
                plan.accounts += [
                    (f"{USER_PREFIX}s{school_number:06d}_{name}", f"学校{school_number}{name}", role, school)
                    for name, role in SCHOOL_ROLES[:users_per_school]
                ]
    return plan


def delete_province(province: Organization) -> dict[str, int]:
    """Remove the bench subtree, its accounts and their audit and security entries."""
    with disable_auditlog(), transaction.atomic():
        users = User.objects.filter(home_organization__path__startswith=province.path)
        entries = get_logentry_model().objects.filter(org_path__startswith=province.path)
        counts = {
            "audit": entries.delete()[0],
            "events": SecurityEvent.objects.filter(org_path__startswith=province.path).delete()[0],
            "roles": RoleAssignment.objects.filter(organization__path__startswith=province.path).delete()[0],
            "users": users.delete()[0],
            "orgs": Organization.objects.filter(path__startswith=province.path).delete()[0],
        }
    return counts


class Command(BaseCommand):
    help = "生成省级规模的基准测试数据(1个省、若干市县、N所学校及其账号),用于压力测试"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schools", type=int, default=20000, help="学校数量(默认 20000)")
        parser.add_argument("--cities", type=int, default=16, help="地市数量(默认 16)")
        parser.add_argument("--counties", type=int, default=10, help="每个地市的县区数量(默认 10)")
        parser.add_argument("--users-per-school", type=int, default=5, choices=range(len(SCHOOL_ROLES) + 1))
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="所有基准账号共用的密码")
        parser.add_argument("--no-audit", action="store_true", help="不生成审计日志条目")
        parser.add_argument("--reset", action="store_true", help="先删除已有的基准数据再重建")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        schools: int = options["schools"]
        cities: int = options["cities"]
        counties: int = options["counties"]
        if schools < 0 or not 1 <= cities <= 99 or not 1 <= counties <= 99:
            raise CommandError("--schools 须 >= 0,--cities 与 --counties 须在 1 到 99 之间")
        started = time.monotonic()
        province = find_province()
        if province is not None:
            existing = Organization.objects.filter(path__startswith=province.path, kind=OrgKind.SCHOOL).count()
            if not options["reset"]:
                if existing == schools:
                    self.stdout.write(f"基准数据已存在({existing} 所学校),无需生成。")
                    return
                raise CommandError(f"已有 {existing} 所学校的基准数据,与 --schools {schools} 不符;加 --reset 重建。")
            counts = delete_province(province)
            self.stdout.write(
                "已删除旧的基准数据:"
                + ",".join(f"{k} {v}" for k, v in counts.items())
                + f"({time.monotonic() - started:.1f} 秒)"
            )

        last_root = Organization.objects.filter(depth=1).order_by("-path").values_list("path", flat=True).first()
        root_path = path_step(path_number(last_root) + 1 if last_root else 1)
        plan = build_plan(
            root_path=root_path,
            schools=schools,
            cities=cities,
            counties=counties,
            users_per_school=options["users_per_school"],
        )
        password_hash = make_password(options["password"])
        batch: int = options["batch_size"]
        timings: list[tuple[str, float]] = []

        def lap(label: str, since: float) -> float:
            now = time.monotonic()
            timings.append((label, now - since))
            return now

        with transaction.atomic():
            mark = time.monotonic()
            Organization.objects.bulk_create(plan.orgs, batch_size=batch)
            mark = lap(f"{len(plan.orgs)} 个单位", mark)
            now = timezone.now()
            users = [
                User(
                    username=username,
                    full_name=full_name,
                    password=password_hash,
                    home_organization=plan.orgs[org_index],
                    must_change_password=False,
                    password_changed_at=now,
                    date_joined=now,
                )
                for username, full_name, _role, org_index in plan.accounts
            ]
            User.objects.bulk_create(users, batch_size=batch)
            mark = lap(f"{len(users)} 个账号", mark)
            RoleAssignment.objects.bulk_create(
                [
                    RoleAssignment(user=user, role=role, organization=plan.orgs[org_index])
                    for user, (_u, _n, role, org_index) in zip(users, plan.accounts, strict=True)
                ],
                batch_size=batch,
            )
            mark = lap(f"{len(users)} 个角色授权", mark)
            if not options["no_audit"]:
                entries = self.audit_entries(plan, users, now)
                get_logentry_model().objects.bulk_create(entries, batch_size=batch)
                lap(f"{len(entries)} 条审计日志", mark)
        total = time.monotonic() - started
        for label, seconds in timings:
            self.stdout.write(f"  {label}: {seconds:.1f} 秒")
        self.stdout.write(
            self.style.SUCCESS(
                f"基准数据已生成:{cities} 个市、{cities * counties} 个县区、{schools} 所学校、"
                f"{len(plan.accounts)} 个账号,用时 {total:.1f} 秒。"
            )
        )
        self.stdout.write(f"市级管理员账号示例:{city_admin_username(1)} / {options['password']}")

    @staticmethod
    def audit_entries(plan: Plan, users: list[User], now: Any) -> list[AbstractLogEntry]:
        """One "created" entry per unit and per account, spread over the past 180 days.

        The timestamps are a fixed permutation of the rows, so every city's entries are
        interleaved over the whole period as in a real log (not one city after another).
        """
        org_type = ContentType.objects.get_for_model(Organization)
        user_type = ContentType.objects.get_for_model(User)
        rows: list[tuple[Any, Any, str, dict[str, list[str]], str]] = [
            (org_type, org.pk, org.name, {"name": ["None", org.name], "kind": ["None", org.kind]}, org.path)
            for org in plan.orgs
        ]
        rows += [
            (user_type, user.pk, user.full_name, {"username": ["None", user.username]}, plan.orgs[org_index].path)
            for user, (_u, _n, _r, org_index) in zip(users, plan.accounts, strict=True)
        ]
        total = len(rows)
        stride = 1_000_003  # a prime: i -> i * stride mod total is a permutation when total is not a multiple
        while total and math.gcd(stride, total) != 1:
            stride += 2
        period = 180 * 24 * 3600
        model = get_logentry_model()  # auditlog's, or the project's own (AUDITLOG_LOGENTRY_MODEL)
        # A project entry model may copy the path into an indexed column; bulk_create skips save().
        path_column = {"org_path"} & {f.name for f in model._meta.get_fields()}
        return [
            model(
                content_type=content_type,
                object_pk=str(pk),
                object_id=pk,
                object_repr=label,
                action=AbstractLogEntry.Action.CREATE,
                changes=changes,
                timestamp=now - timedelta(seconds=period * ((i * stride) % total) // total),
                additional_data={"org_path": path},
                **dict.fromkeys(path_column, path),
            )
            for i, (content_type, pk, label, changes, path) in enumerate(rows)
        ]
