"""``manage.py send_reminders``: run once a day (cron or a systemd timer); a second run sends nothing new."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from educio.notifications.models import NotificationKind
from educio.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = "发送每日提醒:推荐截止(7天、1天)、任期届满(90天、30天)、未聘任首席信息官(每月)。重复运行不会重复发送。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="按指定日期(YYYY-MM-DD)计算提醒,用于补发或测试;默认为今天。")

    def handle(self, *args: Any, **options: Any) -> None:
        today = self.parse_day(options["today"]) if options["today"] else timezone.localdate()
        counts = send_reminders(today=today)
        parts = [f"{NotificationKind(kind).label} {count} 条" for kind, count in counts.items()]
        self.stdout.write(f"{today:%Y-%m-%d} 提醒已发送:" + ",".join(parts) + f";共 {sum(counts.values())} 条。")

    @staticmethod
    def parse_day(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today 须为 YYYY-MM-DD 格式的日期,收到“{value}”。") from None
