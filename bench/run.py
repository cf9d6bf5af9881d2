"""Load test: province-sized data, gunicorn with 2 workers, concurrent clients, one JSON line per page.

    .venv/bin/python bench/run.py --schools 20000 [--seconds 20 --clients 8]

Without ``DATABASE_URL`` the data lives in its own SQLite file under
``var/bench/`` (the development database is left alone); with it, in that
database (PostgreSQL: ``createdb -h 127.0.0.1 -U postgres educio_bench_$$``).
See bench/README.md for how to read the output.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "latest.jsonl"
PASSWORD = "Bench@2024"  # noqa: S105 - the synthetic accounts of seed_scale
SUPERUSER = "bench_superuser"
HOST = "127.0.0.1"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    login: str  # which identity requests it: "city_admin", "city_audit", "superuser" or "token"


@dataclass
class Result:
    page: str
    url: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0
    queries: int | None = None

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000

    def as_dict(self, extra: dict[str, Any]) -> dict[str, Any]:
        return {
            "page": self.page,
            "p50_ms": round(self.percentile(0.50), 1),
            "p95_ms": round(self.percentile(0.95), 1),
            "rps": round(len(self.latencies) / self.elapsed, 1) if self.elapsed else 0.0,
            "queries": self.queries,
            "requests": len(self.latencies),
            "errors": self.errors,
            "url": self.url,
            **extra,
        }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="EduCIO load test (gunicorn, concurrent clients)")
    parser.add_argument("--schools", type=int, default=20000, help="schools in the bench province")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per page")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--pages", default="", help="comma-separated page names to run (default: all)")
    return parser.parse_args(argv)


def bench_environment() -> dict[str, str]:
    """The settings the server and this process share: production-like, local only."""
    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        env["EDUCIO_VAR_DIR"] = str(BENCH_VAR)
    env.update(
        DJANGO_SETTINGS_MODULE="educio.settings",
        DEBUG="false",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        ALLOWED_HOSTS=f"{HOST},testserver",
        SECURE_COOKIES="false",  # plain http on 127.0.0.1: the client must get its cookies back
        LOG_LEVEL="ERROR",
    )
    return env


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def database_label() -> str:
    from django.db import connection

    return str(connection.vendor)


def ensure_data(schools: int) -> None:
    """Seed the bench province when it is missing (or has another size)."""
    from django.core.management import call_command

    from educio.orgs.management.commands.seed_scale import find_province
    from educio.orgs.models import Organization, OrgKind

    province = find_province()
    if province is not None:
        existing = Organization.objects.filter(path__startswith=province.path, kind=OrgKind.SCHOOL).count()
        if existing == schools:
            print(f"# bench province present: {existing} schools", flush=True)
            return
    call_command("seed_scale", schools=schools, reset=province is not None)


def prepare_identities() -> dict[str, Any]:
    """The city, its admin and audit admin, a superuser for the Django admin, and an API token."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from educio.accounts.models import User
    from educio.api.models import ApiToken
    from educio.api.services import api_token_create
    from educio.orgs.management.commands.seed_scale import USER_PREFIX, city_admin_username, find_province
    from educio.orgs.models import BureauLevel, Organization

    province = find_province()
    assert province is not None
    city = (
        Organization.objects.filter(path__startswith=province.path, bureau_level=BureauLevel.CITY)
        .order_by("path")
        .first()
    )
    assert city is not None
    superuser, created = User.objects.get_or_create(
        username=SUPERUSER,
        defaults={"full_name": "基准测试超级用户", "is_staff": True, "is_superuser": True},
    )
    if created:
        superuser.password = make_password(PASSWORD)
        superuser.save(update_fields=["password"])
    city_admin = User.objects.get(username=city_admin_username(1))
    ApiToken.objects.filter(user=city_admin, name="bench", revoked_at=None).update(revoked_at=timezone.now())
    token, raw = api_token_create(request=None, user=city_admin, name="bench", days=1)
    return {
        "city": city,
        "users": {
            "city_admin": city_admin,
            "city_audit": User.objects.get(username=f"{USER_PREFIX}c01_audit"),
            "superuser": superuser,
        },
        "token": token,
        "raw_token": raw,
    }


def admin_registered() -> bool:
    from django.contrib import admin

    from educio.orgs.models import Organization

    return admin.site.is_registered(Organization)


def count_queries(pages: list[Page], identities: dict[str, Any]) -> dict[str, int]:
    """SQL queries of one warm request per page, measured in-process against the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, int] = {}
    for page in pages:
        client = Client()
        headers: dict[str, str] = {}
        if page.login == "token":
            headers["Authorization"] = f"Bearer {identities['raw_token']}"
        else:
            client.force_login(identities["users"][page.login])
        warm = client.get(page.url, headers=headers)
        if warm.status_code != 200:
            raise SystemExit(f"{page.name}: {page.url} answered {warm.status_code} in-process")
        with CaptureQueriesContext(connection) as captured:
            client.get(page.url, headers=headers)
        counts[page.name] = len(captured)
    return counts


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen[bytes]:
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "educio.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "120",
        "--log-level",
        "warning",
    ]
    with log.open("ab") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            if httpx.get(f"http://{HOST}:{port}/accounts/login/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float | None:
    """CPU time used so far by gunicorn's master and workers (Linux /proc; None elsewhere).

    Unlike latency and throughput this barely depends on what else the machine
    is doing, so it is the number to compare between runs on a busy machine.
    """
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        ticks = 0
        for pid in [str(server.pid), *children]:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def login(base_url: str, username: str) -> httpx.Cookies:
    """Log in through the real login form (CSRF token from the page) and return the session cookies."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        page = client.get("/accounts/login/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if match is None:
            raise SystemExit("no CSRF token on the login page")
        answer = client.post(
            "/accounts/login/",
            data={"csrfmiddlewaretoken": match.group(1), "username": username, "password": PASSWORD, "next": ""},
        )
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(f"login as {username} failed: HTTP {answer.status_code}")
        return httpx.Cookies(client.cookies)


