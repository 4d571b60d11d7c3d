"""Ranking a person's question against the knowledge base (FAQs, articles), for both search backends.

People type whole questions ("Hoeveel verdient een juf op de basisschool?"), short words, typos, words
without diacritics, compounds ("lerarensalaris") and English. The content answers in its own words
("salaris", "primair onderwijs"). How a question becomes a ranking:

1. **Words.** The question is folded (lower case, diacritics and punctuation removed) and split into words,
   clause by clause: what a clause that does not ask only tells ("Ik werk nu in de ICT, ...?") is the
   asker's circumstances (:func:`clauses`).
2. **Concepts.** Phrases and words of the domain vocabulary (vocabulary.py: synonym groups, the sectors'
   ``alt_names`` from the API, an English glossary) become one concept each, whose alternatives are the
   group's other words (weighted lower than the word typed). Dutch stop words (Snowball list, package
   ``stop-words``) and filler (words that say nothing about a subject: "graag", "via", "maken", "goede") are
   dropped, English function words too when the question is English. A word ending in a verb's -t also
   stands for its infinitive ("houdt" -> "houden"). A word the content does not know is split as a compound
   into known words ("lerarensalaris" -> "leraren" + "salaris"), else matched to the closest known word
   (``rapidfuzz``, at most two edits, for typos), else split into a known word and the rest
   ("orientatiegesprek"), else kept as a concept nothing matches.
3. **Stems.** Every word, on both sides, is reduced with the Snowball Dutch stemmer (``PyStemmer``), repaired
   where singular and plural would not meet ("toets"/"toetsen", "kind"/"kinderen"), so "opleidingen" finds
   "opleiding"; document words are also split as compounds, so "lerarenopleiding" is found by "opleiding".
4. **Score.** Okapi BM25 (``rank-bm25``) per field (question or title first, then topics, then the
   answer or summary), weighted per field; a concept scores its best alternative. Documents that cover
   more of the question's concepts (each weighing by its rarity, like Algolia's "words" criterion), and
   cover them in their question or title, rank higher; the question or title itself typed or pasted first.
5. **Confidence.** One rule says whether the first result answers the question (:func:`answer_share`,
   :func:`verdict_of`): the share of the question's concepts it covers, each weighing by how few documents
   contain it, what no document contains counting as one rare concept and the asker's circumstances only
   when covered. At ``CONFIDENT_SHARE`` or more it is presented as the answer (``high``); below, the answer
   says that none seems to answer the question and what the best match lacks (``low``); nothing matching
   at all is ``none``.

The Directus backend ranks the whole (small) FAQ or article list, read once per token and cache period;
the Algolia backend ranks the candidates Algolia returns for the expanded words (:func:`algolia_words`).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from ..text import clean_text, fold
from .vocabulary import ENGLISH, FILLER, IRREGULAR_PLURALS, QUESTION_OPENERS, SYNONYM_GROUPS

if TYPE_CHECKING:
    from rank_bm25 import BM25Okapi

# Weights of an alternative relative to the word typed.
SYNONYM_WEIGHT = 0.75
ENGLISH_WEIGHT = 0.9
FUZZY_WEIGHT = 0.85
# A term in most documents still counts a little (BM25's idf is negative there).
IDF_FLOOR = 0.05
# Share of the final score for covering the question's concepts (anywhere, and in the first field). The term
# score counts at most 1, so covering half the question more outweighs any term score.
COVERAGE_WEIGHT = 2.0
PRIMARY_COVERAGE_WEIGHT = 0.5
EXACT_WEIGHT = 1.0
# Compounds: the shortest part, in a question and in documents.
MIN_QUERY_PART = 3
MIN_DOCUMENT_PART = 4
MIN_DOCUMENT_COMPOUND = 8
# Typos: the shortest word corrected, and how similar (rapidfuzz ratio, 0-100) a correction must be.
MIN_FUZZY_LENGTH = 5
FUZZY_CUTOFF = 80.0
# ... and a word known by its stem only, which is more likely an inflection than a typo.
CLOSE_FUZZY_CUTOFF = 90.0
# ... and how many letters (inserted, left out, replaced or swapped) a typo may differ by.
MAX_TYPO_EDITS = 2
# Algolia: alternatives shorter than this are not sent (as prefixes they would match unrelated words).
MIN_PREFIX = 4
MAX_CONCEPTS = 12


# ---------------------------------------------------------------------------------------------------------
# Words and stems
# ---------------------------------------------------------------------------------------------------------


@functools.cache
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("dutch")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball Dutch stem of a folded word (numbers and two-letter words as they are), so that singular and
    plural meet: an irregular plural becomes its singular first ("kinderen" -> "kind", also ending a compound),
    and a final s after a consonant, which the stemmer drops from a singular ("toets" -> "toet") but keeps in
    its plural's stem ("toetsen" -> "toets"), is dropped from every stem."""
    if len(word) <= 2 or word.isdigit():
        return word
    for plural, singular in IRREGULAR_PLURALS.items():
        head = word[: -len(plural)]
        if word.endswith(plural) and (not head or len(head) >= MIN_QUERY_PART):
            word = head + singular
            break
    stemmed = str(_stemmer().stemWord(word))
    if len(stemmed) > 3 and stemmed[-1] == "s" and stemmed[-2] not in "aeiouyjs":
        stemmed = stemmed[:-1]
    return stemmed


