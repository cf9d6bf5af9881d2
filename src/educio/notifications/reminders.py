"""The daily reminders of ``manage.py send_reminders``: nomination deadlines, terms ending, units with no CIO.

Each reminder's dedup key names its event and its stage (the 7-day and the
1-day deadline reminder, the 90-day and the 30-day term reminder, the no-CIO
reminder of one month), so a run sends what is due and not yet sent, and a
second run sends nothing. A day the command did not run is caught up: the
7-day reminder goes out whenever 1 < days left <= 7, the 1-day one when
days left <= 1, each once.

Units are read in chunks (keyset on the materialised path) with a fixed
number of queries per chunk, never one per unit: a city may have 20,000
schools. Which posts a unit must fill comes from its effective policy pack.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from educio.accounts.roles import Role
from educio.appointments.models import Appointment, AppointmentStatus, Nomination, NominationWindow
from educio.notifications.models import NotificationKind
from educio.notifications.selectors import BY_ID, BY_PATH, UNIT_ROLES, role_holders
from educio.notifications.services import CHUNK_SIZE, Message, notifications_send
from educio.orgs.models import Organization, OrgKind
from educio.policies.schema.people import Post
from educio.policies.selectors import effective_packs
from educio.workflow.models import ProcessState

DEADLINE_STAGES = (1, 7)  # days before a nomination deadline
TERM_STAGES = (30, 90)  # days before a term ends
BUREAU_ROLES = (Role.BUREAU_ADMIN, Role.BUREAU_REVIEWER)
# A nomination counts as submitted once it went into review, whatever the review's outcome so far.
SUBMITTED_STATES = tuple(s for s in ProcessState.values if s not in (ProcessState.DRAFT, ProcessState.WITHDRAWN))
SUMMARY_NAMES = 10
# The recipient of a message written once per event, before _to() addresses a copy to each recipient.
ANYONE = 0


def stage(days_left: int, stages: Sequence[int]) -> int | None:
    """The reminder due ``days_left`` days before the date: with (1, 7), 0-1 -> 1, 2-7 -> 7, later -> None."""
    if days_left < 0:
        return None
    return next((s for s in sorted(stages) if days_left <= s), None)


def _day(value: date) -> str:
    return formats.date_format(value, "Y年n月j日")


def _nominate_url(org_id: int) -> str:
    return f"{reverse('appointments:nomination_start')}?org={org_id}"


def _parent_path(path: str) -> str:
    return path[: -Organization.steplen]


def _to(user_ids: Iterable[int], message: Message) -> Iterator[Message]:
    """``message`` (written once per event: formatting and URLs cost) addressed to each of ``user_ids``."""
    for user_id in sorted(user_ids):
        yield replace(message, recipient_id=user_id)


def _unit_chunks(queryset: QuerySet[Organization]) -> Iterator[list[Organization]]:
    last = ""
    while chunk := list(queryset.filter(path__gt=last).order_by("path")[:CHUNK_SIZE]):
        yield chunk
        last = chunk[-1].path


def _posts_by_unit(units: Sequence[Organization]) -> dict[int, list[Post]]:
    """The posts each unit must fill under its effective pack (units without any are left out)."""
    packs = effective_packs(units)
    result: dict[int, list[Post]] = {}
    for unit in units:
        pack = packs.get(unit.pk)
        posts = [p for p in pack.spec.posts if unit.kind in p.unit_kinds] if pack else []
        if posts:
            result[unit.pk] = posts
    return result


# --- nomination deadlines ----------------------------------------------------------------------


def _started(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _done_for_window(window: NominationWindow, org_ids: Iterable[int]) -> set[int]:
    """Units that submitted a nomination for the window's post since it opened, or already have the post filled."""
    org_ids = list(org_ids)
    submitted = Nomination.objects.filter(
        organization_id__in=org_ids,
        post=window.post,
        process__state__in=SUBMITTED_STATES,
        process__submitted_at__gte=_started(window.opens_on),
    ).values_list("organization_id", flat=True)
    appointed = Appointment.objects.filter(
        organization_id__in=org_ids, post=window.post, status=AppointmentStatus.ACTIVE
    ).values_list("organization_id", flat=True)
    return set(submitted) | set(appointed)


