"""Create the test stack's policies, roles and API users (mirrors the documented production policies).

Policies (app_access false, like production API tokens):
  Content read  - read content, taxonomy, blocks, routes, their junctions and directus_files;
                  only status = published where a collection has `status`.
  Navigator     - read the navigator collections and their junctions; only status = published where a
                  collection has `status` (programs, desks, areas) and only vendor = onderwijsloket where it
                  has `vendor` (programs, institutions, locations). Desks and areas have no vendor (real
                  exports, reference §1A), so the policy shows every published desk and area.
  Algolia token - read algolia_token on the caller's own directus_users row.
Users: test-reader-token (all three, algolia_token test-algolia-key), test-content-token (Content read).

Re-running replaces what an earlier run created, so it is safe on a live stack.
Usage: DIRECTUS_URL=... DIRECTUS_ADMIN_TOKEN=... python3 access.py   (stdlib only)
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

URL = os.environ.get("DIRECTUS_URL", "http://127.0.0.1:8055").rstrip("/")
ADMIN_TOKEN = os.environ.get("DIRECTUS_ADMIN_TOKEN", "test-admin-token")

READER_TOKEN = "test-reader-token"
CONTENT_TOKEN = "test-content-token"
ALGOLIA_KEY = "test-algolia-key"

TAXONOMY = [
    "topics",
    "sectors",
    "audiences",
    "phases",
    "roles",
    "qualifications",
    "tracks",
    "school_subjects",
]
KNOWLEDGE_BASE = ["faqs", "articles", "authors", "sources", "documents"]
BLOCKS = [
    "buttons",
    "callouts",
    "images",
    "content_lists",
    "content_list_items",
    "related_content_lists",
    "mediaplayers",
    "mentions",
    "articles_editor_nodes",
    "callouts_editor_nodes",
    "related_content_lists_items",
    "mentions_item",
]
KB_JUNCTIONS = [
    f"articles_{t}"
    for t in (
        "authors",
        "documents",
        "sources",
        "topics",
        "sectors",
        "roles",
        "tracks",
        "qualifications",
        "audiences",
        "phases",
        "faqs",
    )
]
KB_JUNCTIONS += [f"faqs_{t}" for t in ("topics", "sectors", "audiences", "phases")]
ROUTES = [
    "route_questions",
    "route_answers",
    "route_answers_route_answers",
    "route_steps",
    "route_steps_faqs",
    "route_steps_articles",
    "routes",
    "routes_route_steps",
    "routes_route_answers",
]
CONTENT = [*TAXONOMY, *KNOWLEDGE_BASE, *BLOCKS, *KB_JUNCTIONS, *ROUTES]

NAVIGATOR = [
    "programs",
    "program_forms",
    "educational_institutions",
    "locations",
    "regional_education_desks",
    "areas",
    "opening_hours",
    "educational_institutions_programs",
    "programs_qualifications",
    "programs_locations",
    "programs_roles",
    "programs_sectors",
    "educational_institutions_locations",
    "regional_education_desks_sectors",
]

POLICY_NAMES = ("Content read", "Navigator", "Algolia token")
ROLE_NAMES = ("API reader", "API content reader")
USER_EMAILS = ("api-reader@example.com", "api-content@example.com")


def request(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(f"{method} {path} -> {exc.code}: {exc.read().decode(errors='replace')}") from None
    return json.loads(raw) if raw else None


def ids_where(path: str, field: str, values: tuple[str, ...]) -> list[str]:
    query = urllib.parse.urlencode(
        {"filter": json.dumps({field: {"_in": list(values)}}), "fields": "id", "limit": "-1"}
    )
    return [row["id"] for row in request("GET", f"{path}?{query}")["data"]]


def remove_previous() -> None:
    for path, field, values in (
        ("/users", "email", USER_EMAILS),
        ("/roles", "name", ROLE_NAMES),
        ("/policies", "name", POLICY_NAMES),
    ):
        ids = ids_where(path, field, values)
        if ids:
            request("DELETE", path, ids)


def read_permission(
    collection: str, fields_of: dict[str, set[str]], *, vendor_filter: bool
) -> dict[str, Any]:
    conditions: list[dict[str, Any]] = []
    if "status" in fields_of.get(collection, set()):
        conditions.append({"status": {"_eq": "published"}})
    if vendor_filter and "vendor" in fields_of.get(collection, set()):
        conditions.append({"vendor": {"_eq": "onderwijsloket"}})
    rule: dict[str, Any] | None
    if not conditions:
        rule = None
    elif len(conditions) == 1:
        rule = conditions[0]
    else:
        rule = {"_and": conditions}
    return {"collection": collection, "action": "read", "fields": ["*"], "permissions": rule}


def main() -> None:
    fields_of: dict[str, set[str]] = {}
    for f in request("GET", "/fields")["data"]:
        fields_of.setdefault(f["collection"], set()).add(f["field"])
    user_collections = {c for c in fields_of if not c.startswith("directus_")}
    covered = set(CONTENT) | set(NAVIGATOR)
    if missing := sorted(covered - user_collections):
        sys.exit(f"access.py: collections missing from the schema: {missing}")
    if uncovered := sorted(user_collections - covered):
        sys.exit(f"access.py: collections no policy mentions (add them to CONTENT or NAVIGATOR): {uncovered}")

    remove_previous()
    content = [read_permission(c, fields_of, vendor_filter=False) for c in CONTENT]
    content.append({"collection": "directus_files", "action": "read", "fields": ["*"], "permissions": None})
    navigator = [read_permission(c, fields_of, vendor_filter=True) for c in NAVIGATOR]
    algolia = [
        {
            "collection": "directus_users",
            "action": "read",
            "fields": ["id", "algolia_token"],
            "permissions": {"id": {"_eq": "$CURRENT_USER"}},
        }
    ]

    policy_ids: dict[str, str] = {}
    for name, permissions, note in (
        ("Content read", content, "Published content, taxonomy, blocks, routes and files."),
        (
            "Navigator",
            navigator,
            "Published navigator data; vendor = onderwijsloket where items have a vendor.",
        ),
        ("Algolia token", algolia, "Read algolia_token on the own user."),
    ):
        body = {
            "name": name,
            "icon": "key",
            "description": note,
            "app_access": False,
            "admin_access": False,
            "enforce_tfa": False,
            "permissions": permissions,
        }
        policy_ids[name] = request("POST", "/policies", body)["data"]["id"]

    def role(name: str, policies: list[str]) -> str:
        body = {"name": name, "icon": "api", "policies": [{"policy": policy_ids[p]} for p in policies]}
        return str(request("POST", "/roles", body)["data"]["id"])

    reader_role = role("API reader", ["Content read", "Navigator", "Algolia token"])
    content_role = role("API content reader", ["Content read"])
    request(
        "POST",
        "/users",
        {
            "first_name": "API",
            "last_name": "reader",
            "email": USER_EMAILS[0],
            "role": reader_role,
            "status": "active",
            "token": READER_TOKEN,
            "algolia_token": ALGOLIA_KEY,
        },
    )
    request(
        "POST",
        "/users",
        {
            "first_name": "API",
            "last_name": "content",
            "email": USER_EMAILS[1],
            "role": content_role,
            "status": "active",
            "token": CONTENT_TOKEN,
        },
    )
    print(
        f"access: 3 policies ({len(content)} + {len(navigator)} + 1 permissions), 2 roles, 2 token users",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
