"""Render Onderwijsloket content documents (Tiptap v2 JSON + ``editor_nodes``) as compact markdown.

The output is meant for a language model, not for a browser: it favours short, unambiguous text over
faithful layout. Custom ``relation-block`` / ``relation-inline-block`` nodes only carry a junction id; their
data lives in the sibling many-to-any field ``editor_nodes`` (see the API reference, section 5), so callers
pass that list alongside the document and request it with :data:`EDITOR_NODE_FIELDS`.

Content comes from a remote API, so nothing here trusts its shape: every function accepts garbage and
degrades to best-effort text instead of raising, and links are filtered so a document can never smuggle a
``javascript:`` URL into the output.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

from ..config import DEFAULT_SITE_URL
from ..text import clean_text
from .links import absolute_link, cloudinary_url, site_base
from .markdown import md_link, md_url

__all__ = [
    "BLOCK_COLLECTIONS",
    "EDITOR_NODE_FIELDS",
    "RELATED_ITEM_FIELDS",
    "editor_node_fields",
    "render_markdown",
    "render_one_line",
    "render_plain",
    "render_plain_text",
    "truncate_markdown",
]

# Guards against hostile or broken documents: nesting beyond this is dropped, and a global visit budget
# stops shared-reference "documents" (possible with Python objects, not JSON) from exploding exponentially.
MAX_NODE_DEPTH: Final = 50
MAX_DOC_DEPTH: Final = 5  # nested documents (callout descriptions), as in the docs' injection algorithm
_MAX_VISITS: Final = 100_000

# ---------------------------------------------------------------------------------------------------------
# Directus field lists
# ---------------------------------------------------------------------------------------------------------

BLOCK_COLLECTIONS: Final = (
    "buttons",
    "callouts",
    "images",
    "content_lists",
    "related_content_lists",
    "mediaplayers",
    "mentions",
)

# Only fields the renderer reads, and only names the docs' own fetch example requests: Directus answers
# 403 for the whole request when one named field is missing or not readable (checked on 11.17.4), so every
# extra name is a risk. Sort fields are left out because Directus already returns O2M/M2A rows in their
# relation's sort order. Sectors have no documented ``path``; their slug is fetched but no URL is invented.
RELATED_ITEM_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "articles": ("title", "path"),
    "programs": ("title", "path"),
    "educational_institutions": ("title", "path"),
    "regional_education_desks": ("title", "path"),
    "sectors": ("title", "slug"),
}

# What the renderer reads of each block, relative to it (a related-content list's items are added per
# collection, see editor_node_fields).
_BLOCK_FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "buttons": ("id", "label", "to", "internal"),
    "callouts": ("id", "title", "description", "actions"),
    "images": ("id", "alt_text", "image"),
    "content_lists": ("id", *(f"items.{f}" for f in ("id", "title", "description", "link", "internal"))),
    "related_content_lists": ("id", "items.collection"),
    "mediaplayers": ("id", "title", "artist", "type"),
    "mentions": (
        "id",
        "title",
        "item.id",
        "item.collection",
        *(f"item.item:articles.{f}" for f in RELATED_ITEM_FIELDS["articles"]),
    ),
}


def editor_node_fields(
    prefix: str = "editor_nodes",
    *,
    collections: Iterable[str] | None = None,
    related_collections: Iterable[str] | None = None,
) -> list[str]:
    """Directus REST ``fields`` entries that expand an ``editor_nodes`` many-to-any field under ``prefix``.

    ``collections`` limits which block collections are expanded (default: all seven); ``related_collections``
    limits the item collections expanded inside related-content lists (default: :data:`RELATED_ITEM_FIELDS`).
    Narrow the latter when the token lacks a policy for a collection (e.g. navigator collections), because
    Directus may refuse the whole request when a requested field is not readable.
    """
    wanted = tuple(BLOCK_COLLECTIONS if collections is None else collections)
    related = tuple(RELATED_ITEM_FIELDS if related_collections is None else related_collections)
    for name in wanted:
        if name not in BLOCK_COLLECTIONS:
            raise ValueError(f"unknown block collection: {name!r}")
    for name in related:
        if name not in RELATED_ITEM_FIELDS:
            raise ValueError(f"unknown related-content collection: {name!r}")

    item = f"{prefix}.item:"
    fields = [f"{prefix}.id", f"{prefix}.collection"]
    for name in BLOCK_COLLECTIONS:  # fixed order keeps the query string stable
        if name not in wanted:
            continue
        base = f"{item}{name}"
        fields += [f"{base}.{f}" for f in _BLOCK_FIELDS[name]]
        if name == "callouts":
            # Callouts carry their own editor_nodes; the docs say only mentions occur in them.
            fields += editor_node_fields(f"{base}.editor_nodes", collections=("mentions",))
        elif name == "related_content_lists":
            fields += [f"{base}.items.item:{coll}.{f}" for coll in related for f in RELATED_ITEM_FIELDS[coll]]
    return fields


EDITOR_NODE_FIELDS: Final[tuple[str, ...]] = tuple(editor_node_fields())

# ---------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------

_INLINE_TYPES: Final = frozenset({"text", "hardBreak", "relation-inline-block"})
_MARK_ORDER: Final = ("strike", "italic", "bold")  # innermost first; code is handled separately
_MARK_ALIASES: Final[Mapping[str, str]] = {
    "bold": "bold",
    "strong": "bold",
    "italic": "italic",
    "em": "italic",
    "strike": "strike",
    "code": "code",
}
_MARK_WRAP: Final[Mapping[str, str]] = {"bold": "**", "italic": "_", "strike": "~~"}
_LANG_RE: Final = re.compile(r"[A-Za-z0-9_+.#-]{1,30}")
_RELATED_LABELS: Final[Mapping[str, str]] = {
    "programs": "program",
    "educational_institutions": "institution",
    "regional_education_desks": "regional desk",
    "sectors": "sector",
    "testimonials": "testimonial",
    "videos": "video",
    "podcast_episodes": "podcast episode",
    "podcast_shows": "podcast",
}


_INT_RE: Final = re.compile(r"-?[0-9]{1,11}")


def _kind(node: Mapping[str, Any]) -> str | None:
    kind = node.get("type")
    return kind if isinstance(kind, str) else None


class _BudgetSpentError(Exception):
    """Raised internally when the visit budget is spent; rendering then keeps what it has."""


def _as_mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _as_list(value: object) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    return []


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value == value and abs(value) < 1e12:
        return int(value)
    if isinstance(value, str) and _INT_RE.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _key(value: object) -> str | None:
    """Junction ids compare as strings: the document stores text, Directus may return numbers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str | int):
        text = str(value).strip()
        return text or None
    return None


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _build_pool(editor_nodes: object) -> dict[str, Mapping[str, Any]]:
    pool: dict[str, Mapping[str, Any]] = {}
    if isinstance(editor_nodes, str | bytes) or not isinstance(editor_nodes, Iterable):
        return pool
    try:
        for index, entry in enumerate(editor_nodes):
            if index >= 10_000:
                break
            if isinstance(entry, Mapping):
                key = _key(entry.get("id"))
                if key is not None and key not in pool:
                    pool[key] = entry
    except Exception:  # noqa: S110 - a broken iterable just means fewer resolvable nodes
        pass
    return pool


