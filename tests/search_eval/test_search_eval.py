"""The labelled search evaluation sets are well-formed: every answer is a published seed item, every question
type is there with enough questions, and no question is listed twice. benchmarks/search_quality.py measures
the search against them: tests/search_eval/questions.json (the set the ranker is tuned on) and
tests/search_eval/heldout.json (written after the ranker was built, never tuned on, asked nowhere else)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.search_eval import HELD_OUT, QUESTIONS, TYPES
from tests.stack import seed_data as seed

MIN_PER_TYPE = 8  # FAQ questions per type
MIN_FAQ_QUESTIONS = 80
MIN_ARTICLE_QUESTIONS = 20
MIN_HARD_NEGATIVES = 25
MIN_HELD_OUT = 40


def questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"description", "questions"}
    return list(data["questions"])


@pytest.mark.parametrize("path", [QUESTIONS, HELD_OUT], ids=lambda p: p.name)
def test_every_question_has_the_documented_shape(path: Path) -> None:
    for question in questions(path):
        assert set(question) == {"question", "type", "collection", "answers"}, question
        assert question["type"] in TYPES, question
        assert question["collection"] in {"faqs", "articles"}, question
        assert isinstance(question["question"], str) and question["question"].strip() == question["question"]
        assert 0 < len(question["question"]) <= 200, question  # search_faq's query limit
        assert isinstance(question["answers"], list)
        assert bool(question["answers"]) == (question["type"] != "hard_negative"), question


@pytest.mark.parametrize("path", [QUESTIONS, HELD_OUT], ids=lambda p: p.name)
def test_answers_are_published_seed_items(path: Path) -> None:
    published_faqs = {key for key, faq_id in seed.FAQ_IDS.items() if faq_id in seed.PUBLISHED_FAQ_IDS}
    published_articles = {
        str(a["slug"])
        for a in seed.ARTICLES
        if a["status"] == "published" and a["id"] in seed.ARTICLE_IDS.values()
    }
    for question in questions(path):
        known = published_faqs if question["collection"] == "faqs" else published_articles
        for answer in question["answers"]:
            assert answer in known, (answer, question["question"])
        assert len(set(question["answers"])) == len(question["answers"])


def test_every_type_has_enough_questions() -> None:
    faq = Counter(q["type"] for q in questions() if q["collection"] == "faqs")
    assert set(faq) == set(TYPES)
    assert min(faq.values()) >= MIN_PER_TYPE, faq
    assert sum(faq.values()) >= MIN_FAQ_QUESTIONS
    articles = [q for q in questions() if q["collection"] == "articles"]
    assert len(articles) >= MIN_ARTICLE_QUESTIONS
    assert {q["type"] for q in articles} == set(TYPES)
    assert sum(q["type"] == "hard_negative" for q in questions()) >= MIN_HARD_NEGATIVES


def test_the_held_out_set_covers_every_type() -> None:
    held_out = questions(HELD_OUT)
    assert len(held_out) >= MIN_HELD_OUT
    assert {q["type"] for q in held_out if q["collection"] == "faqs"} == set(TYPES)
    assert {q["collection"] for q in held_out} == {"faqs", "articles"}


def test_no_question_is_asked_twice_of_the_same_collection() -> None:
    """Not within a set, and not across the sets: the held-out questions are asked nowhere else."""
    asked = Counter((q["collection"], q["question"].casefold()) for q in questions() + questions(HELD_OUT))
    assert [key for key, count in asked.items() if count > 1] == []
