"""Delete audit entries older than the retention period (never less than 180 days, MLPS 2.0)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from educio.audit.models import ChangeLogEntry, SecurityEvent

MINIMUM_DAYS = 180


class Command(BaseCommand):
    help = "删除超过保留期的审计日志(保留期不少于180天)。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=settings.EDUCIO_AUDIT_RETENTION_DAYS)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < MINIMUM_DAYS:
            raise CommandError(f"保留期不能少于{MINIMUM_DAYS}天(等保2.0要求),收到 {days}。")
        cutoff = timezone.now() - timedelta(days=days)
        changes = ChangeLogEntry.objects.filter(timestamp__lt=cutoff)
        events = SecurityEvent.objects.filter(created_at__lt=cutoff)
        counts = (changes.count(), events.count())
        if not dry_run:
            changes.delete()
            events.delete()
        verb = "将删除" if dry_run else "已删除"
        self.stdout.write(f"{verb} {counts[0]} 条数据变更日志、{counts[1]} 条登录与访问日志(早于 {cutoff:%Y-%m-%d})。")