def _parse_doc(doc: object) -> object:
    if isinstance(doc, bytes | bytearray):
        try:
            doc = bytes(doc).decode("utf-8", errors="replace")
        except Exception:
            return None
    if isinstance(doc, str):
        stripped = doc.strip()
        if stripped[:1] in ("{", "[", '"'):
            try:
                return json.loads(stripped)
            except RecursionError:
                return None  # absurdly deep JSON: there is no sensible text to show
            except ValueError:
                return doc  # not JSON after all: treat it as text
        return doc
    return doc


class _Renderer:
    def __init__(self, pool: dict[str, Mapping[str, Any]], site_url: str, heading_offset: int, plain: bool):
        self.pool = pool
        self.site_url = site_url
        self.heading_offset = heading_offset
        self.plain = plain
        self.depth = 0
        self.doc_depth = 0
        self.visits = 0
        self.active: set[int] = set()  # ids of containers on the current path (cycle guard)
        self.active_junctions: set[str] = set()

    # -- entry ----------------------------------------------------------------------------------------

    def render(self, doc: object) -> str:
        if isinstance(doc, str):
            return doc
        if isinstance(doc, Mapping) and (_text(doc.get("type")) not in ("doc", "") or "text" in doc):
            return self.blocks([doc], "\n\n")  # a bare node instead of a document
        if not isinstance(doc, Mapping | list | tuple) or not self._enter(doc):
            return ""
        try:
            content = _as_list(doc) if isinstance(doc, list | tuple) else _as_list(doc.get("content"))
            return self.blocks(content, "\n\n")
        finally:
            self._leave(doc)

    def _enter(self, node: object) -> bool:
        self.visits += 1
        if self.visits > _MAX_VISITS:
            raise _BudgetSpentError
        if self.depth >= MAX_NODE_DEPTH or id(node) in self.active:
            return False
        self.depth += 1
        self.active.add(id(node))
        return True

    def _leave(self, node: object) -> None:
        self.depth -= 1
        self.active.discard(id(node))

    # -- blocks ---------------------------------------------------------------------------------------

    @staticmethod
    def _is_inline(node: object) -> bool:
        if isinstance(node, str):
            return True
        if not isinstance(node, Mapping):
            return False
        kind = _kind(node)
        if kind in _INLINE_TYPES:
            return True
        # Unknown leaf nodes that carry text behave like text.
        return kind not in _BLOCK_HANDLERS and isinstance(node.get("text"), str) and not node.get("content")

    def blocks(self, nodes: Sequence[Any], sep: str) -> str:
        out: list[str] = []
        run: list[Any] = []

        def flush() -> None:
            if run:
                text = self.inline(run).strip()
                if text:
                    out.append(text)
                run.clear()

        for child in nodes:
            if self._is_inline(child):
                run.append(child)
                continue
            flush()
            rendered = self.block(child)
            if rendered.strip():
                out.append(rendered.rstrip())
        flush()
        return sep.join(out)

    def block(self, node: object) -> str:
        if not isinstance(node, Mapping):
            return ""
        if not self._enter(node):
            return ""
        try:
            kind = _kind(node)
            handler = _BLOCK_HANDLERS.get(kind) if kind is not None else None
            if handler is not None:
                return handler(self, node)
            return self._unknown_block(node)
        finally:
            self._leave(node)

    def _unknown_block(self, node: Mapping[str, Any]) -> str:
        content = node.get("content")
        if isinstance(content, list | tuple):
            return self.blocks(content, "\n\n")
        return self.inline([node]).strip() if isinstance(node.get("text"), str) else ""

    def _doc(self, node: Mapping[str, Any]) -> str:
        return self.blocks(_as_list(node.get("content")), "\n\n")

    def _paragraph(self, node: Mapping[str, Any]) -> str:
        return self.inline(_as_list(node.get("content"))).strip()

    def _heading(self, node: Mapping[str, Any]) -> str:
        text = " ".join(self.inline(_as_list(node.get("content"))).split())
        if not text:
            return ""
        if self.plain:
            return text
        level = _as_int(_as_mapping(node.get("attrs")).get("level")) or 1
        level = min(6, max(1, level + self.heading_offset))
        return "#" * level + " " + text

    def _horizontal_rule(self, _: Mapping[str, Any]) -> str:
        return "" if self.plain else "---"

    def _blockquote(self, node: Mapping[str, Any]) -> str:
        inner = self.blocks(_as_list(node.get("content")), "\n\n")
        return inner if self.plain else _quote(inner)

    def _code_block(self, node: Mapping[str, Any]) -> str:
        code = "".join(self._raw_text(child) for child in _as_list(node.get("content"))).strip("\n")
        if not code.strip():
            return ""
        if self.plain:
            return code
        longest = max((len(m) for m in re.findall(r"`+", code)), default=0)
        fence = "`" * max(3, longest + 1)
        language = _as_mapping(node.get("attrs")).get("language")
        lang = language if isinstance(language, str) and _LANG_RE.fullmatch(language) else ""
        return f"{fence}{lang}\n{code}\n{fence}"

    def _raw_text(self, node: object) -> str:
        """All text below ``node`` without any formatting (code blocks ignore marks)."""
        if isinstance(node, str):
            return node
        if not isinstance(node, Mapping) or not self._enter(node):
            return ""
        try:
            if node.get("type") == "hardBreak":
                return "\n"
            text = node.get("text")
            if isinstance(text, str):
                return text
            return "".join(self._raw_text(child) for child in _as_list(node.get("content")))
        finally:
            self._leave(node)

    def _list(self, node: Mapping[str, Any], ordered: bool) -> str:
        number = 1
        if ordered:
            start = _as_int(_as_mapping(node.get("attrs")).get("start"))
            number = 1 if start is None else min(max(start, 0), 999_999_999)
        items: list[str] = []
        for child in _as_list(node.get("content")):
            if isinstance(child, Mapping) and child.get("type") == "listItem":
                if not self._enter(child):
                    continue
                try:
                    body = self.blocks(_as_list(child.get("content")), "\n")
                finally:
                    self._leave(child)
            else:
                body = self.blocks([child], "\n")
            if not body.strip():
                continue  # no empty list items
            if self.plain:
                items.append(body)
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            items.append(marker + _indent(body, " " * len(marker)))
        return "\n".join(items)

    def _bullet_list(self, node: Mapping[str, Any]) -> str:
        return self._list(node, ordered=False)

    def _ordered_list(self, node: Mapping[str, Any]) -> str:
        return self._list(node, ordered=True)

    def _table(self, node: Mapping[str, Any]) -> str:
        rows: list[list[str]] = []
        for row in _as_list(node.get("content")):
            if not isinstance(row, Mapping) or not self._enter(row):
                continue
            try:
                cells: list[str] = []
                for cell in _as_list(row.get("content")):
                    if not isinstance(cell, Mapping) or not self._enter(cell):
                        continue
                    try:
                        text = self.blocks(_as_list(cell.get("content")), "\n")
                    finally:
                        self._leave(cell)
                    span = _as_int(_as_mapping(cell.get("attrs")).get("colspan")) or 1
                    cells.append(text)
                    cells.extend("" for _ in range(min(max(span, 1), 50) - 1))
                if any(c.strip() for c in cells):
                    rows.append(cells)
            finally:
                self._leave(row)
        if not rows:
            return ""
        if self.plain:
            return "\n".join(" | ".join(" ".join(c.split()) for c in r if c.strip()) for r in rows)
        width = max(len(r) for r in rows)

        def line(cells: list[str]) -> str:
            padded = [_cell(c) for c in cells] + [""] * (width - len(cells))
            return "| " + " | ".join(padded) + " |"

        # GitHub tables need a header row; the first row serves as one even without tableHeader cells.
        out = [line(rows[0]), "| " + " | ".join(["---"] * width) + " |"]
        out += [line(r) for r in rows[1:]]
        return "\n".join(out)

    # -- inline ---------------------------------------------------------------------------------------

    def inline(self, nodes: Sequence[Any]) -> str:
        # Segments: (text, marks, href) for text; (str, None, None) for pre-rendered markdown.
        segments: list[tuple[str, frozenset[str] | None, str | None]] = []
        for node in nodes:
            if isinstance(node, str):
                segments.append((node, frozenset(), None))
                continue
            if not isinstance(node, Mapping):
                continue
            kind = _kind(node)
            if kind == "text" or (
                kind not in _BLOCK_HANDLERS and kind != "hardBreak" and "content" not in node
            ):
                text = node.get("text")
                if isinstance(text, str) and text:
                    self.visits += 1
                    if self.visits > _MAX_VISITS:
                        raise _BudgetSpentError
                    marks, href = self._marks(node.get("marks"))
                    segments.append((text, marks, href))
                continue
            if kind == "hardBreak":
                segments.append(("\n", None, None))
                continue
            rendered = self.block(node)  # relation nodes, unknown wrappers, misplaced blocks
            if rendered:
                segments.append((rendered, None, None))
        return self._join_segments(segments)

    def _marks(self, raw: object) -> tuple[frozenset[str], str | None]:
        found: set[str] = set()
        href: str | None = None
        for mark in _as_list(raw)[:20]:
            if not isinstance(mark, Mapping):
                continue
            kind = _kind(mark)
            if kind == "link":
                href = absolute_link(_as_mapping(mark.get("attrs")).get("href"), self.site_url)
            elif kind is not None and kind in _MARK_ALIASES:
                found.add(_MARK_ALIASES[kind])
        return frozenset(found), href

    def _join_segments(self, segments: list[tuple[str, frozenset[str] | None, str | None]]) -> str:
        out: list[str] = []
        i = 0
        while i < len(segments):
            text, marks, href = segments[i]
            if marks is None:
                out.append(text)
                i += 1
                continue
            # Collect a run of text segments sharing one link target, merging identical formatting.
            runs: list[tuple[str, frozenset[str]]] = []
            j = i
            while j < len(segments) and segments[j][1] is not None and segments[j][2] == href:
                seg_text, seg_marks, _ = segments[j]
                assert seg_marks is not None
                if runs and runs[-1][1] == seg_marks:
                    runs[-1] = (runs[-1][0] + seg_text, seg_marks)
                else:
                    runs.append((seg_text, seg_marks))
                j += 1
            i = j
            if self.plain:
                out.append("".join(r[0] for r in runs))
                continue
            body = "".join(_format(t, m) for t, m in runs)
            if href is None:
                out.append(body)
            elif body.strip():
                lead = body[: len(body) - len(body.lstrip())]
                trail = body[len(body.rstrip()) :]
                out.append(lead + md_link(body.strip(), href) + trail)
            else:
                out.append(body)
        return "".join(out)

    # -- custom nodes ---------------------------------------------------------------------------------

    def _relation(self, node: Mapping[str, Any]) -> str:
        attrs = _as_mapping(node.get("attrs"))
        key = _key(attrs.get("id"))
        entry = self.pool.get(key) if key is not None else None
        if entry is not None:
            item = entry.get("item")
            collection = _text(entry.get("collection")) or _text(attrs.get("collection"))
        elif isinstance(attrs.get("data"), Mapping):
            # Already injected by the docs' injectData(): the data travels with the node.
            item = attrs.get("data")
            collection = _text(attrs.get("collection"))
        else:
            return ""  # stale junction: the docs say to drop it
        if not isinstance(item, Mapping) or key in self.active_junctions:
            return ""  # unreadable for this token, or a callout that (indirectly) contains itself
        handler = _RELATION_HANDLERS.get(collection)
        if handler is None:
            return ""
        if key is not None:
            self.active_junctions.add(key)
        try:
            return handler(self, item)
        finally:
            if key is not None:
                self.active_junctions.discard(key)

    def _link(self, label: str, href: object) -> str:
        url = absolute_link(href, self.site_url) if isinstance(href, str) else None
        if not label:
            return "" if url is None or self.plain else f"<{md_url(url)}>"
        if url is None or self.plain:
            return label
        return md_link(label, url)

    def _callout(self, item: Mapping[str, Any]) -> str:
        parts: list[str] = []
        title = " ".join(_text(item.get("title")).split())
        if title:
            parts.append(title if self.plain else f"**{title}**")
        description = self._nested_doc(item.get("description"), item.get("editor_nodes"))
        if description:
            parts.append(description)
        actions = []
        for action in _as_list(item.get("actions"))[:20]:
            action = _as_mapping(action)
            rendered = self._link(" ".join(_text(action.get("label")).split()), action.get("to"))
            if rendered:
                actions.append(rendered)
        if actions:
            parts.append((" " if self.plain else " · ").join(actions))
        if not parts:
            return ""
        body = "\n".join(parts)
        return body if self.plain else _quote(body)

    def _nested_doc(self, doc: object, editor_nodes: object) -> str:
        if self.doc_depth >= MAX_DOC_DEPTH:
            return ""
        parsed = _parse_doc(doc)
        if isinstance(parsed, str):
            return parsed.strip()
        saved_pool = self.pool
        nested = _build_pool(editor_nodes)
        self.pool = {**saved_pool, **nested} if nested else saved_pool
        self.doc_depth += 1
        try:
            return self.render(parsed).strip() if isinstance(parsed, Mapping | list | tuple) else ""
        finally:
            self.doc_depth -= 1
            self.pool = saved_pool

    def _button(self, item: Mapping[str, Any]) -> str:
        label = " ".join(_text(item.get("label")).split())
        return self._link(label, item.get("to"))

    def _image(self, item: Mapping[str, Any]) -> str:
        alt = " ".join(_text(item.get("alt_text")).split())
        image = item.get("image")
        file_id = image.get("id") if isinstance(image, Mapping) else image
        url = cloudinary_url(file_id, "image", "f_auto,q_auto") if isinstance(file_id, str) else ""
        if self.plain:
            return alt
        label = f"Image: {alt}" if alt else "Image"
        if url:
            return md_link(label, url)
        return label if alt else ""

    def _content_list(self, item: Mapping[str, Any]) -> str:
        lines: list[str] = []
        for entry in _sorted_by_sort(_as_list(item.get("items"))[:200]):
            title = " ".join(_text(entry.get("title")).split())
            description = _loose_text(self, entry.get("description"))
            url = (
                absolute_link(entry.get("link"), self.site_url)
                if isinstance(entry.get("link"), str)
                else None
            )
            if self.plain:
                text = " ".join(p for p in (title, description) if p)
                if text:
                    lines.append(text)
                continue
            parts = [f"**{title}**"] if title else []
            if description:
                parts.append(description)
            text = " — ".join(parts)
            if url:
                text = f"{text} ({md_url(url)})" if text else f"<{md_url(url)}>"
            if text:
                lines.append("- " + _indent(text, "  "))
        return "\n".join(lines)

    def _related_list(self, item: Mapping[str, Any]) -> str:
        lines: list[str] = []
        for junction in _sorted_by_sort(_as_list(item.get("items"))[:200]):
            target = junction.get("item")
            if not isinstance(target, Mapping):
                continue  # id only (not expanded) or unreadable with this token
            title = " ".join((_text(target.get("title")) or _text(target.get("name"))).split())
            if not title:
                continue
            if self.plain:
                lines.append(title)
                continue
            path = target.get("path")
            text = self._link(title, path) if isinstance(path, str) and path.strip() else title
            label = _RELATED_LABELS.get(_text(junction.get("collection")))
            lines.append(f"- {text} ({label})" if label else f"- {text}")
        if not lines:
            return ""
        if self.plain:
            return "Related: " + ", ".join(lines)
        return "Related:\n" + "\n".join(lines)

    def _mediaplayer(self, item: Mapping[str, Any]) -> str:
        title = " ".join(_text(item.get("title")).split())
        artist = " ".join(_text(item.get("artist")).split())
        kind = _text(item.get("type")).lower()
        if kind == "video":
            return f"Video: {title}" if title else ""
        if not title and not artist:
            return ""
        text = " — ".join(p for p in (title, artist) if p)
        return f"Audio: {text}" if kind == "audio" else f"Media: {text}"

    def _mention(self, item: Mapping[str, Any]) -> str:
        junctions = item.get("item")
        if isinstance(junctions, Mapping):
            junctions = [junctions]
        first = next((j for j in _as_list(junctions) if isinstance(j, Mapping)), None)
        target = _as_mapping(first.get("item")) if first is not None else {}
        label = " ".join((_text(item.get("title")) or _text(target.get("title"))).split())
        if not label:
            return ""
        path = target.get("path")
        return self._link(label, path) if isinstance(path, str) and path.strip() else label


