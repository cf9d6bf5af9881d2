"""django-auditlog's request context, with the client address taken the way the rest of EduCIO takes it."""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.http import HttpRequest

from educio.audit.services import client_ip


class AuditContextMiddleware(AuditlogMiddleware):
    """Records the acting user and client address on every change made during a request.

    auditlog trusts X-Forwarded-For unconditionally; here it counts only when
    ``TRUST_X_FORWARDED_FOR`` says a proxy in front of us overwrites it.
    """

    @staticmethod
    def _get_remote_addr(request: HttpRequest) -> str | None:
        return client_ip(request)
