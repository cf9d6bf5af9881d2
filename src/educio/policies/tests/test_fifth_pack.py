"""A fifth, made-up jurisdiction written only as data: two posts, different chains, adopted by a new unit."""

from __future__ import annotations

from educio.accounts.tests.factories import user_with_role
from educio.orgs.models import BureauLevel
from educio.orgs.tests.factories import BureauFactory, SchoolFactory
from educio.policies import selectors, services
from educio.policies.compliance import Status, evaluate_unit
from educio.policies.eligibility import PersonFacts, Verdict, evaluate
from educio.policies.tests.conftest import DATA
from educio.workflow import services as workflow_services
from educio.workflow.models import ProcessState
from educio.workflow.spec import ActingLevel


def test_a_new_jurisdiction_needs_no_code(db):
    province = BureauFactory(name="山海省教育厅", bureau_level=BureauLevel.PROVINCE)
    city = BureauFactory(parent=province, name="山海市教育局", bureau_level=BureauLevel.CITY)
    school = SchoolFactory(parent=city, name="山海市第一中学")
    admin = user_with_role("bureau_admin", province)

    raw = (DATA / "shanhai-2026.yaml").read_bytes()
    pack = services.pack_publish(actor=admin, raw=raw, filename="shanhai-2026.yaml", owner=province).pack
    services.pack_adopt(actor=admin, pack=pack, organization=province)

    loaded = selectors.effective_pack(school)
    assert (loaded.pack_id, loaded.version, loaded.pk) == ("shanhai-2026", 1, pack.pk)
    assert [p.id for p in loaded.spec.posts] == ["cio", "deputy_cio"]
    cio_chain = loaded.review_chain(loaded.spec.post("cio").nomination_chain)
    assert [s.actor.level for s in cio_chain.steps] == [ActingLevel.SELF, ActingLevel.PARENT, ActingLevel.ROOT]
    assert cio_chain.steps[1].deadline_days == 10
    deputy_chain = loaded.review_chain(loaded.spec.post("deputy_cio").nomination_chain)
    assert [s.id for s in deputy_chain.steps] == ["school", "parent_approval"]
    assert loaded.spec.infrastructure.reporting.due_day == 5
    assert loaded.spec.term.renewable is False

    deputy = PersonFacts(certificates=[("security_training", "school")], positions={"it_director"})
    assert evaluate(loaded, deputy, post="deputy_cio").verdict == Verdict.PASS
    assert evaluate(loaded, deputy, post="cio").verdict == Verdict.FAIL

    rule_ids = {f.rule.id: f for f in evaluate_unit(school)}
    assert {"posts.cio.filled", "posts.deputy_cio.filled", "eligibility.deputy_cio", "term.cio.limits"} <= set(rule_ids)
    assert rule_ids["posts.deputy_cio.filled"].status == Status.FAIL  # nobody appointed yet
    assert rule_ids["term.cio.limits"].rule.title == "首席信息官任期不少于4年,不得连任"
    assert "infrastructure.reporting" in {f.rule.id for f in evaluate_unit(city)}


def test_the_fifth_jurisdictions_chains_run_through_the_review_engine(db):
    """Both posts' chains, read from the data file, go from submission to approval with no code of their own."""
    province = BureauFactory(name="山海省教育厅", bureau_level=BureauLevel.PROVINCE)
    city = BureauFactory(parent=province, name="山海市教育局", bureau_level=BureauLevel.CITY)
    school = SchoolFactory(parent=city, name="山海市第一中学")
    admin = user_with_role("bureau_admin", province, username="sh_admin")
    head = user_with_role("school_head", school, username="sh_head")
    city_reviewer = user_with_role("bureau_reviewer", city, username="sh_city")
    raw = (DATA / "shanhai-2026.yaml").read_bytes()
    pack = services.pack_publish(actor=admin, raw=raw, filename="shanhai-2026.yaml", owner=province).pack
    services.pack_adopt(actor=admin, pack=pack, organization=province)
    deciders = {
        "school": head,
        "parent_review": city_reviewer,
        "parent_approval": city_reviewer,
        "province_approval": admin,
    }

    for chain_id, expected_units in (
        ("cio_nomination", ["山海市第一中学", "山海市教育局", "山海省教育厅"]),
        ("deputy_nomination", ["山海市第一中学", "山海市教育局"]),
    ):
        process = workflow_services.process_start_from_pack(
            actor=head, organization=school, chain_id=chain_id, kind="nomination", title=chain_id
        )
        process = workflow_services.process_submit(actor=head, process=process)
        assert process.pack_ref == "shanhai-2026@1"
        steps = list(process.steps.order_by("index").select_related("acting_organization"))
        assert [s.acting_organization.name for s in steps] == expected_units
        for step in steps:
            workflow_services.step_decide(
                actor=deciders[step.step_id], step=step, decision="approve", opinion="同意", seal=step.seal_required
            )
        process.refresh_from_db()
        assert process.state == ProcessState.APPROVED
