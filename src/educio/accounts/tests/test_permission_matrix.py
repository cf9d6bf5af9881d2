"""One test for every URL of the project and every built-in role, inside and outside the object's subtree.

The URLs are discovered from the URLconf (the django-ninja API included), so a
page added later is covered without anyone remembering to add it:

- every view declares the permission it needs (``permission`` on the view
  class, ``@requires(...)`` on an API operation) or is listed in
  ``SELF_SERVICE`` with a reason; anything else fails;
- every URL keyword argument has a maker in ``educio.testing.makers``; a
  missing one fails with a message saying what to add.

For each URL and role, the role is held once at the object's county (inside)
and once at the other city (outside):

- GET inside answers 200/302 when the role has the permission, 403/404 without;
- GET outside never answers with the object (403/404/405), unless the role is global;
- POST outside (and POST inside without the permission) is refused and does not even try a write;
- URLs without arguments (lists, exports ``?export=xlsx``) never show anything
  from outside the county, answer 403 to roles without the permission, and
  refuse their POST (a create or upload page) to them, changing nothing.

The tree, one account per role and place, and the objects are built once for
the module (``world``); each test runs in its own savepoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from educio.accounts.models import User
from educio.accounts.roles import Role, role_has
from educio.accounts.scope import Grant
from educio.accounts.tests.factories import user_with_role
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.testing.content import response_text
from educio.testing.db import writes_recorded
from educio.testing.fixtures import fast_password_hashing, module_data  # noqa: F401 - an autouse fixture
from educio.testing.makers import MAKERS, Made, Maker, MakerContext, missing_maker_message
from educio.testing.tree import Tree, build_tree
from educio.testing.urls import MISSING, UrlCase, discover_urls

# Views that need a login but no permission: each acts only on the user's own things.
SELF_SERVICE: dict[str, str] = {
    "accounts:login": "the login page itself (redirects a logged-in user)",
    "accounts:logout": "ends the own session",
    "accounts:password_change": "changes the own password",
    "accounts:switch_role": "chooses among the own role assignments",
    "api:tokens": "the own API tokens only (api_token_list(user=))",
    "api:token_revoke": "the own API tokens only (api_token_list(user=))",
}
# Pages an anonymous visitor may open.
PUBLIC = frozenset({"accounts:login"})

ALL_URLS = discover_urls()
DOC_URLS = [u for u in ALL_URLS if u.is_ninja_docs]
MATRIX_URLS = [u for u in ALL_URLS if not u.is_ninja_docs]
URLS_BY_NAME = {u.name: u for u in ALL_URLS}
ROLES = list(Role)

REFUSED = {403, 404}
NOT_ALLOWED = 405
LOGIN_URL = reverse("accounts:login")


def is_global(role: str) -> bool:
    return Grant(0, role, 0, "", "").is_global


def declared_permission(case: UrlCase, method: str = "GET") -> str | None:
    permission = case.permission_for(method)
    if permission is not MISSING:
        return permission
    if case.name in SELF_SERVICE:
        return None
    pytest.fail(
        f"{case.name} ({case.route}) declares no permission. Give the view a `permission` "
        "(PermissionRequiredMixin / TableView), decorate the API operation with "
        "@requires(Perm....) from educio.api.permissions, or - only if it acts on the user's own "
        "things - list it in SELF_SERVICE in this file with the reason."
    )


def may(role: str, permission: str | None) -> bool:
    return permission is None or role_has(role, permission)


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def describe(response: Any) -> str:
    location = response.get("Location", "")
    text = response_text(response)[:300].replace("\n", " ")
    return f"status {response.status_code}{' -> ' + location if location else ''}: {text}"


def redirect_target(response: Any) -> UrlCase | None:
    try:
        match = resolve(urlsplit(response["Location"]).path)
    except (KeyError, Resolver404):
        return None
    return URLS_BY_NAME.get(match.view_name)


def redirects_to_own_page(response: Any, role: str) -> bool:
    """A 302 to another page the role may open (e.g. the audit admin's home is the audit log)."""
    if response.status_code != 302 or urlsplit(response["Location"]).path == LOGIN_URL:
        return False
    target = redirect_target(response)
    return target is not None and not target.kwargs and may(role, declared_permission(target))


def assert_get_answer(case: UrlCase, role: str, allowed: bool, response: Any, where: str) -> None:
    status = response.status_code
    if "GET" not in case.methods:
        expected = {NOT_ALLOWED} if allowed else {*REFUSED, NOT_ALLOWED}
        assert status in expected, f"GET {where} as {role}: expected {expected}, got {describe(response)}"
    elif allowed:
        assert status in (200, 302), f"GET {where} as {role} (has permission): {describe(response)}"
        if status == 302:
            assert urlsplit(response["Location"]).path != LOGIN_URL, f"{where} as {role} sent to the login page"
    else:
        assert status in REFUSED or redirects_to_own_page(response, role), (
            f"GET {where} as {role} (no permission): expected 403/404, got {describe(response)}"
        )


@dataclass
class World:
    """One tree for the whole module; each role held inside (the county) and outside (the other city)."""

    tree: Tree
    inside: dict[str, User]
    outside: dict[str, User]
    inside_clients: dict[str, Client]
    outside_clients: dict[str, Client]
    objects: dict[tuple[Maker, str], Made]  # (maker, role) -> object inside the county, owned by the insider
    outside_markers: list[str]  # what must never show on a county user's pages

    def made(self, case: UrlCase, role: str) -> dict[str, Made]:
        found = {}
        for kwarg in case.kwargs:
            maker = maker_for(case, kwarg)
            found[kwarg] = self.objects[(maker, role)]
        return found


def maker_for(case: UrlCase, kwarg: str) -> Maker:
    maker = MAKERS.get((case.name, kwarg)) or MAKERS.get((case.namespace, kwarg))
    if maker is None:
        pytest.fail(missing_maker_message(case.name, case.route, case.namespace, kwarg))
    return maker


def plant_outside_objects(tree: Tree, outsider: User) -> list[str]:
    """Objects outside the county (its sibling county, the other city); none may show on a county user's pages."""
    markers = [
        tree.other_county.name,
        tree.other_school.name,
        tree.far_city.name,
        tree.far_county.name,
        tree.far_school.name,
        outsider.username,
    ]
    for index, maker in enumerate(dict.fromkeys(MAKERS.values())):
        for org in (tree.other_county, tree.far_county):
            label = f"域外探针{chr(ord('A') + index)}{org.pk}号"
            made = maker(MakerContext(org=org, owner=outsider, label=label))
            if not made.shared:
                markers.append(made.marker)
    security_event_record(kind=EventKind.LOGIN, user=outsider, detail="域外探针事件")
    return [*markers, "域外探针事件"]


def build_world() -> World:
    tree = build_tree()
    inside = {r: user_with_role(r, tree.county, username=f"inside_{r}", full_name=f"域内{r}") for r in ROLES}
    outside = {r: user_with_role(r, tree.far_city, username=f"outside_{r}", full_name=f"域外{r}") for r in ROLES}
    objects = {}
    for maker in dict.fromkeys(MAKERS.values()):
        for role in ROLES:
            ctx = MakerContext(org=tree.county, owner=inside[role], label=f"矩阵对象{role}")
            objects[(maker, role)] = maker(ctx)
    markers = plant_outside_objects(tree, outside[Role.CIO])
    markers += [u.full_name for u in outside.values()]
    return World(
        tree=tree,
        inside=inside,
        outside=outside,
        inside_clients={r: login(u) for r, u in inside.items()},
        outside_clients={r: login(u) for r, u in outside.items()},
        objects=objects,
        outside_markers=markers,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    yield from module_data(django_db_blocker, build_world)


def assert_post_refused(client: Client, url: str, payload: dict[str, Any], where: str) -> None:
    with writes_recorded() as writes:
        response = client.post(url, payload)
    assert response.status_code in {*REFUSED, NOT_ALLOWED}, f"{where}: {describe(response)}"
    assert not writes, f"{where} was refused but wrote: {writes}"


def assert_no_leak(text: str, markers: list[str], where: str) -> None:
    leaked = [m for m in markers if m in text]
    assert not leaked, f"{where} shows objects from outside the user's scope: {leaked}"


def attack_payload(tree: Any) -> dict[str, Any]:
    """A POST a curious user could send: valid-looking values for every form of the project."""
    return {
        "name": "越权写入的单位",
        "short_name": "越权",
        "kind": "school",
        "school_type": "primary",
        "bureau_level": "",
        "moe_code": "",
        "region_code": "410802",
        "active": "0",
        "new_parent": str(tree.far_county.pk),
        "days": "30",
        "full_name": "越权写入",
        "phone": "",
        "email": "",
        "is_active": "",
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", MATRIX_URLS, ids=str)
def test_permission_matrix(case: UrlCase, role: str, world: World, db: None) -> None:
    permission = declared_permission(case)
    allowed = may(role, permission)
    inside_client, outside_client = world.inside_clients[role], world.outside_clients[role]
    # A global role sees everything wherever it is held: nothing is "outside" for it.
    markers = [] if is_global(role) else world.outside_markers

    if not case.kwargs:
        url = reverse(case.name)
        response = inside_client.get(url)
        assert_get_answer(case, role, allowed, response, url)
        assert_no_leak(response_text(response), markers, f"GET {url} as {role}")
        if case.export_permission is not None:
            export = inside_client.get(url, {"export": "xlsx"})
            may_export = allowed and bool(case.export_permission) and role_has(role, case.export_permission)
            expected = {200} if may_export else REFUSED
            assert export.status_code in expected, f"export {url} as {role}: {describe(export)}"
            assert_no_leak(response_text(export), markers, f"export {url} as {role}")
        # A create or upload page refuses the write itself, not only its form, to a role without the permission.
        if "POST" in case.methods and not may(role, declared_permission(case, "POST")):
            assert_post_refused(inside_client, url, attack_payload(world.tree), f"POST {url} as {role}")
        return

    made = world.made(case, role)
    url = reverse(case.name, kwargs={k: m.value for k, m in made.items()})
    object_markers = [m.marker for m in made.values()]

    # Inside the subtree: the permission decides.
    assert_get_answer(case, role, allowed, inside_client.get(url), url)

    # Outside the subtree: never the object (a global role sees everything wherever it is held).
    outside_sees_all = (is_global(role) or any(m.shared for m in made.values())) and not any(
        m.owner_only for m in made.values()
    )
    response = outside_client.get(url)
    if outside_sees_all:
        assert_get_answer(case, role, allowed, response, url)
    else:
        assert response.status_code in {*REFUSED, NOT_ALLOWED}, (
            f"GET {url} as {role} outside the subtree: {describe(response)}"
        )
        assert_no_leak(response_text(response), object_markers, f"GET {url} as {role} outside")

    # Writes from outside (and from inside without the permission) are refused and change nothing.
    post_permission = declared_permission(case, "POST") if "POST" in case.methods else permission
    payload = attack_payload(world.tree)
    refused_writers = [] if outside_sees_all else [("outside", outside_client)]
    if not may(role, post_permission):
        refused_writers.append(("inside", inside_client))
    for where, client in refused_writers:
        assert_post_refused(client, url, payload, f"POST {url} as {role} {where}")
    if may(role, post_permission):
        response = inside_client.post(url, payload)
        assert response.status_code not in REFUSED, f"POST {url} as {role} inside (permitted): {describe(response)}"


@pytest.mark.parametrize("case", MATRIX_URLS, ids=str)
def test_anonymous_visitors_are_sent_to_the_login(case: UrlCase, world: World, db: None) -> None:
    client = Client()
    made = world.made(case, Role.BUREAU_ADMIN)
    url = reverse(case.name, kwargs={k: m.value for k, m in made.items()})
    markers = [m.marker for m in made.values()]
    response = client.get(url)
    if case.name in PUBLIC:
        assert response.status_code == 200, describe(response)
    elif case.ninja_operations:
        assert response.status_code == 401, describe(response)
        assert response.json()["code"] == "unauthenticated"
    elif response.status_code != NOT_ALLOWED:
        assert response.status_code == 302, describe(response)
        assert urlsplit(response["Location"]).path == LOGIN_URL, describe(response)
    assert_no_leak(response_text(response), markers, f"GET {url} anonymously")
    if case.kwargs:
        with writes_recorded() as writes:
            response = client.post(url, attack_payload(world.tree))
        assert response.status_code in {302, 401, *REFUSED, NOT_ALLOWED}, describe(response)
        if response.status_code == 302:
            assert urlsplit(response["Location"]).path == LOGIN_URL, describe(response)
        assert not writes, writes


def test_the_matrix_sees_every_app_and_the_api() -> None:
    """Guards the discovery itself: if it silently found nothing, every test above would pass vacuously."""
    names = {u.name for u in MATRIX_URLS}
    assert {"orgs:list", "orgs:detail", "accounts:user_list", "audit:list", "api:tokens"} <= names
    assert {"api-v1:org_list", "api-v1:org_detail"} <= names
    assert {"api-v1:openapi-json", "api-v1:openapi-view"} <= {u.name for u in DOC_URLS}
    assert not any(u.route.startswith(("django-admin/", "i18n/")) for u in ALL_URLS)


def test_api_documentation_answers_anonymous_visitors_without_data(world: World, db: None) -> None:
    """The schema and its page describe the API and hold no data, so they stay public (partners read them)."""
    client = Client()
    tree = world.tree
    names = {tree.county.name, tree.school.name, tree.far_school.name}
    for case in DOC_URLS:
        response = client.get(reverse(case.name))
        assert response.status_code in (200, 404), f"{case.name}: {describe(response)}"
        assert_no_leak(response_text(response), list(names), case.name)
    schema = client.get(reverse("api-v1:openapi-json")).json()
    assert "/api/v1/orgs/" in schema["paths"]


def test_api_docs_page_loads_nothing_from_a_cdn(client: Client, db: None) -> None:
    html = client.get(reverse("api-v1:openapi-view")).content.decode()
    assert "cdn." not in html
    assert "https://" not in html
