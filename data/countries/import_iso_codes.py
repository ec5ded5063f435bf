"""Rebuild ``iso_3166_1.csv`` from Debian's iso-codes package (run by hand, never at run time).

    python data/countries/import_iso_codes.py [/usr/share]

English names are the standard's short names (its "common name" where it gives one, so
"Syria" rather than "Syrian Arab Republic"); Dutch names are the package's Dutch translation of
the short name. Where the translation is missing the English name is kept, as the package does.
"""

from __future__ import annotations

import csv
import gettext
import json
import sys
from pathlib import Path


def main(share: Path) -> None:
    records = json.loads((share / "iso-codes/json/iso_3166-1.json").read_text("utf-8"))["3166-1"]
    dutch = gettext.translation("iso_3166-1", localedir=share / "locale", languages=["nl"])
    out = Path(__file__).with_name("iso_3166_1.csv")
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["alpha_3", "alpha_2", "numeric", "name_en", "name_nl"])
        for r in sorted(records, key=lambda r: r["alpha_3"]):
            english = r.get("common_name", r["name"])
            writer.writerow(
                [r["alpha_3"], r["alpha_2"], r["numeric"], english, dutch.gettext(r["name"])]
            )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share"))