_Handler = Callable[[_Renderer, Mapping[str, Any]], str]

_BLOCK_HANDLERS: Final[dict[str, _Handler]] = {
    "doc": _Renderer._doc,
    "paragraph": _Renderer._paragraph,
    "heading": _Renderer._heading,
    "horizontalRule": _Renderer._horizontal_rule,
    "blockquote": _Renderer._blockquote,
    "codeBlock": _Renderer._code_block,
    "bulletList": _Renderer._bullet_list,
    "orderedList": _Renderer._ordered_list,
    "table": _Renderer._table,
    "relation-block": _Renderer._relation,
    "relation-inline-block": _Renderer._relation,
}

_RELATION_HANDLERS: Final[dict[str, _Handler]] = {
    "callouts": _Renderer._callout,
    "buttons": _Renderer._button,
    "images": _Renderer._image,
    "content_lists": _Renderer._content_list,
    "related_content_lists": _Renderer._related_list,
    "mediaplayers": _Renderer._mediaplayer,
    "mentions": _Renderer._mention,
}


def _sorted_by_sort(entries: list[Any]) -> list[Mapping[str, Any]]:
    mappings = [e for e in entries if isinstance(e, Mapping)]

    def order(entry: Mapping[str, Any]) -> int:
        sort = _as_int(entry.get("sort"))
        return (1 << 62) if sort is None else sort

    return sorted(mappings, key=order)  # stable: unsorted entries keep their API order


