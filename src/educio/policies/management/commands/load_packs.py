"""``manage.py load_packs``: load the seed packs (``policies/packs/*.yaml``) as platform packs; safe to re-run.

The same content again adds nothing; a new version adds a row; changed content
under an existing version is refused (a published version never changes).
``--adopt-demo`` then lets the four demo jurisdictions adopt their pack.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from educio.policies.services import PACKS_DIR, demo_packs_adopt, seed_packs_load


class Command(BaseCommand):
    help = "加载 policies/packs/ 下的制度包(可重复运行);--adopt-demo 让四个演示单位采用各自的制度包"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=str(PACKS_DIR), help="制度包目录(默认为内置种子制度包)")
        parser.add_argument("--adopt-demo", action="store_true", help="加载后让演示单位采用对应制度包")

    def handle(self, *args: Any, **options: Any) -> None:
        outcomes = seed_packs_load(Path(options["dir"]))
        failed = 0
        for outcome in outcomes:
            if outcome.status in ("created", "unchanged"):
                style = self.style.SUCCESS if outcome.status == "created" else self.style.NOTICE
                self.stdout.write(style(f"{outcome.filename}: {outcome.message}"))
            else:
                failed += 1
                self.stderr.write(f"{outcome.filename}: 未加载 — {outcome.message}")
        if options["adopt_demo"]:
            for message in demo_packs_adopt():
                self.stdout.write(message)
        created = sum(o.status == "created" for o in outcomes)
        self.stdout.write(f"制度包:新增 {created} 个版本,共检查 {len(outcomes)} 个文件。")
        if failed:
            raise CommandError(f"{failed} 个文件未加载", returncode=1)
