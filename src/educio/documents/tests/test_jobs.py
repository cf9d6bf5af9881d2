"""Background exports: queued -> running -> done (or failed) with progress, owner-only pages, logged downloads."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from educio.accounts.tests.factories import user_with_role
from educio.audit.models import EventKind, SecurityEvent
from educio.documents import jobs, services
from educio.documents.models import ExportJob, JobStatus
from educio.testing.content import response_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Two export kinds for the tests: one reports progress and records what the job row said meanwhile."""
    seen: dict[str, Any] = {"rows": []}

    def counting(job: ExportJob, progress: jobs.Progress) -> tuple[str, bytes]:
        for done in (0, 5, 10):
            progress(done, 10)
            row = ExportJob.objects.get(pk=job.pk)
            seen["rows"].append((row.status, row.done, row.total))
        return "名单.txt", "第一行\n".encode()

    def failing(job: ExportJob, progress: jobs.Progress) -> tuple[str, bytes]:
        progress(1, 3)
        raise RuntimeError("disk full")

    def refusing(job: ExportJob, progress: jobs.Progress) -> tuple[str, bytes]:
        raise ValidationError("筛选条件有误。")

    for kind, builder in (("counting", counting), ("failing", failing), ("refusing", refusing)):
        monkeypatch.setitem(jobs._KINDS, kind, jobs.JobKind(kind=kind, label=f"测试{kind}", builder=builder))
    return seen


def start(actor: Any, org: Any, kind: str = "counting") -> ExportJob:
    return services.export_job_start(actor=actor, kind=kind, params={"filters": {"q": "一区"}}, organization=org)


def test_a_job_is_queued_then_built_after_the_commit_with_progress(
    tree, county_admin, kinds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start(county_admin, tree.county)
    assert job.status == JobStatus.QUEUED
    assert job.title == "测试counting · 甲市一区教育局"
    assert len(callbacks) == 1  # enqueued only once the transaction commits

    callbacks[0]()  # the ImmediateBackend runs the task now

    job.refresh_from_db()
    assert kinds["rows"] == [("running", 0, 10), ("running", 5, 10), ("running", 10, 10)]
    assert (job.status, job.done, job.total, job.filename) == (JobStatus.DONE, 10, 10, "名单.txt")
    assert job.started_at
    assert job.finished_at
    assert job.percent == 100
    with job.file.open("rb") as handle:
        assert handle.read().decode() == "第一行\n"


def test_a_failing_builder_leaves_a_failed_job_with_a_chinese_reason(
    tree, county_admin, kinds, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        crashed = start(county_admin, tree.county, "failing")
        refused = start(county_admin, tree.county, "refusing")
    crashed.refresh_from_db()
    refused.refresh_from_db()

    assert crashed.status == JobStatus.FAILED
    assert crashed.finished_at is not None
    assert crashed.error.startswith("导出失败:生成文件时出现系统错误")
    assert "disk full" not in crashed.error  # internals stay in the server log
    assert refused.error == "导出失败:筛选条件有误。"
    assert not crashed.file
    assert not refused.file


def test_a_job_runs_once_even_if_the_task_is_delivered_twice(
    tree, county_admin, kinds, django_capture_on_commit_callbacks
):
    from educio.documents.tasks import run_export_job

    with django_capture_on_commit_callbacks(execute=True):
        job = start(county_admin, tree.county)
    assert run_export_job.call(job.pk) == "skipped"
    assert len(kinds["rows"]) == 3


def test_an_unknown_kind_is_refused(tree, county_admin):
    with pytest.raises(ValidationError, match="未知的导出类别"):
        start(county_admin, tree.county, "nonexistent")
    assert not ExportJob.objects.exists()


class TestPages:
    @pytest.fixture
    def done_job(self, tree, county_admin, kinds, django_capture_on_commit_callbacks) -> ExportJob:
        with django_capture_on_commit_callbacks(execute=True):
            job = start(county_admin, tree.county)
        job.refresh_from_db()
        return job

    def test_only_the_requester_sees_a_job_even_an_administrator_above_gets_404(self, tree, done_job, city_admin):
        client = Client()
        client.force_login(city_admin)
        for name in ("documents:job_detail", "documents:job_progress", "documents:job_download"):
            assert client.get(reverse(name, kwargs={"pk": done_job.pk})).status_code == 404, name
        assert done_job.title not in response_text(client.get(reverse("documents:job_list")))

    def test_the_requester_downloads_and_the_download_is_logged(self, tree, done_job, county_admin):
        client = Client()
        client.force_login(county_admin)
        assert done_job.title in response_text(client.get(reverse("documents:job_list")))

        response = client.get(reverse("documents:job_download", kwargs={"pk": done_job.pk}))

        assert response.status_code == 200
        assert b"".join(response.streaming_content).decode() == "第一行\n"
        assert "attachment" in response["Content-Disposition"]
        event = SecurityEvent.objects.get(kind=EventKind.EXPORT)
        assert (event.user, event.org_path) == (county_admin, tree.county.path)
        assert done_job.title in event.detail

    def test_the_progress_card_polls_while_running_and_stops_when_done(self, tree, done_job, county_admin):
        client = Client()
        client.force_login(county_admin)
        url = reverse("documents:job_progress", kwargs={"pk": done_job.pk})
        finished = response_text(client.get(url))
        assert "job-download" in client.get(url).content.decode()
        assert 'hx-trigger="every 1s"' not in client.get(url).content.decode()
        assert "名单.txt" in finished

        ExportJob.objects.filter(pk=done_job.pk).update(
            status=JobStatus.RUNNING, done=3, total=10, file="", finished_at=None
        )
        running = client.get(reverse("documents:job_detail", kwargs={"pk": done_job.pk})).content.decode()
        assert 'hx-trigger="every 1s"' in running
        assert f'hx-get="{url}"' in running
        assert 'style="width: 30%"' in running
        assert "job-download" not in running
        assert client.get(reverse("documents:job_download", kwargs={"pk": done_job.pk})).status_code == 404

    def test_the_api_lists_and_shows_only_the_callers_own_jobs(self, tree, done_job, county_admin, city_admin):
        client = Client()
        client.force_login(county_admin)
        (item,) = client.get("/api/v1/documents/exports").json()["items"]
        assert (item["id"], item["status"], item["percent"]) == (done_job.pk, "done", 100)
        assert item["download_url"] == reverse("documents:job_download", kwargs={"pk": done_job.pk})

        client.force_login(city_admin)
        assert client.get("/api/v1/documents/exports").json()["items"] == []
        assert client.get(f"/api/v1/documents/exports/{done_job.pk}").status_code == 404

    def test_roles_without_the_dashboard_have_no_export_pages(self, tree):
        client = Client()
        client.force_login(user_with_role("audit_admin", tree.county))
        assert client.get(reverse("documents:job_list")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_database_backend_and_the_worker_command_build_a_job(settings, tree, county_admin, kinds):
    """The production path: the task is stored by django-tasks-db and run by ``manage.py db_worker``."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = start(county_admin, tree.county)
    assert DBTaskResult.objects.count() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # nothing runs until a worker picks the task up

    call_command("db_worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 10, 10)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