def _loose_text(renderer: _Renderer, value: object) -> str:
    """A field documented as a string that might still hold a small Tiptap document."""
    if isinstance(value, str):
        parsed = _parse_doc(value)
        if isinstance(parsed, str):
            return " ".join(parsed.split())
        value = parsed
    if isinstance(value, Mapping | list | tuple):
        return " ".join(renderer.render(value).split())
    return ""


def _format(text: str, marks: frozenset[str]) -> str:
    if not marks:
        return text
    core = text.strip()
    if not core:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    if "code" in marks:
        longest = max((len(m) for m in re.findall(r"`+", core)), default=0)
        ticks = "`" * (longest + 1)
        pad = " " if core.startswith("`") or core.endswith("`") else ""
        core = f"{ticks}{pad}{core}{pad}{ticks}"
    for mark in _MARK_ORDER:
        if mark in marks:
            wrap = _MARK_WRAP[mark]
            core = f"{wrap}{core}{wrap}"
    return lead + core + trail


def _indent(text: str, prefix: str) -> str:
    lines = text.split("\n")
    return "\n".join([lines[0]] + [(prefix + line) if line.strip() else "" for line in lines[1:]])


def _quote(text: str) -> str:
    return "\n".join(("> " + line) if line.strip() else ">" for line in text.split("\n"))


