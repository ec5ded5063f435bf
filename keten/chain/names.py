"""Names as a search matches them: folded, split into parts, spelling variants joined, and a
consonant skeleton that survives a misspelt vowel.

A name in the chain is written by many hands: a border guard from a passport's MRZ, a
registration officer from what the person says, a court from an earlier letter. "Al-Hassan",
"Al Hassan" and "AL HASSAN" are one name; so are "Müller" and "Muller", "ʿAbd" and "Abd",
"Mohammed" and "Muhammad". This module decides what counts as the same name part; it needs no
database, so the server's search (keten/server/services/person_search.py), the duplicate
check and the bulk loaders all fold a name the same way.

- ``fold``: lower case, diacritics dropped (NFKD), letters without a decomposition written
  out (ß → ss, ø → o, ł → l, ı → i), apostrophes and ʿ ʾ dropped inside a word (ʿAbd → abd,
  O'Brien → obrien), every other non-letter a separator (Al-Hassan → al hassan).
- ``parts``: the folded words with each spelling variant replaced by its group's key
  (data/names/variants.csv: mohammed → muhammad).
- ``skeleton``: a part's first letter and its consonants, vowels (and y) dropped and doubled
  letters written once: omar, omer → omr; hussein, husayn → hsn. What a misspelt vowel or a
  doubled consonant does not change; a wrong consonant does (rahini ≠ rahimi), which only
  PostgreSQL's trigram similarity finds.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

VARIANTS_FILE = Path(__file__).resolve().parents[2] / "data" / "names" / "variants.csv"

# Letters NFKD leaves alone, written out as a Dutch register would (ICAO Doc 9303 part 3
# transliterates them the same way: ß → SS, Ø → OE is the MRZ form; a register writes o).
_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
    }
)
# Marks that are part of a word, not between words: the Arabic ʿayn and hamza as romanised,
# and apostrophes (O'Brien, Ma'mun). Dropped, so that ʿAbd = Abd and Ma'mun = Mamun.
_INWORD = frozenset("'’‘ʼʻʿʾ`´")
_VOWELS = frozenset("aeiouy")
MAX_PARTS = 12  # a name of more parts is cut: nobody searches on the thirteenth


@lru_cache(maxsize=1 << 16)  # names repeat: a page of results folds the same few
def fold(text: str) -> str:
    """Lower case, no diacritics, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.combining(ch) or ch in _INWORD:
            continue
        ch = ch.translate(_SPECIAL)
        out.append(ch if ch.isalnum() and ch.isascii() else " ")
    return " ".join("".join(out).split())


@cache
def variants() -> dict[str, str]:
    """Every spelling of data/names/variants.csv to its group's key (the first spelling)."""
    out: dict[str, str] = {}
    with VARIANTS_FILE.open(encoding="utf-8") as f:
        for row in csv.reader(line for line in f if line.strip() and not line.startswith("#")):
            spellings = [fold(s) for s in row if s.strip()]
            for s in spellings:
                out.setdefault(s, spellings[0])
    return out


def canonical(part: str) -> str:
    """A folded name part as its variant group's key (itself when in no group)."""
    return variants().get(part, part)


def parts(text: str) -> tuple[str, ...]:
    """The folded, canonical name parts of ``text`` in their order."""
    return tuple(canonical(w) for w in fold(text).split()[:MAX_PARTS])


def skeleton(part: str) -> str:
    """First letter plus consonants, doubled letters once: what a vowel slip leaves alone."""
    if not part:
        return ""
    out = [part[0]]
    for ch in part[1:]:
        if ch in _VOWELS or ch == out[-1]:
            continue
        out.append(ch)
    return "".join(out)


@dataclass(frozen=True)
class NameKeys:
    """What the database stores for a person's name (Person.search_name, search_skeleton,
    and the SearchName and SearchNameKey rows)."""

    search_name: str  # the folded parts as written, given names first: "mohammed al hassan"
    search_skeleton: str  # the parts' skeletons sorted: one key for the name in any order
    keys: tuple[str, ...]  # each part as written (folded) and canonical, each skeleton "#..."


SKELETON_MARK = "#"


def name_keys(given_names: str, surname: str) -> NameKeys:
    raw = fold(f"{given_names} {surname}").split()[:MAX_PARTS]
    all_parts = tuple(canonical(w) for w in raw)
    skeletons = sorted({skeleton(p) for p in all_parts})
    keys = tuple(sorted(set(raw) | set(all_parts))) + tuple(SKELETON_MARK + s for s in skeletons)
    return NameKeys(" ".join(raw), " ".join(skeletons), keys)


def full_skeleton(text: str) -> str:
    """The sorted skeletons of a whole name, as ``NameKeys.search_skeleton`` holds it."""
    return " ".join(sorted({skeleton(p) for p in parts(text)}))


# How a query part matched a name part, best first (the ranking of the search results).
EXACT, PREFIX, VARIANT, SIMILAR = 4, 3, 2, 1
HOW = {EXACT: "exact", PREFIX: "prefix", VARIANT: "variant", SIMILAR: "similar"}


def part_match(query_part: str, name_part: str, query_raw: str, name_raw: str) -> int:
    """How well one canonical query part matches one canonical name part (0: not at all).
    ``*_raw``: the folded spellings before variants were joined, to tell an exact match
    (mohammed = mohammed) from a variant (mohammed ~ muhammad)."""
    if query_part == name_part:
        return EXACT if query_raw == name_raw else VARIANT
    if len(query_raw) >= 2 and (name_raw.startswith(query_raw) or name_part.startswith(query_part)):
        return PREFIX
    if skeleton(query_part) == skeleton(name_part):
        return SIMILAR
    return 0


def ratio(a: str, b: str) -> float:
    """Similarity of two folded names in 0..1 (difflib), to order results within a tier."""
    return difflib.SequenceMatcher(None, a, b).ratio()


@dataclass(frozen=True)
class Match:
    score: int  # the sum over the query's parts of their best match (0: a part unmatched)
    how: tuple[tuple[str, str, str], ...]  # (query part, name part, exact/prefix/variant/similar)


def match(query: str, given_names: str, surname: str) -> Match:
    """How ``query`` matches a name: every query part must match some name part, in any
    order; the score sums each query part's best match."""
    q_raw = fold(query).split()[:MAX_PARTS]
    n_raw = fold(f"{given_names} {surname}").split()[:MAX_PARTS]
    score = 0
    how: list[tuple[str, str, str]] = []
    for qr in q_raw:
        qc = canonical(qr)
        best, best_part = 0, ""
        for nr in n_raw:
            level = part_match(qc, canonical(nr), qr, nr)
            if level > best:
                best, best_part = level, nr
        if best == 0:
            return Match(0, ())
        score += best
        how.append((qr, best_part, HOW[best]))
    return Match(score, tuple(how))
