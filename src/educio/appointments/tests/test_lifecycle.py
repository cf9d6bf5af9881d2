"""The appointment lifecycle through the services, under each seed pack's rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from educio.accounts.tests.factories import user_with_role
from educio.appointments import services
from educio.appointments.models import Appointment, AppointmentStatus, EndReason, Nomination, NominationKind
from educio.appointments.tests.conftest import Jiaozuo, Yichun, decide_pending, fill_jiaozuo, open_window, photo
from educio.appointments.tests.factories import adopt, make_appointment, make_person
from educio.people.models import Position
from educio.workflow.models import ProcessState, ReviewStep, StepState

pytestmark = pytest.mark.django_db


def start(jz: Jiaozuo, person=None) -> Nomination:
    open_window(jz.city_reviewer, jz.tree.city)
    return services.nomination_start(actor=jz.cio, organization=jz.tree.school, person=person or jz.candidate)


def submit(nomination: Nomination, actor, **kwargs) -> Nomination:
    kwargs.setdefault("confirmed", True)
    kwargs.setdefault("confirmer_name", "刘志强")
    return services.nomination_submit(actor=actor, nomination=nomination, **kwargs)


def approved(jz: Jiaozuo) -> Nomination:
    nomination = fill_jiaozuo(start(jz), jz.cio)
    submit(nomination, jz.cio)
    for reviewer in (jz.head, jz.county_reviewer, jz.city_reviewer):
        decide_pending(nomination, reviewer)
    return Nomination.objects.get(pk=nomination.pk)


class TestJiaozuoChain:
    def test_the_form_is_the_packs_variant_prefilled_from_the_person(self, jz: Jiaozuo) -> None:
        nomination = start(jz)
        field_ids = [f["id"] for f in nomination.form_snapshot["fields"]]
        assert "work_record" in field_ids
        assert "teaching_years" in field_ids
        assert nomination.data["name"] == "刘志强"
        assert nomination.data["unit_name"] == jz.tree.school.name
        assert nomination.data["mobile"] == "13812345678"
        assert nomination.process.state == ProcessState.DRAFT
        assert nomination.process.chain_id == "cio_nomination"

    def test_school_county_city_then_the_city_appoints(self, jz: Jiaozuo) -> None:
        nomination = approved(jz)
        steps = list(ReviewStep.objects.filter(process=nomination.process).order_by("index"))
        assert [s.step_id for s in steps] == ["unit_opinion", "county_review", "city_review"]
        assert [s.acting_organization for s in steps] == [jz.tree.school, jz.tree.county, jz.tree.city]
        assert all(s.state == StepState.APPROVED and s.seal_recorded for s in steps)
        assert nomination.confirmer_name == "刘志强"
        assert nomination.confirmed_by == jz.cio
        assert nomination.eligibility["verdict"] == "pass"

        with pytest.raises(PermissionDenied):  # the county reviewed; the city appoints
            services.appointment_issue(
                actor=jz.county_reviewer,
                nomination=nomination,
                doc_number="焦教文〔2026〕1号",
                doc_date=timezone.localdate(),
                starts_on=timezone.localdate(),
            )
        appointment = services.appointment_issue(
            actor=jz.city_reviewer,
            nomination=nomination,
            doc_number="焦教文〔2026〕1号",
            doc_date=timezone.localdate(),
            starts_on=timezone.localdate(),
        )
        assert appointment.status == AppointmentStatus.ACTIVE
        assert appointment.ends_on is None  # 焦作 sets no term length
        assert appointment.term_number == 1
        with pytest.raises(ValidationError, match="已发文聘任"):
            services.appointment_issue(
                actor=jz.city_reviewer,
                nomination=nomination,
                doc_number="焦教文〔2026〕2号",
                doc_date=timezone.localdate(),
                starts_on=timezone.localdate(),
            )

    def test_return_for_revision_and_resubmission_keep_the_history(self, jz: Jiaozuo) -> None:
        nomination = fill_jiaozuo(start(jz), jz.cio)
        submit(nomination, jz.cio)
        decide_pending(nomination, jz.head)
        decide_pending(nomination, jz.county_reviewer, decision="return", opinion="工作事迹过于简略。")
        nomination.refresh_from_db()
        nomination.process.refresh_from_db()
        assert nomination.process.state == ProcessState.RETURNED
        services.nomination_save(
            actor=jz.cio, nomination=nomination, data={**nomination.data, "work_record": "详细事迹" * 100}
        )
        submit(nomination, jz.cio)
        nomination.process.refresh_from_db()
        assert nomination.process.round == 2
        assert nomination.process.state == ProcessState.IN_REVIEW
        first_round = ReviewStep.objects.filter(process=nomination.process, round=1, step_id="county_review").get()
        assert first_round.state == StepState.RETURNED
        assert first_round.opinion == "工作事迹过于简略。"

    def test_the_2000_character_limit_refuses_and_saves_nothing(self, jz: Jiaozuo) -> None:
        nomination = start(jz)
        with pytest.raises(ValidationError) as refused:
            services.nomination_save(
                actor=jz.cio, nomination=nomination, data={**nomination.data, "work_record": "字" * 2001}
            )
        assert "工作事迹不能超过2000字" in str(refused.value)
        nomination.refresh_from_db()
        assert nomination.data.get("work_record", "") == ""
        services.nomination_save(
            actor=jz.cio, nomination=nomination, data={**nomination.data, "work_record": "字" * 2000}
        )
        nomination.refresh_from_db()
        assert len(nomination.data["work_record"]) == 2000

    def test_a_hard_failure_blocks_submission(self, jz: Jiaozuo) -> None:
        uncertified = make_person(jz.tree.school, "王无证", positions=[Position.SCHOOL_HEAD], phone="13900001111")
        nomination = fill_jiaozuo(start(jz, uncertified), jz.cio)
        result = services.nomination_eligibility(nomination)
        assert result.verdict == "fail"
        assert result.finding("training_or_experience").article_number == "第二条(二)"
        with pytest.raises(ValidationError, match="不符合任职条件"):
            submit(nomination, jz.cio)
        nomination.process.refresh_from_db()
        assert nomination.process.state == ProcessState.DRAFT

    def test_a_deputy_needs_the_leadership_authorisation_which_the_attachment_attests(self, jz: Jiaozuo) -> None:
        deputy = make_person(jz.tree.school, "副校长", positions=[Position.DEPUTY_HEAD], phone="13900002222")
        deputy.certificates.create(kind="cio_training", level="city", issued_on=date(2022, 1, 1), issuer="焦作市教育局")
        nomination = fill_jiaozuo(start(jz, deputy), jz.cio)
        assert services.nomination_eligibility(nomination).finding("holder_position").status == "fail"
        services.nomination_attach(
            actor=jz.cio,
            nomination=nomination,
            slot="leadership_authorisation",
            upload=photo(),
        )
        assert services.nomination_eligibility(nomination).finding("holder_position").status == "pass"

    def test_confirmation_is_required_and_recorded(self, jz: Jiaozuo) -> None:
        nomination = fill_jiaozuo(start(jz), jz.cio)
        with pytest.raises(ValidationError, match="真实性负责"):
            submit(nomination, jz.cio, confirmed=False)
        with pytest.raises(ValidationError, match="真实性负责"):
            submit(nomination, jz.cio, confirmer_name=" ")
        nomination.refresh_from_db()
        assert nomination.confirmed_at is None

    def test_missing_required_items_are_listed(self, jz: Jiaozuo) -> None:
        nomination = start(jz)
        with pytest.raises(ValidationError) as refused:
            submit(nomination, jz.cio)
        errors = refused.value.message_dict
        assert "work_record" in errors
        assert "photo" in errors
        assert "attachment-training_certificate" in errors

    def test_the_deadline_is_enforced_until_the_bureau_reopens(self, jz: Jiaozuo) -> None:
        nomination = fill_jiaozuo(start(jz), jz.cio)
        past = timezone.localdate() - timedelta(days=1)
        services.window_create(
            actor=jz.city_reviewer,
            organization=jz.tree.city,
            post="cio",
            title="补报批次",
            opens_on=past,
            deadline=past,
        )
        with pytest.raises(ValidationError, match="已超过报送截止日期"):
            submit(nomination, jz.cio)
        with pytest.raises(PermissionDenied):
            services.nomination_reopen(actor=jz.far_reviewer, nomination=nomination, until=timezone.localdate())
        services.nomination_reopen(
            actor=jz.city_reviewer, nomination=nomination, until=timezone.localdate() + timedelta(days=3)
        )
        nomination.refresh_from_db()
        submit(nomination, jz.cio)
        nomination.process.refresh_from_db()
        assert nomination.process.state == ProcessState.IN_REVIEW

    def test_without_a_window_the_packs_printed_deadline_applies(self, jz: Jiaozuo) -> None:
        nomination = fill_jiaozuo(
            services.nomination_start(actor=jz.cio, organization=jz.tree.school, person=jz.candidate), jz.cio
        )
        assert nomination.deadline == date(2022, 10, 10)
        with pytest.raises(ValidationError, match="2022年10月10日"):
            submit(nomination, jz.cio)

    def test_nobody_outside_the_school_can_start_or_edit(self, jz: Jiaozuo) -> None:
        outsider = user_with_role("cio", jz.tree.sibling_school, username="sibling_cio")
        with pytest.raises(PermissionDenied):
            services.nomination_start(actor=outsider, organization=jz.tree.school, person=jz.candidate)
        nomination = start(jz)
        with pytest.raises(PermissionDenied):
            services.nomination_save(actor=outsider, nomination=nomination, data={})


class TestOneCioPerUnit:
    def test_a_new_nomination_is_refused_while_a_cio_is_in_office(self, jz: Jiaozuo) -> None:
        make_appointment(jz.tree.school, person=make_person(jz.tree.school, "在任者"))
        with pytest.raises(ValidationError, match="已有在任"):
            start(jz)

    def test_two_approved_nominations_cannot_both_be_appointed(self, jz: Jiaozuo) -> None:
        nomination = approved(jz)
        make_appointment(jz.tree.school, person=make_person(jz.tree.school, "后来者"), starts_on=date(2026, 1, 1))
        with pytest.raises(ValidationError, match="已有在任"):
            services.appointment_issue(
                actor=jz.city_reviewer,
                nomination=nomination,
                doc_number="焦教文〔2026〕3号",
                doc_date=timezone.localdate(),
                starts_on=timezone.localdate(),
            )
        assert not Appointment.objects.filter(nomination=nomination).exists()


class TestTerms:
    def issue(self, yc: Yichun, kind: str = NominationKind.NEW, replaces: Appointment | None = None) -> Appointment:
        nomination = services.nomination_start(
            actor=yc.president, organization=yc.university, person=yc.candidate, kind=kind, replaces=replaces
        )
        data = {
            **nomination.data,
            "management_experience": "长期分管教务与信息化工作。",
            "informatization_experience": "主持智慧校园建设。",
        }
        services.nomination_save(actor=yc.president, nomination=nomination, data=data)
        services.nomination_submit(actor=yc.president, nomination=nomination, confirmed=True, justification="")
        for reviewer in (yc.president, yc.president, yc.party_office):
            decide_pending(nomination, reviewer)
        starts = replaces.ends_on + timedelta(days=1) if replaces and replaces.ends_on else date(2020, 9, 1)
        return services.appointment_issue(
            actor=yc.admin,
            nomination=nomination,
            doc_number="宜院党字〔2020〕8号",
            doc_date=date(2020, 9, 1),
            starts_on=starts,
        )

    def test_yichun_runs_president_office_meeting_party_committee(self, yc: Yichun) -> None:
        appointment = self.issue(yc)
        steps = ReviewStep.objects.filter(process=appointment.nomination.process).order_by("index")
        assert [s.step_id for s in steps] == [
            "president_nomination",
            "president_office_meeting",
            "party_committee_approval",
        ]
        assert appointment.ends_on == date(2023, 8, 31)  # 任期3年

    def test_a_third_consecutive_term_is_refused_under_yichun(self, yc: Yichun) -> None:
        first = self.issue(yc)
        second = self.issue(yc, NominationKind.RENEWAL, first)
        first.refresh_from_db()
        assert second.term_number == 2
        assert second.predecessor == first
        assert first.status == AppointmentStatus.ENDED
        assert first.end_reason == EndReason.RENEWED
        with pytest.raises(ValidationError, match=r"第七条\(二\):连任不超过2届"):
            services.nomination_start(
                actor=yc.president,
                organization=yc.university,
                person=yc.candidate,
                kind=NominationKind.RENEWAL,
                replaces=second,
            )

    def test_a_third_consecutive_term_is_allowed_under_helan(self, tree) -> None:
        adopt(tree.far_city, "helan-2024")
        person = make_person(tree.far_school, "杨志刚", positions=[Position.LEGAL_REPRESENTATIVE])
        second = make_appointment(tree.far_school, person=person, term_number=2, starts_on=date(2023, 1, 1))
        head = user_with_role("school_head", tree.far_school, username="hl_head")
        nomination = services.nomination_start(
            actor=head, organization=tree.far_school, person=person, kind=NominationKind.RENEWAL, replaces=second
        )
        assert nomination.kind == NominationKind.RENEWAL

    def test_helan_terms_are_at_least_three_years(self, tree) -> None:
        adopt(tree.far_city, "helan-2024")
        head = user_with_role("school_head", tree.far_school, username="hl_head")
        reviewer = user_with_role("bureau_reviewer", tree.far_county, username="hl_rev")
        person = make_person(tree.far_school, "杨志刚", positions=[Position.LEGAL_REPRESENTATIVE])
        nomination = services.nomination_start(actor=head, organization=tree.far_school, person=person)
        data = {
            **nomination.data,
            "birth_month": "1975-04",
            "political_status": "中共党员",
            "highest_education": "本科",
            "university": "宁夏大学",
            "major": "计算机科学",
            "position": "校长",
            "phone": "13909511234",
            "email": "yzg@example.cn",
            "work_history": "1998年参加工作。",
        }
        services.nomination_save(actor=head, nomination=nomination, data=data)
        services.nomination_set_photo(actor=head, nomination=nomination, upload=photo())
        services.nomination_submit(actor=head, nomination=nomination, confirmed=True, justification="")
        decide_pending(nomination, head)
        decide_pending(nomination, reviewer)
        start_day = date(2026, 1, 1)
        with pytest.raises(ValidationError, match="任期不少于3年"):
            services.appointment_issue(
                actor=reviewer,
                nomination=nomination,
                doc_number="贺教体发〔2026〕1号",
                doc_date=date(2025, 12, 20),
                starts_on=start_day,
                ends_on=date(2027, 12, 31),
            )
        appointment = services.appointment_issue(
            actor=reviewer,
            nomination=nomination,
            doc_number="贺教体发〔2026〕1号",
            doc_date=date(2025, 12, 20),
            starts_on=start_day,
        )
        assert appointment.ends_on == date(2028, 12, 31)


class TestChangeAndRevocation:
    def test_change_filing_runs_the_change_chain_and_ends_the_old_appointment(self, tree) -> None:
        adopt(tree.far_city, "helan-2024")
        head = user_with_role("school_head", tree.far_school, username="hl_head")
        reviewer = user_with_role("bureau_reviewer", tree.far_county, username="hl_rev")
        old = make_appointment(tree.far_school, person=make_person(tree.far_school, "原任"))
        newcomer = make_person(tree.far_school, "新任", positions=[Position.LEGAL_REPRESENTATIVE])
        with pytest.raises(ValidationError, match="变更原因"):
            services.nomination_start(
                actor=head, organization=tree.far_school, person=newcomer, kind=NominationKind.CHANGE, replaces=old
            )
        nomination = services.nomination_start(
            actor=head,
            organization=tree.far_school,
            person=newcomer,
            kind=NominationKind.CHANGE,
            replaces=old,
            change_reason="原任首席信息官调任他校。",
        )
        assert nomination.process.chain_id == "cio_change_filing"
        data = {
            **nomination.data,
            "birth_month": "1980-01",
            "political_status": "群众",
            "highest_education": "硕士研究生",
            "university": "北方民族大学",
            "major": "教育技术学",
            "position": "校长",
            "phone": "13909510000",
            "email": "xr@example.cn",
            "work_history": "2005年参加工作。",
        }
        services.nomination_save(actor=head, nomination=nomination, data=data)
        services.nomination_set_photo(actor=head, nomination=nomination, upload=photo())
        services.nomination_submit(actor=head, nomination=nomination, confirmed=True)
        decide_pending(nomination, head)
        decide_pending(nomination, reviewer)
        successor = services.appointment_issue(
            actor=reviewer,
            nomination=nomination,
            doc_number="贺教体发〔2026〕5号",
            doc_date=timezone.localdate(),
            starts_on=timezone.localdate(),
        )
        old.refresh_from_db()
        assert old.status == AppointmentStatus.ENDED
        assert old.end_reason == EndReason.REPLACED
        assert old.end_note == "原任首席信息官调任他校。"
        assert successor.status == AppointmentStatus.ACTIVE
        assert successor.term_number == 1

    def test_revocation_needs_reason_and_document_and_happens_once(self, jz: Jiaozuo) -> None:
        appointment = make_appointment(jz.tree.school, person=jz.candidate)
        with pytest.raises(ValidationError) as refused:
            services.appointment_revoke(actor=jz.city_reviewer, appointment=appointment, reason="", doc_number="")
        assert set(refused.value.message_dict) == {"reason", "doc_number"}
        with pytest.raises(PermissionDenied):
            services.appointment_revoke(
                actor=jz.far_reviewer, appointment=appointment, reason="整改不合格", doc_number="焦教文〔2026〕9号"
            )
        revoked = services.appointment_revoke(
            actor=jz.city_reviewer,
            appointment=appointment,
            reason="学校信息化工作考核不合格且整改不合格",
            doc_number="焦教文〔2026〕9号",
            article="第四条(二)",
        )
        assert revoked.status == AppointmentStatus.REVOKED
        assert revoked.revocation_article == "第四条(二)"
        with pytest.raises(ValidationError, match="已结束"):
            services.appointment_revoke(
                actor=jz.city_reviewer, appointment=appointment, reason="重复", doc_number="焦教文〔2026〕10号"
            )
        # The post is free again: the school nominates anew.
        assert start(jz).kind == NominationKind.NEW
