"""Every code an outcome can take carries a Dutch and an English label, so a case worker reads
"komt niet in aanmerking" rather than ``not_eligible``; the outcome itself keeps the code."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pytest

from keten.rules.build import decide
from keten.rules.evaluate import evaluate
from keten.rules.expr import Fact
from keten.rules.facts import RuleFacts, fact
from keten.rules.registry import all_rules, get_rule
from keten.rules.rule import Decide, Rule, RuleVersion, Text, ValueLabels

ON = date(2025, 9, 1)


class _Facts(RuleFacts):
    holds: bool = fact("holds", "geldt")
    pick: Literal["a", "b"] = fact(
        "pick", "keuze", "a", choices={"a": ("eerste", "first"), "b": ("tweede", "second")}
    )


def _rule(values: ValueLabels | None, *, passes_fact: bool = False) -> Rule:
    otherwise = Fact("pick") if passes_fact else "refuse"
    return Rule(
        "test-rule",
        "Test 1",
        Text("toets", "test"),
        _Facts,
        (
            RuleVersion(
                None,
                Text("versie", "version"),
                (),
                (
                    decide(
                        "decision",
                        "Beslissing",
                        "Decision",
                        (Fact("holds"), "grant", "Test 1"),
                        otherwise=(otherwise, "Test 1"),
                        values=values,
                    ),
                    decide("plain", "Gewoon", "Plain", otherwise=(True, "Test 1")),
                ),
                (),
            ),
        ),
    )


LABELS: ValueLabels = {"grant": ("inwilligen", "grant"), "refuse": ("afwijzen", "refuse")}


def test_a_labelled_code_shows_its_label_in_the_trail_and_stays_a_code_in_the_outcome() -> None:
    out = evaluate(_rule(LABELS), {"holds": False}, ON).to_json()
    assert out["outcome"] == {"decision": "refuse", "plain": True}
    steps = {step["check"]: step for step in out["trail"]}
    assert steps["outcome.decision"]["value"] == "refuse"
    assert steps["outcome.decision"]["value_label"] == {"nl": "afwijzen", "en": "refuse"}
    # a yes/no output has nothing to label
    assert "value_label" not in steps["outcome.plain"]


def test_a_branch_that_passes_a_facts_choice_on_is_labelled_as_the_choice() -> None:
    out = evaluate(_rule({"grant": ("inwilligen", "grant")}, passes_fact=True), {
        "holds": False, "pick": "b"
    }, ON).to_json()  # fmt: skip
    step = next(s for s in out["trail"] if s["check"] == "outcome.decision")
    assert step["value"] == "b" and step["value_label"] == {"nl": "tweede", "en": "second"}


def test_an_output_with_string_values_and_no_labels_is_refused_naming_rule_and_value() -> None:
    with pytest.raises(ValueError, match=r"test-rule: output decision: no label for values"):
        _rule(None)


def test_a_value_without_a_label_is_refused() -> None:
    with pytest.raises(ValueError, match=r"no label for values \['refuse'\]"):
        _rule({"grant": ("inwilligen", "grant")})


def test_a_label_for_a_value_no_branch_yields_is_refused() -> None:
    with pytest.raises(ValueError, match=r"labels \['withdraw'\], which no branch yields"):
        _rule({**LABELS, "withdraw": ("intrekken", "withdraw")})


@pytest.mark.parametrize("label", [("", "refuse"), ("afwijzen", " ")])
def test_an_empty_label_in_either_language_is_refused(label: tuple[str, str]) -> None:
    with pytest.raises(ValueError, match=r"value 'refuse' needs a Dutch and an English label"):
        _rule({"grant": ("inwilligen", "grant"), "refuse": label})


def test_every_code_of_every_rules_outcomes_has_a_dutch_and_an_english_label() -> None:
    seen: set[tuple[str, str, str]] = set()
    for rule in all_rules().values():
        for version in rule.versions:
            for out in version.outputs:
                if not isinstance(out, Decide):
                    continue
                where = f"{rule.id}: {out.name}"
                assert set(out.values) == set(out.codes), where
                for code in out.codes:
                    label = out.value_label(code)
                    assert label is not None and label.nl.strip() and label.en.strip(), (
                        where,
                        code,
                    )
                    # a label says what the code means; the bare code is what nobody can read
                    assert label.nl != code, (where, code)
                    seen.add((rule.id, out.name, code))
    assert len(seen) > 100  # the rules have about a hundred coded outcomes; none was skipped


def test_labels_follow_the_source_texts_wording() -> None:
    """Vc 2000 A3/5.1 (seed 004): "Een vreemdeling komt niet in aanmerking voor het
    REAN-programma als hij de nationaliteit heeft van ..."; 1F (seed 001): "Als de IND artikel
    1F tegenwerpt, is dat het einde van de asielprocedure."; the Pact (seed 002): "De
    verplichte toepassing van de grensprocedure voor bepaalde doelgroepen ..."."""

    def label(rule_id: str, output: str, code: str) -> Text | None:
        for out in get_rule(rule_id).versions[-1].outputs:
            if isinstance(out, Decide) and out.name == output:
                return out.value_label(code)
        raise AssertionError((rule_id, output))

    rean = label("vc-a3-5.1-rean", "eligibility", "not_eligible")
    assert rean == Text("komt niet in aanmerking", "not eligible")
    assert label("1f-exclusion-before-inclusion", "asylum", "excluded_1f") == Text(
        "artikel 1F tegengeworpen", "Article 1F held against the applicant"
    )
    border = label("pact-border-procedure", "border_procedure", "mandatory")
    assert border is not None and border.nl == "verplichte toepassing van de grensprocedure"
