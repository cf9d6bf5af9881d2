"""The background task that builds an export job's file (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from educio.documents import services
from educio.documents.jobs import job_kind


@task()
def run_export_job(job_id: int) -> str:
    """Build the job's file with its kind's builder, reporting progress; the job records success or failure.

    Returns the job's final status (kept by the task backend with the task's result).
    """
    job = services.export_job_claim(job_id)
    if job is None:
        return "skipped"
    registered = job_kind(job.kind)

    def progress(done: int, total: int) -> None:
        services.export_job_progress(job_id, done, total)

    try:
        if registered is None:
            raise LookupError(f"export kind {job.kind!r} is not registered in this process")
        filename, content = registered.builder(job, progress)
    except Exception as exc:  # any failure of a builder ends as a failed job with a reason, never a stuck one
        return services.export_job_fail(job=job, exc=exc).status
    return services.export_job_finish(job=job, filename=filename, content=content).status