def words(text: str) -> list[str]:
    """Folded words of a text: lower case, no diacritics, punctuation as spaces."""
    return fold(text).split()


@functools.cache
def _stopwords() -> tuple[frozenset[str], frozenset[str]]:
    from stop_words import get_stop_words

    dutch = frozenset(fold(w) for w in get_stop_words("dutch")) | frozenset(fold(w) for w in FILLER)
    english = frozenset(fold(w) for w in get_stop_words("english"))
    return dutch, english


def _is_stopword(word: str) -> bool:
    return word in _stopwords()[0] or len(word) < 2


def _looks_english(tokens: Sequence[str]) -> bool:
    """Whether a question is English: more of its words are English-only than Dutch-only function words."""
    dutch, english = _stopwords()
    return sum(t in english and t not in dutch for t in tokens) > sum(
        t in dutch and t not in english for t in tokens
    )


def _is_english_stopword(word: str) -> bool:
    return word in _stopwords()[1]


# ---------------------------------------------------------------------------------------------------------
# The lexicon: synonym groups (static + sectors from the API) and the English glossary
# ---------------------------------------------------------------------------------------------------------

Phrase = tuple[str, ...]  # folded words


class Lexicon:
    """Synonym groups and the English glossary, indexed by the stems of their phrases."""

    def __init__(self, extra_groups: tuple[tuple[str, ...], ...] = ()) -> None:
        self.groups: list[list[Phrase]] = []
        self._by_stems: dict[Phrase, list[int]] = {}
        for group in (*SYNONYM_GROUPS, *extra_groups):
            phrases = list(dict.fromkeys(p for p in (tuple(words(text)) for text in group) if p))
            if len(phrases) < 2:
                continue
            index = len(self.groups)
            self.groups.append(phrases)
            for phrase in phrases:
                self._by_stems.setdefault(_stems(phrase), []).append(index)
        self._english: dict[Phrase, list[Phrase]] = {}
        for english, dutch in ENGLISH.items():
            self._english[tuple(words(english))] = [tuple(words(d)) for d in dutch]
        self.max_words = max([len(p) for p in self._by_stems] + [len(p) for p in self._english] + [1])
        self.stems: frozenset[str] = frozenset(
            s for phrases in self.groups for p in phrases for s in _stems(p)
        ) | frozenset(s for targets in self._english.values() for p in targets for s in _stems(p))
        self.surface: frozenset[str] = frozenset(w for phrases in self.groups for p in phrases for w in p)
        self.words: tuple[str, ...] = tuple(sorted(w for w in self.surface if len(w) >= MIN_FUZZY_LENGTH))

    def groups_of(self, phrase: Phrase) -> list[int]:
        return self._by_stems.get(_stems(phrase), [])

    def english(self, phrase: Phrase) -> list[Phrase] | None:
        """The Dutch of an English phrase, its last word also as a singular or infinitive ("pays" -> "pay")."""
        found = self._english.get(phrase)
        last = phrase[-1]
        if found is not None or len(last) <= 3 or not last.endswith("s"):
            return found
        bases = [last[:-1]]
        if last.endswith("ies"):
            bases.insert(0, last[:-3] + "y")
        elif last.endswith("es"):
            bases.append(last[:-2])
        for base in bases:
            found = self._english.get((*phrase[:-1], base))
            if found is not None:
                return found
        return None