def client_factory(
    base_url: str, *, headers: dict[str, str] | None = None, cookies: httpx.Cookies | None = None
) -> Callable[[], httpx.Client]:
    """A new client per thread, each with its own copy of the session cookies or the token header."""

    def make() -> httpx.Client:
        return httpx.Client(base_url=base_url, headers=headers, cookies=httpx.Cookies(cookies), timeout=120)

    return make


def drive(page: Page, seconds: float, clients: int, make_client: Callable[[], httpx.Client]) -> Result:
    """``clients`` threads request ``page`` back to back for ``seconds``; latencies of 200 answers."""
    result = Result(page=page.name, url=page.url)
    lock = threading.Lock()
    with make_client() as warm:  # one untimed request: templates and caches of both workers
        for _ in range(2):
            warm.get(page.url)
    start = time.monotonic()
    deadline = start + seconds

    def worker() -> None:
        latencies: list[float] = []
        errors = 0
        with make_client() as client:
            while time.monotonic() < deadline:
                began = time.perf_counter()
                try:
                    status = client.get(page.url).status_code
                except httpx.HTTPError:
                    status = 0
                if status == 200:
                    latencies.append(time.perf_counter() - began)
                else:
                    errors += 1
        with lock:
            result.latencies.extend(latencies)
            result.errors += errors

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    result.elapsed = time.monotonic() - start
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = bench_environment()
    os.environ.update(env)
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    # whitenoise warns about a missing STATIC_ROOT; the pages are measured without their assets.
    (Path(env.get("EDUCIO_VAR_DIR", ROOT / "var")) / "static").mkdir(parents=True, exist_ok=True)
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env)
    if migrate.returncode:
        where = "the database in DATABASE_URL" if env.get("DATABASE_URL") else f"{BENCH_VAR} (rm -r var/bench)"
        print(f"# migrate failed; the bench data is disposable: drop {where} and run again", flush=True)
        return migrate.returncode

    import django

    django.setup()
    from django.db import connections

    started = time.monotonic()
    ensure_data(args.schools)
    print(f"# data ready in {time.monotonic() - started:.1f} s", flush=True)
    identities = prepare_identities()
    city = identities["city"]
    pages = [
        Page("org_table_city", f"/orgs/?org={city.pk}", "city_admin"),
        Page("org_table_page2_by_name", "/orgs/?sort=name&page=2", "city_admin"),
        Page("org_api_within_city", f"/api/v1/orgs/?within={city.pk}", "token"),
        Page("audit_log", "/audit/", "city_audit"),
        Page("admin_changelist", "/django-admin/orgs/organization/", "superuser"),
    ]
    if not admin_registered():
        print("# Organization is not registered in the Django admin: baseline skipped", flush=True)
        pages = [p for p in pages if p.login != "superuser"]
    if args.pages:
        wanted = set(args.pages.split(","))
        pages = [p for p in pages if p.name in wanted]
    queries = count_queries(pages, identities)
    db = database_label()
    connections.close_all()

    port = free_port()
    base_url = f"http://{HOST}:{port}"
    server = start_server(env, port, args.workers, BENCH_VAR / "gunicorn.log")
    results: list[dict[str, Any]] = []
    try:
        cookies = {
            login_as: login(base_url, identities["users"][login_as].username)
            for login_as in sorted({p.login for p in pages} - {"token"})
        }
        extra = {"db": db, "schools": args.schools, "clients": args.clients, "workers": args.workers}
        for page in pages:
            if page.login == "token":
                make_client = client_factory(base_url, headers={"Authorization": f"Bearer {identities['raw_token']}"})
            else:
                make_client = client_factory(base_url, cookies=cookies[page.login])
            load_before = os.getloadavg()[0]
            cpu_before = server_cpu_seconds(server)
            result = drive(page, args.seconds, args.clients, make_client)
            cpu_after = server_cpu_seconds(server)
            result.queries = queries[page.name]
            measured = {
                # The 1-minute load average around the run: other work on the machine skews latency and rps.
                "load1": round(max(load_before, os.getloadavg()[0]), 1),
                # Server CPU per request (gunicorn processes; on PostgreSQL the database's own CPU is not in it).
                "server_cpu_ms": round((cpu_after - cpu_before) * 1000 / len(result.latencies), 1)
                if cpu_before is not None and cpu_after is not None and result.latencies
                else None,
            }
            line = result.as_dict({**extra, **measured})
            results.append(line)
            print(json.dumps(line, ensure_ascii=False), flush=True)
    finally:
        stop_server(server)
        from educio.api.services import api_token_revoke

        api_token_revoke(request=None, user=identities["users"]["city_admin"], token=identities["token"])

    by_page = {r["page"]: r for r in results}
    if "org_table_city" in by_page and "admin_changelist" in by_page and by_page["admin_changelist"]["rps"]:
        ratio = {
            "ratio": "org_table_city / admin_changelist (rps)",
            "value": round(by_page["org_table_city"]["rps"] / by_page["admin_changelist"]["rps"], 2),
            "db": db,
        }
        results.append(ratio)
        print(json.dumps(ratio, ensure_ascii=False), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    print(f"# results written to {RESULTS.relative_to(ROOT)}", flush=True)
    slow = [r["page"] for r in results if r.get("p95_ms", 0) > 1000 or r.get("errors")]
    if slow:
        print(f"# slow or failing pages (p95 > 1 s or errors): {', '.join(slow)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
