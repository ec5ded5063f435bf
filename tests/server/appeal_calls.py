"""The court's routes (``services/appeals.py``) as the audit tests call them: every API path
and UI form about a person leaves an audit record naming that person (tests/server/
test_audit.py). Each call builds its own chain on the person: a fresh refusal by the IND, an
appeal against it by the litigation role, its judgment, the decision again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tests.server.live import Browser, Reply, Server
from tests.server.world import decide, lodge, version

LITIGATION = "ind-proces"

Call = Callable[[Server], Reply]


def _refusal(live: Server, person: int) -> int:
    return decide(live, lodge(live, person, "mvv"), "refused")


def _appeal(live: Server, person: int) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/appeals",
        LITIGATION,
        {
            "procedure_type": "appeal",
            "contests": _refusal(live, person),
            "day": date.today().isoformat(),
            "reason": "audit test",
        },
        headers={"If-Match": version(live, person)},
    )


def _judged(live: Server, person: int) -> Reply:
    appeal = _appeal(live, person).body
    return live.request(
        "POST",
        f"/api/v1/appeals/{appeal['id']}/outcome",
        LITIGATION,
        {
            "ending": "judgment",
            "outcome": "well_founded",
            "day": date.today().isoformat(),
            "reason": "audit test",
        },
        headers={"If-Match": f'"{appeal["version"]}"'},
    )


def _again(live: Server, person: int) -> Reply:
    appeal = _judged(live, person).body["procedure"]
    original = appeal["contests"]["procedure"]
    current = live.get(f"/api/v1/procedures/{original}", "ind").body
    return live.request(
        "POST",
        f"/api/v1/procedures/{original}/decided-again",
        "ind",
        {
            "outcome": "granted",
            "after": appeal["id"],
            "day": date.today().isoformat(),
            "reason": "audit test",
        },
        headers={"If-Match": f'"{current["version"]}"'},
    )


def api_calls(person: int, procedure: int) -> dict[tuple[str, str], tuple[str, Call]]:
    return {
        ("POST", "persons/<int:person_id>/appeals"): (
            LITIGATION,
            lambda live: _appeal(live, person),
        ),
        ("POST", "appeals/<int:procedure_id>/outcome"): (
            LITIGATION,
            lambda live: _judged(live, person),
        ),
        ("POST", "procedures/<int:procedure_id>/decided-again"): (
            "ind",
            lambda live: _again(live, person),
        ),
        ("GET", "procedures/<int:procedure_id>/appeals"): (
            "ind",
            lambda live: live.get(f"/api/v1/procedures/{procedure}/appeals", "ind"),
        ),
    }


def ui_calls(live: Server, person: int) -> dict[str, Callable[[], tuple[int, str]]]:
    litigation = Browser(live.base)
    litigation.login(LITIGATION)
    officer = Browser(live.base)
    officer.login("ind")

    def lodge_form() -> tuple[int, str]:
        return litigation.open(
            f"/persons/{person}/appeals",
            {
                "procedure_type": "appeal",
                "contests": str(_refusal(live, person)),
                "day": date.today().isoformat(),
                "reason": "ui",
                "version": version(live, person).strip('"'),
            },
        )

    def outcome_form() -> tuple[int, str]:
        appeal = _appeal(live, person).body
        return litigation.open(
            f"/procedures/{appeal['id']}/court-outcome",
            {
                "ending": "judgment",
                "outcome": "unfounded",
                "day": date.today().isoformat(),
                "reason": "ui",
                "version": str(appeal["version"]),
            },
        )

    def again_form() -> tuple[int, str]:
        appeal = _judged(live, person).body["procedure"]
        original = appeal["contests"]["procedure"]
        current = live.get(f"/api/v1/procedures/{original}", "ind").body
        return officer.open(
            f"/procedures/{original}/decided-again",
            {
                "after": str(appeal["id"]),
                "outcome": "granted",
                "day": date.today().isoformat(),
                "reason": "ui",
                "version": str(current["version"]),
            },
        )

    return {
        "persons/<int:person_id>/appeals": lodge_form,
        "procedures/<int:procedure_id>/court-outcome": outcome_form,
        "procedures/<int:procedure_id>/decided-again": again_form,
    }
