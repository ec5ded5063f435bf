"""The strategy model and the factsheet form as data, checked against the seed text itself:
every section of the 2025/503 model is there with its title as the seed writes it, every
quote (what the model asks, the Dutch strategy's passages, the indicators' sources) occurs in
the seed word for word and starts on the line the data names, and the factsheet holds the six
subjects of seed 001's list in order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from keten.reports import factsheet, strategy

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"
SEED_002 = (SEEDS / "002_7c211f7c90b156ae.txt").read_text(encoding="utf-8")
SEED_001 = (SEEDS / "001_7423ba70eed50d30.txt").read_text(encoding="utf-8")


def flat(text: str) -> str:
    """Whitespace and line breaks collapsed, as a quote spanning lines is written."""
    return " ".join(text.split())


FLAT_002 = flat(SEED_002)
ANNEX = SEED_002[SEED_002.index("BIJLAGE") :]
# A section header of the model: "2.1.1. Elementen ..." at the start of a line (the numbered
# lists inside the Dutch strategy are "1. kortere duur ...": one digit, no sub-number, and not
# upper case, except the model's own "1. CONTEXT" and "2. STRATEGISCHE").
HEADER = re.compile(r"^\s*(\d(?:\.\d)+|[12])\.\s+(\S.*)$", re.MULTILINE)


def model_sections() -> dict[str, str]:
    found: dict[str, str] = {}
    for m in HEADER.finditer(ANNEX):
        number, rest = m[1], m[2]
        if "." not in number and not rest[:8].isupper():
            continue  # a numbered list item of the strategy, not a section
        found.setdefault(number, rest.strip())
    return found


def test_every_section_of_the_model_is_in_the_data() -> None:
    in_seed = model_sections()
    assert list(in_seed)[:3] == ["1", "2", "2.1"]  # the header pattern reads the seed right
    assert len(in_seed) == 17  # 1, 2, 2.1-2.1.3, 2.2-2.2.2, 2.3-2.3.4, 2.4, 2.5, 2.6
    in_data = [s.number for s in strategy.load().sections]
    assert in_data == list(in_seed)


@pytest.mark.parametrize("section", strategy.load().sections, ids=lambda s: s.number)
def test_each_section_title_is_quoted_from_the_seed(section: strategy.Section) -> None:
    assert flat(section.title_nl) in FLAT_002
    if section.asks:
        assert flat(section.asks) in FLAT_002


def _between(number: str, following: str | None) -> str:
    """The seed text of a section: from its header to the next section's header."""
    text = flat(ANNEX)
    start = text.index(f"{number}. ")
    end = text.index(f"{following}. ", start + 1) if following else len(text)
    return text[start:end]


def test_each_component_asks_what_its_own_section_asks() -> None:
    sections = strategy.load().sections
    numbers = [s.number for s in sections]
    for i, s in enumerate(sections):
        following = numbers[i + 1] if i + 1 < len(numbers) else None
        own = _between(s.number, following)
        for c in s.components:
            assert flat(c.asks) in own, (c.number, c.asks[:60])


def _passages() -> list[strategy.Passage]:
    out: list[strategy.Passage] = []
    for s in strategy.load().sections:
        out.extend(s.strategy)
        for c in s.components:
            out.extend(c.strategy)
    return out


def test_every_passage_is_in_the_seed_on_its_line() -> None:
    lines = SEED_002.split("\n")
    passages = _passages()
    assert len(passages) >= 30
    for p in passages:
        assert flat(p.quote) in FLAT_002, p.quote[:60]
        # the quote starts on line p.line (1-based): its first words are on that line
        first_words = " ".join(p.quote.split()[:3])
        assert first_words in flat(lines[p.line - 1] + " " + lines[p.line]), (p.line, p.quote)


def test_the_strategy_numbers_the_issue_names_are_quoted() -> None:
    """43,000 waiting for nareis, ~EUR 37 M dwangsom in 2024, +25 % productivity by 2028,
    adequate capacity 211, the Pact's terms: each in a passage quoted from the seed."""
    text = " ".join(p.quote for p in _passages())
    for needle in ("43.000", "37 miljoen", "25%", "211", "twee weken", "5 dagen", "12 weken"):
        assert needle in text, needle


def test_every_indicator_cites_the_seed_and_sits_beside_a_component() -> None:
    model = strategy.load()
    used: set[str] = set()
    for s in model.sections:
        used.update(s.indicators)
        for c in s.components:
            used.update(c.indicators)
    assert used == set(model.indicators)
    for spec in model.indicators.values():
        assert flat(spec.quote) in FLAT_002, spec.id


def test_the_factsheet_holds_the_subjects_of_seed_001_in_order() -> None:
    """Seed 001: "Deze rapportage bevat onder andere de gegevens over de volgende onderwerpen:"
    followed by six subjects."""
    flat_001 = flat(SEED_001)
    form = factsheet.load()
    assert flat(form.quote) in flat_001
    lines = SEED_001.split("\n")
    start = next(i for i, line in enumerate(lines) if "volgende onderwerpen:" in line)
    # the six bullet lines after it (the PDF's bullet glyph, then the subject)
    listed = [line.strip().lstrip("\uf0b7").strip() for line in lines[start + 1 : start + 7]]
    assert listed[0].startswith("Asielaanvragen in Europa") and listed[-1].endswith("DT&V")
    subjects = [s.subject for s in form.figures if s.in_seed_list]
    seen = list(dict.fromkeys(subjects))  # a subject may carry two figures (occupancy, outflow)
    assert seen == listed
    for spec in form.figures:
        assert spec.computed_by in ("frames", "server") or spec.unavailable_nl, spec.id
        assert spec.in_seed_list or spec.why, spec.id


def test_no_component_is_left_blank_without_saying_so() -> None:
    """Each component carries a passage of the Dutch strategy or says why it has none."""
    for s in strategy.load().sections:
        for c in s.components:
            assert c.strategy or c.uncertain, c.number
