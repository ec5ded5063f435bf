"""The outflow block of a permit holder's dossier page: the phase, both phases' terms and the
14-week norm as the dossier read derived them, and the forms the role may use (posted to
``/uitstroom/<person>/<command>``, ``ui/outflow_views.py``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from keten.server.services import outflow, outflow_rows
from keten.server.services.actor import Actor
from keten.server.services.taakstelling import PREFIX, municipalities


def dossier_block(actor: Actor, data: dict[str, Any], on: date) -> dict[str, Any] | None:
    """The outflow block of the dossier page, from what the dossier read already holds (the
    procedure with its derived deadlines, the hand-overs): None when there is nothing to show
    or to do."""
    procs = [p for p in data.get("procedures") or [] if p["procedure_type"] == outflow_rows.TYPE]
    proc = procs[-1] if procs else None
    matches = [
        h
        for h in data.get("handover") or []
        if h["kind"] == outflow_rows.MATCH and h["withdrawn"] is None
    ]
    matched_to = matches[0]["to_org"] if matches else None
    if proc is None:
        if matched_to is None and outflow.matchable(actor, data["person"]["id"]):
            return {"phase": "matching", "actions": ["match"], "deadlines": [], "proc": None}
        return None
    phase = outflow_rows.PHASE_OF_STAGE.get(proc["stage"], "matching")
    shown = {d["id"]: d for d in proc["state"]["deadlines"]}
    lease = next(
        (e for e in proc["events"] if e["kind"] == "lease_start" and not e["withdrawn"]), None
    )
    return {
        "proc": proc,
        "phase": phase,
        "phase_name": outflow_rows.PHASES[phase][1],
        "phase_name_en": outflow_rows.PHASES[phase][2],
        "deadlines": [shown[i] for i in outflow_rows.DEADLINES if i in shown],
        "municipality": municipalities().get((matched_to or "").removeprefix(PREFIX), matched_to),
        "lease": lease,
        "actions": outflow_rows.actions(actor, phase, matched_to),
    }
