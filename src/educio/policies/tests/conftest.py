"""Fixtures of the policy tests: the seed packs loaded as platform packs, and pack text helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from educio.policies.models import PolicyPack
from educio.policies.services import PACKS_DIR, seed_packs_load

DATA = Path(__file__).resolve().parent / "data"
SEED_PACKS = ("jiaozuo-2022", "helan-2024", "yichun-2025", "wuhai-2023")
# The four policy documents the seed packs encode, kept verbatim in the repository (docs/seeds/).
SEEDS_DIR = Path(__file__).resolve().parents[4] / "docs" / "seeds"


def pack_text(pack_id: str) -> str:
    return (PACKS_DIR / f"{pack_id}.yaml").read_text(encoding="utf-8")


@pytest.fixture
def seed_packs(db: None) -> dict[str, PolicyPack]:
    """The four seed packs stored as platform packs, by pack id."""
    outcomes = seed_packs_load()
    assert {o.status for o in outcomes} == {"created"}, [o.message for o in outcomes]
    return {p.pack_id: p for p in PolicyPack.objects.all()}


MINIMAL = """\
id: test-pack
version: 1
title: 测试制度
issuer: 测试教育局
applies_to: [school]
articles:
  - id: a1
    number: 第一条
    text: 测试条款。
"""