def _cell(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "<br>".join(line for line in lines if line).replace("|", "\\|")


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _fallback_text(doc: object) -> str:
    """Last resort when rendering failed: every string under a ``text`` key, iteratively."""
    found: list[str] = []
    stack: list[object] = [doc]
    seen: set[int] = set()
    steps = 0
    while stack and steps < _MAX_VISITS:
        steps += 1
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, Mapping):
            text = node.get("text")
            if isinstance(text, str):
                found.append(text)
            stack.extend(reversed(_as_list(node.get("content"))))
        elif isinstance(node, list | tuple):
            stack.extend(reversed(node))
    return " ".join(" ".join(found).split())


def _render(doc: object, editor_nodes: object, site_url: str, heading_offset: object, plain: bool) -> str:
    parsed: object = None
    try:
        parsed = _parse_doc(doc)
        offset = _as_int(heading_offset) or 0
        renderer = _Renderer(_build_pool(editor_nodes), site_base(site_url), max(-6, min(6, offset)), plain)
        try:
            return _tidy(renderer.render(parsed))
        except _BudgetSpentError:
            return _tidy(_fallback_text(parsed))
    except Exception:
        try:
            return _tidy(_fallback_text(parsed))
        except Exception:
            return ""


def render_markdown(
    doc: object,
    editor_nodes: Sequence[Mapping[str, Any]] | None = None,
    *,
    site_url: str = DEFAULT_SITE_URL,
    heading_offset: int = 0,
) -> str:
    """Render a Tiptap document (dict, JSON string, or anything else) as compact markdown; never raises.

    ``editor_nodes`` is the item's many-to-any ``editor_nodes`` list as Directus returns it; custom nodes
    whose junction id is missing from it are dropped. ``heading_offset`` shifts heading levels (clamped to
    1..6) so a document can sit under the caller's own headings.
    """
    return _render(doc, editor_nodes, site_url, heading_offset, plain=False)


