"""``manage.py demo_accounts``: the demo logins as a table (``make run`` prints it before serving)."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from educio.accounts.models import RoleAssignment
from educio.accounts.roles import Role
from educio.orgs.demo_data import DEMO_PASSWORD, JURISDICTIONS


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: CJK characters are two columns wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def format_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(display_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)
    lines = ["  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in [header, *rows]]
    return "\n".join([lines[0], rule, *lines[1:]])


class Command(BaseCommand):
    help = "列出演示账号(用户名、角色、单位、密码)"

    def handle(self, *args: Any, **options: Any) -> None:
        usernames = [a.username for j in JURISDICTIONS for a in j.accounts]
        held = {
            (ra.user.username, ra.role): ra.organization.name
            for ra in RoleAssignment.objects.filter(user__username__in=usernames).select_related("user", "organization")
        }
        rows: list[list[str]] = []
        missing = 0
        for jurisdiction in JURISDICTIONS:
            for account in jurisdiction.accounts:
                org_name = held.get((account.username, account.role))
                if org_name is None:
                    missing += 1
                    org_name = "(未加载)"
                rows.append([account.username, str(Role(account.role).label), org_name, DEMO_PASSWORD])
        self.stdout.write("演示账号(所有账号密码相同):")
        self.stdout.write(format_table(["用户名", "角色", "单位", "密码"], rows))
        if missing:
            self.stdout.write(self.style.WARNING(f"有 {missing} 个演示账号尚未加载,请先运行 manage.py load_demo。"))
        self.stdout.write("如演示密码已被修改或账号被锁定,运行 manage.py load_demo --reset-passwords 恢复。")
