"""Load the sample seed data (seed_data.py) into a fresh Directus test stack.

Sample data written for tests; not Onderwijsloket's content.

    python3 tests/stack/seed.py [--url http://127.0.0.1:8055] [--admin-token test-admin-token]

Defaults come from DIRECTUS_URL and DIRECTUS_ADMIN_TOKEN (or ADMIN_TOKEN). Uploads the generated files,
then creates LOAD_ORDER collection by collection in batches. Any Directus error stops the run with the
error body. Meant for a fresh stack only: a second run fails on duplicate primary keys.
Stdlib only, so directus.sh can run it without the project's virtualenv.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import seed_data

BATCH_SIZE = 20
# Hundreds of small generated routes (each with its junction rows): fewer, larger requests are quicker.
BATCH_SIZES = {"routes": 100}


class SeedError(SystemExit):
    pass


class Client:
    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token

    def _send(self, method: str, path: str, data: bytes | None, content_type: str | None, what: str) -> Any:
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Authorization", f"Bearer {self.token}")
        if content_type:
            req.add_header("Content-Type", content_type)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode(errors="replace")
            raise SeedError(
                f"seed.py: {method} {path} ({what}) failed with HTTP {exc.code}:\n{detail}"
            ) from None
        except urllib.error.URLError as exc:
            raise SeedError(f"seed.py: cannot reach {self.url} ({exc.reason}); is the stack up?") from None
        return json.loads(raw) if raw else None

    def json(self, method: str, path: str, body: Any, what: str) -> Any:
        return self._send(
            method, path, json.dumps(body, ensure_ascii=False).encode(), "application/json", what
        )

    def upload(self, fields: dict[str, str], filename: str, mime: str, content: bytes) -> Any:
        boundary = f"----seed{uuid.uuid4().hex}"
        out = bytearray()
        # Metadata fields must precede the file part: Directus reads them before it stores the stream.
        for name, value in fields.items():
            out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            out += value.encode() + b"\r\n"
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {mime}\r\n\r\n"
        ).encode()
        out += content + f"\r\n--{boundary}--\r\n".encode()
        return self._send("POST", "/files", bytes(out), f"multipart/form-data; boundary={boundary}", filename)


def _replace(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return mapping.get(value, value)
    if isinstance(value, list):
        return [_replace(v, mapping) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, mapping) for k, v in value.items()}
    return value


def upload_files(client: Client) -> dict[str, str]:
    """Uploads FILES; returns {planned id: actual id} for any file whose id Directus did not keep."""
    remap: dict[str, str] = {}
    for spec in seed_data.FILES:
        data = client.upload(
            seed_data.upload_fields(spec), spec["filename_download"], spec["type"], seed_data.file_bytes(spec)
        )["data"]
        if data["id"] != spec["id"]:
            remap[spec["id"]] = data["id"]
    return remap


def load(client: Client, remap: dict[str, str]) -> dict[str, tuple[int, float]]:
    """Creates LOAD_ORDER; returns {collection: (items, seconds)}."""
    stats: dict[str, tuple[int, float]] = {}
    for collection, items in seed_data.LOAD_ORDER:
        started = time.monotonic()
        payload = copy.deepcopy(items)
        if remap:
            payload = _replace(payload, remap)
        size = BATCH_SIZES.get(collection, BATCH_SIZE)
        for start in range(0, len(payload), size):
            batch = payload[start : start + size]
            first = batch[0].get("id", "?")
            client.json(
                "POST", f"/items/{collection}?fields=id", batch, f"{len(batch)} items starting at {first}"
            )
        n, secs = stats.get(collection, (0, 0.0))
        stats[collection] = (n + len(payload), secs + time.monotonic() - started)
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("DIRECTUS_URL", "http://127.0.0.1:8055"))
    parser.add_argument(
        "--admin-token",
        default=os.environ.get("DIRECTUS_ADMIN_TOKEN") or os.environ.get("ADMIN_TOKEN") or "test-admin-token",
    )
    args = parser.parse_args(argv)
    client = Client(args.url, args.admin_token)

    started = time.monotonic()
    remap = upload_files(client)
    stats = {"directus_files": (len(seed_data.FILES), time.monotonic() - started), **load(client, remap)}
    elapsed = time.monotonic() - started

    width = max(len(c) for c in stats)
    for collection, (n, secs) in stats.items():
        print(f"  {collection:<{width}}  {n:4d}  {secs:5.1f}s", file=sys.stderr)
    note = f"; {len(remap)} file ids reassigned by Directus" if remap else ""
    items = sum(n for n, _ in stats.values())
    print(f"seed.py: {items} items in {len(stats)} collections, {elapsed:.1f}s{note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