def _stems(phrase: Phrase) -> Phrase:
    return tuple(stem(w) for w in phrase)


@functools.lru_cache(maxsize=32)
def lexicon(extra_groups: tuple[tuple[str, ...], ...] = ()) -> Lexicon:
    """The lexicon with the given extra groups (the sectors' names and alt_names), built once per set."""
    return Lexicon(extra_groups)


# ---------------------------------------------------------------------------------------------------------
# Questions -> concepts
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    words: Phrase
    weight: float

    @property
    def stems(self) -> Phrase:
        return _stems(self.words)


@dataclass(frozen=True)
class Concept:
    """One thing the question mentions, and the words (with weights) that express it. ``asked`` is False for
    what only the asker's circumstances mention ("Ik werk in de ICT, ...?"): see :func:`clauses`."""

    text: str
    alternatives: tuple[Alternative, ...]
    asked: bool = True


class Vocabulary:
    """What the searched documents contain: their stems and words (for compounds and typos)."""

    def __init__(self, stems: Iterable[str], words: Iterable[str]) -> None:
        self.stems = frozenset(stems)
        self.surface = frozenset(words)
        self.words = tuple(
            sorted({w for w in self.surface if len(w) >= MIN_FUZZY_LENGTH and not w.isdigit()})
        )


_CLAUSE = re.compile(r"[^.!?;:,\n]+[.!?;:,]*")


def clauses(query: str) -> list[tuple[list[str], bool]]:
    """The question's clauses (split at sentence punctuation and commas) as folded words, each with whether it
    asks: it ends with a question mark, or opens with a question word or a verb (``QUESTION_OPENERS``).

    People often tell their circumstances before they ask ("Ik werk nu in de ICT, kan dat naast mijn
    baan?"): words told only in clauses that do not ask are the asker's context, not a part of the question
    a result must cover.
    """
    found: list[tuple[list[str], bool]] = []
    for match in _CLAUSE.finditer(query):
        tokens = words(match.group(0))
        if tokens:
            found.append((tokens, "?" in match.group(0) or tokens[0] in QUESTION_OPENERS))
    return found


def analyze(query: str, lex: Lexicon, vocabulary: Vocabulary | None = None) -> list[Concept]:
    """The concepts of a question, in order, without duplicates (at most ``MAX_CONCEPTS``).

    ``vocabulary`` (the documents') decides which words are known; without it only the lexicon is. When
    some clauses ask and others do not (:func:`clauses`), a concept only the others mention is not ``asked``.
    When the asking clauses mention nothing themselves ("Ik ben vakman en wil lesgeven op een roc, hoe pak
    ik dat aan?"), they ask about the clause before them, from its last "en"/"maar" on.
    """
    parts = clauses(query)
    all_tokens = [t for tokens, _ in parts for t in tokens]
    reader = _Reader(lex, vocabulary, _looks_english(all_tokens))
    concepts = _unique(_asked_pieces(parts, reader))
    if not concepts and all_tokens:
        # Only stop words ("wat is het?"): search the longest word rather than nothing.
        longest = max(all_tokens, key=len)
        concepts.append(Concept(longest, (Alternative((longest,), 1.0),)))
    return concepts[:MAX_CONCEPTS]


def _asked_pieces(parts: list[tuple[list[str], bool]], reader: _Reader) -> list[tuple[list[Concept], bool]]:
    """The concepts of each clause and whether it asks them (see :func:`analyze`)."""
    pieces: list[tuple[list[Concept], bool]] = [(reader.concepts(tokens), asks) for tokens, asks in parts]
    asking = [n for n, (_, asks) in enumerate(parts) if asks]
    if asking and len(asking) < len(parts) and not any(pieces[n][0] for n in asking):
        told = asking[0] - 1
        if told >= 0:
            tokens = parts[told][0]
            cut = max((n + 1 for n, t in enumerate(tokens) if t in _CONJUNCTIONS), default=0)
            pieces[told] = (reader.concepts(tokens[:cut]), False)
            pieces.insert(told + 1, (reader.concepts(tokens[cut:]), True))
    if not any(asks and found for found, asks in pieces):
        pieces = [(found, True) for found, _ in pieces]
    return pieces


