"""The ranker (ranking/ranker.py) on its own, over a few documents written for these tests (not the seed):
folding, stems, stop words and filler, synonyms (built-in and the sectors' alt_names), compounds, typos,
English, the question's clauses, the confidence that the first result answers, and the words sent to
Algolia."""

from __future__ import annotations

from onderwijsloket_mcp.ranking import ranker as ts
from onderwijsloket_mcp.ranking.vocabulary import ENGLISH, FILLER, SYNONYM_GROUPS

DOCS = {
    "salaris": (
        "Wat is het salaris van een leraar in het primair onderwijs?",
        "Salaris",
        "De cao po regelt het.",
    ),
    "zorg": ("Wat doet een zorgcoördinator?", "", "Hij regelt de ondersteuning van leerlingen."),
    "toetsen": ("Welke toelatingstoetsen zijn er?", "Toelating", "Aardrijkskunde, geschiedenis en natuur."),
    "instroom": ("Wat is zij-instroom?", "Zij-instroom", "Je werkt als leraar en haalt je bevoegdheid."),
    "vacatures": ("Waar vind ik vacatures?", "Vacatures", "Op de websites van schoolbesturen."),
    "houden": ("Kan ik mijn baan houden tijdens de opleiding?", "", "Ja, in deeltijd."),
}
KEYS = list(DOCS)


def index(extra: tuple[tuple[str, ...], ...] = ()) -> ts.SearchIndex:
    documents = [[(3.0, q), (1.5, topics), (1.0, answer)] for q, topics, answer in DOCS.values()]
    return ts.SearchIndex(documents, ts.lexicon(extra))


def top(query: str, search: ts.SearchIndex | None = None) -> list[str]:
    return [KEYS[r.position] for r in (search or index()).rank(query)]


def concepts(query: str) -> list[str]:
    return [c.text for c in index().analyze(query)]


def test_words_are_folded_and_stemmed() -> None:
    assert ts.words("Zorgcoördinator, zij-instroom!") == ["zorgcoordinator", "zij", "instroom"]
    assert ts.stem("opleidingen") == ts.stem("opleiding")
    assert ts.stem("po") == "po" and ts.stem("21") == "21"


def test_diacritics_do_not_matter() -> None:
    assert top("zorgcoordinator")[0] == "zorg"
    assert top("zorgcoördinator")[0] == "zorg"


def test_stop_words_and_filler_are_dropped() -> None:
    assert concepts("Hallo, ik vroeg me eigenlijk af wat zij-instroom precies is?") == ["zij instroom"]
    assert concepts("wat is het?") == ["wat"]  # only stop words: the (first) longest word, not nothing
    assert "taken" in concepts("de taken van een zorgcoördinator")  # an English stop word, Dutch content


def test_synonyms_find_the_content_words() -> None:
    assert top("Hoeveel verdient een juf op de basisschool?")[0] == "salaris"
    assert top("solliciteren")[0] == "vacatures"


def test_sector_alt_names_from_the_api_are_synonyms() -> None:
    sectors = (("primair onderwijs", "po", "onderbouwschool"),)  # an alt name the built-in table lacks
    assert top("onderbouwschool", index(sectors))[0] == "salaris"
    assert "salaris" not in top("onderbouwschool")


def test_compounds_are_split_into_known_words() -> None:
    assert [c.text for c in index().analyze("lerarensalaris")] == ["leraren", "salaris"]
    assert top("lerarensalaris")[0] == "salaris"
    # Documents' compounds are split too: "toelatingstoetsen" is found by "toetsen".
    assert top("toetsen")[0] == "toetsen"
    assert ts.split_compound("toelatingstoets", {"toelating", "toets"}.__contains__, 3) == [
        "toelating",
        "toets",
    ]
    assert ts.split_compound("verdient", lambda w: w in {"ver", "dient"}, 4) is None  # parts too short


def test_typos_are_corrected_to_known_words() -> None:
    assert top("vacatrues")[0] == "vacatures"
    assert top("salrais leraar")[0] == "salaris"
    assert top("zorgcoordiantor")[0] == "zorg"


def test_verbs_find_their_infinitive() -> None:
    assert top("houdt hij zijn baan")[0] == "houden"


def test_english_questions_find_dutch_content() -> None:
    assert top("What is the salary of a primary school teacher?")[0] == "salaris"
    assert top("Where can I find vacancies?")[0] == "vacatures"


