"""``manage.py check_pack FILE [FILE ...]``: validate pack files; exit 1 with line-precise errors if any is wrong."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from educio.policies.loader import PackInvalid, parse_pack_file
from educio.policies.schema import Pack


class Command(BaseCommand):
    help = "校验制度包 YAML 文件;有错误时逐条列出“文件:行号: 路径: 原因”并以非零状态退出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", metavar="FILE", help="制度包文件(.yaml)")
        parser.add_argument(
            "--json-schema",
            action="store_true",
            help="输出制度包格式的 JSON Schema(可供编辑器校验 YAML),不校验文件",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["json_schema"]:
            self.stdout.write(json.dumps(Pack.model_json_schema(by_alias=True), ensure_ascii=False, indent=2))
            return
        if not options["files"]:
            raise CommandError("请指定要校验的制度包文件", returncode=2)
        failures = 0
        for name in options["files"]:
            try:
                parsed = parse_pack_file(Path(name))
            except PackInvalid as exc:
                failures += len(exc.errors)
                for error in exc.errors:
                    self.stderr.write(str(error))
                continue
            pack = parsed.pack
            sections = "、".join(pack.present_sections()) or "无"
            summary = f"{pack.id} 第{pack.version}版,条款 {len(pack.articles)} 条,章节:{sections}"
            self.stdout.write(self.style.SUCCESS(f"{Path(name).name}: 通过 — {summary}"))
        if failures:
            raise CommandError(f"发现 {failures} 处错误", returncode=1)
