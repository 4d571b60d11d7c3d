"""The Algolia double, exercised through the real ``algoliasearch`` async client over HTTP."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import aiohttp
import pytest
from algoliasearch.http.exceptions import AlgoliaUnreachableHostException, RequestException
from algoliasearch.search.client import SearchClient
from algoliasearch.search.models.search_response import SearchResponse

from tests.algolia.double import AlgoliaDouble, AlgoliaError

KEY = "test-algolia-key"
T = TypeVar("T")

FAQS = [
    {
        "objectID": "f1",
        "id": "f1",
        "question": "Wat verdient een leraar in het primair onderwijs?",
        "bodyString": "Het salaris van een leraar in het basisonderwijs hangt af van de cao en je ervaring. "
        "Startende leraren verdienen minder dan ervaren collega's.",
        "topics": [{"id": "t1", "name": "Salaris", "path": "/kennisbank/salaris"}],
        "sectors": [{"id": "s1", "title": "primair onderwijs", "slug": "primair-onderwijs"}],
        "audiences": [{"id": "a1", "title": "Zij-instromers"}],
        "phases": [{"id": "p1", "title": "Oriëntatie"}],
        "views": 30,
    },
    {
        "objectID": "f2",
        "id": "f2",
        "question": "Hoe word ik leraar in het mbo?",
        "bodyString": "Via een zij-instroomtraject of een pedagogisch didactisch getuigschrift (pdg).",
        "topics": [
            {"id": "t2", "name": "Zij-instroom", "path": "/kennisbank/zij-instroom"},
            {"id": "t3", "name": "PDG-traject", "path": "/kennisbank/pdg"},
        ],
        "sectors": [{"id": "s2", "title": "mbo", "slug": "mbo"}],
        "audiences": [{"id": "a1", "title": "Zij-instromers"}],
        "phases": [],
        "views": 10,
    },
    {
        "objectID": "f3",
        "id": "f3",
        "question": "Wat is het École-programma?",
        "bodyString": "Een uitwisseling met scholen in België voor leraren in opleiding.",
        "topics": [{"id": "t4", "name": "Opleiding", "path": "/kennisbank/opleiding"}],
        "sectors": [
            {"id": "s1", "title": "primair onderwijs", "slug": "primair-onderwijs"},
            {"id": "s3", "title": "voortgezet onderwijs", "slug": "voortgezet-onderwijs"},
        ],
        "audiences": [],
        "phases": [{"id": "p1", "title": "Oriëntatie"}],
        "views": 20,
    },
]
FAQ_SETTINGS: dict[str, Any] = {
    "searchable_attributes": ["question", "bodyString", "topics.name"],
    "attributes_for_faceting": ["audiences.title", "phases.title", "sectors.title", "topics.name"],
}

UTRECHT = (52.0907, 5.1214)
AMSTERDAM = (52.3676, 4.9041)
GRONINGEN = (53.2194, 6.5665)
MAASTRICHT = (50.8514, 5.6910)

PROGRAMS = [
    {
        "objectID": "p-ams-utr",
        "id": "p-ams-utr",
        "title": "Lerarenopleiding Basisonderwijs (pabo)",
        "level": "bachelor",
        "type": "hbo",
        "price": 4,
        "has_programs": True,
        "educational_institutions": [
            {"id": "e1", "title": "Hogeschool Utrecht", "path": "/hu", "logo": None, "type": "hogeschool"}
        ],
        "qualifications": [{"id": "q1", "name": "Bevoegdheid primair onderwijs", "path": "/q1"}],
        "_geoloc": [
            {"lat": AMSTERDAM[0], "lng": AMSTERDAM[1]},
            {"lat": UTRECHT[0] + 0.01, "lng": UTRECHT[1]},
        ],
        "_tags": ["featured"],
    },
    {
        "objectID": "p-gro",
        "id": "p-gro",
        "title": "Master Leraar Geschiedenis",
        "level": "master",
        "type": "wo",
        "price": 12,
        "has_programs": False,
        "educational_institutions": [
            {
                "id": "e2",
                "title": "Rijksuniversiteit Groningen",
                "path": "/rug",
                "logo": "abc",
                "type": "universiteit",
            }
        ],
        "qualifications": [{"id": "q2", "name": "Eerstegraads bevoegdheid", "path": "/q2"}],
        "_geoloc": {"lat": GRONINGEN[0], "lng": GRONINGEN[1]},
    },
    {
        "objectID": "p-maa",
        "id": "p-maa",
        "title": "Master Leraar Wiskunde",
        "level": "master",
        "type": "wo",
        "price": 7.5,
        "has_programs": True,
        "educational_institutions": [
            {
                "id": "e3",
                "title": "Universiteit Maastricht",
                "path": "/um",
                "logo": None,
                "type": "universiteit",
            }
        ],
        "qualifications": [{"id": "q2", "name": "Eerstegraads bevoegdheid", "path": "/q2"}],
        "_geoloc": [{"lat": MAASTRICHT[0], "lng": MAASTRICHT[1]}],
    },
    {
        "objectID": "p-online",
        "id": "p-online",
        "title": "Online cursus leraar worden",
        "level": None,
        "type": "cursus",
        "price": -3,
        "has_programs": False,
        "educational_institutions": [],
        "qualifications": [],
    },
]
PROGRAM_SETTINGS: dict[str, Any] = {
    "searchable_attributes": [
        "title",
        "qualifications.name",
        "educational_institutions.title",
        "type",
        "level",
    ],
    "attributes_for_faceting": [
        "level",
        "type",
        "qualifications.name",
        "educational_institutions.title",
        "has_programs",
        "filterOnly(price)",
    ],
}


def run(coro_factory: Callable[[SearchClient], Awaitable[T]], double: AlgoliaDouble, **client_kw: Any) -> T:
    """Run ``coro_factory(client)`` with a fresh real client (its hosts state must not leak between tests)."""

    async def main() -> T:
        client = double.make_client(**client_kw)
        try:
            return await coro_factory(client)
        finally:
            await client.close()

    return asyncio.run(main())


def search(double: AlgoliaDouble, index: str, **params: Any) -> SearchResponse:
    return run(lambda c: c.search_single_index(index_name=index, search_params=params), double)


def ids(response: SearchResponse) -> list[str]:
    return [h.object_id for h in response.hits]


def raw_hits(response: SearchResponse) -> list[dict[str, Any]]:
    return [h.to_dict() for h in response.hits]


@pytest.fixture(scope="module")
def module_double() -> Iterator[AlgoliaDouble]:
    with AlgoliaDouble(api_keys={KEY}) as double:
        double.load_index("faqs", FAQS, **FAQ_SETTINGS, custom_ranking=["desc(views)"])
        double.load_index("programs", PROGRAMS, **PROGRAM_SETTINGS)
        yield double


@pytest.fixture
def algolia(module_double: AlgoliaDouble) -> AlgoliaDouble:
    module_double.reset()
    return module_double


# ---------------------------------------------------------------------------------------------- auth / errors


def test_wrong_key_is_403_and_recorded_without_the_key(algolia: AlgoliaDouble) -> None:
    with pytest.raises(RequestException) as err:
        run(lambda c: c.search_single_index(index_name="faqs", search_params={}), algolia, api_key="nope")
    assert err.value.status_code == 403
    assert "Invalid Application-ID or API key" in str(err.value)
    req = algolia.requests[-1]
    assert req.key_matched is False
    assert req.headers["x-algolia-api-key"] == "<redacted>"
    assert "nope" not in json.dumps(req.headers)


def test_wrong_application_id_is_403(algolia: AlgoliaDouble) -> None:
    with pytest.raises(RequestException) as err:
        run(lambda c: c.search_single_index(index_name="faqs", search_params={}), algolia, app_id="OTHER")
    assert err.value.status_code == 403
    assert algolia.requests[-1].key_matched and not algolia.requests[-1].app_id_matched


def test_unknown_index_is_404_single_and_multi(algolia: AlgoliaDouble) -> None:
    with pytest.raises(RequestException) as err:
        search(algolia, "nope")
    assert err.value.status_code == 404
    assert "Index does not exist" in str(err.value)
    with pytest.raises(RequestException) as err:
        run(
            lambda c: c.search(
                search_method_params={"requests": [{"indexName": "faqs"}, {"indexName": "nope"}]}
            ),
            algolia,
        )
    assert err.value.status_code == 404


def test_unknown_parameter_is_400_like_algolia(algolia: AlgoliaDouble) -> None:
    with pytest.raises(AlgoliaError) as err:
        algolia.search("faqs", {"qeury": "x"})
    assert err.value.status == 400
    assert "Unknown parameter: qeury" in err.value.message


def test_unimplemented_parameter_is_refused_not_ignored(algolia: AlgoliaDouble) -> None:
    with pytest.raises(RequestException) as err:
        search(algolia, "faqs", optionalFilters=["sectors.title:mbo"])
    assert err.value.status_code == 400
    assert "does not implement optionalFilters" in str(err.value)
    # The neutral value is fine.
    assert search(algolia, "faqs", optionalFilters=[], typoTolerance=False, analytics=False).nb_hits == 3


# ------------------------------------------------------------------------------------------------ matching


def test_empty_query_matches_everything(algolia: AlgoliaDouble) -> None:
    assert search(algolia, "faqs").nb_hits == 3
    assert search(algolia, "faqs", query="   ").nb_hits == 3


def test_last_word_is_a_prefix_the_others_whole_words(algolia: AlgoliaDouble) -> None:
    assert ids(search(algolia, "faqs", query="sala")) == ["f1"]
    assert ids(search(algolia, "faqs", query="leraar sala")) == ["f1"]
    # "sala" is not the last word, so it must be a whole word.
    assert search(algolia, "faqs", query="sala leraar").nb_hits == 0
    assert search(algolia, "faqs", query="sala leraar", queryType="prefixAll").nb_hits == 1
    assert search(algolia, "faqs", query="sala", queryType="prefixNone").nb_hits == 0


def test_all_words_must_match_possibly_in_different_attributes(algolia: AlgoliaDouble) -> None:
    # "pdg" is in the body and topics of f2, "mbo" in its question.
    assert ids(search(algolia, "faqs", query="mbo pdg")) == ["f2"]
    assert search(algolia, "faqs", query="mbo salaris").nb_hits == 0


def test_case_and_diacritics_are_ignored(algolia: AlgoliaDouble) -> None:
    assert ids(search(algolia, "faqs", query="ECOLE")) == ["f3"]
    assert ids(search(algolia, "faqs", query="belgie")) == ["f3"]
    assert ids(search(algolia, "faqs", query="België")) == ["f3"]


def test_nested_attribute_paths_across_arrays_are_searchable(algolia: AlgoliaDouble) -> None:
    assert ids(search(algolia, "faqs", query="zij-instroom")) == ["f2"]
    # qualifications.name is searchable on programs, an array of objects.
    assert ids(search(algolia, "programs", query="eerstegraads")) == ["p-gro", "p-maa"]


def test_non_searchable_attributes_do_not_match(algolia: AlgoliaDouble) -> None:
    # "primair" appears in sectors.title (a facet, not searchable) of f3, and in f1's question.
    assert ids(search(algolia, "faqs", query="primair")) == ["f1"]


def test_ignore_plurals_for_dutch_matches_singular_and_plural(algolia: AlgoliaDouble) -> None:
    # f1 says "leraar" and "leraren", f3 "leraren", f2 only "leraar".
    assert sorted(ids(search(algolia, "faqs", query="leraren", queryType="prefixNone"))) == ["f1", "f3"]
    found = search(algolia, "faqs", query="leraren", queryType="prefixNone", ignorePlurals=["nl"])
    assert sorted(ids(found)) == ["f1", "f2", "f3"]
    same = search(
        algolia, "faqs", query="leraren", queryType="prefixNone", ignorePlurals=True, queryLanguages=["nl"]
    )
    assert ids(same) == ids(found)
    assert ids(search(algolia, "faqs", query="scholen", ignorePlurals=["nl"])) == ["f3"]  # "scholen" in f3
    assert ids(search(algolia, "faqs", query="uitwisselingen", ignorePlurals=["nl"])) == ["f3"]
    assert search(algolia, "faqs", query="leraren", queryType="prefixNone", ignorePlurals=False).nb_hits == 2


@pytest.mark.parametrize(
    "params",
    [
        {"ignorePlurals": True},
        {"ignorePlurals": ["en"]},
        {"ignorePlurals": True, "queryLanguages": ["nl", "de"]},
    ],
)
def test_ignore_plurals_in_other_languages_is_refused(algolia: AlgoliaDouble, params: dict[str, Any]) -> None:
    with pytest.raises(AlgoliaError) as err:
        algolia.search("faqs", {"query": "leraar", **params})
    assert err.value.status == 400 and "ignorePlurals only for nl" in err.value.message


def test_dutch_forms_follow_the_spelling_rules() -> None:
    from tests.algolia.double import dutch_forms

    assert {"leraren", "leraars"} <= dutch_forms("leraar") and "leraar" in dutch_forms("leraren")
    assert "lessen" in dutch_forms("les") and "les" in dutch_forms("lessen")
    assert "huizen" in dutch_forms("huis") and "brieven" in dutch_forms("brief")
    assert "bevoegdheden" in dutch_forms("bevoegdheid") and "bevoegdheid" in dutch_forms("bevoegdheden")
    assert "vacature" in dutch_forms("vacatures") and "toets" in dutch_forms("toetsen")
    assert "salari" not in dutch_forms("salaris") and dutch_forms("po") == frozenset()


def test_optional_words_relax_the_query_and_rank_by_words_matched(algolia: AlgoliaDouble) -> None:
    assert search(algolia, "faqs", query="leraar salaris belgie").nb_hits == 0
    relaxed = search(algolia, "faqs", query="leraar salaris belgie", optionalWords=["leraar salaris belgie"])
    # f1 has two of the words; f2 and f3 one each, f2 in its question (the attribute criterion).
    assert ids(relaxed) == ["f1", "f2", "f3"]
    # Only the optional words may be missing: "mbo" stays required.
    assert ids(search(algolia, "faqs", query="mbo salaris", optionalWords=["salaris"])) == ["f2"]
    assert ids(search(algolia, "faqs", query="mbo salaris", optionalWords="salaris")) == ["f2"]
    # Nothing matches when no word does.
    assert search(algolia, "faqs", query="kwantum fysica", optionalWords=["kwantum", "fysica"]).nb_hits == 0
    info = search(
        algolia, "faqs", query="leraar salaris", optionalWords=["leraar", "salaris"], getRankingInfo=True
    )
    assert [h.ranking_info.words for h in info.hits] == [2, 1]  # f1 both, f2 "leraar" (f3 says "leraren")


def test_long_all_optional_queries_need_more_words_every_1000_results() -> None:
    records = [{"objectID": f"r{n:04d}", "text": "alpha"} for n in range(1200)]
    records += [{"objectID": f"s{n}", "text": "alpha beta"} for n in range(3)]
    with AlgoliaDouble(api_keys={KEY}) as double:
        double.load_index("many", records, searchable_attributes=["text"], attributes_for_faceting=[])
        words = "alpha beta gamma delta"
        result = double.search("many", {"query": words, "optionalWords": [words], "hitsPerPage": 5})
        # Results 1-1,000 need one matched word, later ones two: the three two-word records lead.
        assert result["nbHits"] == 1000
        assert [h["objectID"] for h in result["hits"][:3]] == ["s0", "s1", "s2"]
        three = double.search("many", {"query": "alpha beta gamma", "optionalWords": ["alpha beta gamma"]})
        assert three["nbHits"] == 1203  # fewer than four words: no such rule


def test_restrict_searchable_attributes(algolia: AlgoliaDouble) -> None:
    assert search(algolia, "faqs", query="salaris").nb_hits == 1
    assert search(algolia, "faqs", query="salaris", restrictSearchableAttributes=["question"]).nb_hits == 0


def test_ranking_attribute_order_then_custom_ranking_then_object_id(algolia: AlgoliaDouble) -> None:
    # "in": word 4 of the questions of f1 and f2 (a tie, so desc(views) puts f1 first), but only in the
    # body of f3, so the attribute criterion ranks f3 last despite its higher views than f2.
    assert ids(search(algolia, "faqs", query="in")) == ["f1", "f2", "f3"]
    # "het": word 2 of f3's question, word 5 of the others: the position within the attribute counts.
    assert ids(search(algolia, "faqs", query="het")) == ["f3", "f1", "f2"]
    # Empty query: custom ranking desc(views).
    assert ids(search(algolia, "faqs")) == ["f1", "f3", "f2"]
    # No custom ranking: objectID decides.
    assert ids(search(algolia, "programs", query="master")) == ["p-gro", "p-maa"]


def test_ranking_info_validates_in_the_real_client(algolia: AlgoliaDouble) -> None:
    response = search(algolia, "faqs", query="sala", getRankingInfo=True)
    assert isinstance(response, SearchResponse)
    info = response.hits[0].ranking_info
    assert info is not None
    assert info.nb_typos == 0
    assert info.nb_exact_words == 0  # "sala" only matched as a prefix
    assert info.first_matched_word == 1001  # bodyString (rank 1), word 1
    assert info.geo_distance == 0
    assert info.user_score == 1
    assert info.words == 1
    exact = search(algolia, "faqs", query="salaris", getRankingInfo=True).hits[0].ranking_info
    assert exact is not None and exact.nb_exact_words == 1


def test_multi_query_results_validate_as_full_search_responses(algolia: AlgoliaDouble) -> None:
    result = run(
        lambda c: c.search(
            search_method_params={
                "requests": [
                    {"indexName": "faqs", "query": "leraar", "getRankingInfo": True, "facets": ["*"]},
                    {"indexName": "programs", "query": "", "hitsPerPage": 2},
                ]
            }
        ),
        algolia,
    )
    first, second = (r.actual_instance for r in result.results)
    # SearchResult falls back to a partial model when validation fails; make sure it did not.
    assert isinstance(first, SearchResponse) and isinstance(second, SearchResponse)
    assert first.index == "faqs" and second.index == "programs"
    assert second.nb_hits == 4 and len(second.hits) == 2 and second.nb_pages == 2
    assert algolia.requests[-1].index_names == ["faqs", "programs"]


# ------------------------------------------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ('sectors.title:"primair onderwijs"', ["f1", "f3"]),
        ("sectors.title:mbo", ["f2"]),
        ('sectors.title:"PRIMAIR ONDERWIJS"', ["f1", "f3"]),  # facet matching ignores case
        ('topics.name:"Salaris" AND sectors.title:"primair onderwijs"', ["f1"]),
        ("sectors.title:mbo OR topics.name:Opleiding", ["f3", "f2"]),
        ('NOT sectors.title:"primair onderwijs"', ["f2"]),
        ('phases.title:"Oriëntatie" AND (sectors.title:mbo OR sectors.title:"voortgezet onderwijs")', ["f3"]),
        ('(sectors.title:mbo OR sectors.title:"voortgezet onderwijs") AND NOT topics.name:Opleiding', ["f2"]),
        ("views > 15", ["f1", "f3"]),
        ("views >= 20 AND views != 30", ["f3"]),
        ("views:10 TO 20", ["f3", "f2"]),
        ("views<=10", ["f2"]),
        ("NOT views:10 TO 20", ["f1"]),
        ("question:mbo", []),  # not declared for faceting: nothing matches
        ("bodyString:anything", []),
    ],
)
def test_filters(algolia: AlgoliaDouble, filters: str, expected: list[str]) -> None:
    assert ids(search(algolia, "faqs", filters=filters)) == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ("has_programs:true", ["p-ams-utr", "p-maa"]),
        ("has_programs:false", ["p-gro", "p-online"]),
        ('level:"master"', ["p-gro", "p-maa"]),
        ("price < 5", ["p-ams-utr", "p-online"]),
        ("price:-5 TO 7.5", ["p-ams-utr", "p-maa", "p-online"]),
        ("price:4", ["p-ams-utr"]),  # filterOnly facets filter, numbers compare as numbers
        ("_tags:featured", ["p-ams-utr"]),
        ("featured", ["p-ams-utr"]),  # a bare value is a tag filter
        ("_tags:Featured", []),  # tags are case sensitive
        (
            'educational_institutions.title:"Universiteit Maastricht" OR level:bachelor',
            ["p-ams-utr", "p-maa"],
        ),
    ],
)
def test_filters_booleans_numbers_tags(algolia: AlgoliaDouble, filters: str, expected: list[str]) -> None:
    assert ids(search(algolia, "programs", filters=filters)) == expected


@pytest.mark.parametrize(
    "filters",
    [
        "(sectors.title:mbo AND views > 1) OR views < 5",  # OR of ANDs
        "sectors.title:mbo AND views > 1 OR views < 5",  # same, without parentheses
        "NOT (sectors.title:mbo OR sectors.title:x)",  # negated group
        "(sectors.title:mbo AND views > 1)",  # parenthesised top-level AND
        "sectors.title:",  # missing value
        'sectors.title:"unterminated',
        "views > abc",
        "views:1 TO x",
        "(sectors.title:mbo",
        "sectors.title:mbo AND",
        "a:b c:d",
    ],
)
def test_invalid_filters_are_400(algolia: AlgoliaDouble, filters: str) -> None:
    with pytest.raises(RequestException) as err:
        search(algolia, "faqs", filters=filters)
    assert err.value.status_code == 400
    assert "filters" in str(err.value)


@pytest.mark.parametrize(
    ("facet_filters", "expected"),
    [
        (["sectors.title:primair onderwijs"], ["f1", "f3"]),
        (["sectors.title:primair onderwijs", "topics.name:Salaris"], ["f1"]),  # outer AND
        ([["sectors.title:mbo", "topics.name:Salaris"]], ["f1", "f2"]),  # inner OR
        ([["sectors.title:mbo", "sectors.title:voortgezet onderwijs"], "phases.title:Oriëntatie"], ["f3"]),
        (["sectors.title:-primair onderwijs"], ["f2"]),  # Algolia's negation: attr:-value
        ("sectors.title:mbo", ["f2"]),  # a single string
        ('["sectors.title:mbo"]', ["f2"]),  # a JSON string, as in a urlencoded params string
        (["question:Hoe word ik leraar in het mbo?"], []),  # undeclared facet
    ],
)
def test_facet_filters(algolia: AlgoliaDouble, facet_filters: Any, expected: list[str]) -> None:
    assert ids(search(algolia, "faqs", facetFilters=facet_filters)) == expected


def test_facet_filter_escaped_minus_and_numeric_value(algolia: AlgoliaDouble) -> None:
    assert ids(search(algolia, "programs", facetFilters=["price:\\-3"])) == ["p-online"]
    assert ids(search(algolia, "programs", facetFilters=["price:-4"])) == ["p-gro", "p-maa", "p-online"]


def test_numeric_and_tag_filters(algolia: AlgoliaDouble) -> None:
    assert ids(search(algolia, "programs", numericFilters=["price>5", "price<10"])) == ["p-maa"]
    assert ids(search(algolia, "programs", numericFilters=[["price<0", "price>10"]])) == ["p-gro", "p-online"]
    assert ids(search(algolia, "programs", tagFilters=["featured"])) == ["p-ams-utr"]
    assert "p-ams-utr" not in ids(search(algolia, "programs", tagFilters=["-featured"]))
    with pytest.raises(RequestException):
        search(algolia, "programs", numericFilters=["level:master"])


# ------------------------------------------------------------------------------------------------------ geo


def latlng(point: tuple[float, float]) -> str:
    return f"{point[0]},{point[1]}"


def test_geo_radius_matches_any_point_of_an_array_geoloc(algolia: AlgoliaDouble) -> None:
    response = search(
        algolia, "programs", aroundLatLng=latlng(UTRECHT), aroundRadius=40000, getRankingInfo=True
    )
    assert ids(response) == ["p-ams-utr"]  # its second point is ~1.1 km from Utrecht centre
    info = response.hits[0].ranking_info
    assert info is not None and info.matched_geo_location is not None
    assert 1000 < info.geo_distance < 1200  # metres, to the nearest point (not Amsterdam, ~35 km)
    assert info.geo_precision == 1
    assert info.matched_geo_location.distance == info.geo_distance
    assert info.matched_geo_location.lat == pytest.approx(UTRECHT[0] + 0.01)


def test_geo_object_geoloc_and_distance_order(algolia: AlgoliaDouble) -> None:
    response = search(
        algolia, "programs", aroundLatLng=latlng(GRONINGEN), aroundRadius=400_000, getRankingInfo=True
    )
    assert ids(response) == ["p-gro", "p-ams-utr", "p-maa"]
    distances = [h.ranking_info.geo_distance for h in response.hits if h.ranking_info]
    assert distances[0] == 0 and distances == sorted(distances)


def test_geo_without_radius_only_ranks_and_skips_records_without_geoloc(algolia: AlgoliaDouble) -> None:
    response = search(algolia, "programs", aroundLatLng=latlng(MAASTRICHT))
    assert ids(response) == ["p-maa", "p-ams-utr", "p-gro"]  # p-online has no _geoloc
    assert search(algolia, "programs", aroundLatLng=latlng(MAASTRICHT), aroundRadius="all").nb_hits == 3


def test_geo_automatic_radius_can_be_emulated(algolia: AlgoliaDouble) -> None:
    algolia.automatic_radius = 50_000
    response = search(algolia, "programs", aroundLatLng=latlng(UTRECHT))
    assert ids(response) == ["p-ams-utr"]
    assert response.automatic_radius == "50000"


def test_geo_precision_divides_geo_distance(algolia: AlgoliaDouble) -> None:
    response = search(
        algolia,
        "programs",
        aroundLatLng=latlng(GRONINGEN),
        aroundRadius="all",
        aroundPrecision=1000,
        getRankingInfo=True,
    )
    info = response.hits[1].ranking_info
    assert info is not None and info.matched_geo_location is not None
    assert info.geo_precision == 1000
    assert info.geo_distance == info.matched_geo_location.distance // 1000


def test_geo_combined_with_query_and_filters(algolia: AlgoliaDouble) -> None:
    response = search(
        algolia,
        "programs",
        query="master",
        filters='level:"master"',
        aroundLatLng=latlng(MAASTRICHT),
        aroundRadius=100_000,
    )
    assert ids(response) == ["p-maa"]


@pytest.mark.parametrize(
    "params",
    [
        {"aroundLatLng": "Utrecht"},
        {"aroundLatLng": "95,5"},
        {"aroundLatLng": "52,5", "aroundRadius": 0},
        {"aroundLatLng": "52,5", "aroundRadius": "far"},
    ],
)
def test_invalid_geo_parameters_are_400(algolia: AlgoliaDouble, params: dict[str, Any]) -> None:
    with pytest.raises(AlgoliaError) as err:
        algolia.search("programs", params)
    assert err.value.status == 400


def test_documented_utrecht_example(algolia: AlgoliaDouble) -> None:
    """The request from the API reference §3.8 (programs + locations within 40 km of Utrecht)."""
    algolia.load_index(
        "locations",
        [
            {
                "objectID": "l1",
                "id": "l1",
                "title": "HU",
                "has_programs": True,
                "programs": [{"id": "p-ams-utr"}],
                "_geoloc": {"lat": UTRECHT[0], "lng": UTRECHT[1]},
            },
            {
                "objectID": "l2",
                "id": "l2",
                "title": "Leeg",
                "has_programs": False,
                "programs": [],
                "_geoloc": {"lat": UTRECHT[0], "lng": UTRECHT[1]},
            },
        ],
        searchable_attributes=[],
        attributes_for_faceting=[
            "has_programs",
            "has_educational_institutions",
            "has_regional_education_desks",
        ],
    )
    try:
        result = run(
            lambda c: c.search(
                search_method_params={
                    "requests": [
                        {"indexName": "programs", "query": "", "hitsPerPage": 20, "page": 0,
                         "aroundLatLng": "52.0907,5.1214", "aroundRadius": 40000, "getRankingInfo": True,
                         "attributesToRetrieve": ["id", "title", "path", "educational_institutions", "qualifications", "level"],
                         "attributesToHighlight": []},
                        {"indexName": "locations", "query": "", "hitsPerPage": 500, "filters": "has_programs:true",
                         "aroundLatLng": "52.0907,5.1214", "aroundRadius": 40000, "getRankingInfo": True,
                         "attributesToRetrieve": ["id", "location_geopoint", "programs", "title", "address", "city", "zip"],
                         "attributesToHighlight": []},
                    ]
                }
            ),
            algolia,
        )  # fmt: skip
    finally:
        algolia.delete_index("locations")
    programs, locations = (r.actual_instance for r in result.results)
    assert isinstance(programs, SearchResponse) and isinstance(locations, SearchResponse)
    assert ids(programs) == ["p-ams-utr"]
    program = raw_hits(programs)[0]
    assert set(program) == {
        "objectID",
        "id",
        "title",
        "educational_institutions",
        "qualifications",
        "level",
        "_rankingInfo",
    }
    assert ids(locations) == ["l1"]
    assert raw_hits(locations)[0]["_rankingInfo"]["geoDistance"] == 0


# -------------------------------------------------------------------------------------- pages and retrieval


def test_pagination(algolia: AlgoliaDouble) -> None:
    first = search(algolia, "programs", hitsPerPage=3)
    assert (first.nb_hits, first.nb_pages, first.page, first.hits_per_page) == (4, 2, 0, 3)
    assert first.exhaustive_nb_hits is True
    second = search(algolia, "programs", hitsPerPage=3, page=1)
    assert len(second.hits) == 1 and second.page == 1
    assert set(ids(first)) | set(ids(second)) == {p["objectID"] for p in PROGRAMS}
    beyond = search(algolia, "programs", hitsPerPage=3, page=5)
    assert beyond.hits == [] and beyond.nb_hits == 4
    default = search(algolia, "programs")
    assert default.hits_per_page == 20
    assert default.processing_time_ms is not None and default.query == ""
    assert default.params is not None


def test_hits_per_page_zero_for_facet_discovery(algolia: AlgoliaDouble) -> None:
    """The docs' facet-discovery call: facets ["*"], hitsPerPage 0, maxValuesPerFacet 5000."""
    response = search(algolia, "faqs", facets=["*"], hitsPerPage=0, maxValuesPerFacet=5000)
    assert response.hits == [] and response.nb_hits == 3 and response.nb_pages == 0
    assert response.facets is not None
    assert response.facets["sectors.title"] == {"primair onderwijs": 2, "mbo": 1, "voortgezet onderwijs": 1}
    assert response.facets["audiences.title"] == {"Zij-instromers": 2}
    assert set(response.facets) == {"sectors.title", "topics.name", "audiences.title", "phases.title"}


