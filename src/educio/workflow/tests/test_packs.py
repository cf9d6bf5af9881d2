"""The engine with chains that come from policy packs: the pack adapter, and every seed pack's chains run as data."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from educio.accounts.tests.factories import user_with_role
from educio.workflow import services
from educio.workflow.models import ProcessState, ReviewStep, StepState
from educio.workflow.resolution import resolve_chain
from educio.workflow.spec import ActingLevel, ChainSpec
from educio.workflow.tests.conftest import JIAOZUO

pytestmark = pytest.mark.django_db

PACKS_DIR = Path(__file__).resolve().parents[2] / "policies" / "packs"


@dataclass
class FakePack:
    """What the engine reads of ``policies.loaded.LoadedPack``."""

    pk: int
    pack_id: str
    version: int
    chains: dict[str, ChainSpec]

    citations: dict[str, str] = field(default_factory=dict)

    def review_chain(self, chain_id: str) -> ChainSpec | None:
        return self.chains.get(chain_id)

    def article(self, article_id: str | None) -> Any:
        number = self.citations.get(article_id or "")
        return SimpleNamespace(citation=number) if number else None


@pytest.fixture
def effective(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stands in for ``educio.policies.selectors`` so the adapter is tested without the policies app."""
    state: dict[str, Any] = {"pack": None}
    module = types.ModuleType("educio.policies.selectors")
    module.effective_pack = lambda org: state["pack"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "educio.policies.selectors", module)
    return state


def test_start_from_pack_remembers_the_pack_version(tree, people, effective):
    effective["pack"] = FakePack(pk=7, pack_id="jiaozuo-2022", version=2, chains={"cio_nomination": JIAOZUO})
    process = services.process_start_from_pack(
        actor=people.submitter, organization=tree.school, chain_id="cio_nomination", kind="nomination", title="推荐"
    )
    assert (process.pack_version_id, process.pack_ref, process.chain_id) == (7, "jiaozuo-2022@2", "cio_nomination")
    assert process.chain == JIAOZUO


def test_steps_cite_the_article_number_as_printed_not_its_id(tree, people, effective):
    steps = tuple(s.model_copy(update={"article": "art_annex_1"}) for s in JIAOZUO.steps)
    chain = JIAOZUO.model_copy(update={"steps": steps})
    effective["pack"] = FakePack(
        pk=7, pack_id="jiaozuo-2022", version=1, chains={"cio_nomination": chain}, citations={"art_annex_1": "附件1"}
    )
    process = services.process_start_from_pack(
        actor=people.submitter, organization=tree.school, chain_id="cio_nomination", kind="nomination", title="推荐"
    )
    assert {step.article for step in process.chain.steps} == {"附件1"}


def test_start_from_pack_without_a_pack_or_chain_is_a_clear_error(tree, people, effective):
    with pytest.raises(ValidationError, match="尚未采用制度方案"):
        services.process_start_from_pack(
            actor=people.submitter, organization=tree.school, chain_id="cio_nomination", kind="nomination", title="推荐"
        )
    effective["pack"] = FakePack(pk=7, pack_id="jiaozuo-2022", version=2, chains={})
    with pytest.raises(ValidationError, match="没有审核流程“cio_nomination”"):
        services.process_start_from_pack(
            actor=people.submitter, organization=tree.school, chain_id="cio_nomination", kind="nomination", title="推荐"
        )


def _seed_chains() -> list[tuple[str, str, ChainSpec]]:
    from educio.policies import loader

    found = []
    for path in sorted(PACKS_DIR.glob("*.yaml")):
        pack = loader.parse_pack_file(path).pack
        found += [(path.stem, key, chain) for key, chain in pack.review_chains.items()]
    return found


def test_every_seed_pack_chain_runs_to_approval_as_data(tree, people, university):
    chains = _seed_chains()
    assert {pack for pack, _key, _chain in chains} >= {"jiaozuo-2022", "helan-2024", "yichun-2025", "wuhai-2023"}
    holders: dict[tuple[int, str], Any] = {}
    for pack, key, chain in chains:
        at_university = any(step.actor.level == ActingLevel.UNIVERSITY for step in chain.steps)
        unit = university.university if at_university else tree.school
        starter = university.office if at_university else people.submitter
        process = services.process_submit(
            actor=starter,
            process=services.process_start(
                actor=starter, organization=unit, chain=chain, kind="general", title=f"{pack}:{key}"
            ),
        )
        for item in resolve_chain(organization=unit, chain=chain):
            who = (item.organization.pk, item.spec.actor.role)
            if who not in holders:
                holders[who] = user_with_role(item.spec.actor.role, item.organization)
            step = ReviewStep.objects.get(process=process, state=StepState.PENDING)
            services.step_decide(actor=holders[who], step=step, decision="approve", opinion="同意。", seal=True)
        process.refresh_from_db()
        assert process.state == ProcessState.APPROVED, (pack, key)