def _unique(pieces: Sequence[tuple[list[Concept], bool]]) -> list[Concept]:
    """The concepts in order, each once: asked when any clause that mentions it asks it."""
    concepts: list[Concept] = []
    seen: dict[frozenset[Phrase], int] = {}
    for found, asked in pieces:
        for concept in found:
            key = frozenset(a.words for a in concept.alternatives)
            if key not in seen:
                seen[key] = len(concepts)
                concepts.append(replace(concept, asked=asked))
            elif asked:
                concepts[seen[key]] = replace(concepts[seen[key]], asked=True)
    return concepts


_CONJUNCTIONS = frozenset({"en", "maar", "and", "but"})


def _lexicon_concept(phrase: Phrase, lex: Lexicon) -> Concept | None:
    groups = lex.groups_of(phrase)
    alternatives: dict[Phrase, float] = {}
    if groups:
        alternatives[phrase] = 1.0
        _add_groups(alternatives, groups, lex, SYNONYM_WEIGHT)
    else:
        dutch = lex.english(phrase)
        if dutch is None:
            return None
        if len(phrase) > 1 or not _is_stopword(phrase[0]):
            alternatives[phrase] = 1.0
        for target in dutch:
            alternatives[target] = max(alternatives.get(target, 0.0), ENGLISH_WEIGHT)
            _add_groups(alternatives, lex.groups_of(target), lex, ENGLISH_WEIGHT * SYNONYM_WEIGHT)
    text = " ".join(phrase)
    return Concept(text, tuple(Alternative(p, w) for p, w in alternatives.items()))


def _add_groups(
    alternatives: dict[Phrase, float], groups: Sequence[int], lex: Lexicon, weight: float
) -> None:
    for index in groups:
        for member in lex.groups[index]:
            alternatives[member] = max(alternatives.get(member, 0.0), weight)


