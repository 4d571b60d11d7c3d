"""The labelled search evaluation set (tests/search_eval/questions.json) is well-formed: every answer is a
published seed item, every question type is there with enough questions, and no question is listed twice.
benchmarks/search_quality.py measures the search against it."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from tests.stack import seed_data as seed

QUESTIONS = Path(__file__).parent / "search_eval" / "questions.json"
TYPES = {
    "exact",
    "paraphrase",
    "synonym",
    "compound",
    "typo",
    "no_diacritics",
    "conversational",
    "short",
    "english",
    "hard_negative",
}
MIN_PER_TYPE = 8  # FAQ questions per type
MIN_FAQ_QUESTIONS = 80
MIN_ARTICLE_QUESTIONS = 20


def questions() -> list[dict[str, Any]]:
    data = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    assert set(data) == {"description", "questions"}
    return list(data["questions"])


def test_every_question_has_the_documented_shape() -> None:
    for question in questions():
        assert set(question) == {"question", "type", "collection", "answers"}, question
        assert question["type"] in TYPES, question
        assert question["collection"] in {"faqs", "articles"}, question
        assert isinstance(question["question"], str) and question["question"].strip() == question["question"]
        assert 0 < len(question["question"]) <= 200, question  # search_faq's query limit
        assert isinstance(question["answers"], list)
        assert bool(question["answers"]) == (question["type"] != "hard_negative"), question


def test_answers_are_published_seed_items() -> None:
    published_faqs = {key for key, faq_id in seed.FAQ_IDS.items() if faq_id in seed.PUBLISHED_FAQ_IDS}
    published_articles = {
        str(a["slug"])
        for a in seed.ARTICLES
        if a["status"] == "published" and a["id"] in seed.ARTICLE_IDS.values()
    }
    for question in questions():
        known = published_faqs if question["collection"] == "faqs" else published_articles
        for answer in question["answers"]:
            assert answer in known, (answer, question["question"])
        assert len(set(question["answers"])) == len(question["answers"])


def test_every_type_has_enough_questions() -> None:
    faq = Counter(q["type"] for q in questions() if q["collection"] == "faqs")
    assert set(faq) == TYPES
    assert min(faq.values()) >= MIN_PER_TYPE, faq
    assert sum(faq.values()) >= MIN_FAQ_QUESTIONS
    articles = [q for q in questions() if q["collection"] == "articles"]
    assert len(articles) >= MIN_ARTICLE_QUESTIONS
    assert {q["type"] for q in articles} == TYPES


def test_no_question_is_asked_twice_of_the_same_collection() -> None:
    asked = Counter((q["collection"], q["question"].casefold()) for q in questions())
    assert [key for key, count in asked.items() if count > 1] == []
