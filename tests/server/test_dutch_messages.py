"""Issue 16: "every message a person can see exists in Dutch and English". Checked where the
messages are written: every refusal the server constructs carries its Dutch (``rule_nl`` or
``detail_nl``, services/errors.py), the library errors it passes on carry theirs, the
catalogue's uncertain notes have their Dutch, and pydantic's validation messages from the rules
library are given in Dutch."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from keten.catalog.derive import Event, InputError, validate_inputs
from keten.catalog.loader import load_catalog, uncertain_nl
from keten.chain.identity import IdentityError, PartialDate, check_nationality, check_v_number
from keten.server.validation_nl import dutch

SERVER = Path(__file__).parents[2] / "keten/server"
WITH_RULE = {"BadInputError", "ContradictionError"}  # (field, rule, rule_nl)
WITH_DETAIL = {
    "ServiceError",
    "NotFoundError",
    "ForbiddenError",
    "UnavailableError",
    "PreconditionRequiredError",
    "PayloadTooLargeError",
}


def _without_dutch() -> list[str]:
    found = []
    for path in sorted(SERVER.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            keywords = {k.arg for k in node.keywords}
            if name in WITH_RULE and len(node.args) < 3 and "rule_nl" not in keywords:
                found.append(f"{path.relative_to(SERVER)}:{node.lineno} {name}")
            if name in WITH_DETAIL and not keywords & {"detail_nl", "rule_nl"}:
                found.append(f"{path.relative_to(SERVER)}:{node.lineno} {name}")
    return found


def test_every_refusal_the_server_writes_has_its_dutch() -> None:
    assert _without_dutch() == []


@pytest.mark.parametrize(
    ("check", "dutch_part"),
    [
        (lambda: check_v_number("12"), "is geen V-nummer: verwacht tien cijfers"),
        (lambda: check_nationality("D"), "registreer de nationaliteit als DEU"),
        (lambda: check_nationality("QQQ"), "gebruik XXA voor staatloos"),
        (lambda: PartialDate.parse("1990-02-30"), "heeft geen dag 30"),
        (lambda: PartialDate.parse("1990-00-05"), "een dag zonder maand is geen datum"),
    ],
)
def test_identity_errors_carry_their_dutch(check: object, dutch_part: str) -> None:
    with pytest.raises(IdentityError) as raised:
        check()  # type: ignore[operator]
    assert raised.value.rule_nl is not None and dutch_part in raised.value.rule_nl


def test_catalogue_input_errors_carry_their_dutch() -> None:
    from datetime import date

    pt = load_catalog()["asylum_first"]
    with pytest.raises(InputError) as raised:
        validate_inputs(pt, [Event("nonsense", date(2026, 1, 5))], {})
    assert raised.value.rule_nl is not None
    assert "is geen gebeurtenis van procedure" in raised.value.rule_nl


def test_every_uncertain_note_of_the_catalogue_has_its_dutch() -> None:
    """The loader refuses a note without Dutch; here: each loaded source has it, and the
    table holds no note the catalogue no longer has (a stale translation)."""
    notes: dict[str, str | None] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if value.get("uncertain"):
                notes[" ".join(str(value["uncertain"]).split())] = value.get("uncertain_nl")
            for sub in value.values():
                walk(sub)
        elif isinstance(value, list | tuple):
            for sub in value:
                walk(sub)

    for pt in load_catalog().values():
        walk(pt.model_dump())
    assert notes and all(notes.values()), [n for n, nl in notes.items() if not nl]
    assert set(uncertain_nl()) == set(notes)


def test_a_trail_step_is_uncertain_in_dutch_for_a_dutch_reader() -> None:
    from keten.time.trail import TrailStep

    step = TrailStep(
        "uncertain",
        {"text": "x"},
        uncertain="recalled, not taken from a seed",
        uncertain_nl="naar herinnering opgenomen, niet uit een bron overgenomen",
    )
    assert step.text("nl").endswith(
        "[onzeker: naar herinnering opgenomen, niet uit een bron overgenomen]"
    )
    assert step.text("en").endswith("[uncertain: recalled, not taken from a seed]")


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        ("Field required", "is verplicht"),
        (
            "Input should be a valid integer, unable to parse string as an integer",
            "moet een geheel getal zijn",
        ),
        ("Input should be a valid boolean, unable to interpret input", "moet ja of nee zijn"),
        (
            "Input should be 'take_charge' or 'take_back'",
            "moet een van deze zijn: 'take_charge' of 'take_back'",
        ),
        ("Input should be greater than or equal to 0", "moet ten minste 0 zijn"),
        ("Something pydantic may say one day", "ongeldige waarde"),
    ],
)
def test_pydantic_messages_in_dutch(english: str, expected: str) -> None:
    assert dutch(english) == expected


def test_the_rules_own_validation_comes_back_in_dutch() -> None:
    """Through the one adapter the server has to keten.rules: a fact left out of a rule's
    case is refused "is verplicht", not "Field required"."""
    from keten.server import decision_support
    from keten.server.services.errors import BadInputError

    if not decision_support.availability().available:
        pytest.skip("keten.rules is not installed")
    rule = next(r for r in decision_support.rules() if r["facts"])
    with pytest.raises(BadInputError) as raised:
        decision_support.run(rule["id"], {}, __import__("datetime").date(2026, 6, 1))
    assert raised.value.field is not None and raised.value.field.startswith("facts.")
    assert "Field required" not in raised.value.detail_nl
    assert raised.value.rule_nl == "is verplicht", raised.value.rule