@dataclass(frozen=True)
class _Reader:
    """How the words of one question become concepts: the lexicon, the documents' vocabulary when there is
    one (else only the lexicon's words are known), and whether the question is English."""

    lex: Lexicon
    vocabulary: Vocabulary | None
    english: bool

    def known(self, word: str) -> bool:
        s = stem(word)
        return s in self.lex.stems or (self.vocabulary is not None and s in self.vocabulary.stems)

    def part(self, word: str) -> bool:
        """Whether ``word`` may be a part of a compound: a part shorter than a document's ("vog" in
        "vogaanvraag") must be a listed word, not any stem ("staken" is no "sta" + "ken")."""
        return self.known(word) and (len(word) >= MIN_DOCUMENT_PART or word in self.lex.surface)

    def concepts(self, tokens: Sequence[str]) -> list[Concept]:
        """The concepts of a clause's words: the lexicon's phrases (longest first), else word by word."""
        lex = self.lex
        found: list[Concept] = []
        position = 0
        while position < len(tokens):
            used = 1
            for size in range(min(lex.max_words, len(tokens) - position), 0, -1):
                phrase = tuple(tokens[position : position + size])
                if size == 1 and _is_stopword(phrase[0]):
                    break
                concept = _lexicon_concept(phrase, lex)
                if concept is not None:
                    found.append(concept)
                    used = size
                    break
            else:
                found += self.word(tokens[position])
            position += used
        return found

    def word(self, word: str) -> list[Concept]:
        """The concept of a word the lexicon has no phrase for (none for a stop word)."""
        if _is_stopword(word) or (self.english and _is_english_stopword(word)):
            return []
        verb = self._verb(word)
        if verb is not None:
            return [verb]
        if self.known(word):
            return [self._known(word)]
        return self._unknown(word)

    def _verb(self, word: str) -> Concept | None:
        """A verb with its -t ("houdt", "betaalt"): the stemmer keeps the t, the content may say "houden"."""
        if not (
            word.endswith("t") and len(word) > 4 and stem(word[:-1]) != stem(word) and self.known(word[:-1])
        ):
            return None
        verb = _lexicon_concept((word[:-1],), self.lex)
        forms: dict[Phrase, float] = {(word,): 1.0, (word[:-1],): 1.0}
        for alternative in verb.alternatives if verb else ():
            forms.setdefault(alternative.words, alternative.weight)
        return Concept(word, tuple(Alternative(p, w) for p, w in forms.items()))

    def _known(self, word: str) -> Concept:
        alternatives: dict[Phrase, float] = {(word,): 1.0}
        if self.vocabulary is not None and word not in self.vocabulary.surface:
            # Known only by its stem ("bevoegheid" stems like "bevoegd"): maybe a typo of a word the content
            # has, so a very close one counts too.
            for correction, similarity in _corrections(word, self.lex, self.vocabulary, CLOSE_FUZZY_CUTOFF):
                alternatives.setdefault((correction,), FUZZY_WEIGHT * similarity / 100)
        if len(word) >= MIN_DOCUMENT_COMPOUND:
            # A compound the content has ("lerarendiploma") is also said in its parts ("diploma als leraar").
            split = split_compound(word, self.part, MIN_DOCUMENT_PART)
            if split:
                alternatives.setdefault(tuple(split), SYNONYM_WEIGHT)
        return Concept(word, tuple(Alternative(p, w) for p, w in alternatives.items()))

    def _unknown(self, word: str) -> list[Concept]:
        """A word the content does not know: a compound of known words, else a typo, else a known word and a
        rest, else a concept nothing matches."""
        lex = self.lex
        parts = split_compound(word, self.part, MIN_QUERY_PART)
        if not parts and self.vocabulary is None:
            # Without the documents' words (Algolia, before the query): a known part and a long rest.
            parts = _split_known_part(word, self.part, lex.surface.__contains__)
        if parts:
            return _part_concepts(parts, lex)
        corrections = _corrections(word, lex, self.vocabulary, FUZZY_CUTOFF)
        if not corrections and self.vocabulary is not None:
            # Neither two known words nor a typo: a known word and one the content does not have
            # ("orientatiegesprek" -> "orientatie" + "gesprek").
            parts = _split_known_part(word, self.part, lex.surface.__contains__)
            if parts:
                return _part_concepts(parts, lex)
        alternatives: dict[Phrase, float] = {(word,): 1.0}
        for correction, similarity in corrections:
            weight = FUZZY_WEIGHT * similarity / 100
            alternatives[(correction,)] = max(alternatives.get((correction,), 0.0), weight)
            _add_groups(alternatives, lex.groups_of((correction,)), lex, weight * SYNONYM_WEIGHT)
        return [Concept(word, tuple(Alternative(p, w) for p, w in alternatives.items()))]


def _part_concepts(parts: Sequence[str], lex: Lexicon) -> list[Concept]:
    return [_lexicon_concept((p,), lex) or Concept(p, (Alternative((p,), 1.0),)) for p in parts]


