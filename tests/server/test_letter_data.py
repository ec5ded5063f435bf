"""The data letters and decision support are made from (``data/letters/*.yaml``,
``data/decision_support/rule_scope.yaml``): every quoted sentence occurs in its seed, every
procedure type a template serves has a remedy, every rule has a place in the mapping, and
the mapping names only procedure types and regimes of the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from keten.catalog.loader import get_procedure
from keten.rules.registry import all_rules
from keten.server.decision_support_scope import offered, scopes
from keten.server.letters import compose

SEEDS = Path(__file__).resolve().parents[2] / "data" / "seeds"


def _seed(name: str) -> str:
    return " ".join((SEEDS / name).read_text(encoding="utf-8").split())


def test_every_quote_of_a_remedy_or_form_is_in_its_seed() -> None:
    quoted = [(r.id, r.quote, r.document) for r in compose.remedies() if r.document]
    quoted += [(f.code, f.quote, f.document) for f in compose.forms().values()]
    assert len(quoted) >= 10
    for what, quote, document in quoted:
        assert quote and document
        assert " ".join(quote.split()) in _seed(document), what


def test_every_type_a_template_serves_has_a_remedy_for_every_regime() -> None:
    for template in compose.templates():
        for procedure_type in template.procedure_types:
            regimes: list[str | None] = [r.id for r in get_procedure(procedure_type).regimes]
            regimes = regimes or [None]
            for regime in regimes:
                for extended in (False, True):
                    found = compose.remedy_for(procedure_type, regime, extended)
                    assert found is not None, (template.id, procedure_type, regime, extended)
                    assert found.text["nl"] and found.text["en"] and found.citation


def test_a_remedy_not_read_in_a_seed_or_the_act_is_marked_uncertain() -> None:
    for remedy in compose.remedies():
        assert remedy.quote or remedy.uncertain, remedy.id
        # a Dutch letter says why in Dutch
        assert bool(remedy.uncertain) == bool(remedy.uncertain_nl), remedy.id


@pytest.mark.parametrize(
    ("procedure_type", "regime", "extended", "weeks", "kind"),
    [
        ("asylum_first", "vw2000", False, 1, "beroep"),
        ("asylum_first", "pact", True, 4, "beroep"),
        ("border_procedure", "pact", False, 1, "beroep"),
        ("dublin_outgoing", "pact", False, 1, "beroep"),
        ("dublin_outgoing", "dublin3", False, 1, "beroep"),
        ("regular_residence", None, False, 4, "bezwaar"),
        ("naturalisation", None, False, 6, "bezwaar"),
        ("objection", None, False, 4, "beroep"),
    ],
)
def test_the_remedy_and_term_per_procedure(
    procedure_type: str, regime: str | None, extended: bool, weeks: int, kind: str
) -> None:
    found = compose.remedy_for(procedure_type, regime, extended)
    assert found is not None and (found.weeks, found.kind) == (weeks, kind)


def test_forms_are_read_from_the_values_a_trail_holds_and_the_rules_it_ran() -> None:
    trail = {
        "rule": "vc-a1-7.3-border-routing",
        "outcome": {"form": "M18A", "detention": "M19/M19A (Vw art. 6 lid 3)"},
        "trail": [{"check": "outcome.form", "value": "M18A", "citation": "Vc 2000 A1/7.3"}],
    }
    assert [f.code for f in compose.forms_named(trail)] == ["M18A", "M19", "M19A"]
    assert [
        f.code for f in compose.forms_named({"rule": "vc-c1-2.1-aanmeldfase", "trail": []})
    ] == ["M117-C"]
    assert compose.forms_named([{"check": "credible", "value": True}]) == []
    assert compose.forms_named([]) == []


def test_every_rule_has_a_place_in_the_mapping_with_real_types_and_regimes() -> None:
    mapped = scopes()
    assert set(mapped) == set(all_rules())
    for rule_id, scope in mapped.items():
        for procedure_type, regimes in scope.serves.items():
            known = {r.id for r in get_procedure(procedure_type).regimes}
            assert set(regimes) <= known, (rule_id, procedure_type, regimes)


def test_a_rule_of_the_other_regime_is_folded_away() -> None:
    rules = [{"id": rid, "proposed": r.proposed} for rid, r in all_rules().items()]
    old = offered(rules, "asylum_first", "vw2000")
    new = offered(rules, "asylum_first", "pact")
    old_ids = {r["id"] for r in old.applicable}
    new_ids = {r["id"] for r in new.applicable}
    assert {"dublin-unaccompanied-minor", "vc-c1-2.11-hearing"} <= old_ids
    assert "pact-prioritisation" not in old_ids
    assert {"pact-prioritisation", "vc-c1-2.11-hearing"} <= new_ids
    assert "dublin-unaccompanied-minor" not in new_ids
    # nothing is lost: what is not offered first is under the other rules
    assert len(old.applicable) + len(old.other) == len(rules)
    # a proposed law's rule is never offered first, even on the type it is about
    nareis = {r["id"] for r in offered(rules, "nareis", None).applicable}
    assert not nareis & {"anmw-core-family", "anmw-nareis"}
