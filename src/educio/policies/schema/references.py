"""Checks that need the whole pack: every citation and cross-reference must point at something that exists.

The typed schema checks each object on its own; this pass checks the links
between them (an eligibility rule citing ``art_9`` needs an article ``art_9``,
an opinion box needs its review step, a certificate kind must be declared).
Each problem carries the path of the offending value so the loader can name
its line in the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from educio.accounts.roles import Role
from educio.policies.schema.pack import Pack
from educio.policies.schema.rules import Condition

Loc = tuple[str | int, ...]
Problem = tuple[Loc, str]


def walk_models(value: Any, loc: Loc = ()) -> Iterator[tuple[Loc, BaseModel]]:
    """Every pydantic object in the pack with its path (field names as the YAML spells them)."""
    if isinstance(value, BaseModel):
        yield loc, value
        for name, info in type(value).model_fields.items():
            key = info.alias or name
            yield from walk_models(getattr(value, name), (*loc, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from walk_models(item, (*loc, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk_models(item, (*loc, key))


def _unique_ids(pack: Pack) -> Iterator[Problem]:
    """Within any list of objects that have an ``id``, ids are unique."""
    for loc, model in walk_models(pack):
        for name, info in type(model).model_fields.items():
            items = getattr(model, name)
            if not isinstance(items, (list, tuple)):
                continue
            seen: dict[str, int] = {}
            for index, item in enumerate(items):
                item_id = getattr(item, "id", None)
                if not isinstance(item, BaseModel) or not isinstance(item_id, str):
                    continue
                if item_id in seen:
                    yield (*loc, info.alias or name, index, "id"), f"id '{item_id}' 与第 {seen[item_id] + 1} 项重复"
                else:
                    seen[item_id] = index


def _articles_cited(pack: Pack) -> Iterator[Problem]:
    known = {a.id for a in pack.articles}
    for loc, model in walk_models(pack):
        for name in ("article", "renewal_article", "change_article", "feeds_into_article"):
            cited = getattr(model, name, None) if name in type(model).model_fields else None
            if isinstance(cited, str) and cited not in known:
                yield (*loc, name), f"引用了不存在的条款 '{cited}'"


def _chains(pack: Pack) -> Iterator[Problem]:
    roles = set(Role.values)
    for key, chain in pack.review_chains.items():
        if chain.id != key:
            yield ("review_chains", key, "id"), f"流程 id '{chain.id}' 与键名 '{key}' 不一致"
        if chain.article is None:
            yield ("review_chains", key), "审核流程必须引用条款(article)"
        seen: set[str] = set()
        for index, step in enumerate(chain.steps):
            if step.id in seen:
                yield ("review_chains", key, "steps", index, "id"), f"步骤 id '{step.id}' 重复"
            seen.add(step.id)
            if step.actor.role not in roles:
                yield (
                    ("review_chains", key, "steps", index, "actor", "role"),
                    f"未知的角色 '{step.actor.role}'(可选:{', '.join(Role.values)})",
                )


def _chain_refs(pack: Pack) -> Iterator[Problem]:
    chains = pack.review_chains

    def check(loc: Loc, chain_id: str | None) -> Iterator[Problem]:
        if chain_id is not None and chain_id not in chains:
            yield loc, f"引用了不存在的审核流程 '{chain_id}'"

    for index, post in enumerate(pack.posts):
        yield from check(("posts", index, "nomination_chain"), post.nomination_chain)
    if pack.term:
        yield from check(("term", "change_chain"), pack.term.change_chain)
    if pack.nomination_form:
        for index, block in enumerate(pack.nomination_form.opinions):
            loc: Loc = ("nomination_form", "opinions", index)
            if block.chain not in chains:
                yield (*loc, "chain"), f"引用了不存在的审核流程 '{block.chain}'"
            elif block.step not in {s.id for s in chains[block.chain].steps}:
                yield (*loc, "step"), f"审核流程 '{block.chain}' 中没有步骤 '{block.step}'"
    if pack.assessments:
        for index, cycle in enumerate(pack.assessments.cycles):
            on_fail = cycle.consequences.on_fail if cycle.consequences else None
            if on_fail:
                loc = ("assessments", "cycles", index, "consequences", "on_fail", "recheck_chain")
                yield from check(loc, on_fail.recheck_chain)
    if pack.projects:
        for index, review in enumerate(pack.projects.reviews):
            yield from check(("projects", "reviews", index, "chain"), review.chain)


def _post_refs(pack: Pack) -> Iterator[Problem]:
    posts = {p.id for p in pack.posts}

    def one(loc: Loc, post_id: str | None) -> Iterator[Problem]:
        if post_id is not None and post_id not in posts:
            known = "、".join(sorted(posts)) or "(本制度未设岗位 posts)"
            yield loc, f"引用了不存在的岗位 '{post_id}'(已定义:{known})"

    def check(loc: Loc, post_ids: list[str] | None) -> Iterator[Problem]:
        for index, post_id in enumerate(post_ids or ()):
            yield from one((*loc, index), post_id)

    if pack.nomination_form:
        yield from one(("nomination_form", "post"), pack.nomination_form.post)
    if pack.term:
        yield from check(("term", "posts"), pack.term.posts)
    if pack.eligibility:
        for index, rule in enumerate(pack.eligibility.rules):
            yield from check(("eligibility", "rules", index, "posts"), rule.posts)
    if pack.training:
        for index, req in enumerate(pack.training.requirements):
            yield from check(("training", "requirements", index, "posts"), req.posts)
    if pack.assessments:
        for index, cycle in enumerate(pack.assessments.cycles):
            yield from check(("assessments", "cycles", index, "posts"), cycle.posts)
    if pack.coverage:
        for index, target in enumerate(pack.coverage.targets):
            yield from one(("coverage", "targets", index, "post"), target.post)
    if pack.governance:
        for b_index, body in enumerate(pack.governance.bodies):
            for s_index, seat in enumerate(body.seats):
                yield from one(("governance", "bodies", b_index, "seats", s_index, "post"), seat.post)


def _eligibility_vocabulary(pack: Pack) -> Iterator[Problem]:
    if not pack.eligibility:
        return
    eligibility = pack.eligibility
    certificates = {c.id for c in pack.training.certificate_kinds} if pack.training else set()
    positions = {h.position for p in pack.posts for h in p.holders}
    for r_index, rule in enumerate(eligibility.rules):
        yield from _condition_vocabulary(
            rule,
            ("eligibility", "rules", r_index),
            certificates=certificates,
            experiences=set(eligibility.experience_kinds),
            attestations=set(eligibility.attestation_kinds),
            positions=positions,
        )


def _condition_vocabulary(
    node: Condition,
    loc: Loc,
    *,
    certificates: set[str],
    experiences: set[str],
    attestations: set[str],
    positions: set[str],
) -> Iterator[Problem]:
    def known(names: set[str]) -> str:
        return "、".join(sorted(names)) or "无"

    if node.has_certificate and node.has_certificate.kind not in certificates:
        yield (
            (*loc, "has_certificate", "kind"),
            f"未声明的证书类别 '{node.has_certificate.kind}'(请在 training.certificate_kinds 中声明;"
            f"已声明:{known(certificates)})",
        )
    if node.years_in_role and node.years_in_role.kind not in experiences:
        yield (
            (*loc, "years_in_role", "kind"),
            f"未声明的工作经历类别 '{node.years_in_role.kind}'(请在 eligibility.experience_kinds 中声明;"
            f"已声明:{known(experiences)})",
        )
    if node.attested and node.attested.kind not in attestations:
        yield (
            (*loc, "attested", "kind"),
            f"未声明的证明事项 '{node.attested.kind}'(请在 eligibility.attestation_kinds 中声明;"
            f"已声明:{known(attestations)})",
        )
    if node.holds_position:
        for index, position in enumerate(node.holds_position.positions):
            if position not in positions:
                yield (
                    (*loc, "holds_position", "positions", index),
                    f"未声明的职务 '{position}'(请在 posts[].holders 中声明;已声明:{known(positions)})",
                )
    key = {"all_of": "all_of", "any_of": "any_of", "not": "not"}.get(node.operator)
    if key == "not" and node.not_ is not None:
        yield from _condition_vocabulary(
            node.not_,
            (*loc, "not"),
            certificates=certificates,
            experiences=experiences,
            attestations=attestations,
            positions=positions,
        )
    elif key is not None:
        for index, child in enumerate(node.children):
            yield from _condition_vocabulary(
                child,
                (*loc, key, index),
                certificates=certificates,
                experiences=experiences,
                attestations=attestations,
                positions=positions,
            )


def _training_refs(pack: Pack) -> Iterator[Problem]:
    if not pack.training:
        return
    declared = {c.id for c in pack.training.certificate_kinds}
    for r_index, req in enumerate(pack.training.requirements):
        for index, kind in enumerate(req.certificate_kinds):
            if kind not in declared:
                yield (
                    ("training", "requirements", r_index, "certificate_kinds", index),
                    f"未声明的证书类别 '{kind}'",
                )


CHECKS = (
    _unique_ids,
    _articles_cited,
    _chains,
    _chain_refs,
    _post_refs,
    _eligibility_vocabulary,
    _training_refs,
)


def reference_problems(pack: Pack) -> list[Problem]:
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(pack))
    return problems