def test_facet_counts_follow_the_filters_and_limits(algolia: AlgoliaDouble) -> None:
    response = search(algolia, "faqs", filters="sectors.title:mbo", facets=["sectors.title", "question"])
    assert response.facets == {"sectors.title": {"mbo": 1}}  # undeclared "question" gives no counts
    limited = search(algolia, "faqs", facets=["topics.name"], maxValuesPerFacet=2)
    assert limited.facets is not None and len(limited.facets["topics.name"]) == 2
    # filterOnly(price) can be filtered on but has no counts.
    programs = search(algolia, "programs", facets=["*"])
    assert programs.facets is not None and "price" not in programs.facets
    assert programs.facets["has_programs"] == {"false": 2, "true": 2}


def test_attributes_to_retrieve(algolia: AlgoliaDouble) -> None:
    hit = raw_hits(
        search(algolia, "faqs", query="salaris", attributesToRetrieve=["question"], attributesToHighlight=[])
    )[0]
    assert hit == {"objectID": "f1", "question": FAQS[0]["question"]}
    nested = raw_hits(
        search(
            algolia, "faqs", query="mbo", attributesToRetrieve=["topics.name", "id"], attributesToHighlight=[]
        )
    )[0]
    assert nested == {
        "objectID": "f2",
        "id": "f2",
        "topics": [{"name": "Zij-instroom"}, {"name": "PDG-traject"}],
    }
    star = raw_hits(
        search(
            algolia, "faqs", query="mbo", attributesToRetrieve=["*", "-bodyString"], attributesToHighlight=[]
        )
    )[0]
    assert "bodyString" not in star and star["question"] == FAQS[1]["question"]
    none = raw_hits(
        search(algolia, "faqs", query="mbo", attributesToRetrieve=["nothing"], attributesToHighlight=[])
    )[0]
    assert none == {"objectID": "f2"}