def _deadline_message(window: NominationWindow, unit: Organization, post: Post, today: date) -> Message:
    days_left = (window.deadline - today).days
    due = stage(days_left, DEADLINE_STAGES)
    if days_left == 0:
        title = _("推荐今日截止:%(window)s") % {"window": window.title}
    else:
        title = _("推荐还有%(n)d天截止:%(window)s") % {"n": days_left, "window": window.title}
    body = _(
        "%(unit)s尚未报送“%(post)s”推荐。%(bureau)s“%(window)s”的报送截止日期为%(deadline)s,"
        "逾期须由上级教育行政部门重新开放后才能报送。"
    ) % {
        "unit": unit.name,
        "post": post.name,
        "bureau": window.organization.name,
        "window": window.title,
        "deadline": _day(window.deadline),
    }
    return Message(
        ANYONE,
        NotificationKind.DEADLINE,
        title,
        body,
        _nominate_url(unit.pk),
        unit.pk,
        f"deadline{due}:{window.pk}:{unit.pk}",
    )


def deadline_messages(today: date) -> Iterator[Message]:
    """Units of an open window's subtree that must fill its post and have not submitted: their head and CIO."""
    windows = NominationWindow.objects.filter(
        opens_on__lte=today, deadline__gte=today, deadline__lte=today + timedelta(days=max(DEADLINE_STAGES))
    ).select_related("organization")
    for window in windows.order_by("deadline", "pk"):
        units = Organization.objects.filter(path__startswith=window.organization.path, is_active=True)
        for chunk in _unit_chunks(units):
            posts = _posts_by_unit(chunk)
            owing = {u.pk: (u, post) for u in chunk for post in posts.get(u.pk, ()) if post.id == window.post}
            pending = set(owing) - _done_for_window(window, owing)
            for org_id, user_ids in role_holders(BY_ID, pending, UNIT_ROLES).items():
                unit, post = owing[org_id]
                yield from _to(user_ids, _deadline_message(window, unit, post, today))


# --- terms ending ------------------------------------------------------------------------------


def _term_message(appointment: Appointment, today: date) -> Message:
    days_left = (appointment.ends_on - today).days if appointment.ends_on else 0
    unit = appointment.organization
    title = _("任期即将届满:%(unit)s%(post)s") % {"unit": unit.name, "post": appointment.post_name}
    body = _("%(unit)s%(post)s%(person)s的任期将于%(ends)s届满(还有%(n)d天),请及时办理续聘或重新推荐。") % {
        "unit": unit.name,
        "post": appointment.post_name,
        "person": appointment.person.name,
        "ends": _day(appointment.ends_on) if appointment.ends_on else "",
        "n": days_left,
    }
    return Message(
        ANYONE,
        NotificationKind.TERM_ENDING,
        title,
        body,
        reverse("appointments:appointment_detail", args=[appointment.pk]),
        unit.pk,
        f"term{stage(days_left, TERM_STAGES)}:{appointment.pk}",
    )


def _term_chunk(chunk: list[Appointment], today: date) -> Iterator[Message]:
    at_unit = role_holders(BY_ID, {a.organization_id for a in chunk}, UNIT_ROLES)
    at_parent = role_holders(BY_PATH, {_parent_path(a.organization.path) for a in chunk}, BUREAU_ROLES)
    for appointment in chunk:
        recipients = at_unit.get(appointment.organization_id, set()) | at_parent.get(
            _parent_path(appointment.organization.path), set()
        )
        if recipients:
            yield from _to(recipients, _term_message(appointment, today))


def term_messages(today: date) -> Iterator[Message]:
    """Active appointments ending within 90 days: the unit's head and CIO, and the admins of the unit above."""
    queryset = Appointment.objects.filter(
        status=AppointmentStatus.ACTIVE, ends_on__gte=today, ends_on__lte=today + timedelta(days=max(TERM_STAGES))
    ).select_related("organization", "person")
    last = 0
    while chunk := list(queryset.filter(pk__gt=last).order_by("pk")[:CHUNK_SIZE]):
        last = chunk[-1].pk
        yield from _term_chunk(chunk, today)


