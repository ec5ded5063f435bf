"""What the generic dossier commands leave to the appeals service (``services/appeals.py``):
a court procedure is lodged naming what it contests, ended by a judgment or a withdrawal, and
a decision again is recorded after one. Through the generic paths these would be stored without
the link or the checks, so they are refused there with the way to do it."""

from __future__ import annotations

from keten.chain.court import COURT_TYPES, DECIDED_AGAIN, ENDINGS
from keten.server.services.errors import ContradictionError


def generic_lodge(procedure_type: str) -> None:
    if procedure_type in COURT_TYPES:
        raise ContradictionError(
            "procedure_type",
            f"{procedure_type} is lodged naming the decision it contests: POST "
            "/api/v1/persons/{id}/appeals",
            f"{procedure_type} wordt ingesteld met het besluit dat het bestrijdt: POST "
            "/api/v1/persons/{id}/appeals",
        )


def generic_event(procedure_type: str, kind: str) -> None:
    if kind == DECIDED_AGAIN or (procedure_type in COURT_TYPES and kind in ENDINGS):
        raise ContradictionError(
            "kind",
            f"{kind} is recorded with the court's outcome or the decision again: "
            "/api/v1/appeals/{id}/outcome, /api/v1/procedures/{id}/decided-again",
            f"{kind} wordt vastgelegd met de uitkomst bij de rechter of het nieuwe besluit: "
            "/api/v1/appeals/{id}/outcome, /api/v1/procedures/{id}/decided-again",
        )


def generic_decide(procedure_type: str) -> None:
    if procedure_type in COURT_TYPES:
        raise ContradictionError(
            "procedure",
            f"a judgment on {procedure_type} is recorded as the court's outcome: POST "
            "/api/v1/appeals/{id}/outcome",
            f"een uitspraak op {procedure_type} wordt vastgelegd als uitkomst bij de rechter: "
            "POST /api/v1/appeals/{id}/outcome",
        )
