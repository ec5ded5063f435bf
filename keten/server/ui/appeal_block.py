"""What the dossier page shows of the court's procedures per procedure (the forms post to
``ui/appeal_views.py``)."""

from __future__ import annotations

from typing import Any

from keten.catalog.loader import get_procedure
from keten.chain import court
from keten.chain.kinds import DECISION_OUTCOMES
from keten.server.dossiers.models import Procedure
from keten.server.services import appeals
from keten.server.services.actor import Actor


def _named(procedure_type: str) -> dict[str, str]:
    name = get_procedure(procedure_type).name
    return {"id": procedure_type, "name": name.nl, "name_en": name.en}


def court_blocks(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    """What the dossier page shows of the court per procedure id (the dossier read that
    produced ``data`` checked the scope and logged the read), and the forms the role gets."""
    procs = data.get("procedures") or []
    lodges = [_named(t) for t in court.COURT_TYPES if t in actor.role.procedures]
    may_decide = actor.role.can("decision", "write")
    by_id = {p.pk: p for p in Procedure.objects.filter(pk__in=[x["id"] for x in procs])}
    names = {x["id"]: x for x in procs}
    blocks: dict[int, dict[str, Any]] = {}
    for x in procs:
        proc = by_id.get(x["id"])
        if proc is None:
            continue
        side = appeals.court_side(proc)
        contests = side.get("contests")
        if contests is not None:
            contests["name"] = _named(contests["procedure_type"])
        for a in side["contested_by"]:
            a["name"] = _named(a["procedure_type"])
            again = {d["after"] for d in side["decided_again"]}
            ending = a["ending"]
            a["to_decide_again"] = (
                ending is not None
                and court.follows_up(ending["kind"], ending["outcome"])
                and a["id"] not in again
            )
        is_court = proc.procedure_type in court.COURT_TYPES
        blocks[proc.pk] = {
            **side,
            "is_court": is_court,
            "contested_name": names.get(contests["procedure"]) if contests else None,
            "may_record_outcome": is_court
            and may_decide
            and proc.procedure_type in actor.role.procedures
            and side.get("ending") is None,
            "may_decide_again": may_decide
            and proc.procedure_type in actor.role.procedures
            and get_procedure(proc.procedure_type).event_spec(court.DECIDED_AGAIN) is not None
            and any(a["to_decide_again"] for a in side["contested_by"]),
            # An appeal or interim relief contests the IND's decisions, a higher appeal a
            # judgment on an appeal, nothing the other court judgments: the kinds offered
            # beside this procedure's decisions.
            "lodge_kinds": [
                k
                for k in lodges
                if k["id"] != court.DETENTION_APPEAL
                and (k["id"] == court.HIGHER_APPEAL) == (proc.procedure_type == court.APPEAL)
                and (proc.procedure_type == court.APPEAL or not is_court)
            ],
        }
    return {
        "blocks": blocks,
        "endings": [
            {"id": court.JUDGMENT, "name": "Uitspraak", "name_en": "Judgment"},
            {
                "id": court.WITHDRAWN,
                "name": "Ingetrokken door de indiener",
                "name_en": "Withdrawn by the applicant",
            },
            {
                "id": court.DECISION_WITHDRAWN,
                "name": "Besluit ingetrokken door de IND",
                "name_en": "Decision withdrawn by the IND",
            },
        ],
        "judgment_outcomes": [DECISION_OUTCOMES[o] for o in court.JUDGMENT_OUTCOMES],
        "again_outcomes": [DECISION_OUTCOMES[o] for o in court.DECISION_AGAIN_OUTCOMES],
    }
