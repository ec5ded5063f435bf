"""Rebuild ``iso_3166_1.csv`` from Debian's iso-codes package (run by hand, never at run time).

    python data/countries/import_iso_codes.py [/usr/share]

English names are the standard's short names (its "common name" where it gives one, so
"Syria" rather than "Syrian Arab Republic"); Dutch names are the package's Dutch translation of
the short name. Where the translation is missing the English name is kept, as the package does,
unless ``dutch_names.csv`` gives a sourced Dutch name for it. ``additional_codes.csv`` adds the
nationalities ISO 3166-1 has no code for (Kosovo) under user-assigned codes. Both files carry
their sources and the reasons for each row; they are merged here rather than at load time so
that the generated table stays the only table Keten reads at run time.
"""

from __future__ import annotations

import csv
import gettext
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

HERE = Path(__file__).resolve().parent
COLUMNS = ("alpha_3", "alpha_2", "numeric", "name_en", "name_nl")
Row = tuple[str, str, str, str, str]

# ISO 3166-1 leaves these ranges to users and never assigns them to a country, so an added code
# in them cannot collide with a code a later edition of the standard introduces.
_USER_ASSIGNED_2 = re.compile(r"X[A-Z]")
_USER_ASSIGNED_3 = re.compile(r"X[A-Z]{2}")


def read_sourced(path: Path) -> list[dict[str, str]]:
    """Rows of one of the hand-kept files; each must say where it comes from and when."""
    with path.open(encoding="utf-8", newline="") as handle:
        # '#' lines give the reasons next to the rows; csv itself has no comment syntax
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    for row in rows:
        if not row.get("source", "").strip() or not row.get("taken", "").strip():
            raise ValueError(f"{path.name}: {row.get('alpha_3')} has no source or no date")
    return rows


def merge(
    records: Iterable[Mapping[str, str]],
    translate: Callable[[str], str],
    dutch_names: Iterable[Mapping[str, str]],
    additions: Iterable[Mapping[str, str]],
) -> list[Row]:
    """The table's rows, sorted by alpha-3: iso-codes' records with the sourced Dutch names and
    the added codes; refuses an override or addition that no longer fits the package."""
    table: dict[str, list[str]] = {}
    untranslated: set[str] = set()
    for r in records:
        dutch = translate(r["name"])
        if dutch == r["name"]:
            untranslated.add(r["alpha_3"])
        english = r.get("common_name", r["name"])
        table[r["alpha_3"]] = [r["alpha_3"], r["alpha_2"], r["numeric"], english, dutch]

    for override in dutch_names:
        code = override["alpha_3"]
        row = table.get(code)
        if row is None or row[3] != override["name_en"]:
            raise ValueError(f"dutch_names.csv: {code} {override['name_en']!r} is not in iso-codes")
        # A translation in a newer iso-codes is reviewed by people, not silently overruled.
        if code not in untranslated:
            raise ValueError(
                f"dutch_names.csv: iso-codes now translates {row[3]!r} as {row[4]!r}; "
                "drop or confirm the override"
            )
        row[4] = override["name_nl"]

    alpha_2_taken = {row[1] for row in table.values()}
    for added in additions:
        a3, a2 = added["alpha_3"], added["alpha_2"]
        if not (_USER_ASSIGNED_3.fullmatch(a3) and _USER_ASSIGNED_2.fullmatch(a2)):
            raise ValueError(f"additional_codes.csv: {a3}/{a2} is not a user-assigned code")
        if a3 in table or a2 in alpha_2_taken:
            raise ValueError(f"additional_codes.csv: {a3}/{a2} is already in the table")
        table[a3] = [added[column] for column in COLUMNS]
        alpha_2_taken.add(a2)

    return [(r[0], r[1], r[2], r[3], r[4]) for r in (table[code] for code in sorted(table))]


def build(share: Path, here: Path = HERE) -> list[Row]:
    records = json.loads((share / "iso-codes/json/iso_3166-1.json").read_text("utf-8"))["3166-1"]
    dutch = gettext.translation("iso_3166-1", localedir=share / "locale", languages=["nl"])
    return merge(
        records,
        dutch.gettext,
        read_sourced(here / "dutch_names.csv"),
        read_sourced(here / "additional_codes.csv"),
    )


def write(rows: Iterable[Row], out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def main(share: Path, out: Path = HERE / "iso_3166_1.csv") -> None:
    write(build(share), out)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share"))
