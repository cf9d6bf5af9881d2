"""Every URL pattern of the project, with what a test needs to know about its view.

The permission-matrix test walks this list, so a page or API operation added
later is covered without anyone remembering to add it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from ninja.operation import Operation, PathView

# Not EduCIO's pages: Django's admin, the language switch and static files.
EXCLUDED_PREFIXES = ("django-admin/", "i18n/", "static/", "media/")

# A view that declares no ``permission`` (``MISSING``) fails the matrix unless listed as self-service.
MISSING: Any = object()


@dataclass(frozen=True)
class UrlCase:
    name: str  # "namespace:name"
    namespace: str
    route: str
    kwargs: tuple[str, ...]
    callback: Callable[..., Any]

    @property
    def view_class(self) -> Any:
        return getattr(self.callback, "view_class", None)

    @property
    def ninja_operations(self) -> tuple[Operation, ...]:
        for cell in getattr(self.callback, "__closure__", None) or ():
            if isinstance(cell.cell_contents, PathView):
                return tuple(cell.cell_contents.operations)
        return ()

    @property
    def is_ninja_docs(self) -> bool:
        """The OpenAPI schema, the docs page and the API root that django-ninja adds by itself."""
        callback = self.callback
        return isinstance(callback, functools.partial) and callback.func.__module__.startswith("ninja.")

    @property
    def methods(self) -> frozenset[str]:
        if self.ninja_operations:
            return frozenset(m for op in self.ninja_operations for m in op.methods)
        view_class = self.view_class
        if view_class is not None:
            names = [m for m in view_class.http_method_names if m not in ("options", "head")]
            return frozenset(m.upper() for m in names if hasattr(view_class, m))
        return frozenset({"GET", "POST"})

    def permission_for(self, method: str = "GET") -> Any:
        """The permission code the view requires, ``None`` for "login only", ``MISSING`` if undeclared."""
        if self.ninja_operations:
            ops = [op for op in self.ninja_operations if method in op.methods] or list(self.ninja_operations)
            perms = {getattr(op.view_func, "permission", MISSING) for op in ops}
            return perms.pop() if len(perms) == 1 else MISSING
        if self.view_class is not None:
            return getattr(self.view_class, "permission", MISSING)
        return MISSING

    @property
    def export_permission(self) -> str | None:
        """For table pages (``TableView``) the permission that ``?export=xlsx`` needs."""
        from educio.listing import TableView

        view_class = self.view_class
        if view_class is not None and issubclass(view_class, TableView):
            return view_class.export_permission or ""
        return None

    def __str__(self) -> str:
        return self.name


def _walk(patterns: list[Any], route: str, namespaces: tuple[str, ...]) -> Iterator[UrlCase]:
    for pattern in patterns:
        full = route + str(pattern.pattern)
        if full.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            ns = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, full, ns)
        elif isinstance(pattern, URLPattern):
            namespace = ":".join(namespaces)
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            converters = getattr(pattern.pattern, "converters", {}) or {}
            kwargs = tuple(converters) or tuple(pattern.pattern.regex.groupindex)
            yield UrlCase(name=name, namespace=namespace, route=full, kwargs=kwargs, callback=pattern.callback)


def discover_urls() -> list[UrlCase]:
    """Every URL pattern of the project except the excluded prefixes, in URLconf order."""
    return list(_walk(get_resolver().url_patterns, "", ()))
