"""``check_pack`` exits non-zero with line-precise errors; ``load_packs`` is safe to re-run."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from educio.policies.models import PolicyPack
from educio.policies.services import PACKS_DIR
from educio.policies.tests.conftest import MINIMAL, SEED_PACKS, pack_text

MANAGE = Path(__file__).resolve().parents[4] / "manage.py"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_pack_accepts_every_seed_pack():
    out, err = run("check_pack", *(str(PACKS_DIR / f"{p}.yaml") for p in SEED_PACKS))
    assert err == ""
    assert out.count("通过") == 4


def test_check_pack_lists_errors_and_fails(tmp_path):
    broken = tmp_path / "wuhai-2023.yaml"
    broken.write_text(pack_text("wuhai-2023").replace("recipient: city_bureau", "recipient: town"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError) as info:
        call_command("check_pack", str(broken), stderr=err)
    assert info.value.returncode == 1
    (line,) = err.getvalue().splitlines()
    assert line.startswith("wuhai-2023.yaml:")
    assert "infrastructure.reporting.recipient: 未知的接收层级 'town'" in line


def test_check_pack_exit_codes_from_the_shell(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(MINIMAL, encoding="utf-8")
    bad.write_text(MINIMAL + "posts: [\n", encoding="utf-8")
    ok = subprocess.run([sys.executable, str(MANAGE), "check_pack", str(good)], capture_output=True, text=True)  # noqa: S603
    assert ok.returncode == 0, ok.stderr
    failed = subprocess.run([sys.executable, str(MANAGE), "check_pack", str(bad)], capture_output=True, text=True)  # noqa: S603
    assert failed.returncode == 1
    assert failed.stderr.startswith("bad.yaml:")
    assert "Traceback" not in failed.stderr


def test_load_packs_is_idempotent(db):
    out, _ = run("load_packs")
    assert out.count("已加载") == 4
    out, _ = run("load_packs")
    assert out.count("未变化") == 4
    assert "新增 0 个版本" in out
    assert PolicyPack.objects.count() == 4


def test_load_packs_refuses_changed_content_under_the_same_version(db, tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    target = folder / "helan-2024.yaml"
    target.write_text(pack_text("helan-2024"), encoding="utf-8")
    run("load_packs", "--dir", str(folder))
    target.write_text(
        pack_text("helan-2024").replace("title: 贺兰县中小学校首席信息官实施方案", "title: 改过的标题"),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("load_packs", "--dir", str(folder), stdout=StringIO(), stderr=err)
    assert "已存在且内容不同" in err.getvalue()
    assert PolicyPack.objects.get().title == "贺兰县中小学校首席信息官实施方案"
    target.write_text(pack_text("helan-2024").replace("version: 1\n", "version: 2\n", 1), encoding="utf-8")
    run("load_packs", "--dir", str(folder))
    assert sorted(PolicyPack.objects.values_list("version", flat=True)) == [1, 2]


def test_load_packs_adopt_demo_without_demo_units_skips_them(db):
    out, _ = run("load_packs", "--adopt-demo")
    assert "跳过 焦作市教育局:找不到该单位" in out
