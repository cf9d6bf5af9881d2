"""Rows the notification tests need, written with the ORM (the appointment services are not this app's).

Also the maker of the permission matrix and the row adder of the list query-count test.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from educio.appointments.models import Appointment, Nomination, NominationWindow
from educio.notifications.models import Notification, NotificationKind
from educio.orgs.models import Organization
from educio.people.models import Person
from educio.policies.models import PolicyPack
from educio.policies.services import pack_adopt, seed_packs_load
from educio.workflow.models import ProcessKind, ProcessState, ReviewProcess


def adopt_jiaozuo(actor: Any, organization: Organization) -> PolicyPack:
    """The 焦作 pack (one CIO post for every school) in force at ``organization``'s subtree."""
    seed_packs_load()
    pack = PolicyPack.objects.get(pack_id="jiaozuo-2022")
    pack_adopt(actor=actor, pack=pack, organization=organization)
    return pack


def person(org: Organization, by: Any, name: str = "李信息") -> Person:
    return Person.objects.create(organization=org, name=name, gender="男", created_by=by)


def appointment(
    org: Organization, by: Any, *, ends_on: date | None, name: str = "张首席", post: str = "cio"
) -> Appointment:
    starts = (ends_on or timezone.localdate()) - timedelta(days=3 * 365)
    return Appointment.objects.create(
        organization=org,
        post=post,
        post_name="首席教育信息官(CIO)",
        person=person(org, by, name),
        doc_number="焦教〔2022〕1号",
        doc_date=starts,
        starts_on=starts,
        ends_on=ends_on,
        issued_by=by,
    )


def window(org: Organization, by: Any, *, opens_on: date, deadline: date, post: str = "cio") -> NominationWindow:
    return NominationWindow.objects.create(
        organization=org, post=post, title="2022年首席信息官推荐", opens_on=opens_on, deadline=deadline, created_by=by
    )


def nomination(org: Organization, by: Any, *, state: str, submitted_on: date | None, post: str = "cio") -> Nomination:
    """A nomination whose review is in ``state``, first submitted on ``submitted_on`` (None: never)."""
    submitted_at = timezone.make_aware(datetime.combine(submitted_on, time(9))) if submitted_on else None
    closed = state in (ProcessState.APPROVED, ProcessState.REJECTED, ProcessState.WITHDRAWN)
    process = ReviewProcess.objects.create(
        kind=ProcessKind.NOMINATION,
        title=f"{org.name}首席信息官推荐",
        organization=org,
        chain_id="cio_nomination",
        chain_name="推荐审核",
        chain_snapshot={"id": "cio_nomination", "name": "推荐审核", "steps": []},
        state=state,
        round=1 if submitted_at else 0,
        created_by=by,
        submitted_by=by if submitted_at else None,
        submitted_at=submitted_at,
        last_submitted_at=submitted_at,
        closed_at=timezone.now() if closed else None,
    )
    return Nomination.objects.create(
        organization=org,
        post=post,
        post_name="首席教育信息官(CIO)",
        person=person(org, by, "王推荐"),
        process=process,
        pack_version_id=1,
        pack_ref="jiaozuo-2022@1",
        form_snapshot={},
        created_by=by,
    )


def own_notification(user: Any, org: Organization, title: str, *, read: bool = False, key: str = "") -> Notification:
    return Notification.objects.create(
        recipient=user,
        kind=NotificationKind.STEP_PENDING,
        title=title,
        body=f"{title}的内容",
        url="/workflow/",
        organization=org,
        dedup_key=key or f"test:{title}",
        read_at=timezone.now() if read else None,
    )


def make_notification(ctx: Any) -> Any:
    """Matrix maker: a notification of ``ctx.owner``; only that account may read it, whatever its roles."""
    from educio.testing.makers import Made

    made = own_notification(ctx.owner, ctx.org, f"{ctx.label}提醒")
    return Made(made.pk, made.title)


def add_own_notifications(tree: Any, reader: Any, n: int, tag: str) -> str:
    """Query-count row adder: the reader's own notifications, half of them read."""
    Notification.objects.bulk_create(
        Notification(
            recipient=reader,
            kind=NotificationKind.TERM_ENDING,
            title=f"{tag}提醒{i:02d}",
            organization=tree.school,
            dedup_key=f"{tag}:{i}",
            read_at=timezone.now() if i % 2 else None,
        )
        for i in range(n)
    )
    return f"{tag}提醒00|{tag}提醒{n - 1:02d}"
