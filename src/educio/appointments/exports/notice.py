"""The 聘任通知 (.docx): its title, body, print context and the unit whose template applies."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from os.path import commonprefix
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from educio.appointments.exports.values import long_date, pack_id_of
from educio.appointments.models import Appointment
from educio.documents import docx
from educio.documents.models import TemplateKind
from educio.documents.selectors import template_for
from educio.orgs.models import Organization


def term_text(appointment: Appointment) -> str:
    start = f"{appointment.starts_on.year}.{appointment.starts_on.month:02d}"
    if appointment.ends_on is None:
        return _("%(start)s起") % {"start": start}
    return f"{start}—{appointment.ends_on.year}.{appointment.ends_on.month:02d}"


def notice_title(appointments: Sequence[Appointment]) -> str:
    first = appointments[0]
    if len(appointments) == 1:
        return _("关于聘任%(name)s同志为%(post)s的通知") % {"name": first.person.name, "post": first.post_name}
    return _("关于聘任%(name)s等同志为%(post)s的通知") % {"name": first.person.name, "post": first.post_name}


def notice_body(appointments: Sequence[Appointment]) -> str:
    first = appointments[0]
    if len(appointments) == 1:
        return _("经研究,决定聘任%(name)s同志为%(unit)s%(post)s。") % {
            "name": first.person.name,
            "unit": first.organization.name,
            "post": first.post_name,
        }
    return _("经研究,决定聘任%(name)s等%(n)d名同志为所在单位%(post)s。名单如下:") % {
        "name": first.person.name,
        "n": len(appointments),
        "post": first.post_name,
    }


def _common_unit(appointments: Sequence[Appointment]) -> Organization:
    """The deepest unit above all the appointed units (its templates apply to all of them)."""
    paths = [a.organization.path for a in appointments]
    prefix = commonprefix(paths)  # noqa: RUF071 - a character prefix of materialised paths, not file paths
    prefix = prefix[: len(prefix) - len(prefix) % Organization.steplen]
    if prefix == paths[0]:
        return appointments[0].organization
    return Organization.objects.filter(path=prefix).first() or appointments[0].organization


def notice_context(
    appointments: Sequence[Appointment],
    *,
    issuer_name: str,
    doc_number: str,
    doc_date: date,
    title: str,
    addressee: str = "",
    body: str = "",
) -> dict[str, Any]:
    """What a 聘任通知 template prints (keys documented in doc_templates/README.md)."""
    return {
        "issuer_name": docx.text(issuer_name),
        "doc_number": docx.text(doc_number),
        "doc_date": long_date(doc_date),
        "title": docx.text(title),
        "addressee": docx.text(addressee or _("各有关单位")),
        "body": docx.text(body or notice_body(appointments), multiline=True),
        "appointments": [
            {
                "number": index,
                "unit": docx.text(a.organization.name),
                "name": docx.text(a.person.name),
                "post": docx.text(a.post_name),
                "term": term_text(a),
                "starts_on": long_date(a.starts_on),
                "ends_on": long_date(a.ends_on),
                "doc_number": docx.text(a.doc_number),
            }
            for index, a in enumerate(appointments, start=1)
        ],
    }


def appointment_notice_docx(
    appointments: Iterable[Appointment],
    *,
    issuer_name: str,
    doc_number: str,
    doc_date: date,
    title: str = "",
    addressee: str = "",
    body: str = "",
    organization: Organization | None = None,
) -> bytes:
    """聘任通知 listing ``appointments``, printed with the template in force at ``organization``.

    ``organization`` defaults to the deepest unit above every appointed unit.
    """
    rows = list(appointments)
    if not rows:
        raise ValidationError(_("没有可列入聘任通知的任命。"))
    unit = organization or _common_unit(rows)
    chosen = template_for(unit, TemplateKind.APPOINTMENT_NOTICE, pack_id_of(rows[0].pack_ref))
    context = notice_context(
        rows,
        issuer_name=issuer_name,
        doc_number=doc_number,
        doc_date=doc_date,
        title=title or notice_title(rows),
        addressee=addressee,
        body=body,
    )
    return chosen.render(context)
