"""Tests for rendering Tiptap content documents (with editor_nodes) to markdown and plain text."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onderwijsloket_mcp.render.links import absolute_link, cloudinary_url
from onderwijsloket_mcp.render.richtext import (
    EDITOR_NODE_FIELDS,
    editor_node_fields,
    render_markdown,
    render_plain,
    render_plain_text,
    truncate_markdown,
)

SITE = "https://onderwijsloket.com"
FILE_ID = "6a9d2b0e-1c1e-4b8e-9f7c-2d3e4f5a6b7c"

# --------------------------------------------------------------------------- builders


def doc(*content: Any) -> dict[str, Any]:
    return {"type": "doc", "content": list(content)}


def t(text: str, *marks: str | dict[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": text}
    if marks:
        node["marks"] = [{"type": m} if isinstance(m, str) else m for m in marks]
    return node


def link(href: str) -> dict[str, Any]:
    return {"type": "link", "attrs": {"href": href, "target": "_blank", "rel": "noopener", "class": None}}


def p(*content: Any) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def h(level: int, *content: Any) -> dict[str, Any]:
    return {"type": "heading", "attrs": {"level": level}, "content": list(content)}


def li(*content: Any) -> dict[str, Any]:
    return {"type": "listItem", "content": list(content)}


def ul(*items: Any) -> dict[str, Any]:
    return {"type": "bulletList", "content": list(items)}


def ol(*items: Any, start: Any = 1) -> dict[str, Any]:
    return {"type": "orderedList", "attrs": {"start": start}, "content": list(items)}


def block(junction_id: str, collection: str) -> dict[str, Any]:
    return {
        "type": "relation-block",
        "attrs": {"id": junction_id, "junction": "articles_editor_nodes", "collection": collection},
    }


def inline_block(junction_id: str, collection: str = "mentions") -> dict[str, Any]:
    return {
        "type": "relation-inline-block",
        "attrs": {"id": junction_id, "junction": "articles_editor_nodes", "collection": collection},
    }


def cell(kind: str, *content: Any) -> dict[str, Any]:
    return {"type": kind, "attrs": {"colspan": 1, "rowspan": 1, "colwidth": None}, "content": list(content)}


def row(*cells: Any) -> dict[str, Any]:
    return {"type": "tableRow", "content": list(cells)}


# Realistic editor_nodes as Directus returns them for EDITOR_NODE_FIELDS (M2A junction rows).
ARTICLE = {"title": "Wat is het vavo?", "path": "/kennisbank/artikelen/wat-is-het-vavo"}
J_CALLOUT = "416a3276-068e-4d02-8737-fcd6fa73e03d"
J_BUTTON = "5689a87a-f2e8-4496-a63d-e5d359213305"
J_IMAGE = "3d0e3bf1-9ea3-47be-9dba-5a3b939ffcca"
J_LIST = "036e6c31-9372-4bce-bd52-20e9f157bdc4"
J_RELATED = "fc43e135-5c84-4a41-836a-e066cca08c58"
J_MEDIA = "ff94c5cf-2ed2-4378-86d6-a90bb5108a53"
J_MENTION = "e6f88b38-05b4-4c29-bf77-9267b4e182b4"
J_NESTED_MENTION = "0b6f6c1e-3f39-4a7b-a2b4-0d3f4c2e9a11"


def mention_item(title: str | None, article: dict[str, Any] | None = ARTICLE) -> dict[str, Any]:
    return {
        "id": "b2d7c6a4-0000-4000-8000-000000000001",
        "title": title,
        "item": [{"id": 7, "collection": "articles", "item": article}],
    }


EDITOR_NODES: list[dict[str, Any]] = [
    {
        "id": J_CALLOUT,
        "collection": "callouts",
        "item": {
            "id": "c0000000-0000-4000-8000-000000000001",
            "title": "Let op",
            "description": doc(
                p(
                    t("Je hebt een "),
                    t("VOG", "bold"),
                    t(" nodig, zie "),
                    inline_block(J_NESTED_MENTION),
                    t("."),
                )
            ),
            "actions": [
                {"label": "Plan een adviesgesprek", "internal": True, "to": "/plan-een-adviesgesprek"},
                {"label": "Kwaad", "internal": False, "to": "javascript:alert(1)"},
            ],
            "editor_nodes": [
                {"id": J_NESTED_MENTION, "collection": "mentions", "item": mention_item("dit artikel")}
            ],
        },
    },
    {
        "id": J_BUTTON,
        "collection": "buttons",
        "item": {
            "id": "b1",
            "label": "Bekijk alle opleidingen",
            "to": "/navigator/opleidingen",
            "internal": True,
        },
    },
    {
        "id": J_IMAGE,
        "collection": "images",
        "item": {"id": "i1", "alt_text": "Een leraar voor de klas", "image": FILE_ID},
    },
    {
        "id": J_LIST,
        "collection": "content_lists",
        "item": {
            "id": "l1",
            "items": [
                {
                    "id": "li2",
                    "title": "Solliciteren",
                    "description": "Zoek een school.",
                    "link": None,
                    "internal": False,
                    "sort": 2,
                },
                {
                    "id": "li1",
                    "title": "Oriënteren",
                    "description": "Ontdek de routes.",
                    "link": "/routes",
                    "internal": True,
                    "sort": 1,
                },
            ],
        },
    },
    {
        "id": J_RELATED,
        "collection": "related_content_lists",
        "item": {
            "id": "r1",
            "items": [
                {
                    "id": 3,
                    "collection": "sectors",
                    "item": {"title": "Primair onderwijs", "slug": "po"},
                    "sort": 3,
                },
                {"id": 1, "collection": "articles", "item": ARTICLE, "sort": 1},
                {
                    "id": 2,
                    "collection": "programs",
                    "item": {"title": "Pabo", "path": "/navigator/opleidingen/pabo"},
                    "sort": 2,
                },
                {"id": 4, "collection": "programs", "item": None, "sort": 4},
            ],
        },
    },
    {
        "id": J_MEDIA,
        "collection": "mediaplayers",
        "item": {"id": "m1", "title": "Zij-instromen", "artist": "Onderwijsloket", "type": "audio"},
    },
    {"id": J_MENTION, "collection": "mentions", "item": mention_item(None)},
]


def md(*content: Any, nodes: list[dict[str, Any]] | None = None, **kwargs: Any) -> str:
    return render_markdown(doc(*content), nodes, **kwargs)


# --------------------------------------------------------------------------- standard nodes


def test_paragraphs_are_separated_by_a_blank_line() -> None:
    assert md(p(t("Een.")), p(t("Twee."))) == "Een.\n\nTwee."


def test_empty_paragraphs_and_blank_text_disappear() -> None:
    assert md(p(), p(t("   ")), {"type": "paragraph"}, p(t("Tekst"))) == "Tekst"


@pytest.mark.parametrize(
    ("level", "offset", "expected"),
    [(1, 0, "# Kop"), (2, 0, "## Kop"), (6, 0, "###### Kop"), (2, 1, "### Kop"), (6, 3, "###### Kop"),
     (1, -3, "# Kop"), ("3", 0, "### Kop"), (None, 0, "# Kop"), (99, 0, "###### Kop")],
)  # fmt: skip
def test_heading_levels_and_offset(level: Any, offset: int, expected: str) -> None:
    node = {"type": "heading", "attrs": {"level": level}, "content": [t("Kop")]}
    assert md(node, heading_offset=offset) == expected


def test_empty_heading_is_dropped_and_breaks_are_flattened() -> None:
    assert md(h(2), h(2, t("  ")), p(t("x"))) == "x"
    assert md(h(2, t("Twee"), {"type": "hardBreak"}, t("regels"))) == "## Twee regels"


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        (("bold",), "**vet**"),
        (("italic",), "_vet_"),
        (("strike",), "~~vet~~"),
        (("code",), "`vet`"),
        (("subscript",), "vet"),
        (("superscript",), "vet"),
        (("bold", "italic"), "**_vet_**"),
        (("underline", "highlight"), "vet"),
    ],
)
def test_marks(marks: tuple[str, ...], expected: str) -> None:
    assert md(p(t("vet", *marks))) == expected


def test_mark_whitespace_stays_outside_the_markers() -> None:
    assert md(p(t("een "), t(" vet ", "bold"), t("woord"))) == "een  **vet** woord"


def test_code_mark_with_backticks_uses_a_longer_fence() -> None:
    assert md(p(t("a`b", "code"))) == "``a`b``"


def test_adjacent_text_with_same_marks_is_merged() -> None:
    assert md(p(t("ab", "bold"), t("cd", "bold"))) == "**abcd**"


def test_link_mark_becomes_absolute_markdown_link() -> None:
    out = md(p(t("Lees "), t("dit artikel", link("/kennisbank/artikelen/x")), t(".")))
    assert out == f"Lees [dit artikel]({SITE}/kennisbank/artikelen/x)."


def test_adjacent_text_nodes_with_same_link_are_merged_into_one_link() -> None:
    href = "https://example.nl/a"
    out = md(p(t("de ", link(href)), t("vette", link(href), "bold"), t(" tekst", link(href))))
    assert out == "[de **vette** tekst](https://example.nl/a)"


def test_different_links_stay_separate() -> None:
    out = md(p(t("a", link("/a")), t("b", link("/b"))))
    assert out == f"[a]({SITE}/a)[b]({SITE}/b)"


def test_unsafe_link_mark_keeps_only_the_text() -> None:
    assert md(p(t("klik", link("javascript:alert(1)")))) == "klik"
    assert md(p(t("klik", {"type": "link", "attrs": {}}))) == "klik"


def test_link_text_brackets_and_url_parentheses_are_escaped() -> None:
    out = md(p(t("[1] noot", link("https://nl.wikipedia.org/wiki/Pabo_(opleiding)"))))
    assert out == "[\\[1\\] noot](https://nl.wikipedia.org/wiki/Pabo_%28opleiding%29)"


def test_site_url_is_configurable() -> None:
    out = md(p(t("x", link("/a"))), site_url="https://example.org/")
    assert out == "[x](https://example.org/a)"


def test_hard_break_is_a_newline() -> None:
    assert md(p(t("een"), {"type": "hardBreak"}, t("twee"))) == "een\ntwee"


def test_horizontal_rule() -> None:
    assert md(p(t("a")), {"type": "horizontalRule"}, p(t("b"))) == "a\n\n---\n\nb"


def test_blockquote() -> None:
    out = md({"type": "blockquote", "content": [p(t("een")), p(t("twee"))]})
    assert out == "> een\n>\n> twee"


def test_code_block_is_fenced_and_ignores_marks() -> None:
    node = {"type": "codeBlock", "attrs": {"language": "python"}, "content": [t("print(1)\nx = 2", "bold")]}
    assert md(node) == "```python\nprint(1)\nx = 2\n```"


def test_code_block_with_fence_inside_and_unsafe_language() -> None:
    node = {"type": "codeBlock", "attrs": {"language": "x\n```"}, "content": [t("```\ncode")]}
    assert md(node) == "````\n```\ncode\n````"


# --------------------------------------------------------------------------- lists


def test_bullet_list() -> None:
    assert md(ul(li(p(t("een"))), li(p(t("twee"))))) == "- een\n- twee"


def test_ordered_list_respects_start() -> None:
    assert md(ol(li(p(t("a"))), li(p(t("b"))), start=3)) == "3. a\n4. b"


@pytest.mark.parametrize("start", [None, "x", True, -5])
def test_ordered_list_bad_start(start: Any) -> None:
    expected = "0. a" if start == -5 else "1. a"
    assert md(ol(li(p(t("a"))), start=start)) == expected


def test_nested_lists_are_indented_by_marker_width() -> None:
    tree = ul(
        li(p(t("een")), ol(li(p(t("sub a"))), li(p(t("sub b")), ul(li(p(t("diep"))))))),
        li(p(t("twee"))),
    )
    assert md(tree) == "- een\n  1. sub a\n  2. sub b\n     - diep\n- twee"


def test_list_item_with_several_paragraphs_and_hard_break() -> None:
    out = md(ol(li(p(t("eerste")), p(t("tweede"), {"type": "hardBreak"}, t("derde")))))
    assert out == "1. eerste\n   tweede\n   derde"


def test_empty_list_items_are_dropped_without_gaps_in_numbering() -> None:
    out = md(ol(li(p(t("a"))), li(), li(p()), {"type": "listItem"}, li(p(t("b")))))
    assert out == "1. a\n2. b"
    assert md(ul(li(), li(p()))) == ""


def test_list_item_with_marks_and_links() -> None:
    out = md(ul(li(p(t("Zie "), t("hier", link("/x")), t(" en "), t("dat", "italic")))))
    assert out == f"- Zie [hier]({SITE}/x) en _dat_"


def test_list_after_paragraph() -> None:
    assert md(p(t("Lijst:")), ul(li(p(t("a"))))) == "Lijst:\n\n- a"


# --------------------------------------------------------------------------- tables


def test_table_with_header_row() -> None:
    table = {
        "type": "table",
        "content": [
            row(cell("tableHeader", p(t("Route"))), cell("tableHeader", p(t("Duur")))),
            row(cell("tableCell", p(t("Pabo"))), cell("tableCell", p(t("4 jaar")))),
            row(cell("tableCell", p(t("Zij-instroom"))), cell("tableCell", p(t("2 jaar")))),
        ],
    }
    assert md(table) == "| Route | Duur |\n| --- | --- |\n| Pabo | 4 jaar |\n| Zij-instroom | 2 jaar |"


def test_table_without_header_uses_first_row_and_pads_short_rows() -> None:
    table = {
        "type": "table",
        "content": [
            row(cell("tableCell", p(t("a"))), cell("tableCell", p(t("b"))), cell("tableCell", p(t("c")))),
            row(cell("tableCell", p(t("d")))),
        ],
    }
    assert md(table) == "| a | b | c |\n| --- | --- | --- |\n| d |  |  |"


def test_table_cells_escape_pipes_and_join_lines() -> None:
    table = {
        "type": "table",
        "content": [
            row(cell("tableHeader", p(t("a|b")))),
            row(cell("tableCell", p(t("een")), p(t("twee")), ul(li(p(t("drie")))))),
            row(cell("tableCell", p(t("x", link("https://example.nl/a|b"))))),
        ],
    }
    out = md(table)
    assert out.splitlines() == [
        "| a\\|b |",
        "| --- |",
        "| een<br>twee<br>- drie |",
        "| [x](https://example.nl/a%7Cb) |",
    ]


def test_table_colspan_adds_empty_cells() -> None:
    wide = {"type": "tableHeader", "attrs": {"colspan": 2}, "content": [p(t("Breed"))]}
    table = {
        "type": "table",
        "content": [row(wide), row(cell("tableCell", p(t("a"))), cell("tableCell", p(t("b"))))],
    }
    assert md(table) == "| Breed |  |\n| --- | --- |\n| a | b |"


def test_empty_table_is_dropped() -> None:
    assert md({"type": "table", "content": [row(cell("tableCell", p()))]}, p(t("x"))) == "x"
    assert md({"type": "table"}) == ""


# --------------------------------------------------------------------------- custom nodes


def test_callout_with_nested_mention_and_actions() -> None:
    out = md(block(J_CALLOUT, "callouts"), nodes=EDITOR_NODES)
    assert out == (
        "> **Let op**\n"
        f"> Je hebt een **VOG** nodig, zie [dit artikel]({SITE}/kennisbank/artikelen/wat-is-het-vavo).\n"
        f"> [Plan een adviesgesprek]({SITE}/plan-een-adviesgesprek) · Kwaad"
    )


def test_callout_description_may_use_the_parent_pool_and_json_strings() -> None:
    item = {
        "title": None,
        "description": json.dumps(doc(p(t("Zie "), inline_block(J_MENTION)))),
        "editor_nodes": None,
        "actions": None,
    }
    nodes = [{"id": "c", "collection": "callouts", "item": item}, *EDITOR_NODES]
    assert md(block("c", "callouts"), nodes=nodes) == f"> Zie [Wat is het vavo?]({SITE}{ARTICLE['path']})"


def test_callout_that_contains_itself_stops() -> None:
    item: dict[str, Any] = {"title": "Lus", "description": doc(p(t("binnen")), block("self", "callouts"))}
    nodes = [{"id": "self", "collection": "callouts", "item": item}]
    assert md(block("self", "callouts"), nodes=nodes) == "> **Lus**\n> binnen"


def test_callout_nesting_depth_is_limited() -> None:
    nodes = []
    for level in range(10):
        item = {"title": f"C{level}", "description": doc(block(f"c{level + 1}", "callouts"))}
        nodes.append({"id": f"c{level}", "collection": "callouts", "item": item})
    out = md(block("c0", "callouts"), nodes=nodes)
    assert "**C5**" in out
    assert "**C6**" not in out


def test_empty_callout_renders_nothing() -> None:
    nodes = [{"id": "c", "collection": "callouts", "item": {"title": "", "description": None, "actions": []}}]
    assert md(block("c", "callouts"), p(t("x")), nodes=nodes) == "x"


def test_button_internal_link_becomes_absolute() -> None:
    out = md(block(J_BUTTON, "buttons"), nodes=EDITOR_NODES)
    assert out == f"[Bekijk alle opleidingen]({SITE}/navigator/opleidingen)"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"label": "Extern", "to": "https://www.duo.nl", "internal": False}, "[Extern](https://www.duo.nl)"),
        ({"label": "Kapot", "to": "javascript:void(0)"}, "Kapot"),
        ({"label": "Geen doel", "to": None}, "Geen doel"),
        ({"label": "", "to": "/routes"}, f"<{SITE}/routes>"),
        ({"label": None, "to": None}, ""),
        (
            {"label": "Zonder slash", "to": "kennisbank", "internal": True},
            f"[Zonder slash]({SITE}/kennisbank)",
        ),
    ],
)
def test_button_variants(item: dict[str, Any], expected: str) -> None:
    nodes = [{"id": "b", "collection": "buttons", "item": item}]
    assert md(block("b", "buttons"), nodes=nodes) == expected


def test_image_with_file_id() -> None:
    out = md(block(J_IMAGE, "images"), nodes=EDITOR_NODES)
    url = f"https://res.cloudinary.com/onderwijsin/image/upload/f_auto,q_auto/onderwijsloket-directus/production/{FILE_ID}"
    assert out == f"[Image: Een leraar voor de klas]({url})"


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"alt_text": "Klas", "image": None}, "Image: Klas"),
        ({"alt_text": "Klas", "image": "../../etc/passwd"}, "Image: Klas"),
        ({"alt_text": None, "image": None}, ""),
        ({"alt_text": "Klas", "image": {"id": FILE_ID, "width": 800, "height": 600}}, "[Image: Klas]("),
        ({"alt_text": "", "image": FILE_ID}, "[Image]("),
    ],
)
def test_image_variants(item: dict[str, Any], expected: str) -> None:
    out = md(block("i", "images"), nodes=[{"id": "i", "collection": "images", "item": item}])
    assert out.startswith(expected) if expected else out == ""


def test_content_list_is_sorted_with_links() -> None:
    out = md(block(J_LIST, "content_lists"), nodes=EDITOR_NODES)
    assert (
        out == f"- **Oriënteren** — Ontdek de routes. ({SITE}/routes)\n- **Solliciteren** — Zoek een school."
    )


def test_content_list_skips_empty_items() -> None:
    items = [
        {"title": None, "description": None, "link": None},
        {"title": None, "description": "Alleen tekst"},
    ]
    nodes = [{"id": "l", "collection": "content_lists", "item": {"items": items}}]
    assert md(block("l", "content_lists"), nodes=nodes) == "- Alleen tekst"


def test_related_content_list() -> None:
    out = md(block(J_RELATED, "related_content_lists"), nodes=EDITOR_NODES)
    assert out == (
        "Related:\n"
        f"- [Wat is het vavo?]({SITE}/kennisbank/artikelen/wat-is-het-vavo)\n"
        f"- [Pabo]({SITE}/navigator/opleidingen/pabo) (program)\n"
        "- Primair onderwijs (sector)"
    )


def test_related_content_list_with_only_unreadable_items_renders_nothing() -> None:
    items = [
        {"id": 1, "collection": "programs", "item": None},
        {"id": 2, "collection": "articles", "item": "uuid"},
    ]
    nodes = [{"id": "r", "collection": "related_content_lists", "item": {"items": items}}]
    assert md(block("r", "related_content_lists"), nodes=nodes) == ""


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"title": "Zij-instromen", "artist": "Loket", "type": "audio"}, "Audio: Zij-instromen — Loket"),
        ({"title": "Zij-instromen", "artist": None, "type": "audio"}, "Audio: Zij-instromen"),
        ({"title": "Een dag op de pabo", "artist": "Sanne", "type": "video"}, "Video: Een dag op de pabo"),
        ({"title": "Iets", "artist": None, "type": None}, "Media: Iets"),
        ({"title": None, "artist": None, "type": "video"}, ""),
    ],
)  # fmt: skip
def test_mediaplayer(item: dict[str, Any], expected: str) -> None:
    nodes = [{"id": "m", "collection": "mediaplayers", "item": item}]
    assert md(block("m", "mediaplayers"), nodes=nodes) == expected


def test_mention_without_title_uses_the_article_title() -> None:
    out = md(p(t("Lees "), inline_block(J_MENTION), t(" eerst.")), nodes=EDITOR_NODES)
    assert out == f"Lees [Wat is het vavo?]({SITE}/kennisbank/artikelen/wat-is-het-vavo) eerst."


def test_mention_with_own_label() -> None:
    nodes = [{"id": "m", "collection": "mentions", "item": mention_item("het vavo")}]
    out = md(p(inline_block("m")), nodes=nodes)
    assert out == f"[het vavo]({SITE}/kennisbank/artikelen/wat-is-het-vavo)"


def test_mention_without_readable_article_is_plain_label_or_nothing() -> None:
    nodes = [
        {"id": "a", "collection": "mentions", "item": mention_item("label", None)},
        {"id": "b", "collection": "mentions", "item": mention_item(None, None)},
        {"id": "c", "collection": "mentions", "item": {"title": None, "item": []}},
    ]
    assert md(p(t("x "), inline_block("a"), inline_block("b"), inline_block("c")), nodes=nodes) == "x label"


def test_null_item_renders_nothing() -> None:
    nodes = [
        {"id": "n", "collection": "callouts", "item": None},
        {"id": "s", "collection": "buttons", "item": "b1"},
    ]
    assert (
        md(p(t("voor")), block("n", "callouts"), block("s", "buttons"), p(t("na")), nodes=nodes)
        == "voor\n\nna"
    )


def test_stale_node_is_dropped() -> None:
    assert (
        md(p(t("a")), block("weg", "buttons"), p(t("b"), inline_block("ook-weg")), nodes=EDITOR_NODES)
        == "a\n\nb"
    )


def test_custom_nodes_without_editor_nodes_are_dropped() -> None:
    assert md(block(J_BUTTON, "buttons"), p(t("tekst"))) == "tekst"


def test_ids_compare_as_strings_and_collection_falls_back_to_attrs() -> None:
    nodes = [{"id": 42, "item": {"label": "Knop", "to": "/a"}}]
    node = {"type": "relation-block", "attrs": {"id": "42", "collection": "buttons"}}
    assert md(node, nodes=nodes) == f"[Knop]({SITE}/a)"


def test_unknown_block_collection_is_skipped() -> None:
    nodes = [{"id": "x", "collection": "carousels", "item": {"title": "Nieuw"}}]
    assert md(block("x", "carousels"), p(t("ok")), nodes=nodes) == "ok"


def test_pre_injected_data_is_used() -> None:
    node = {
        "type": "relation-block",
        "attrs": {"id": "x", "collection": "buttons", "data": {"label": "K", "to": "/k"}},
    }
    assert md(node) == f"[K]({SITE}/k)"


def test_full_article_body() -> None:
    body = doc(
        h(2, t("Wat is het vavo?")),
        p(
            t("Het "),
            t("vavo", "bold"),
            t(" is voortgezet algemeen volwassenenonderwijs. Zie "),
            inline_block(J_MENTION),
        ),
        block(J_CALLOUT, "callouts"),
        block("stale-id", "images"),
        ul(li(p(t("havo"))), li(p(t("vwo")))),
        block(J_RELATED, "related_content_lists"),
    )
    out = render_markdown(body, EDITOR_NODES, heading_offset=1)
    assert out.startswith("### Wat is het vavo?\n\nHet **vavo** is voortgezet")
    assert "\n\n> **Let op**\n" in out
    assert "\n\n- havo\n- vwo\n\nRelated:\n" in out
    assert "\n\n\n" not in out
    assert out == out.strip()


# --------------------------------------------------------------------------- robustness


def test_json_string_input() -> None:
    body = doc(p(t("Hallo "), t("wereld", "bold")))
    assert render_markdown(json.dumps(body)) == "Hallo **wereld**"
    assert render_markdown(json.dumps(body).encode()) == "Hallo **wereld**"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (42, ""),
        ("", ""),
        ("gewone tekst", "gewone tekst"),
        ('"een json string"', "een json string"),
        ("{niet json", "{niet json"),
        ("[]", ""),
        ({}, ""),
        ({"type": "doc"}, ""),
        ({"type": "doc", "content": "geen lijst"}, ""),
        ({"type": "doc", "content": [None, 1, "los", [p(t("genest"))]]}, "los"),
        ({"type": "paragraph", "content": [t("alleen een paragraaf")]}, "alleen een paragraaf"),
        ([p(t("een lijst van nodes"))], "een lijst van nodes"),
        ({"type": "text", "text": "los tekstnode"}, "los tekstnode"),
    ],
)
def test_malformed_input(value: Any, expected: str) -> None:
    assert render_markdown(value) == expected


def test_wrong_types_inside_nodes() -> None:
    weird = doc(
        {"type": ["paragraph"], "content": [t("lijst als type")]},
        {
            "type": "paragraph",
            "content": [{"type": "text", "text": 5}, {"type": "text", "text": "ok", "marks": "bold"}],
        },
        {"type": "heading", "attrs": "level 2", "content": [t("kop")]},
        {
            "type": "bulletList",
            "content": [{"type": "listItem", "content": {"a": 1}}, "tekst", li(p(t("item")))],
        },
        {"type": "table", "content": [{"type": "tableRow", "content": "x"}, 3]},
        {"type": "relation-block", "attrs": None},
        {"type": "relation-block", "attrs": {"id": {"nested": True}}},
        {
            "type": "text",
            "text": "tekst op blokniveau",
            "marks": [None, {"type": None}, {"type": "link", "attrs": 3}],
        },
    )
    out = render_markdown(weird, [None, "x", {"id": None}, {"id": [1]}])  # type: ignore[list-item]
    assert "lijst als type" in out
    assert "ok" in out
    assert "# kop" in out
    assert "- tekst\n- item" in out
    assert "tekst op blokniveau" in out


def test_unknown_nodes_render_their_children_and_text() -> None:
    body = doc(
        {
            "type": "details",
            "content": [{"type": "detailsSummary", "content": [t("Samenvatting")]}, p(t("Inhoud"))],
        },
        p(t("voor "), {"type": "emoji", "text": ":)"}, {"type": "span", "content": [t("binnen", "bold")]}),
        {"type": "image", "attrs": {"src": "x.png"}},
    )
    assert render_markdown(body) == "Samenvatting\n\nInhoud\n\nvoor :)**binnen**"


def test_extremely_deep_nesting_does_not_crash() -> None:
    node: dict[str, Any] = p(t("bodem"))
    for _ in range(5000):
        node = {"type": "blockquote", "content": [node]}
    assert isinstance(render_markdown(doc(node)), str)
    deep_json = '{"type":"doc","content":' + "[" * 100_000 + "]" * 100_000 + "}"
    assert render_markdown(deep_json) == ""


def test_deep_lists_are_cut_but_shallow_content_survives() -> None:
    node: dict[str, Any] = li(p(t("diep")))
    for _ in range(200):
        node = li(p(t("niveau")), ul(node))
    out = render_markdown(doc(p(t("begin")), ul(node), p(t("einde"))))
    assert out.startswith("begin\n\n- niveau")
    assert out.endswith("einde")


def test_cycles_do_not_loop() -> None:
    loop: dict[str, Any] = {"type": "paragraph", "content": [t("tekst")]}
    loop["content"].append(loop)
    body: dict[str, Any] = {"type": "doc", "content": [loop]}
    body["content"].append(body)
    assert render_markdown(body) == "tekst"
    assert render_plain(body) == "tekst"


def test_shared_references_do_not_explode() -> None:
    node: dict[str, Any] = p(t("x"))
    for _ in range(60):
        node = {"type": "blockquote", "content": [node, node]}
    out = render_markdown(doc(node))  # 2**60 paths through the same objects: must stay bounded
    assert isinstance(out, str)


# JSON-ish values whose keys and strings are biased towards Tiptap vocabulary, so the fuzzer reaches
# the real code paths instead of only the "not a node" early exits.
_NODE_TYPES = [
    "doc", "paragraph", "heading", "text", "hardBreak", "horizontalRule", "bulletList", "orderedList",
    "listItem", "table", "tableRow", "tableHeader", "tableCell", "codeBlock", "blockquote",
    "relation-block", "relation-inline-block", "relation-mark", "bogus",
]  # fmt: skip
_KEYS = ["type", "content", "text", "attrs", "marks", "level", "start", "id", "collection", "href", "item",
         "title", "description", "editor_nodes", "items", "label", "to", "alt_text", "image", "path", "sort",
         "colspan", "language", "data", "actions", "artist"]  # fmt: skip
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(
        _NODE_TYPES + _KEYS + ["callouts", "buttons", "mentions", "images", "/pad", "javascript:x"]
    )
    | st.text(max_size=20)
)
_jsonish = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=5), children, max_size=6)
    ),
    max_leaves=60,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=_jsonish, nodes=_jsonish, offset=st.integers(-(2**40), 2**40))
def test_arbitrary_json_never_raises(value: Any, nodes: Any, offset: int) -> None:
    out = render_markdown(value, nodes, heading_offset=offset)
    assert isinstance(out, str)
    assert "\n\n\n" not in out
    assert out == out.strip("\n")
    assert all(line == line.rstrip() for line in out.split("\n"))
    plain = render_plain(value, nodes)
    assert isinstance(plain, str)
    assert "\n" not in plain
    assert "javascript:" not in re.sub(r"\[[^\]]*\]", "", out).replace("javascript:x", "")


@settings(max_examples=200, deadline=None)
@given(value=_jsonish)
def test_arbitrary_json_string_never_raises(value: Any) -> None:
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        return
    assert isinstance(render_markdown(text), str)


# --------------------------------------------------------------------------- plain text


def test_plain_text_has_no_markdown_and_one_line() -> None:
    body = doc(
        h(2, t("Kop")),
        p(t("Een "), t("vet", "bold"), t(" woord met "), t("link", link("/x")), t(".")),
        ul(li(p(t("a"))), li(p(t("b")))),
        block(J_CALLOUT, "callouts"),
        block(J_IMAGE, "images"),
        block(J_RELATED, "related_content_lists"),
        p(inline_block(J_MENTION)),
    )
    out = render_plain(body, EDITOR_NODES)
    assert out == (
        "Kop Een vet woord met link. a b Let op Je hebt een VOG nodig, zie dit artikel. "
        "Plan een adviesgesprek Kwaad Een leraar voor de klas "
        "Related: Wat is het vavo?, Pabo, Primair onderwijs Wat is het vavo?"
    )


def test_plain_text_of_garbage() -> None:
    assert render_plain(None) == ""
    assert render_plain("  los \n tekst ") == "los tekst"


# --------------------------------------------------------------------------- truncation


def test_truncate_short_text_is_untouched() -> None:
    assert truncate_markdown("kort", 10) == ("kort", False)
    assert truncate_markdown("precies", 7) == ("precies", False)


def test_truncate_prefers_paragraph_boundary() -> None:
    text = "Eerste alinea met wat tekst.\n\nTweede alinea die te lang is."
    assert truncate_markdown(text, 40) == ("Eerste alinea met wat tekst.", True)


def test_truncate_falls_back_to_sentence_then_word() -> None:
    text = "Zin een is hier. Zin twee is langer dan de rest"
    assert truncate_markdown(text, 25) == ("Zin een is hier.", True)
    assert truncate_markdown("woord " * 10, 20) == ("woord woord woord", True)


def test_truncate_ignores_a_paragraph_break_that_keeps_too_little() -> None:
    text = "Kop\n\n" + "Dit is een lange alinea zonder einde met veel woorden erin"
    out, cut = truncate_markdown(text, 50)
    assert cut
    assert len(out) > 40
    assert out.startswith("Kop\n\nDit is")


def test_truncate_never_cuts_inside_a_link() -> None:
    text = "Lees [het artikel over de pabo en de opleiding](https://onderwijsloket.com/kennisbank/x) nu."
    for limit in range(1, len(text)):
        out, cut = truncate_markdown(text, limit)
        assert cut
        assert len(out) <= limit
        assert out.count("[") == out.count("]")
        assert "(" not in out or out.endswith(")")


def test_truncate_hard_cut_without_boundaries() -> None:
    assert truncate_markdown("a" * 50, 10) == ("a" * 10, True)
    assert truncate_markdown("[x](https://e.nl/" + "a" * 40 + ")", 10) == ("", True)


def test_truncate_large_hostile_text_is_fast() -> None:
    started = time.monotonic()
    for text in ("[" * 200_000, "[a " * 100_000, ("woord [x](https://e.nl/a) " * 20_000)):
        out, cut = truncate_markdown(text, 100_000)
        assert cut
        assert len(out) <= 100_000
    assert time.monotonic() - started < 5


def test_truncate_zero_and_negative() -> None:
    assert truncate_markdown("tekst", 0) == ("", True)
    assert truncate_markdown("tekst", -5) == ("", True)
    assert truncate_markdown("", 0) == ("", False)


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(
        st.sampled_from(["woord", " ", "\n", "\n\n", ". ", "[link tekst](https://e.nl/a)", "**vet**", "é"]),
        max_size=60,
    ).map("".join),
    limit=st.integers(0, 300),
)
def test_truncate_properties(text: str, limit: int) -> None:
    out, cut = truncate_markdown(text, limit)
    assert len(out) <= max(limit, 0)
    assert text.startswith(out)
    assert cut == (len(text) > limit)
    if not cut:
        assert out == text
    assert out.count("[link tekst]") == out.count("[link tekst](https://e.nl/a)")


# --------------------------------------------------------------------------- links and assets


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/kennisbank/artikelen/x", f"{SITE}/kennisbank/artikelen/x"),
        ("  /routes  ", f"{SITE}/routes"),
        ("kennisbank/artikelen", f"{SITE}/kennisbank/artikelen"),
        ("https://www.duo.nl/x?a=1#b", "https://www.duo.nl/x?a=1#b"),
        ("http://example.nl", "http://example.nl"),
        ("HTTPS://EXAMPLE.NL", "HTTPS://EXAMPLE.NL"),
        ("//cdn.example.nl/a", "https://cdn.example.nl/a"),
        ("www.onderwijsloket.com/routes", "https://www.onderwijsloket.com/routes"),
        ("rijksoverheid.nl/onderwerpen", "https://rijksoverheid.nl/onderwerpen"),
        ("mailto:info@onderwijsloket.com", "mailto:info@onderwijsloket.com"),
        ("tel:+31201234567", "tel:+31201234567"),
        ("/pad met spatie", f"{SITE}/pad%20met%20spatie"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("data:text/html;base64,xx", None),
        ("vbscript:x", None),
        ("file:///etc/passwd", None),
        ("ftp://example.nl", None),
        ("https://", None),
        ("https:/relative", None),
        ("mailto:", None),
        ("#anker", None),
        ("?q=1", None),
        ("", None),
        ("   ", None),
        (None, None),
        (42, None),
        ("/" + "a" * 3000, None),
    ],
)
def test_absolute_link(href: Any, expected: str | None) -> None:
    assert absolute_link(href) == expected


def test_absolute_link_site_url() -> None:
    assert absolute_link("/a", "https://example.org/") == "https://example.org/a"
    assert absolute_link("/a", "not a url") == f"{SITE}/a"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((FILE_ID,), f"https://res.cloudinary.com/onderwijsin/raw/upload/onderwijsloket-directus/production/{FILE_ID}"),
        ((FILE_ID, "image", "f_auto,q_auto,w_400"),
         f"https://res.cloudinary.com/onderwijsin/image/upload/f_auto,q_auto,w_400/onderwijsloket-directus/production/{FILE_ID}"),
        ((FILE_ID, "video", "so_3,du_5/f_mp4"),
         f"https://res.cloudinary.com/onderwijsin/video/upload/so_3,du_5/f_mp4/onderwijsloket-directus/production/{FILE_ID}"),
        ((FILE_ID, "image", ""), f"https://res.cloudinary.com/onderwijsin/image/upload/onderwijsloket-directus/production/{FILE_ID}"),
        ((f" {FILE_ID} ", "raw"), f"https://res.cloudinary.com/onderwijsin/raw/upload/onderwijsloket-directus/production/{FILE_ID}"),
        (("../secret",), ""),
        (("a/b",), ""),
        (("",), ""),
        (("id?x=1",), ""),
        (("-leading",), ""),
        (("x" * 200,), ""),
        ((None,), ""),
        ((FILE_ID, "audio"), ""),
        ((FILE_ID, "image", "w_1/../../x"), ""),
        ((FILE_ID, "image", "w_1?x"), ""),
        ((FILE_ID, "image", "/w_1"), ""),
        ((FILE_ID, "image", "w_1//h_2"), ""),
    ],
)  # fmt: skip
def test_cloudinary_url(args: tuple[Any, ...], expected: str) -> None:
    assert cloudinary_url(*args) == expected


# --------------------------------------------------------------------------- Directus fields


def test_editor_node_fields_cover_every_block() -> None:
    fields = set(EDITOR_NODE_FIELDS)
    assert {"editor_nodes.id", "editor_nodes.collection"} <= fields
    expected = {
        "editor_nodes.item:buttons.label",
        "editor_nodes.item:buttons.to",
        "editor_nodes.item:callouts.title",
        "editor_nodes.item:callouts.description",
        "editor_nodes.item:callouts.actions",
        "editor_nodes.item:callouts.editor_nodes.id",
        "editor_nodes.item:callouts.editor_nodes.item:mentions.title",
        "editor_nodes.item:callouts.editor_nodes.item:mentions.item.collection",
        "editor_nodes.item:callouts.editor_nodes.item:mentions.item.item:articles.title",
        "editor_nodes.item:callouts.editor_nodes.item:mentions.item.item:articles.path",
        "editor_nodes.item:images.alt_text",
        "editor_nodes.item:images.image",
        "editor_nodes.item:content_lists.items.title",
        "editor_nodes.item:content_lists.items.description",
        "editor_nodes.item:content_lists.items.link",
        "editor_nodes.item:related_content_lists.items.collection",
        "editor_nodes.item:related_content_lists.items.item:articles.path",
        "editor_nodes.item:related_content_lists.items.item:programs.title",
        "editor_nodes.item:related_content_lists.items.item:educational_institutions.path",
        "editor_nodes.item:related_content_lists.items.item:regional_education_desks.title",
        "editor_nodes.item:related_content_lists.items.item:sectors.slug",
        "editor_nodes.item:mediaplayers.title",
        "editor_nodes.item:mediaplayers.artist",
        "editor_nodes.item:mediaplayers.type",
        "editor_nodes.item:mentions.title",
        "editor_nodes.item:mentions.item.collection",
        "editor_nodes.item:mentions.item.item:articles.title",
        "editor_nodes.item:mentions.item.item:articles.path",
    }
    assert expected <= fields
    assert len(fields) == len(EDITOR_NODE_FIELDS)
    # Directus rejects the whole request for one unknown field, so nothing beyond the docs' fetch example.
    assert "editor_nodes.item:related_content_lists.items.item:sectors.path" not in fields
    assert not any(f.endswith(".sort") for f in fields)
    for field in EDITOR_NODE_FIELDS:
        assert re.fullmatch(r"[a-z_]+(\.(item:)?[a-z_]+)+", field), field


def test_editor_node_fields_prefix_and_narrowing() -> None:
    nested = editor_node_fields("editor_nodes.item:callouts.editor_nodes", collections=["mentions"])
    assert all(f.startswith("editor_nodes.item:callouts.editor_nodes.") for f in nested)
    assert all(":buttons" not in f for f in nested)
    content_only = editor_node_fields(related_collections=["articles", "sectors"])
    assert not any("item:programs" in f or "item:educational_institutions" in f for f in content_only)
    assert "editor_nodes.item:related_content_lists.items.item:articles.title" in content_only
    assert editor_node_fields("body_nodes")[0] == "body_nodes.id"
    with pytest.raises(ValueError, match="unknown block collection"):
        editor_node_fields(collections=["carousels"])
    with pytest.raises(ValueError, match="unknown related-content collection"):
        editor_node_fields(related_collections=["faqs"])


def test_plain_text_keeps_its_lines_and_cannot_become_markup_headings() -> None:
    text = "Eerste  regel\x07\r\n# geen kop\n\n\n\nLaatste [regel]\rnog een"
    assert render_plain_text(text) == "Eerste regel\n\\# geen kop\n\nLaatste [regel]\nnog een"
    assert render_plain_text(None) == ""
    assert render_plain_text({"type": "doc"}) == ""