def render_plain_text(text: object) -> str:
    """Text that is already plain (Algolia's ``bodyString``) as markdown, never raises: its lines and blank
    lines kept, control characters and runs of spaces removed, and a line starting with ``#`` escaped so it
    cannot become a heading."""
    if not isinstance(text, str):
        return ""
    lines = (clean_text(line) for line in text.splitlines())
    return _tidy("\n".join("\\" + line if line.startswith("#") else line for line in lines))


def render_plain(doc: object, editor_nodes: Sequence[Mapping[str, Any]] | None = None) -> str:
    """Plain text of a document on (mostly) one line, without markdown: for snippets and text matching."""
    text = _render(doc, editor_nodes, DEFAULT_SITE_URL, 0, plain=True)
    return " ".join(text.split())


_ONE_LINE_BLOCKS: Final = frozenset({"paragraph", "heading", "codeBlock"})
_ONE_LINE_ENDS: Final = (".", "!", "?", ":", ";", "…")


def render_one_line(*candidates: object, max_chars: int = 220) -> str:
    """The first non-empty candidate as one line of plain text, cut at a word boundary with "…".

    A candidate is a plain string or a rich-text document. Blocks of a document stay apart ("Tips: a; b"),
    so headings, list items and table cells do not run into each other.
    """
    for candidate in candidates:
        doc = _parse_doc(candidate)
        text = " ".join(doc.split()) if isinstance(doc, str) else _one_line_doc(doc)
        if text:
            return _cut_line(text, max_chars)
    return ""