def test_highlight_result_shape(algolia: AlgoliaDouble) -> None:
    hit = raw_hits(search(algolia, "faqs", query="leraar sala"))[0]
    highlight = hit["_highlightResult"]
    assert set(highlight) == {"question", "bodyString", "topics"}  # the searchable attributes
    assert highlight["question"]["value"] == "Wat verdient een <em>leraar</em> in het primair onderwijs?"
    assert highlight["question"]["matchLevel"] == "partial"
    assert highlight["question"]["matchedWords"] == ["leraar"]
    assert highlight["bodyString"]["matchLevel"] == "full"
    assert "<em>sala</em>ris" in highlight["bodyString"]["value"]  # a prefix highlights the matched part
    assert highlight["topics"] == [
        {
            "name": {
                "value": "<em>Sala</em>ris",
                "matchLevel": "partial",
                "matchedWords": ["sala"],
                "fullyHighlighted": False,
            }
        }
    ]
    # The real client parsed the nested shapes.
    parsed = search(algolia, "faqs", query="leraar sala").hits[0].highlight_result
    assert parsed is not None and "topics" in parsed


def test_highlight_options(algolia: AlgoliaDouble) -> None:
    hit = raw_hits(search(algolia, "faqs", query="mbo", attributesToHighlight=[]))[0]
    assert "_highlightResult" not in hit
    hit = raw_hits(
        search(
            algolia,
            "faqs",
            query="mbo",
            attributesToHighlight=["question"],
            highlightPreTag="[",
            highlightPostTag="]",
        )
    )[0]
    assert hit["_highlightResult"] == {
        "question": {
            "value": "Hoe word ik leraar in het [mbo]?",
            "matchLevel": "full",
            "matchedWords": ["mbo"],
            "fullyHighlighted": False,
        }
    }
    diacritics = raw_hits(search(algolia, "faqs", query="ecole", attributesToHighlight=["question"]))[0]
    assert diacritics["_highlightResult"]["question"]["value"] == "Wat is het <em>École</em>-programma?"


