"""Facts with declared values (``FactSpec``): the detention's group, first encounter and basis.

A condition that compares a typed fact with a value it cannot take would make its variant
silently never apply; the model refuses it. The derivation says which length and source
applied, so the detention overview can quote the reason for a limit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from keten._yaml import YamlLoader
from keten.catalog.derive import Event, derive
from keten.catalog.loader import PROCEDURES_DIR, get_procedure
from keten.catalog.model import ProcedureType


def _detention_raw() -> dict[str, Any]:
    text = (PROCEDURES_DIR / "detention.yaml").read_text(encoding="utf-8")
    raw: dict[str, Any] = yaml.load(text, Loader=YamlLoader)
    return raw


def test_a_condition_must_compare_with_a_declared_value() -> None:
    raw = _detention_raw()
    maximum = next(d for d in raw["deadlines"] if d["id"] == "maximum")
    family = next(
        v for v in maximum["variants"] if v["when"] == {"fact": "group", "equals": "family"}
    )
    family["when"] = {"fact": "group", "equals": "gezin"}
    with pytest.raises(ValidationError, match="not one of its values"):
        ProcedureType.model_validate(raw)


def test_a_choice_fact_lists_its_values() -> None:
    raw = _detention_raw()
    del raw["facts"]["group"]["values"]
    with pytest.raises(ValidationError, match="exactly when its kind is choice"):
        ProcedureType.model_validate(raw)


def test_the_result_carries_the_variant_that_applied() -> None:
    """Vc 2000 A5/2.4 (seed 004): "Bewaring wordt alleen proportioneel geacht als verwacht mag
    worden dat de uitzetting of overdracht binnen twee weken kan worden gerealiseerd." """
    pt = get_procedure("detention")
    detained = [Event("detained", date(2026, 3, 2))]
    family = derive(pt, detained, facts={"group": "family"}, on=date(2026, 3, 3))
    result = family.deadline("maximum")
    assert result.length is not None and str(result.length) == "2 weeks"
    assert result.source is not None and result.source.quote is not None
    assert "binnen twee weken kan worden gerealiseerd" in result.source.quote
    assert result.date == date(2026, 3, 16)
    adult = derive(pt, detained, facts={"group": "adult"}, on=date(2026, 3, 3))
    base = adult.deadline("maximum")
    assert base.source == pt.deadline("maximum").source and str(base.length) == "6 months"
