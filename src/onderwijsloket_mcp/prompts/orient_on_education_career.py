"""orient_on_education_career: help someone explore working in Dutch education with the knowledge-base tools."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts.base import UserMessage
from pydantic import Field

from ..text import clean_text
from ..tools.knowledge import get_article, search_articles, search_faq
from ..tools.navigator import find_programs_near, list_regional_desks
from ..tools.pathways import get_pathways
from ._common import told, where

PROMPT_NAME = "orient_on_education_career"
FAQ_TOOL = search_faq.TOOL.name
ARTICLES_TOOL = search_articles.TOOL.name
ARTICLE_TOOL = get_article.TOOL.name
ROUTE_TOOL = get_pathways.TOOL.name
PROGRAMS_TOOL = find_programs_near.TOOL.name
DESKS_TOOL = list_regional_desks.TOOL.name
NAMED_TOOLS = (FAQ_TOOL, ARTICLES_TOOL, ARTICLE_TOOL, ROUTE_TOOL, PROGRAMS_TOOL, DESKS_TOOL)
DESCRIPTION = (
    "Help someone orient on a career in Dutch education: answer their questions from Onderwijsloket's FAQs "
    f"and articles ({FAQ_TOOL}, {ARTICLES_TOOL}, {ARTICLE_TOOL}), explain sectors, roles and qualifications, "
    f"then point to their route ({ROUTE_TOOL}), programmes nearby ({PROGRAMS_TOOL}) and their regional "
    f"education desk ({DESKS_TOOL})."
)


def orient_on_education_career(
    question: Annotated[
        str,
        Field(
            description="Optional. What the person wants to know, in their own words, e.g. 'Wat verdient een "
            "leraar?' or 'Kan ik zonder lerarenopleiding voor de klas?'."
        ),
    ] = "",
    situation: Annotated[
        str,
        Field(
            description="Optional. Their current situation, e.g. 'hbo-bachelor economie, 10 jaar in de "
            "logistiek' or 'student pedagogiek'. Helps choose relevant answers."
        ),
    ] = "",
    sector: Annotated[
        str,
        Field(
            description="Optional. The education sector they are drawn to, e.g. 'primair onderwijs', "
            "'voortgezet onderwijs', 'mbo' (labels: onderwijsloket://taxonomy/sectors)."
        ),
    ] = "",
    topic: Annotated[
        str,
        Field(
            description="Optional. A topic to start with, e.g. 'Salaris' or 'Zij-instroom' (labels: "
            "onderwijsloket://taxonomy/topics)."
        ),
    ] = "",
    place: Annotated[
        str,
        Field(
            description="Optional. Where they live or would study (Dutch place name or postcode), e.g. "
            "'Zwolle' or '8011'. Used for nearby programmes and the regional education desk."
        ),
    ] = "",
) -> list[UserMessage]:
    """The prompt's single user message; see DESCRIPTION."""
    known = told(
        ("Question", question),
        ("Current situation", situation),
        ("Sector of interest", sector),
        ("Topic", topic),
        ("Place", place),
    )
    about = (
        "What the person already told:\n" + "\n".join(known)
        if known
        else "The person has not said more yet: start by asking what draws them to education and what they do now."
    )
    filters = []
    if clean_text(sector):
        filters.append(f"sector='{clean_text(sector)[:100]}'")
    if clean_text(topic):
        filters.append(f"topic='{clean_text(topic)[:100]}'")
    filter_hint = f" Pass {' and '.join(filters)} as filters when they fit the question." if filters else ""
    text = f"""\
Help this person orient on a career in Dutch education (teaching or another role in a school or institution), \
using the Onderwijsloket tools. Talk in the person's language; the content is Dutch, so search with Dutch \
keywords (e.g. 'salaris leraar', 'zij-instroom', 'pabo', 'bevoegdheid').

{about}

1. For their questions, first call `{FAQ_TOOL}` (short answers: salary, lateral entry, qualifications, \
training).{filter_hint}
2. When a question needs more depth, call `{ARTICLES_TOOL}`, then `{ARTICLE_TOOL}` with the id of the most \
relevant result to read it; summarise what applies to this person.
3. Explain the landscape as far as it helps them: the sectors (po, vo, mbo, so, ho), the roles, which \
qualification (bevoegdheid) a role needs and the ways to get it (e.g. zij-instroom, pabo, a teacher-training \
programme). Use only what the tools return; onderwijsloket://glossary explains Dutch terms.
4. When they know roughly what they want, offer to work out their personal route with `{ROUTE_TOOL}` (it asks \
a few questions, one per call).
5. Offer concrete next steps: programmes near them with `{PROGRAMS_TOOL}`, and their regional education desk \
(regioloket) for a free personal advice conversation with `{DESKS_TOOL}`. {where(place)}.

Do not invent salaries, requirements, durations or programmes. Cite the onderwijsloket.com links the tools \
return."""
    return [UserMessage(text)]


def register(server: MCPServer[Any]) -> None:
    server.prompt(name=PROMPT_NAME, title="Orient on a career in education", description=DESCRIPTION)(
        orient_on_education_career
    )
