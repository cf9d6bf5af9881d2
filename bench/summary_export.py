"""Time the 汇总表 (summary sheet) export of a whole province: one nomination per school.

    .venv/bin/python bench/summary_export.py [--schools 20000] [--keep]

Seeds a fresh SQLite database in a temporary folder (the development database
is untouched): ``seed_scale``'s province with ``--schools`` schools, then one
person, one review process in its second step, one decided step and one
nomination per school, all with bulk inserts and the 焦作 form snapshot. Then
it builds the sheet of the whole province as the background job does and
prints one JSON line: rows, seconds, SQL queries, megabytes of the file.
With ``DATABASE_URL`` set it uses that database instead (PostgreSQL).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup(var_dir: Path) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["EDUCIO_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "educio.settings")
    import django

    django.setup()


def seed(schools: int) -> Any:
    """The province and one submitted 焦作 nomination per school; returns the province."""
    from django.core.management import call_command
    from django.utils import timezone

    from educio.accounts.models import User
    from educio.appointments.models import Nomination
    from educio.orgs.models import Organization, OrgKind
    from educio.people.models import Person
    from educio.policies.loader import parse_pack_file
    from educio.policies.services import PACKS_DIR
    from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess, ReviewStep, StepState

    call_command("migrate", verbosity=0)
    call_command("seed_scale", schools=schools, users_per_school=0, no_audit=True, stdout=io.StringIO())
    province = Organization.objects.get(depth=1, region_code="990000")
    clerk, _ = User.objects.get_or_create(username="bench_clerk")
    pack = parse_pack_file(PACKS_DIR / "jiaozuo-2022.yaml").pack
    assert pack.nomination_form is not None
    form = pack.nomination_form.model_dump(mode="json")
    chain = pack.review_chains["cio_nomination"].model_dump(mode="json")
    units = list(Organization.objects.filter(path__startswith=province.path, kind=OrgKind.SCHOOL).order_by("path"))
    now = timezone.now()
    batch = 2000
    persons = Person.objects.bulk_create(
        [
            Person(
                organization=u,
                name=f"校长{i:05d}",
                gender="男" if i % 2 else "女",
                birth_date=now.date().replace(year=1970 + i % 25),
                education="本科",
                admin_position="校长",
                professional_title="中小学高级教师",
                phone=f"139{i:08d}",
                created_by=clerk,
            )
            for i, u in enumerate(units)
        ],
        batch_size=batch,
    )
    processes = ReviewProcess.objects.bulk_create(
        [
            ReviewProcess(
                kind=ProcessKind.NOMINATION,
                title=f"{u.name}首席信息官推荐",
                organization=u,
                chain_id="cio_nomination",
                chain_name=chain["name"],
                chain_snapshot=chain,
                state=ProcessState.IN_REVIEW,
                current_index=1,
                round=1,
                created_by=clerk,
                submitted_by=clerk,
                submitted_at=now,
                last_submitted_at=now,
            )
            for u in units
        ],
        batch_size=batch,
    )
    ReviewStep.objects.bulk_create(
        [
            ReviewStep(
                process=p,
                round=1,
                index=0,
                step_id="unit_opinion",
                name="所在单位意见",
                acting_organization=p.organization,
                level="self",
                role="school_head",
                seal_required=True,
                state=StepState.APPROVED,
                activated_at=now,
                decided_by=clerk,
                decided_at=now,
                opinion="同意推荐。",
                seal_recorded=True,
            )
            for p in processes
        ],
        batch_size=batch,
    )
    Nomination.objects.bulk_create(
        [
            Nomination(
                organization=u,
                post="cio",
                post_name="首席教育信息官(CIO)",
                person=person,
                process=process,
                pack_version_id=1,
                pack_ref="jiaozuo-2022@1",
                form_snapshot=form,
                data={"name": person.name, "unit_name": u.name, "mobile": person.phone, "work_record": "略"},
                created_by=clerk,
            )
            for u, person, process in zip(units, persons, processes, strict=True)
        ],
        batch_size=batch,
    )
    return province


def measure(province: Any) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from educio.appointments import exports
    from educio.appointments.models import Nomination

    queryset = Nomination.objects.filter(organization__path__startswith=province.path)
    reports: list[tuple[int, int]] = []
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        content = exports.summary_workbook(queryset, title="汇总表", progress=lambda d, t: reports.append((d, t)))
    seconds = time.perf_counter() - started
    return {
        "bench": "summary_export",
        "database": connection.vendor,
        "rows": reports[-1][0] if reports else 0,
        "seconds": round(seconds, 2),
        "queries": len(queries),
        "progress_reports": len(reports),
        "megabytes": round(len(content) / 1e6, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--schools", type=int, default=20000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and print where it is")
    parser.add_argument("--profile", action="store_true", help="print where the time goes (cProfile) to stderr")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="educio-bench-summary-"))
    setup(var_dir)
    started = time.perf_counter()
    province = seed(args.schools)
    seeded = time.perf_counter() - started
    if args.profile:
        import cProfile
        import pstats

        with cProfile.Profile() as profile:
            result = measure(province)
        pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
    else:
        result = measure(province)
    result["seed_seconds"] = round(seeded, 1)
    print(json.dumps(result, ensure_ascii=False))
    if args.keep:
        print(f"database kept in {var_dir}", file=sys.stderr)
    else:
        for path in sorted(var_dir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        var_dir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
