"""Every figure of the annual report and every target cites seed 003 with a sentence that occurs
in it word for word (whitespace and line breaks aside), and every figure names a counting rule
that exists."""

from __future__ import annotations

import re

from keten._data import data_path
from keten.reports.annual import ANNUAL, SEED
from keten.reports.counting import RULES
from keten.reports.targets import ids, target


def _normal(text: str) -> str:
    return " ".join(text.split())


# A word broken over two lines in the seed ("instand-\nhouding") is quoted whole.
SEED_TEXT = _normal(
    re.sub(r"(\w)- ?\n\s*(\w)", r"\1\2", data_path("seeds", SEED).read_text(encoding="utf-8"))
)


def test_every_figure_quotes_the_seed() -> None:
    for f in ANNUAL.figures():
        assert f.rule in RULES, f.id
        assert f.source.startswith(SEED), f.id
        quote = re.search(r"“(.*)”", f.source)
        assert quote, f.id
        assert _normal(quote.group(1)) in SEED_TEXT, (f.id, quote.group(1))
        assert f.counts_nl and f.counts_en, f.id


def test_every_target_quotes_the_seed_and_is_dated() -> None:
    assert ids() == sorted(f.target for f in ANNUAL.figures() if f.target)
    for target_id in ids():
        t = target(target_id, 2012)
        assert t is not None and not t.carried and t.document == SEED
        sentence = re.sub(r"\[tabel:[^\]]*\]", "", t.quote)
        assert _normal(sentence) in SEED_TEXT, target_id
        # the table row the target was read from, as the seed prints it
        row = re.search(r"\[tabel: ([^\]]*)\]", t.quote)
        if row:
            assert _normal(row.group(1)).split()[-2] in SEED_TEXT
        later = target(target_id, 2026)
        assert later is not None and later.carried and later.value == t.value
        assert target(target_id, 2011) is None  # no source states a target before 2012
