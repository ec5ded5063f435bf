"""Every choice of a fact carries a Dutch and an English label, so a case worker picks
"ongehuwde partner met duurzame relatie" rather than ``unmarried_partner``."""

from __future__ import annotations

from typing import Literal

import pytest

from keten.rules.facts import ChoiceLabel, RuleFacts, fact, fact_specs
from keten.rules.registry import all_rules

LABELLED = {"a": ("eerste", "first"), "b": ("tweede", "second")}


def test_the_labels_of_a_facts_choices_are_in_its_spec_in_the_order_of_the_choices() -> None:
    class Facts(RuleFacts):
        pick: Literal["b", "a"] = fact("pick", "keuze", choices=LABELLED)
        several: list[Literal["a", "b"]] = fact("several", "meerdere", default=[], choices=LABELLED)
        maybe: Literal["a", "b"] | None = fact("maybe", "misschien", None, choices=LABELLED)
        plain: int = fact("plain", "gewoon")

    specs = {spec.name: spec for spec in fact_specs(Facts)}
    assert specs["pick"].choices == ("b", "a")
    assert specs["pick"].choice_labels == (
        ChoiceLabel("b", "tweede", "second"),
        ChoiceLabel("a", "eerste", "first"),
    )
    assert [c.code for c in specs["several"].choice_labels] == ["a", "b"]
    assert [c.code for c in specs["maybe"].choice_labels] == ["a", "b"]
    assert specs["plain"].choice_labels == ()
    # the JSON Schema (``keten rules schema``) carries them for clients
    schema = Facts.model_json_schema()["properties"]["pick"]
    assert schema["choice_labels"]["a"] == {"nl": "eerste", "en": "first"}


def test_a_choice_without_a_label_is_refused_when_the_facts_are_read() -> None:
    class Facts(RuleFacts):
        pick: Literal["a", "b", "c"] = fact("pick", "keuze", choices=LABELLED)

    with pytest.raises(TypeError, match=r"Facts\.pick: no label for choices \['c'\]"):
        fact_specs(Facts)


def test_choices_without_any_labels_are_refused() -> None:
    class Facts(RuleFacts):
        several: list[Literal["a", "b"]] = fact("several", "meerdere", default=[])

    with pytest.raises(TypeError, match=r"Facts\.several: label its choices"):
        fact_specs(Facts)


def test_a_label_for_a_value_that_is_not_a_choice_is_refused() -> None:
    class Facts(RuleFacts):
        pick: Literal["a"] = fact("pick", "keuze", choices=LABELLED)

    with pytest.raises(TypeError, match=r"labels \['b'\], which are not among its choices"):
        fact_specs(Facts)


def test_labels_on_a_fact_without_choices_are_refused() -> None:
    class Facts(RuleFacts):
        text: str = fact("text", "tekst", choices=LABELLED)

    with pytest.raises(TypeError, match="labels choices but has none"):
        fact_specs(Facts)


@pytest.mark.parametrize("label", [("", "first"), ("eerste", " ")])
def test_an_empty_label_in_either_language_is_refused(label: tuple[str, str]) -> None:
    class Facts(RuleFacts):
        pick: Literal["a"] = fact("pick", "keuze", choices={"a": label})

    with pytest.raises(TypeError, match="needs a Dutch and an English label"):
        fact_specs(Facts)


def test_every_choice_of_every_rule_has_a_dutch_and_an_english_label() -> None:
    seen = 0
    for rule in all_rules().values():
        for spec in rule.fact_specs:
            if spec.choices is None:
                assert spec.choice_labels == (), (rule.id, spec.name)
                continue
            where = f"{rule.id}: {spec.name}"
            assert tuple(c.code for c in spec.choice_labels) == spec.choices, where
            for label in spec.choice_labels:
                assert label.nl.strip() and label.en.strip(), (where, label.code)
                # a label names the thing; the bare code is what the case worker cannot read
                assert label.nl != label.code, (where, label.code)
            seen += len(spec.choices)
    assert seen > 100  # the rules have well over a hundred choices; none was skipped