def test_the_verdict_says_whether_the_first_result_answers() -> None:
    search = index()
    assert ts.verdict_of(search.rank("salaris leraar")) == ts.Verdict("high")
    # The subject no document has: low, whatever else matches, and the answer says what is missing.
    assert ts.verdict_of(search.rank("pensioen leraar")) == ts.Verdict("low", ("pensioen",))
    assert ts.verdict_of(search.rank("Hoeveel pensioen bouw ik op als leraar?")).confidence == "low"
    assert ts.verdict_of(search.rank("kwantumfysica")) == ts.Verdict("none")
    assert search.rank("kwantumfysica") == []
    # Filler and function words are no part of the question a result must cover.
    assert (
        ts.verdict_of(search.rank("Ik wil graag even weten wat het salaris van een leraar is")).confidence
        == "high"
    )


def test_circumstances_told_before_the_question_do_not_count_against_it() -> None:
    question = "Ik werk nu in de ICT bij een bank, wat is zij-instroom?"
    assert [(c.text, c.asked) for c in index().analyze(question)] == [
        ("werk", False),
        ("ict", False),
        ("bank", False),
        ("zij instroom", True),
    ]
    assert ts.verdict_of(index().rank(question)) == ts.Verdict("high")
    # The same words asked about: the content lacks them.
    assert ts.verdict_of(index().rank("Wat is zij-instroom in de ICT bij een bank?")).confidence == "low"
    # A question that only points back ("hoe pak ik dat aan?") asks about the clause before it, from its last
    # "en" on.
    pointing = index().analyze("Ik ben vakman in de techniek en wil zij-instromen, hoe pak ik dat aan?")
    assert [c.text for c in pointing if c.asked] == ["zij instromen"]


def test_a_typo_is_at_most_two_edits() -> None:
    assert [a.words for a in index().analyze("vacatrues")[0].alternatives][1:2] == [("vacatures",)]
    # A long word sharing most letters with a known one is not its typo.
    search = ts.SearchIndex([[(3.0, "Wat zijn de onderwijssectoren?")]], ts.lexicon())
    found = {a.words for c in search.analyze("onderwijsinspectie") for a in c.alternatives}
    assert ("onderwijssectoren",) not in found
    assert ts.verdict_of(search.rank("onderwijsinspectie")).confidence != "high"


def test_singular_and_plural_meet() -> None:
    assert ts.stem("toets") == ts.stem("toetsen")
    assert ts.stem("beurs") == ts.stem("beurzen")
    assert ts.stem("kind") == ts.stem("kinderen") and ts.stem("schoolkinderen") == ts.stem("schoolkind")
    assert ts.stem("dag") == ts.stem("dagen") and ts.stem("vakantiedag") == ts.stem("vakantiedagen")
    assert ts.stem("geleden") != ts.stem("lid")  # "ge" is no word: not a compound of "leden"


def test_the_exact_question_comes_first() -> None:
    assert top("Wat is zij-instroom?")[0] == "instroom"


def test_words_for_algolia_are_the_question_then_its_alternatives() -> None:
    words = ts.algolia_words("Wat verdient een juf op de basisschool?", ts.lexicon())
    assert words[:2] == ["juf", "basisschool"]
    # "verdien" (from the infinitive) covers "verdient" as a prefix.
    assert {"verdien", "salaris", "leraar", "leerkracht"} <= set(words) and "verdient" not in words
    assert not {"wat", "een", "op", "de"} & set(words)
    assert "po" not in words  # a short alternative would match as a prefix of unrelated words
    # Sent as prefixes: a word that starts with another (of a useful length) adds nothing.
    assert not any(a != b and b.startswith(a) for a in words for b in words if len(a) >= ts.MIN_PREFIX)
    assert len(words) <= 24
    # Compounds split without the documents' words: a known part and a long rest.
    assert ts.algolia_words("vogaanvraag", ts.lexicon())[:2] == ["vog", "aanvraag"]
    # A part listed as written wins over one known by its stem only ("instrooms" + "tappenplan").
    assert ts.algolia_words("zij-instroomstappenplan", ts.lexicon()) == ["instroom", "stappenplan"]


def test_the_vocabulary_is_domain_words_in_folded_form() -> None:
    for group in SYNONYM_GROUPS:
        assert len(group) >= 2 and all(ts.words(w) for w in group), group
    assert all(ts.words(w) for w in FILLER)
    assert all(ENGLISH.values())
