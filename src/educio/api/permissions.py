"""The permission an API operation needs, declared on the operation itself.

``@requires(Perm.ORG_VIEW)`` answers 403 (JSON, through the API's error
handlers) when the caller holds the permission nowhere, exactly like
``PermissionRequiredMixin`` on the pages; rows are then narrowed to the
caller's scope by the selectors. The declared ``permission`` is read by the
permission-matrix test, which refuses API operations that do not declare one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from educio.accounts.scope import has_perm

F = TypeVar("F", bound=Callable[..., Any])


def requires(perm: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        @wraps(func)
        def operation(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not has_perm(request.user, perm):
                raise PermissionDenied(_("您没有执行此操作的权限。"))
            return func(request, *args, **kwargs)

        operation.permission = perm  # type: ignore[attr-defined]
        return cast(F, operation)

    return decorate