# --- units with no CIO -------------------------------------------------------------------------


@dataclass
class _Lacking:
    """Units without their post holder under one bureau, for its monthly summary."""

    count: int = 0
    names: list[str] = field(default_factory=list)

    def add(self, name: str) -> None:
        self.count += 1
        if len(self.names) < SUMMARY_NAMES:
            self.names.append(name)


def _nearest_bureau(path: str, bureaus: dict[str, int]) -> str | None:
    step = Organization.steplen
    return next((path[:i] for i in range(len(path) - step, 0, -step) if path[:i] in bureaus), None)


def _no_cio_message(unit: Organization, posts: list[Post], month: str) -> Message:
    names = "、".join(p.name for p in posts)
    return Message(
        ANYONE,
        NotificationKind.NO_CIO,
        _("%(unit)s尚未聘任%(posts)s") % {"unit": unit.name, "posts": names},
        _("%(unit)s目前没有在任的%(posts)s,请尽快组织推荐并报上级教育行政部门审核聘任。")
        % {"unit": unit.name, "posts": names},
        _nominate_url(unit.pk),
        unit.pk,
        f"no_cio:{unit.pk}:{month}",
    )


def _summary_message(bureau_pk: int, lacking: _Lacking, today: date) -> Message:
    names = "、".join(lacking.names) + (_("等") if lacking.count > len(lacking.names) else "")
    return Message(
        ANYONE,
        NotificationKind.NO_CIO,
        _("辖区内有%(n)d个单位尚未聘任首席信息官") % {"n": lacking.count},
        _("截至%(day)s,直属本单位管理的%(n)d个单位没有在任的首席信息官:%(names)s。")
        % {"day": _day(today), "n": lacking.count, "names": names},
        f"{reverse('dashboard:coverage_gaps')}?org={bureau_pk}",
        bureau_pk,
        f"no_cio_summary:{bureau_pk}:{today:%Y-%m}",
    )


def no_cio_messages(today: date) -> Iterator[Message]:
    """Each month: units whose pack defines a post they have nobody in, to their head; a count to their bureau."""
    month = f"{today:%Y-%m}"
    bureaus = dict(Organization.objects.filter(kind=OrgKind.BUREAU, is_active=True).values_list("path", "pk"))
    by_bureau: dict[str, _Lacking] = defaultdict(_Lacking)
    for chunk in _unit_chunks(Organization.objects.filter(is_active=True)):
        posts = _posts_by_unit(chunk)
        held = set(
            Appointment.objects.filter(organization_id__in=list(posts), status=AppointmentStatus.ACTIVE).values_list(
                "organization_id", "post"
            )
        )
        missing = {org_id: [p for p in ps if (org_id, p.id) not in held] for org_id, ps in posts.items()}
        missing = {org_id: ps for org_id, ps in missing.items() if ps}
        heads = role_holders(BY_ID, missing, (Role.SCHOOL_HEAD,))
        for unit in chunk:
            if unit.pk not in missing:
                continue
            bureau = _nearest_bureau(unit.path, bureaus)
            if bureau is not None:
                by_bureau[bureau].add(unit.name)
            if unit.pk in heads:
                yield from _to(heads[unit.pk], _no_cio_message(unit, missing[unit.pk], month))
    admins = role_holders(BY_PATH, by_bureau, (Role.BUREAU_ADMIN,))
    for path, lacking in by_bureau.items():
        if path in admins:
            yield from _to(admins[path], _summary_message(bureaus[path], lacking, today))


REMINDERS = {
    NotificationKind.DEADLINE: deadline_messages,
    NotificationKind.TERM_ENDING: term_messages,
    NotificationKind.NO_CIO: no_cio_messages,
}


def send_reminders(*, today: date) -> dict[str, int]:
    """Send every reminder due on ``today`` that was not sent before; returns how many were new, per kind."""
    return {kind: notifications_send(build(today)) for kind, build in REMINDERS.items()}