def test_snippet_result_shape(algolia: AlgoliaDouble) -> None:
    hit = raw_hits(
        search(algolia, "faqs", query="cao", attributesToSnippet=["bodyString:6"], attributesToHighlight=[])
    )[0]
    snippet = hit["_snippetResult"]["bodyString"]
    assert snippet["matchLevel"] == "full"
    assert "<em>cao</em>" in snippet["value"]
    assert snippet["value"].startswith("… ") and snippet["value"].endswith(" …")
    assert len(snippet["value"].replace("<em>", "").replace("</em>", "").split()) == 6 + 2
    no_match = raw_hits(
        search(algolia, "faqs", query="mbo", attributesToSnippet=["bodyString:4"], attributesToHighlight=[])
    )[0]
    assert no_match["_snippetResult"]["bodyString"] == {
        "value": "Via een zij-instroomtraject …",  # "zij-instroomtraject" is two words
        "matchLevel": "none",
    }
    whole = raw_hits(
        search(algolia, "faqs", query="mbo", attributesToSnippet=["bodyString"], attributesToHighlight=[])
    )[0]
    assert whole["_snippetResult"]["bodyString"]["value"] == FAQS[1]["bodyString"]  # 10 words, default 10
    parsed = search(algolia, "faqs", query="cao", attributesToSnippet=["bodyString:6"]).hits[0].snippet_result
    assert parsed is not None and "bodyString" in parsed


