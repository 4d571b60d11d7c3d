"""plan_route_into_teaching: walk a person through the route tool, then point them to programmes and advice."""

from __future__ import annotations

from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.prompts.base import UserMessage
from pydantic import Field

from ..tools.knowledge import get_article, search_faq
from ..tools.navigator import find_programs_near, list_regional_desks
from ..tools.pathways import get_pathways
from ._common import told, where

PROMPT_NAME = "plan_route_into_teaching"
ROUTE_TOOL = get_pathways.TOOL.name
PROGRAMS_TOOL = find_programs_near.TOOL.name
DESKS_TOOL = list_regional_desks.TOOL.name
FAQ_TOOL = search_faq.TOOL.name
ARTICLE_TOOL = get_article.TOOL.name
DESCRIPTION = (
    "Guide someone to their route into a job in Dutch education: ask Onderwijsloket's route questions one by "
    f"one ({ROUTE_TOOL}), explain the matching routes, then offer programmes nearby ({PROGRAMS_TOOL}) and their "
    f"regional education desk for personal advice ({DESKS_TOOL})."
)


def plan_route_into_teaching(
    situation: Annotated[
        str,
        Field(
            description="Optional. The person's current situation in their own words, e.g. 'hbo-bachelor "
            "economie, werk nu in de logistiek'. Used to suggest answers, which the person confirms."
        ),
    ] = "",
    goal: Annotated[
        str,
        Field(
            description="Optional. What they would like to become or where they want to work, e.g. 'leraar "
            "basisonderwijs' or 'docent in het mbo'."
        ),
    ] = "",
    place: Annotated[
        str,
        Field(
            description="Optional. Where they live or would study (Dutch place name or postcode), e.g. "
            "'Utrecht' or '3511'. Used for nearby programmes and the regional education desk."
        ),
    ] = "",
) -> list[UserMessage]:
    """The prompt's single user message; see DESCRIPTION."""
    known = told(("Current situation", situation), ("Goal", goal), ("Place", place))
    about = (
        "What the person already told:\n" + "\n".join(known) if known else "The person has not said more yet."
    )
    text = f"""\
Help this person find their route into a job in Dutch education (teaching or another role in a school), using \
the Onderwijsloket tools. Talk in the person's language; the data is Dutch, so send option labels exactly as \
given (or their ids).

{about}

1. Call `{ROUTE_TOOL}` with answers=[] to get the first question and its options.
2. Ask the person that one question in plain words and show only the options the tool returned (they depend \
on the earlier answers). If what they already told clearly fits an option, suggest it and ask them to \
confirm; never answer for them.
3. Call `{ROUTE_TOOL}` again with ALL answers so far (earlier ones plus the new one); the tool checks them all \
again. Repeat steps 2-3 until it returns routes instead of a question. If it returns an error, it lists the \
valid options: ask again with those. To change an earlier answer, replace it and call again; if the tool \
says that follow-up choices were removed, tell the person which ones and why, then ask the question it returns.
4. Summarise the shortest matching routes: title, total duration, the steps in order with their durations, and \
the link. Say that the routes are ordered by duration, which is not a ranking of how well they suit the \
person. Mention how many more routes match and offer to show them (same answers with offset). Steps may list \
FAQs and articles that explain them: offer to read one (`{FAQ_TOOL}` with the FAQ's question, `{ARTICLE_TOOL}` \
with the article's id). Do not invent routes, steps or durations; if none match, say so and offer to try \
other answers.
5. Then offer two next steps: programmes near them with `{PROGRAMS_TOOL}`, and their regional education desk \
(regioloket) for a personal advice conversation with `{DESKS_TOOL}`. {where(place)}.

Cite the onderwijsloket.com links the tools return."""
    return [UserMessage(text)]


def register(server: MCPServer[Any]) -> None:
    server.prompt(name=PROMPT_NAME, title="Plan a route into teaching", description=DESCRIPTION)(
        plan_route_into_teaching
    )
