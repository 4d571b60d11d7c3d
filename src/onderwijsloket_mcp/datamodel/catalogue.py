"""What the Onderwijsloket documentation says about its data model, beyond what a schema can tell.

Families have no technical meaning in Directus (they are how the docs group collections), so they, the
one-line purposes, the policies and the glossary are written down here once. Collections that a live
schema shows but this catalogue does not know are still listed (under "Other").
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import ACCESS_REQUEST_URL, EXTRA_ACCESS_CONTACT


@dataclass(frozen=True)
class CollectionDoc:
    name: str
    purpose: str
    # The additional policy that usually grants read access; None = the base policies suffice.
    policy: str | None = None


@dataclass(frozen=True)
class Family:
    key: str
    title: str
    summary: str
    collections: tuple[CollectionDoc, ...]


FAMILIES: tuple[Family, ...] = (
    Family(
        "knowledge-base",
        "Knowledge base",
        "kennisbank: articles, FAQs and what they cite",
        (
            CollectionDoc(
                "articles", "Long-form, objective articles (Tiptap body; linked FAQs, sources, documents)."
            ),
            CollectionDoc("faqs", "Short questions with a Tiptap answer; often linked to articles."),
            CollectionDoc("sources", "References cited by articles (title, description, url)."),
            CollectionDoc("documents", "Downloadable files attached to articles (asset → directus_files)."),
            CollectionDoc("authors", "Writers of articles and testimonials."),
        ),
    ),
    Family(
        "navigator",
        "Navigator",
        "programmes, institutions, locations and regional desks (vendor data, synced)",
        (
            CollectionDoc(
                "programs",
                "Study programmes (opleidingen), mostly teacher training, leading to a qualification.",
                "Navigator",
            ),
            CollectionDoc(
                "program_forms",
                "Variants of one programme: study form (voltijd/deeltijd/duaal), track, external link.",
                "Navigator",
            ),
            CollectionDoc(
                "educational_institutions",
                "Universities, hogescholen and mbo institutions offering programmes (not PO/VO schools).",
                "Navigator",
            ),
            CollectionDoc(
                "locations",
                "Physical sites of institutions, programmes and desks (GeoJSON point, [lng, lat]).",
                "Navigator",
            ),
            CollectionDoc(
                "regional_education_desks",
                "Regioloketten: regional desks that advise people who want to work in education.",
                "Navigator",
            ),
            CollectionDoc(
                "areas",
                "Service regions of the regional desks (centre, boundary, search grid); they overlap, and some "
                "cover the whole country.",
                "Navigator",
            ),
            CollectionDoc(
                "schools",
                "Primary and secondary schools from Scholen op de kaart (vendor sodk).",
                "Scholen op de kaart",
            ),
        ),
    ),
    Family(
        "media",
        "Media",
        "videos, testimonials and podcasts; items with a future publication_date are not yet viewable",
        (
            CollectionDoc("videos", "Videos with transcript and chapters."),
            CollectionDoc("testimonials", "Ervaringsverhalen: first-person experience stories."),
            CollectionDoc("podcast_shows", "Podcast shows (tagline, artwork, hosts)."),
            CollectionDoc("podcast_episodes", "Podcast episodes (audio, transcript, show, season, guests)."),
            CollectionDoc("seasons", "Podcast seasons (number, year, show)."),
            CollectionDoc("podcast_hosts", "Podcast hosts."),
            CollectionDoc("profiles", "People who appear in media (videos, testimonials)."),
        ),
    ),
    Family(
        "routes",
        "Routes",
        "pathways into an education role, chosen by four questions",
        (
            CollectionDoc(
                "route_questions",
                "The four questions of the route tool (text in `question`, asked by `sort`).",
            ),
            CollectionDoc(
                "route_answers",
                "Answer options (label `title`), offered when each earlier question named in `requires_answers` "
                "got one of the answers listed there.",
            ),
            CollectionDoc(
                "route_steps",
                "Steps of a route (long or short title, duration, body) with the FAQs and articles that explain "
                "them.",
            ),
            CollectionDoc(
                "routes",
                "Complete pathways into a role: the answers they require and their steps (in the junction's "
                "`sort` order).",
            ),
        ),
    ),
    Family(
        "filters",
        "Filters",
        "the shared taxonomy used to tag content (onderwijsloket://taxonomy/{name} lists the terms)",
        (
            CollectionDoc("sectors", "The five Dutch education sectors; also the 'Werken in …' pages."),
            CollectionDoc("topics", "Subjects such as salary, lateral entry, legislation."),
            CollectionDoc("audiences", "Who content is for: career switchers, students, returners, …"),
            CollectionDoc("phases", "Stages of the candidate journey: orientation … retention."),
            CollectionDoc("roles", "Jobs in education: teacher, teaching assistant, school leader, …"),
            CollectionDoc("qualifications", "Teaching and other qualifications (bevoegdheden)."),
            CollectionDoc(
                "tracks", "Ways to obtain a qualification: zij-instroom, pabo, educational master, …"
            ),
            CollectionDoc("school_subjects", "Secondary-school subjects."),
        ),
    ),
    Family(
        "blocks",
        "Blocks",
        "custom nodes inside rich-text content documents, reached through editor_nodes",
        (
            CollectionDoc("buttons", "Call-to-action button in a content document."),
            CollectionDoc("callouts", "Highlighted box with text and actions."),
            CollectionDoc("images", "Image with caption."),
            CollectionDoc("content_lists", "Structured list of items."),
            CollectionDoc("content_list_items", "One item of a content list."),
            CollectionDoc("related_content_lists", "List of related items from several collections (M2A)."),
            CollectionDoc("mediaplayers", "Audio or video player."),
            CollectionDoc("mentions", "Inline mention of another item (M2A)."),
        ),
    ),
    Family(
        "system",
        "System",
        "usage statistics and Directus system collections",
        (
            CollectionDoc("applicants", "Anonymous usage statistics: applicants.", "Read stats"),
            CollectionDoc(
                "applicant_activity", "Anonymous usage statistics: applicant activity.", "Read stats"
            ),
            CollectionDoc(
                "scheduled_events", "Anonymous usage statistics: scheduled advice calls.", "Read stats"
            ),
            CollectionDoc("scheduling_links", "Anonymous usage statistics: scheduling links.", "Read stats"),
        ),
    ),
)

# Directus system collections worth knowing; they are not part of a schema listing.
SYSTEM_NOTES: tuple[str, ...] = (
    "`directus_users` (GET /users/me): your API user; `algolia_token` needs the Algolia token policy.",
    "`directus_files` (GET /files/{id}): asset metadata; files are served by Cloudinary.",
)

DOCUMENTED: dict[str, tuple[Family, CollectionDoc]] = {
    doc.name: (family, doc) for family in FAMILIES for doc in family.collections
}


# Collections an additional policy grants beyond the documented ones above: the Navigator junctions (read
# through the programmes' relations) and the one field of directus_users that the Algolia token policy opens.
_ALSO_GRANTED: dict[str, str] = {
    **dict.fromkeys(
        (
            "educational_institutions_programs",
            "programs_qualifications",
            "programs_locations",
            "educational_institutions_locations",
        ),
        "Navigator",
    ),
    "directus_users.algolia_token": "Algolia token",
}
# Which additional policy (reference §2.8) usually grants a collection; any other comes with "Content read".
POLICY_FOR_COLLECTION: dict[str, str] = {
    **{doc.name: doc.policy for family in FAMILIES for doc in family.collections if doc.policy},
    **_ALSO_GRANTED,
}


def family_of(collection: str) -> Family | None:
    entry = DOCUMENTED.get(collection)
    return entry[0] if entry else None


def doc_of(collection: str) -> CollectionDoc | None:
    entry = DOCUMENTED.get(collection)
    return entry[1] if entry else None


@dataclass(frozen=True)
class Policy:
    name: str
    grants: str
    eligibility: str
    additional: bool


POLICIES: tuple[Policy, ...] = (
    Policy(
        "Read and update self",
        "your own user (`/users/me`), including the static token",
        "every API user",
        False,
    ),
    Policy(
        "Content read",
        "published items in the knowledge base, routes, filters (taxonomy) and block collections",
        "every API user",
        False,
    ),
    Policy(
        "Read published media",
        "media items (videos, testimonials, podcasts) whose publication_date has passed",
        "every API user",
        False,
    ),
    Policy("Asset read", "`directus_files` and asset metadata", "every API user", False),
    Policy(
        "Navigator",
        "programs, program_forms, educational_institutions and locations where vendor = onderwijsloket; "
        "regional_education_desks and areas (which have no vendor field; published ones) and the desks' "
        "opening hours",
        "free; describe the intended use",
        True,
    ),
    Policy(
        "HOVI",
        "programs, educational_institutions and locations where vendor = hovi (most higher-education data)",
        "signed contract with the vendor",
        True,
    ),
    Policy(
        "KiesMBO",
        "programs, educational_institutions and locations where vendor = kiesmbo (mbo data)",
        "signed contract with the vendor",
        True,
    ),
    Policy(
        "Scholen op de kaart",
        "schools, and locations where vendor = sodk",
        "signed contract with the vendor",
        True,
    ),
    Policy(
        "Read stats",
        "anonymous usage statistics (applicants, applicant_activity, scheduled_events, scheduling_links)",
        "free; describe the intended use",
        True,
    ),
    Policy(
        "Algolia token",
        "the `algolia_token` field of your own user: a search key for the Algolia indexes",
        "prepaid fee (€0.50 per 1,000 search requests)",
        True,
    ),
)

HOW_TO_REQUEST = (
    f"No token yet: request API access at {ACCESS_REQUEST_URL}. "
    f"An additional policy: e-mail {EXTRA_ACCESS_CONTACT}, naming the policy and describing the intended use. "
    "Policy changes apply to your existing token; you do not need a new one."
)


@dataclass(frozen=True)
class GlossaryEntry:
    dutch: str
    english: str
    meaning: str


GLOSSARY: tuple[GlossaryEntry, ...] = (
    GlossaryEntry("kennisbank", "knowledge base", "articles and FAQs (`articles`, `faqs`)"),
    GlossaryEntry("veelgestelde vragen", "FAQ", "short questions with answers (`faqs`)"),
    GlossaryEntry("ervaringsverhaal", "testimonial", "first-person experience story (`testimonials`)"),
    GlossaryEntry(
        "opleiding", "program(me)", "course leading to a qualification for education work (`programs`)"
    ),
    GlossaryEntry("lerarenopleiding", "teacher training", "programme that trains teachers"),
    GlossaryEntry("pabo", "primary teacher training", "hbo bachelor for primary-school (group) teachers"),
    GlossaryEntry(
        "21+-toets",
        "21+ entrance test",
        "pabo entrance test for applicants aged 21+ without the usual diploma",
    ),
    GlossaryEntry(
        "onderwijsinstelling",
        "educational institution",
        "university, hogeschool or mbo institution offering programmes; not PO/VO schools "
        "(`educational_institutions`)",
    ),
    GlossaryEntry(
        "regioloket",
        "regional education desk",
        "regional desk advising people who want to work in education; not affiliated with Onderwijsloket "
        "(`regional_education_desks`)",
    ),
    GlossaryEntry(
        "onderwijsregio", "education region", "regional partnership of school boards; most have a regioloket"
    ),
    GlossaryEntry(
        "zij-instroom", "lateral entry", "work as a teacher while obtaining the qualification (a track)"
    ),
    GlossaryEntry(
        "zij-instromer", "career switcher", "someone entering education from another career (an audience)"
    ),
    GlossaryEntry(
        "bevoegdheid / lesbevoegdheid",
        "teaching qualification",
        "what a teacher may teach (`qualifications`)",
    ),
    GlossaryEntry(
        "eerstegraads bevoegdheid",
        "first-degree qualification",
        "all of secondary (vmbo, havo, vwo), mbo, subject teacher in PO",
    ),
    GlossaryEntry(
        "tweedegraads bevoegdheid",
        "second-degree qualification",
        "all of vmbo, lower years havo/vwo, mbo, subject teacher in PO",
    ),
    GlossaryEntry(
        "PDG-traject", "PDG track", "pedagogisch-didactisch getuigschrift: teaching certificate route"
    ),
    GlossaryEntry(
        "traject / route", "track / route", "way to a qualification (`tracks`) or a full pathway (`routes`)"
    ),
    GlossaryEntry("sector", "sector", "po, vo, mbo, so, ho (`sectors`)"),
    GlossaryEntry("primair onderwijs (po)", "primary education", "basisschool, ages 4–12"),
    GlossaryEntry("voortgezet onderwijs (vo)", "secondary education", "vmbo, havo, vwo"),
    GlossaryEntry("speciaal onderwijs (so/vso)", "special education", "for pupils with special needs"),
    GlossaryEntry(
        "middelbaar beroepsonderwijs (mbo)", "vocational education", "secondary vocational education"
    ),
    GlossaryEntry(
        "hoger onderwijs (ho): hbo / wo", "higher education", "hogeschool (hbo) and university (wo)"
    ),
    GlossaryEntry("vavo", "adult general secondary education", "voortgezet algemeen volwassenenonderwijs"),
    GlossaryEntry(
        "voltijd / deeltijd / duaal", "full-time / part-time / dual", "study forms (`program_forms`)"
    ),
    GlossaryEntry("BOL / BBL", "school-based / work-based mbo", "the two mbo learning paths"),
    GlossaryEntry(
        "CROHO / CREBO",
        "programme registers",
        "higher-education and mbo programme registers (`study_number`)",
    ),
    GlossaryEntry("BRIN", "institution code", "official code of an institution (`brin_code`)"),
    GlossaryEntry("HOVI / KiesMBO", "data vendors", "sources of programme data (`vendor` hovi / kiesmbo)"),
    GlossaryEntry(
        "Scholen op de kaart", "school data", "source of PO/VO school data (`schools`, vendor sodk)"
    ),
    GlossaryEntry("adviesgesprek", "advice call", "free consultation with an adviser"),
    GlossaryEntry("leerplicht", "compulsory education", "the legal duty to attend school"),
    GlossaryEntry("oriëntatie", "orientation", "first phase of the candidate journey (`phases`)"),
)