def _one_line_doc(doc: object) -> str:
    blocks: list[tuple[str, str]] = []
    _collect_blocks(doc, blocks, 0)
    parts: list[str] = []
    for kind, text in blocks:
        if parts and not parts[-1].endswith(_ONE_LINE_ENDS):
            parts[-1] += ";"
        parts.append(text + (":" if kind == "heading" and not text.endswith(_ONE_LINE_ENDS) else ""))
    return " ".join(parts)


def _collect_blocks(node: object, out: list[tuple[str, str]], depth: int) -> None:
    if depth > MAX_NODE_DEPTH:
        return
    if isinstance(node, list):
        for child in node:
            _collect_blocks(child, out, depth + 1)
        return
    if not isinstance(node, Mapping):
        return
    kind = str(node.get("type"))
    if kind in _ONE_LINE_BLOCKS:
        text = " ".join(_inline_text(node, depth).split())
        if text:
            out.append((kind, text))
        return
    _collect_blocks(node.get("content"), out, depth + 1)


def _inline_text(node: object, depth: int) -> str:
    if depth > MAX_NODE_DEPTH or not isinstance(node, Mapping):
        return ""
    if node.get("type") == "text":
        text = node.get("text")
        return text if isinstance(text, str) else ""
    if node.get("type") == "hardBreak":
        return " "
    children = node.get("content")
    return "".join(_inline_text(c, depth + 1) for c in children) if isinstance(children, list) else ""


