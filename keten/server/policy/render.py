"""Rendering ``policy.yaml`` into ``docs/policy.md`` (a test keeps the two in step)."""

from __future__ import annotations

from pathlib import Path

from keten.server.services.policy import policy

POLICY_DOC = Path(__file__).resolve().parents[3] / "docs" / "policy.md"


def render() -> str:
    p = policy()
    resources = list(p.resources)
    lines = [
        "# Need-to-know policy",
        "",
        "Generated from `keten/server/policy/policy.yaml` by `keten server policy-doc`;",
        "do not edit by hand. Enforced by the service layer (`keten/server/services/`) for",
        "every API view and UI page. `r` = read, `w` = write, `-` = denied. A person outside a",
        "role's scope answers as not found. `w` on `measure` and `placement` covers adding one",
        "and ending it (`POST /api/v1/persons/{id}/measures/{id}/end`, `.../placements/{id}/end`);",
        "a municipality ends only placements in its own housing.",
        "",
        "## Scopes",
        "",
        "- `all`: every person in the chain.",
        "- `granted`: only persons the organisation holds an access grant for, written in the",
        "  same transaction as a hand-over to it, its registration of the person, or a measure",
        "  or placement that gives it access (below).",
        "- `none`: no dossiers; the privacy officer reads the audit log.",
        "",
        "## Access from measures and placements",
        "",
        "Adding a running measure or placement of these kinds grants the organisation access to",
        "the person. Ending one withdraws the grant, in the same transaction and recorded as the",
        "dossier event `access_withdrawn` (who, when, why), when the organisation has no basis",
        "left: no other running measure or placement that grants it access, no hand-over to it,",
        "not registered by it. A registration is a permanent basis, a hand-over one until it is",
        "withdrawn as mistaken; withdrawing a measure or placement counts as ending it. After the",
        "withdrawal the person is not found for the organisation and leaves its work queue. A",
        "record entered with an end day already past grants nothing. A planned end day that",
        "has passed withdraws the grant at the next run of `keten server expire-grants` (run it",
        "daily): it withdraws every grant whose organisation has no basis left on the day, one",
        "person per transaction, recorded as `access_withdrawn` by `keten-expiry` naming the",
        "record whose end passed. Grants from a standing hand-over or a registration are never",
        "withdrawn by the sweep.",
        "",
        "| resource | kind | organisation | grant reason |",
        "|---|---|---|---|",
    ]
    for g in p.grants.values():
        lines.append(f"| {g.resource} | {g.kind} | {g.organisation} | {g.reason} |")
    lines += [
        "",
        "## Placements each organisation records",
        "",
        "A person stays in one place at a time: a placement that runs while another runs is",
        "refused, unless it is a move, which ends the other on the new one's start day in the",
        "same command.",
        "",
        "| organisation kind | placement kinds |",
        "|---|---|",
    ]
    for org_kind, kinds in sorted(p.placement_kinds.items()):
        lines.append(f"| {org_kind} | {', '.join(sorted(kinds))} |")
    lines += [
        "",
        "## Hand-overs: who sends what to whom, in what state of the case",
        "",
        "A hand-over the table does not allow is refused and nothing is stored: a sender not",
        "listed gets 403, a receiver of another kind 400, a case not in the required state 422.",
        "The states are read from the dossier (`keten/server/services/case_checks.py`):",
        "`refused` a negative decision on an application and no right to stay granted;",
        "`without_permit` no right to stay granted and no valid residence permit;",
        "`asylum_permit` an asylum residence permit granted; `unaccompanied_minor` registered",
        "as an unaccompanied minor.",
        "",
        "| hand-over | from | to | requires |",
        "|---|---|---|---|",
    ]
    for kind, rule in p.handovers.items():
        lines.append(
            f"| {kind} | {', '.join(sorted(rule.senders))} | {', '.join(sorted(rule.receivers))}"
            f" | {', '.join(rule.requires) or '-'} |"
        )
    lines += [
        "",
        "## Roles and resources",
        "",
        "| role | organisation | scope | " + " | ".join(resources) + " |",
        "|---|---|---|" + "---|" * len(resources),
    ]
    for r in p.roles.values():
        cells = []
        for res in resources:
            acts = r.allow.get(res, frozenset())
            cells.append("".join(a[0] for a in ("read", "write") if a in acts) or "-")
        lines.append(
            f"| {r.id} ({r.name_en}) | {r.organisation_kind} | {r.scope} | "
            + " | ".join(cells)
            + " |"
        )
    lines += ["", "## Resources", "", "| resource | Nederlands | English |", "|---|---|---|"]
    for res, names in p.resources.items():
        lines.append(f"| {res} | {names['nl']} | {names['en']} |")
    lines += [
        "",
        "## Procedure types each role may lodge, record events on and decide",
        "",
        "| role | procedure types |",
        "|---|---|",
    ]
    for r in p.roles.values():
        lines.append(f"| {r.id} | {', '.join(sorted(r.procedures)) or '-'} |")
    lines += [
        "",
        "## Events a role records on procedure types it does not handle",
        "",
        "Only these kinds, on procedures of persons in its scope; no lodging, no decision",
        "(`record_event` refuses any other kind with 403).",
        "",
        "| role | procedure type | events |",
        "|---|---|---|",
    ]
    for r in p.roles.values():
        for procedure_type, kinds in sorted(r.events.items()):
            lines.append(f"| {r.id} | {procedure_type} | {', '.join(sorted(kinds))} |")
    lines += [
        "",
        "## Purposes (Logboek dataverwerkingen `dpl.core.processing_activity_id`)",
        "",
        "| role | purpose |",
        "|---|---|",
    ]
    for r in p.roles.values():
        lines.append(f"| {r.id} | `{r.purpose}` |")
    lines += ["", "## Work queues", "", "| procedure type | queue | team |", "|---|---|---|"]
    for pid, (queue, team) in sorted(p.queues.items()):
        lines.append(f"| {pid} | {queue} | {team or '-'} |")
    return "\n".join(lines) + "\n"
