"""``manage.py check_rectifications``: run once a day (cron or a systemd timer); a second run changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from educio.rectifications.checks import check_rectifications


class Command(BaseCommand):
    help = (
        "限期整改每日检查:逾期未整改的通知按制度执行后果(如取消首席信息官任命),"
        "补办未完成的后果,发送到期前7天、1天提醒。重复运行不会重复执行或重复提醒。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按指定日期(YYYY-MM-DD)检查,用于补办或测试;默认为今天。")

    def handle(self, *args: Any, **options: Any) -> None:
        today = self.parse_day(options["today"]) if options["today"] else timezone.localdate()
        run = check_rectifications(today=today)
        self.stdout.write(
            f"{today:%Y-%m-%d} 限期整改检查:跟进复查结论 {run.decided} 件,逾期 {run.overdue} 件,"
            f"补办后果 {run.consequences} 件,到期提醒 {run.reminded} 条。"
        )

    @staticmethod
    def parse_day(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today 须为 YYYY-MM-DD 格式的日期,收到“{value}”。") from None
