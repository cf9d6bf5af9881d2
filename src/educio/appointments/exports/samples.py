"""The default Word templates and the sample contexts of the template pages, registered on import."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from educio.appointments.exports.nomination_form import PHOTO_BOX_MM, SEAL_MARK, nomination_context
from educio.appointments.exports.notice import notice_context, notice_title
from educio.appointments.models import Appointment, Nomination
from educio.documents import docx
from educio.documents.models import TemplateKind
from educio.orgs.models import Organization
from educio.people.models import Person

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "doc_templates"
JIAOZUO = "jiaozuo-2022"


@functools.cache
def _sample_form() -> dict[str, Any]:
    from educio.policies.loader import parse_pack_file
    from educio.policies.services import PACKS_DIR

    form = parse_pack_file(PACKS_DIR / f"{JIAOZUO}.yaml").pack.nomination_form
    assert form is not None
    return form.model_dump(mode="json")


def _sample_nomination() -> Nomination:
    """A filled 焦作 推荐表 that is never saved (no query is made to print it)."""
    unit = Organization(name="示例实验小学", path="0001")
    person = Person(organization=unit, name="张明华", gender="男", birth_date=date(1978, 5, 12))
    data = {
        "filled_on": "2022-09-01",
        "education": "大学本科",
        "ethnicity": "汉族",
        "teaching_years": "24",
        "admin_position": "校长",
        "professional_title": "中小学高级教师",
        "mobile": "13900000000",
        "address": "示例市示例区示例路1号",
        "work_record": "主持学校信息化工作。\n推动智慧校园建设。",
    }
    honours = [{"title": "优秀教师", "awarded_on": "2019-09", "granted_by": "示例市教育局", "note": ""}]
    return Nomination(
        organization=unit,
        person=person,
        post_name="首席教育信息官",
        pack_ref=f"{JIAOZUO}@1",
        form_snapshot=_sample_form(),
        data=data,
        honours=honours,
        confirmer_name="张明华",
        confirmed_at=timezone.make_aware(datetime(2022, 9, 1, 9)),
    )


def _sample_nomination_context() -> dict[str, Any]:
    """The context of a real 推荐表, with a photo and the first opinion box decided."""
    context = nomination_context(_sample_nomination())
    context["photo"] = docx.Image(docx.placeholder_png(), *PHOTO_BOX_MM)
    first = context["opinions"][0]
    first.update(decided=True, decision="同意", opinion="同意推荐。", sealed=True, date_text="2022年9月5日")
    first.update(seal_text=SEAL_MARK, decided_by="王校长")
    return context


def _sample_notice_context() -> dict[str, Any]:
    unit = Organization(name="示例实验小学", path="0001")
    appointments = [
        Appointment(
            organization=unit,
            person=Person(organization=unit, name=name, gender="男"),
            post_name="首席教育信息官",
            doc_number="示教文〔2022〕1号",
            starts_on=date(2022, 10, 1),
            ends_on=date(2025, 9, 30),
        )
        for name in ("张明华", "李红")
    ]
    return notice_context(
        appointments,
        issuer_name="示例市教育局",
        doc_number="示教文〔2022〕1号",
        doc_date=date(2022, 10, 1),
        title=notice_title(appointments),
    )


SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {
    TemplateKind.NOMINATION_FORM: _sample_nomination_context,
    TemplateKind.APPOINTMENT_NOTICE: _sample_notice_context,
}
for _kind, _build in SAMPLES.items():
    docx.register_sample(_kind, _build)
docx.register_default(
    kind=TemplateKind.NOMINATION_FORM,
    pack_id=JIAOZUO,
    path=TEMPLATES_DIR / f"nomination_form-{JIAOZUO}.docx",
    label=gettext_lazy("焦作市首席教育信息官推荐表(焦教文〔2022〕60号附件1)"),
)
docx.register_default(
    kind=TemplateKind.NOMINATION_FORM,
    path=TEMPLATES_DIR / "nomination_form.docx",
    label=gettext_lazy("推荐表(通用,按制度包的推荐表式样逐项排列)"),
)
docx.register_default(
    kind=TemplateKind.APPOINTMENT_NOTICE, path=TEMPLATES_DIR / "appointment_notice.docx", label=gettext_lazy("聘任通知")
)