def _corrections(
    word: str, lex: Lexicon, vocabulary: Vocabulary | None, cutoff: float
) -> list[tuple[str, float]]:
    """Known words a mistyped word probably means (at least ``cutoff`` similar): the closest, and any almost
    as close."""
    if len(word) < MIN_FUZZY_LENGTH or word.isdigit():
        return []
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import OSA

    # The documents' words include the lexicon's (SearchIndex builds the vocabulary with them).
    choices = lex.words if vocabulary is None else vocabulary.words
    extracted = process.extract(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
    # A slip on the first letter is rarer than elsewhere; such a correction must be very close. A typo is a
    # slip or two: a long compound is not another one that shares its first part ("onderwijsinspectie" is no
    # "onderwijssectoren").
    found = [
        (w, float(s))
        for w, s, _ in extracted
        if (w[0] == word[0] or s >= 90) and OSA.distance(word, w) <= MAX_TYPO_EDITS
    ]
    if not found:
        return []
    best = max(s for _, s in found)
    return [(w, s) for w, s in found if s >= best - 3][:3]


_LINKS = ("s", "en", "e")  # Dutch linking sounds between compound parts: toelating-s-toets, boek-en-kast


def split_compound(
    word: str, known: Callable[[str], bool], min_part: int, nested: bool = True
) -> list[str] | None:
    """``word`` as two or three known words ("lerarensalaris" -> ["leraren", "salaris"]), else None.

    The last part must be known; the first may end in a linking "s"/"en"/"e" and may itself be split once
    (unless not ``nested``: two words only). Of several splits the one with the longest last part wins (the
    head of a Dutch compound is last).
    """
    best: list[str] | None = None
    for cut in range(len(word) - min_part, min_part - 1, -1):
        head, rest = word[cut:], word[:cut]
        if _is_stopword(head) or not known(head):
            continue
        for first in (rest, *(rest[: -len(link)] for link in _LINKS if rest.endswith(link))):
            if len(first) < min_part or _is_stopword(first):
                continue
            if known(first):
                return [first, head]
            if nested and best is None and len(first) >= 2 * min_part:
                inner = split_compound(first, known, min_part, nested=False)
                if inner:
                    best = [*inner, head]
    return best


def _split_known_part(
    word: str, known: Callable[[str], bool], listed: Callable[[str], bool]
) -> list[str] | None:
    """``word`` as a known word and a rest of at least ``MIN_FUZZY_LENGTH`` letters ("vogaanvraag" ->
    ["vog", "aanvraag"]), for when the documents' words are not at hand. A part ``listed`` as it is written
    wins over one known by its stem only ("instroom|stappenplan", not "instrooms|tappenplan"), then the longer.
    """
    best: tuple[bool, int] | None = None
    split: list[str] | None = None
    for cut in range(MIN_QUERY_PART, len(word) - MIN_QUERY_PART + 1):
        first, head = word[:cut], word[cut:]
        for part, rest in ((first, head), (head, first)):
            if len(rest) < MIN_FUZZY_LENGTH or _is_stopword(part) or _is_stopword(rest) or not known(part):
                continue
            quality = (listed(part), len(part))
            if best is None or quality > best:
                best, split = quality, [first, head]
    return split


# ---------------------------------------------------------------------------------------------------------
# The index: BM25 per field
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    position: int  # index of the document in the order given to the index
    score: float
    share: float  # how much of the question the document covers (answer_share)
    missing: tuple[str, ...]  # asked concepts it lacks, as typed


class _Field:
    """One text field of every document: its BM25 index and, per stem, the documents containing it."""

    def __init__(self, weight: float, tokens: list[list[str]]) -> None:
        self.weight = weight
        self.postings: dict[str, set[int]] = {}
        for position, document in enumerate(tokens):
            for token in document:
                self.postings.setdefault(token, set()).add(position)
        self.bm25: BM25Okapi | None = None
        if self.postings:
            from rank_bm25 import BM25Okapi

            self.bm25 = BM25Okapi(tokens)
            self.bm25.idf = {t: max(v, IDF_FLOOR) for t, v in self.bm25.idf.items()}

    def containing(self, stems: Phrase) -> set[int]:
        """Documents containing every stem (a phrase's words, in any order)."""
        found: set[int] | None = None
        for s in stems:
            posting = self.postings.get(s, set())
            found = set(posting) if found is None else found & posting
            if not found:
                return set()
        return found or set()

    def scores(self, stems: Phrase, documents: list[int]) -> list[float]:
        assert self.bm25 is not None
        return [float(v) for v in self.bm25.get_batch_scores(list(stems), documents)]


class SearchIndex:
    """Documents given as weighted text fields (the same fields, in the same order, for every document;
    the first is the question or title), ready to rank questions against."""

    def __init__(self, documents: Sequence[Sequence[tuple[float, str]]], lex: Lexicon) -> None:

        self.lexicon = lex
        self.size = len(documents)
        tokenized = [[words(text) for _, text in fields] for fields in documents]
        surface = {w for doc in tokenized for f in doc for w in f}
        plain_stems = {stem(w) for w in surface} | lex.stems
        known = plain_stems.__contains__
        parts: dict[str, list[str]] = {}
        for word in surface:
            if len(word) >= MIN_DOCUMENT_COMPOUND and not word.isdigit():
                split = split_compound(word, lambda w: known(stem(w)), MIN_DOCUMENT_PART)
                if split:
                    parts[word] = [stem(p) for p in split]
        self.vocabulary = Vocabulary(
            plain_stems | {p for split in parts.values() for p in split}, surface | set(lex.words)
        )
        self._primary = [" ".join(doc[0]) if doc else "" for doc in tokenized]
        n_fields = max((len(fields) for fields in documents), default=0)
        self._fields: list[_Field] = []
        for index in range(n_fields):
            stemmed: list[list[str]] = []
            for doc in tokenized:
                tokens: list[str] = []
                for word in doc[index] if index < len(doc) else []:
                    tokens.append(stem(word))
                    tokens.extend(parts.get(word, ()))
                stemmed.append(tokens)
            weight = max((fields[index][0] for fields in documents if index < len(fields)), default=1.0)
            self._fields.append(_Field(weight, stemmed))

    def analyze(self, query: str) -> list[Concept]:
        return analyze(query, self.lexicon, self.vocabulary)

    def asked(self, query: str) -> tuple[str, ...]:
        """What ``query`` asks about, as typed (its asked concepts)."""
        return tuple(c.text for c in self.analyze(query) if c.asked)

    def _concept_scores(self, concept: Concept) -> tuple[dict[int, float], set[int]]:
        """Each document's score for a concept (its best alternative over the weighted fields), and the
        documents that have it in their first field (the question or title)."""
        best: dict[int, float] = {}
        in_primary: set[int] = set()
        for alternative in concept.alternatives:
            stems = alternative.stems
            score: dict[int, float] = {}
            for number, fld in enumerate(self._fields):
                documents = sorted(fld.containing(stems))
                if not documents:
                    continue
                if number == 0:
                    in_primary.update(documents)
                for d, value in zip(documents, fld.scores(stems, documents), strict=True):
                    score[d] = score.get(d, 0.0) + fld.weight * value
            for d, value in score.items():
                best[d] = max(best.get(d, 0.0), alternative.weight * value)
        return best, in_primary

    def rank(self, query: str) -> list[Ranked]:
        """Documents matching at least one concept of ``query``, best first (ties: first given first)."""
        concepts = self.analyze(query)
        if not concepts or not self.size:
            return []
        totals: dict[int, float] = {}
        covering: dict[int, set[int]] = {}  # the concepts each document contains
        primary: dict[int, float] = {}
        rarities: list[float] = []
        frequencies: list[int] = []  # documents containing each concept
        for number_concept, concept in enumerate(concepts):
            best, in_primary = self._concept_scores(concept)
            rarity = math.log(1 + self.size / (1 + len(best)))
            rarities.append(rarity)
            frequencies.append(len(best))
            for d, value in best.items():
                totals[d] = totals.get(d, 0.0) + value
                covering.setdefault(d, set()).add(number_concept)
            for d in in_primary:
                primary[d] = primary.get(d, 0.0) + rarity
        if not totals:
            return []
        # Concepts no document has weigh the same for every document: left out, they do not shrink the
        # difference that covering the others makes.
        found = {c for covered in covering.values() for c in covered}
        rarity_total = sum(rarities[c] for c in found)
        weights = answer_weights(frequencies)
        top = max(totals.values()) or 1.0
        phrase = " ".join(words(query))
        ranked: list[Ranked] = []
        for d, total in totals.items():
            weighted = sum(rarities[c] for c in covering[d])
            # Like Algolia's "words" criterion, covering more of the question (its rarer parts above all)
            # outweighs a higher term score.
            coverage = COVERAGE_WEIGHT * weighted + PRIMARY_COVERAGE_WEIGHT * primary.get(d, 0.0)
            relevance = total / top + coverage / rarity_total
            # The question or title itself, typed or pasted (Algolia's "exact" criterion, roughly).
            own = self._primary[d]
            if own and (own in phrase or (" " in phrase and phrase in own)):
                relevance += EXACT_WEIGHT
            share, missing = answer_share(concepts, frequencies, weights, covering[d])
            ranked.append(Ranked(d, relevance, share, missing))
        # Equal scores: the shorter question or title is the more focused one.
        ranked.sort(key=lambda r: (-r.score, len(self._primary[r.position]), r.position))
        return ranked


# ---------------------------------------------------------------------------------------------------------
# Confidence: does the first result answer the question, or does nothing here?
# ---------------------------------------------------------------------------------------------------------

Confidence = Literal["high", "low", "none"]

# The share of the question (answer_share) the first result must cover to be presented as its answer.
CONFIDENT_SHARE = 0.6
# The collection size the weights of answer_share assume: they depend on how many documents contain a concept
# only, which the Algolia candidates (every record with any of the question's words) tell as well as the
# whole list, so both backends weigh alike.
REFERENCE_SIZE = 100


def answer_weights(frequencies: Sequence[int]) -> list[float]:
    """The weight of each concept in :func:`answer_share`, from how many documents contain it: the same for
    every document, so computed once per question."""
    return [math.log(1 + REFERENCE_SIZE / (1 + f)) for f in frequencies]


def answer_share(
    concepts: Sequence[Concept], frequencies: Sequence[int], weights: Sequence[float], covered: set[int]
) -> tuple[float, tuple[str, ...]]:
    """How much of the question a document covers (0-1), and the asked concepts it lacks (as typed).

    ``frequencies``: how many documents contain each concept; ``weights``: the concepts' weights
    (:func:`answer_weights` of ``frequencies``); ``covered``: the numbers of the concepts the document contains.

    Each concept weighs by its rarity, ``log(1 + REFERENCE_SIZE / (1 + documents containing it))``, after
    stop words and filler are dropped and synonyms, stems, compounds and typos applied, so that a document
    lacking "pensioen" misses more than one lacking "leraar". What no document contains weighs as much as
    the rarest word, but all of it together as one concept: it may be the subject the content lacks or the
    asker's own circumstances, and either way the content says nothing about it. Concepts only the asker's
    circumstances mention (not ``asked``) count when the document covers them.
    """
    own = sum(weights[c] for c in covered)
    lacking = 0.0
    unknown = 0.0
    missing: list[str] = []
    for number, concept in enumerate(concepts):
        if number in covered or not concept.asked:
            continue
        missing.append(concept.text)
        if frequencies[number]:
            lacking += weights[number]
        else:
            unknown = weights[number]
    whole = own + lacking + unknown
    return (own / whole if whole else 0.0), tuple(missing)


@dataclass(frozen=True)
class Verdict:
    """Whether the first result answers the question, and what of the question it lacks (as typed)."""

    confidence: Confidence
    missing: tuple[str, ...] = ()


def verdict_of(ranked: Sequence[Ranked]) -> Verdict:
    """``high`` when the first result covers at least ``CONFIDENT_SHARE`` of the question (see
    :func:`answer_share`), ``low`` when it covers less (it and the others probably do not answer it), ``none``
    when nothing matched at all."""
    if not ranked:
        return Verdict("none")
    first = ranked[0]
    return Verdict("high") if first.share >= CONFIDENT_SHARE else Verdict("low", first.missing)


def algolia_words(query: str, lex: Lexicon, limit: int = 24) -> list[str]:
    """The words to send to Algolia (all optional): the question's own words, then their alternatives.

    Algolia has no synonyms for this index that we know of, and its stop-word removal does not apply to
    prefix words, so the words are chosen here (typos are left to Algolia's typo tolerance).
    """
    concepts = analyze(query, lex)
    chosen: list[str] = []
    for rank in (0, 1):
        for concept in concepts:
            ordered = sorted(concept.alternatives, key=lambda a: -a.weight)
            picked = ordered[:1] if rank == 0 else ordered[1:]
            for alternative in picked:
                for word in alternative.words:
                    # Short alternatives ("po") would match as prefixes of unrelated words.
                    if _is_stopword(word) or word in chosen or (rank and len(word) < MIN_PREFIX):
                        continue
                    # Words are sent as prefixes: one that starts with a chosen word adds nothing.
                    if not any(word.startswith(c) for c in chosen if len(c) >= MIN_PREFIX):
                        chosen = [c for c in chosen if len(word) < MIN_PREFIX or not c.startswith(word)]
                        chosen.append(word)
    return chosen[:limit]


def document_text(*parts: object) -> str:
    """Text fields joined for indexing (non-strings skipped), cleaned by ``text.clean_text`` (whitespace
    collapsed; control characters become spaces, as indexing would fold them anyway)."""
    return clean_text(" ".join(p for p in parts if isinstance(p, str)))
