"""get_program: one education programme (opleiding) in full: description, study forms, institutions, all
locations, qualifications (fields and relations as :mod:`._programs` learns them)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from ... import taxonomy
from ...errors import NotFoundError, PermissionDeniedError
from ...render.links import site_link
from ...render.markdown import cap_answer, join_nonempty, md_inline, render_blocks
from ...render.richtext import render_markdown, truncate_markdown
from ...services import Services
from ...text import clean_text, fold
from ...upstream.directus import missing_token_error, related
from ...upstream.query import Query
from .._common import (
    Notes,
    Tool,
    tool_result,
)
from ._access import navigator_denied
from ._programs import (
    FORM_ORDER,
    INSTITUTION_FIELDS,
    LEVEL_LABELS,
    LOCATION_FIELDS,
    InstitutionRef,
    LocationRef,
    ProgramFields,
    StudyForm,
    address_line,
    form_label,
    institutions_of,
    learn_fields,
    location_ref,
    program_link,
    study_form,
    text_or_none,
)


class TaxonomyRef(BaseModel):
    id: str
    name: str
    link: str | None = None


class ProgramDetail(BaseModel):
    """Structured companion of the markdown answer of get_program: the same facts and texts."""

    id: str
    title: str
    link: str
    level: str | None = None
    type: str | None = None
    degree: str | None = None
    description_markdown: str | None = None
    description_shortened: bool = Field(default=False, description="Cut to fit: the full text is at link.")
    forms: list[StudyForm] = Field(default_factory=list)
    institutions: list[InstitutionRef] = Field(default_factory=list)
    locations: list[LocationRef] = Field(default_factory=list)
    qualifications: list[TaxonomyRef] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    notes: Notes = Field(default_factory=list)


DETAIL_DESCRIPTION_CHARS = 2000
FORMS_DESCRIPTION_CHARS = 1600  # shared by all forms of a programme
MAX_LISTED = 25


def program_detail_fields(known: ProgramFields) -> list[str]:
    """Root ``*`` plus the relations this API has (several are undocumented, see tests/stack/ASSUMPTIONS.md)."""
    fields = ["*"]
    relations: dict[str, list[str]] = {
        "educational_institutions": [
            f"educational_institutions.educational_institutions_id.{f}" for f in INSTITUTION_FIELDS
        ],
        "program_forms": ["program_forms.*"]
        + (["program_forms.track.name"] if "track" in known.program_forms else []),
        "qualifications": [f"qualifications.qualifications_id.{f}" for f in ("id", "name", "path")],
        "locations": [f"locations.locations_id.{f}" for f in LOCATION_FIELDS],
        "roles": ["roles.roles_id.name"],
        "sectors": ["sectors.sectors_id.title"],
    }
    for relation, paths in relations.items():
        if relation in known.programs:
            fields += paths
    return fields


def program_detail(item: Mapping[str, Any], site_url: str) -> ProgramDetail:
    forms = item.get("program_forms")
    parsed_forms = [
        f
        for f in (
            study_form(x, site_url, with_description=True) for x in (forms if isinstance(forms, list) else [])
        )
        if f is not None
    ]
    parsed_forms.sort(
        key=lambda f: (FORM_ORDER.get(f.form or "", len(FORM_ORDER)), fold(form_label(f) or ""))
    )
    locations = [
        ref
        for ref in (location_ref(t) for t in related(item.get("locations"), "locations_id"))
        if ref is not None
    ]
    locations.sort(key=lambda loc: (fold(loc.city or ""), fold(loc.title or ""), loc.id))
    qualifications = [
        TaxonomyRef(id=str(q["id"]), name=clean_text(q.get("name")), link=site_link(q.get("path"), site_url))
        for q in related(item.get("qualifications"), "qualifications_id")
        if q.get("id") is not None and clean_text(q.get("name"))
    ]
    description = render_markdown(item.get("description"), site_url=site_url, heading_offset=2) or None
    return ProgramDetail(
        id=str(item["id"]),
        title=clean_text(item.get("title")) or "(untitled programme)",
        link=program_link(item, site_url),
        level=text_or_none(item.get("level")),
        type=text_or_none(item.get("type")),
        degree=text_or_none(item.get("degree")),
        description_markdown=description,
        forms=parsed_forms,
        institutions=institutions_of(item, site_url),
        locations=locations,
        qualifications=qualifications,
        roles=taxonomy.labels(item, "roles"),
        sectors=taxonomy.labels(item, "sectors"),
    )


def drop_trailing_heading(text: str) -> str:
    """A cut text should not end on a heading whose section was cut away."""
    lines = text.rstrip().splitlines()
    while lines and (lines[-1].lstrip().startswith("#") or not lines[-1].strip()):
        lines.pop()
    return "\n".join(lines)


def _listed(items: Sequence[str], noun: str) -> list[str]:
    lines = list(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        lines.append(f"- … and {len(items) - MAX_LISTED} more {noun} (see structured content or the link).")
    return lines


NO_LOCATIONS_NOTE = "No teaching locations are recorded for this programme."


def _shortened(text: str | None, limit: int) -> tuple[str | None, bool]:
    """``text`` cut to ``limit`` characters (never ending on an orphaned heading) and whether it was cut."""
    if not text:
        return text, False
    cut_text, cut = truncate_markdown(text, limit)
    return (drop_trailing_heading(cut_text) if cut else cut_text), cut


def shape_program_detail(detail: ProgramDetail) -> ProgramDetail:
    """The programme as shown: descriptions cut to their budgets (flagged), and its notes."""
    description, cut = _shortened(detail.description_markdown, DETAIL_DESCRIPTION_CHARS)
    per_form = max(150, FORMS_DESCRIPTION_CHARS // max(1, len(detail.forms)))
    forms = []
    for form in detail.forms:
        text, form_cut = _shortened(form.description_markdown, per_form)
        # Beside its form, a variant's title that only repeats the form or the programme's title (plus form and
        # track) says nothing new; without a form, the title names the variant.
        redundant = form.title == form.form or (form.title or "").startswith(detail.title)
        title = None if form.form and redundant else form.title
        update = {"title": title, "description_markdown": text, "description_shortened": form_cut}
        forms.append(form.model_copy(update=update))
    return detail.model_copy(
        update={
            "description_markdown": description,
            "description_shortened": cut,
            "forms": forms,
            "notes": [] if detail.locations else [NO_LOCATIONS_NOTE],
        }
    )


def format_program_detail(detail: ProgramDetail) -> str:
    """The markdown of a shaped programme (see shape_program_detail)."""
    facts = join_nonempty(
        [
            f"Level: {LEVEL_LABELS.get(detail.level, detail.level)}" if detail.level else None,
            f"Type: {md_inline(detail.type)}" if detail.type else None,
            f"Degree: {md_inline(detail.degree)}" if detail.degree else None,
        ]
    )
    blocks: list[str | None] = [
        f"## {md_inline(detail.title)}",
        join_nonempty([facts, f"ID: {detail.id}", f"Link: {detail.link}"], "\n"),
    ]
    if detail.description_markdown:
        shortened = f"\n\n_(Description shortened; full text at {detail.link}.)_"
        blocks.append(detail.description_markdown + (shortened if detail.description_shortened else ""))
    if detail.institutions:
        lines = [
            "- " + join_nonempty([md_inline(i.title), i.type, i.link], " · ") for i in detail.institutions
        ]
        blocks.append("### Institutions\n" + "\n".join(lines))
    if detail.forms:
        sections: list[str] = []
        for form in detail.forms:
            label = form_label(form) or "variant"
            heading = f"#### {md_inline(label[:1].upper() + label[1:])}"
            if form.track and form.track != label:
                heading += f" — {md_inline(form.track)}"
            lines = [heading]
            if form.title and form.title != label:
                lines.append(md_inline(form.title))
            if form.url:
                lines.append(f"Page: {form.url}")
            if form.description_markdown:
                more = f"\n\n_(Shortened; more at {form.url or detail.link}.)_"
                lines.append(form.description_markdown + (more if form.description_shortened else ""))
            sections.append("\n".join(lines))
        blocks.append("### Study forms\n\n" + "\n\n".join(sections))
    if detail.locations:
        lines = [
            f"- {md_inline(loc.title)}: {md_inline(address_line(loc))}"
            if loc.title and loc.address
            else f"- {md_inline(address_line(loc))}"
            for loc in detail.locations
        ]
        blocks.append("### Locations\n" + "\n".join(_listed(lines, "locations")))
    blocks += detail.notes
    if detail.qualifications:
        lines = ["- " + join_nonempty([md_inline(q.name), q.link], " · ") for q in detail.qualifications]
        blocks.append("### Qualifications\n" + "\n".join(_listed(lines, "qualifications")))
    tags = join_nonempty(
        [
            f"Roles: {', '.join(detail.roles)}" if detail.roles else None,
            f"Sectors: {', '.join(detail.sectors)}" if detail.sectors else None,
        ],
        "\n",
    )
    blocks.append(tags or None)
    return cap_answer(render_blocks(blocks))


async def fetch_program(svc: Services, program_id: str) -> ProgramDetail:
    client = svc.directus
    if not client.has_token:
        raise missing_token_error()
    try:
        known = await learn_fields(svc, locations=False)
    except PermissionDeniedError as exc:
        raise navigator_denied("get_program", exc, svc.settings.site_url) from exc
    try:
        item = await client.item("programs", program_id, Query(fields=program_detail_fields(known)))
    except NotFoundError as exc:
        raise NotFoundError(
            f"No programme with id '{clean_text(program_id)[:64]}' was found, or this token may not read it "
            "(Directus does not say which; programmes from other data vendors such as HOVI or KiesMBO need "
            "their own policy). Use an ID exactly as find_programs_near returned it."
        ) from exc
    return program_detail(item, svc.settings.site_url)


async def get_program(
    id: Annotated[
        str,
        Field(
            description="The programme ID exactly as find_programs_near (or another tool) returned it.",
            min_length=1,
            max_length=64,
        ),
    ],
    ctx: Context[Services, Any],
) -> Annotated[CallToolResult, ProgramDetail]:
    """Everything about one education programme (opleiding): its description, study forms (voltijd/deeltijd/
    duaal) with their details and external pages, institutions, all teaching locations, the qualifications
    it leads to, and its link.

    Use it after find_programs_near when a person wants to know more about one programme.
    """
    svc = Services.of(ctx)
    detail = shape_program_detail(await fetch_program(svc, id.strip()))
    return tool_result(format_program_detail(detail), detail)


TOOL = Tool(
    name="get_program",
    title="Get one education programme",
    summary="one programme in full: study forms, institutions, all locations, qualifications.",
    handler=get_program,
)