def _cut_line(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text.rfind(" ", 0, max_chars - 1)
    return text[: cut if cut > max_chars // 2 else max_chars - 1].rstrip(" ,;:") + "…"


# ---------------------------------------------------------------------------------------------------------
# Truncation
# ---------------------------------------------------------------------------------------------------------

# Link text is bounded so a line full of unmatched "[" cannot make the scan quadratic.
_LINK_SPAN_RE: Final = re.compile(
    r"!?\[(?:[^\[\]\\\n]|\\.){0,2000}\]\([^()\s]{0,4096}\)|<https?://[^>\s]{0,4096}>"
)
_SENTENCE_END_RE: Final = re.compile(r"[.!?…:;](?=\s)")
# A higher-level boundary only wins if it keeps at least this share of the budget.
_MIN_KEEP: Final = 0.6


def truncate_markdown(text: str, max_chars: int) -> tuple[str, bool]:
    """Shorten ``text`` to at most ``max_chars`` characters at the best natural boundary.

    Prefers a paragraph break, then a line break, then a sentence end, then a word gap, and never cuts
    inside a markdown link. Returns ``(text, was_truncated)``; the caller adds any "more" marker.
    """
    if not isinstance(text, str):
        return "", False
    if len(text) <= max_chars:
        return text, False
    if max_chars <= 0:
        return "", True

    # Links can straddle the limit, so scan a little past it; spans come out sorted and disjoint.
    spans = [(m.start(), m.end()) for m in _LINK_SPAN_RE.finditer(text, 0, max_chars + 4096)]
    starts = [start for start, _ in spans]

    def allowed(pos: int) -> bool:
        index = bisect_left(starts, pos) - 1
        return index < 0 or not (spans[index][0] < pos < spans[index][1])

    window = text[: max_chars + 1]

    def best(positions: list[int]) -> int | None:
        for pos in reversed(positions):
            if 0 < pos <= max_chars and allowed(pos):
                return pos
        return None

    bests = [
        best([m.start() for m in re.finditer(r"\n[ \t]*\n", window)]),
        best([m.start() for m in re.finditer(r"\n", window)]),
        best([m.end() for m in _SENTENCE_END_RE.finditer(window)]),
        best([m.start() for m in re.finditer(r"\s", window)]),
    ]
    floor = int(max_chars * _MIN_KEEP)
    cut = next((b for b in bests if b is not None and b >= floor), None)
    if cut is None:
        found = [b for b in bests if b is not None]
        if found:
            cut = max(found)  # a short result still beats cutting a word in half
        else:
            cut = max_chars
            for start, end in spans:
                if start < cut < end:
                    cut = start
    return text[:cut].rstrip(), True