def test_params_as_urlencoded_string_over_raw_http(algolia: AlgoliaDouble) -> None:
    """Algolia's REST form ``{"params": "query=...&..."}``, sent without the client."""
    params = "query=leraar&hitsPerPage=1&facetFilters=%5B%22sectors.title%3Ambo%22%5D&getRankingInfo=true"
    request = urllib.request.Request(
        f"{algolia.url}/1/indexes/faqs/query",
        data=json.dumps({"params": params}).encode(),
        headers={
            "X-Algolia-Application-Id": algolia.app_id,
            "X-Algolia-API-Key": KEY,
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as reply:
        body = json.load(reply)
    assert [h["objectID"] for h in body["hits"]] == ["f2"]
    assert body["hitsPerPage"] == 1 and "nbTypos" in body["hits"][0]["_rankingInfo"]
    assert algolia.requests[-1].queries[0][1]["facetFilters"] == ["sectors.title:mbo"]


def test_get_object(algolia: AlgoliaDouble) -> None:
    obj = run(
        lambda c: c.get_object(index_name="faqs", object_id="f2", attributes_to_retrieve=["question"]),
        algolia,
    )
    assert obj == {"objectID": "f2", "question": FAQS[1]["question"]}
    with pytest.raises(RequestException) as err:
        run(lambda c: c.get_object(index_name="faqs", object_id="zzz"), algolia)
    assert err.value.status_code == 404


def test_gzip_request_bodies_are_understood(algolia: AlgoliaDouble) -> None:
    async def go(client: SearchClient) -> SearchResponse:
        return await client.search_single_index(
            index_name="faqs",
            search_params={"query": "mbo", "filters": "x:" + "y" * 900 + " OR sectors.title:mbo"},
        )

    async def main() -> SearchResponse:
        cfg = algolia.search_config()
        cfg.compression_type = "gzip"
        client = SearchClient.create_with_config(config=cfg)
        try:
            return await go(client)
        finally:
            await client.close()

    assert ids(asyncio.run(main())) == ["f2"]
    assert algolia.requests[-1].headers.get("content-encoding") == "gzip"


# ----------------------------------------------------------------------------------- keys, failures, outages


def test_rotate_key(algolia: AlgoliaDouble) -> None:
    algolia.rotate_key("new-key")
    with pytest.raises(RequestException) as err:
        run(lambda c: c.search_single_index(index_name="faqs", search_params={}), algolia, api_key=KEY)
    assert err.value.status_code == 403
    assert (
        run(
            lambda c: c.search_single_index(index_name="faqs", search_params={}), algolia, api_key="new-key"
        ).nb_hits
        == 3
    )
    algolia.reset()
    assert algolia.api_keys == {KEY}


def test_fail_next_429_honours_retry_after(algolia: AlgoliaDouble) -> None:
    algolia.fail_next(429, retry_after=1)
    started = time.monotonic()
    response = search(algolia, "faqs")
    elapsed = time.monotonic() - started
    assert response.nb_hits == 3
    assert elapsed >= 0.9
    assert [r.status for r in algolia.requests] == [429, 200]


def test_429_without_retries_left_raises(algolia: AlgoliaDouble) -> None:
    algolia.fail_next(429, times=2, retry_after=1)

    async def main() -> None:
        cfg = algolia.search_config()
        cfg.max_rate_limit_retries = 0
        client = SearchClient.create_with_config(config=cfg)
        try:
            await client.search_single_index(index_name="faqs", search_params={})
        finally:
            await client.close()

    with pytest.raises(RequestException) as err:
        asyncio.run(main())
    assert err.value.status_code == 429
    # The second injected failure was still queued: this client waits it out and retries.
    assert search(algolia, "faqs").nb_hits == 3
    assert [r.status for r in algolia.requests] == [429, 429, 200]


def test_fail_next_403_and_500(algolia: AlgoliaDouble) -> None:
    algolia.fail_next(403)
    with pytest.raises(RequestException) as err:
        search(algolia, "faqs")
    assert err.value.status_code == 403
    algolia.fail_next(500)
    with pytest.raises(AlgoliaUnreachableHostException):
        search(algolia, "faqs")
    assert search(algolia, "faqs").nb_hits == 3


def test_set_down_refuses_connections_then_recovers_on_the_same_port(algolia: AlgoliaDouble) -> None:
    port = algolia.port
    algolia.set_down(True)
    assert algolia.is_down
    with pytest.raises(aiohttp.ClientConnectorError):  # the real client lets this escape unwrapped
        search(algolia, "faqs")
    algolia.set_down(False)
    assert algolia.port == port
    assert search(algolia, "faqs").nb_hits == 3


def test_set_down_503_is_an_unreachable_host(algolia: AlgoliaDouble) -> None:
    algolia.set_down(True, mode="503")
    with pytest.raises(AlgoliaUnreachableHostException):
        search(algolia, "faqs")
    assert algolia.requests[-1].status == 503
    algolia.set_down(False, mode="503")
    assert search(algolia, "faqs").nb_hits == 3


def test_requests_are_recorded_with_normalised_params(algolia: AlgoliaDouble) -> None:
    search(algolia, "faqs", query="mbo", hitsPerPage=5)
    req = algolia.requests[-1]
    assert req.method == "POST" and req.path == "/1/indexes/faqs/query"
    assert req.key_matched and req.app_id_matched and req.status == 200
    assert req.body == {"query": "mbo", "hitsPerPage": 5}
    assert req.queries == [("faqs", {"query": "mbo", "hitsPerPage": 5})]


def test_raw_http_unknown_route_is_400(algolia: AlgoliaDouble) -> None:
    request = urllib.request.Request(
        f"{algolia.url}/1/indexes/faqs/browse",
        data=b"{}",
        headers={"X-Algolia-Application-Id": algolia.app_id, "X-Algolia-API-Key": KEY},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=5)
    assert err.value.code == 400
