"""Masking of personal data in lists and exports (DESIGN.md §4)."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """138****5678: enough to recognise, not enough to call."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(email: str) -> str:
    """zh***@example.cn: the domain stays, the mailbox name does not."""
    name, at, domain = email.strip().partition("@")
    if not at:
        return "*" * len(name)
    return f"{name[:2]}***@{domain}"
