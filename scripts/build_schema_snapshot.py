"""Build src/onderwijsloket_mcp/data/schema_snapshot.json from the Directus test stack's schema.

The server shows this snapshot for onderwijsloket://schema when it has no token or cannot reach the API.
It is generated, never edited by hand: start the stack (``tests/stack/directus.sh up``) and run

    uv run python scripts/build_schema_snapshot.py            # write the file
    uv run python scripts/build_schema_snapshot.py --check    # exit 1 when the committed file differs

The schema is read with the stack's admin token from /collections, /fields and /relations, the same
endpoints (and the same parser) the server uses live for tokens with app access. tests/contract/test_resources.py
fails when the committed file differs from what this script produces, so the snapshot cannot drift
silently from tests/stack/schema.yaml.
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from onderwijsloket_mcp.datamodel.load import SNAPSHOT_FILE  # noqa: E402
from onderwijsloket_mcp.datamodel.model import (  # noqa: E402
    data_list,
    dump_snapshot,
    from_directus,
    to_snapshot,
)

OUTPUT = ROOT / "src" / "onderwijsloket_mcp" / "data" / SNAPSHOT_FILE
GENERATOR = "scripts/build_schema_snapshot.py (tests/stack schema)"
DEFAULT_URL = "http://127.0.0.1:8055"
# The throwaway stack's admin token (tests/stack/fixture.py), not a secret.
DEFAULT_ADMIN_TOKEN = "test-admin-token"  # noqa: S105


def _get(client: httpx.Client, path: str) -> Any:
    response = client.get(path)
    response.raise_for_status()
    return response.json()


def build(url: str, admin_token: str) -> str:
    """The snapshot file's text for the schema of the Directus at ``url``."""
    headers = {"Authorization": f"Bearer {admin_token}"}
    with httpx.Client(base_url=url.rstrip("/"), headers=headers, timeout=30.0) as client:
        collections = data_list(_get(client, "/collections"))
        fields = data_list(_get(client, "/fields"))
        relations = data_list(_get(client, "/relations"))
        info = _get(client, "/server/info").get("data") or {}
    version = info.get("version")
    model = from_directus(
        collections,
        fields,
        relations,
        source="snapshot",
        directus_version=str(version) if version else None,
    )
    return dump_snapshot(to_snapshot(model, generator=GENERATOR))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--url", default=os.environ.get("OLMCP_STACK_URL", DEFAULT_URL), help="test stack URL"
    )
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed file instead of writing it"
    )
    args = parser.parse_args(argv)
    token = os.environ.get("OLMCP_STACK_ADMIN_TOKEN", DEFAULT_ADMIN_TOKEN)
    text = build(args.url, token)
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current == text:
            print(f"{OUTPUT.relative_to(ROOT)} is up to date")
            return 0
        diff = difflib.unified_diff(
            current.splitlines(), text.splitlines(), "committed", "generated", lineterm="", n=1
        )
        print("\n".join(list(diff)[:80]))
        print(f"{OUTPUT.relative_to(ROOT)} is stale: run scripts/build_schema_snapshot.py", file=sys.stderr)
        return 1
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text):,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
