"""Walk the whole policy table over HTTP: every role x resource x action, allowed and denied.

The expectation is read from ``policy.yaml``; the answer from the running server. A role that
may act gets 2xx; one that may not gets 403 (policy) and never sees data. Scope: a person not
handed over to a 'granted'-scope organisation answers 404, exactly like a person that does not
exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from keten.chain.court import COURT_TYPES
from keten.chain.locations import location_rules
from keten.server.services.policy import policy
from keten.server.setup import DEMO_USERS
from tests.server.live import Reply, Server
from tests.server.sites import site
from tests.server.world import World, decide, grant_asylum, lodge, register, version

USER_OF_ROLE = {role: user for user, (_, role) in DEMO_USERS.items()}
ROLES = sorted(policy().roles)
RESOURCES = sorted(policy().resources)
ACTIONS = policy().actions
TODAY = date.today().isoformat()

RECORD_PATHS = {
    "measure": ("measures", {"kind": "reporting_duty", "start": TODAY}),
    "document": ("documents", {"kind": "w_document", "number": "W123", "issued": TODAY}),
    "asylum_motive": ("asylum-motives", {"text": "vervolging wegens politieke activiteiten"}),
    "finding_1f": ("findings-1f", {"text": "geen aanwijzingen voor 1F"}),
    "support_offer": (
        "support-offers",
        {"kind": "flight_ticket", "programme": "rean", "offered_on": TODAY},
    ),
}


def _exchange_partner() -> str:
    """A partner for the walk's exchange requests (the operator's steps: this instance's key,
    the partner, the liaison officer's accreditation), in this process's Django on the live
    server's database. Its inbox is a closed loopback port: the request waits in the outbox."""
    from datetime import timedelta

    from keten.server.audit.keys import generate
    from keten.server.exchange.models import Accreditation, Partner
    from keten.server.services import exchange

    if not exchange.key_path().exists():
        generate(exchange.key_path())
    if not Partner.objects.filter(code="XX-WALK").exists():
        exchange.add_partner(
            "XX-WALK", "Walk partner", "XX", "http://127.0.0.1:9/api/v1/exchange/inbox", "walk"
        )
    if not Accreditation.objects.filter(partner_id="XX-WALK").exists():
        today = date.today()
        # Every account that acts only where accredited: the liaison officers, and the
        # Belgian services' officers on this (Dutch) instance.
        for user, (org, role) in sorted(DEMO_USERS.items()):
            if exchange.accreditation_bound(role, org):
                exchange.accredit(user, "XX-WALK", today, today + timedelta(days=1), "walk")
    return "XX-WALK"


# The placement each organisation kind records for P (an unaccompanied minor): one its kind
# may record (policy.yaml ``placement_kinds``) at a registered location of its own that takes
# an amv (data/reception/location_kinds.yaml), or free text where the kind has no register.
WALK_PLACEMENTS = {
    "coa": ("coa_minors", "amv_small_scale"),
    "dji": ("ggv", "ggv"),
    "nidos": ("nidos_family", None),
    "municipality": ("municipal_housing", None),
}


def _placement(live: Server, role: str) -> dict[str, Any]:
    """A placement the role's organisation may record, as a move: P stays in one place at a
    time. A role that may record none gets COA's kind, and the policy refuses it on the
    resource."""
    org_kind = policy().roles[role].organisation_kind
    kind, location_kind = WALK_PLACEMENTS.get(org_kind, ("coa_regular", None))
    where: dict[str, Any] = {"municipality": "utrecht"} if kind == "municipal_housing" else {}
    if location_kind is not None:
        where["site"] = site(live, USER_OF_ROLE[role], location_kind)
    return {"kind": kind, "location": "walk", "start": TODAY, "move": True, **where}


def _handover(role: str, world: World) -> tuple[int, dict[str, Any]]:
    """A hand-over the role's organisation may send (policy.yaml ``handovers``), to a person
    whose case is in the state it requires: P (an amv with an asylum permit) or R (refused)."""
    org_kind = policy().roles[role].organisation_kind
    for kind, rule in sorted(policy().handovers_from(org_kind).items()):
        on_p = set(rule.requires) <= {"unaccompanied_minor", "asylum_permit"}
        to = next(o["code"] for o in policy().organisations if o["kind"] in rule.receivers)
        return (world.p if on_p else world.r), {"kind": kind, "to_org": to, "day": TODAY}
    return world.p, {"kind": "guardianship", "to_org": "Nidos", "day": TODAY}


def r_kind(role: str) -> str:
    return policy().roles[role].organisation_kind


def _listed_event(live: Server, role: str, user: str) -> Reply:
    """Write on 'procedure' for a role that handles no type but records listed events on one
    (policy.yaml ``events``: a municipality's lease on a permit holder matched to it)."""
    procedure_type, kinds = sorted(policy().roles[role].events.items())[0]
    assert procedure_type == "permit_holder_outflow", "the walk knows how to reach this type"
    fresh = int(register(live)["id"])
    grant_asylum(live, fresh)
    org = DEMO_USERS[user][0].removeprefix("gemeente-")
    matched = live.request(
        "POST",
        f"/api/v1/persons/{fresh}/outflow/match",
        "coa",
        # the day as the server counts it (Django's time zone), as grant_asylum's decision
        {"municipality": org, "day": date.today().isoformat(), "reason": "policy walk"},
        headers={"If-Match": version(live, fresh)},
    )
    assert matched.status == 201, matched.text
    proc = matched.body["procedure"]
    return live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        user,
        {"kind": sorted(kinds)[0], "day": date.today().isoformat(), "reason": f"walk {role}"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )


def _in_court(live: Server, user: str, person: int, judge: bool) -> Reply:
    """A court procedure is lodged naming the decision it contests (services/appeals.py): a
    fresh refusal by the IND, an appeal against it, and (``judge``) its judgment."""
    refusal = decide(live, lodge(live, person, "regular_residence"), "refused")
    appeal = live.request(
        "POST",
        f"/api/v1/persons/{person}/appeals",
        user,
        {"procedure_type": "appeal", "contests": refusal, "day": TODAY, "reason": "walk"},
        headers={"If-Match": version(live, person)},
    )
    if not judge or appeal.status != 201:
        return appeal
    return live.request(
        "POST",
        f"/api/v1/appeals/{appeal.body['id']}/outcome",
        user,
        {"ending": "judgment", "outcome": "unfounded", "day": TODAY, "reason": "walk"},
        headers={"If-Match": f'"{appeal.body["version"]}"'},
    )


_WALK_OPERATION: list[int] = []


def _walk_operation(live: Server) -> int:
    """A special flight of DTenV's that escorts are recorded on (made once per session)."""
    if not _WALK_OPERATION:
        made = live.request(
            "POST",
            "/api/v1/return/operations",
            "dtenv",
            {
                "kind": "special_flight",
                "destination": "MAR",
                "day": "2027-03-02",
                "seats_offered": 2,
                "reason": "policy walk: escorts",
            },
        )
        assert made.status == 201, made.text
        _WALK_OPERATION.append(made.body["id"])
    return _WALK_OPERATION[0]


def attempt(live: Server, world: World, role: str, resource: str, action: str) -> Reply | None:
    """The canonical request for (resource, action) as ``role``; None when the API has no
    such operation at all (then the policy must deny it to everyone)."""
    user = USER_OF_ROLE[role]
    p = world.p
    reason = {"reason": f"policy walk {role}"}
    if resource == "identity":
        if action == "read":
            return live.get(f"/api/v1/persons/{p}", user)
        return live.request(
            "PATCH",
            f"/api/v1/persons/{p}",
            user,
            {"given_names": f"Test {role}", **reason},
            headers={"If-Match": version(live, p)},
        )
    if resource == "procedure":
        if action == "read":
            return live.get(f"/api/v1/persons/{p}/procedures", user)
        if not policy().roles[role].procedures and policy().roles[role].events:
            return _listed_event(live, role, user)
        types = sorted(policy().roles[role].procedures) or ["asylum_first"]
        pick = next((t for t in types if t not in ("taakstelling",)), types[0])
        if pick in COURT_TYPES:
            return _in_court(live, user, p, judge=False)
        return live.request(
            "POST",
            f"/api/v1/persons/{p}/procedures",
            user,
            {"procedure_type": pick, "day": TODAY, **reason},
            headers={"If-Match": version(live, p)},
        )
    if resource == "decision":
        if action == "read":
            return live.get(f"/api/v1/procedures/{world.procedure}/decisions", user)
        target = world.procedure
        r = policy().roles[role]
        if r.can("decision", "write"):
            # A fresh procedure of the role's own type, so the decision is its to make.
            pick = sorted(r.procedures)[0]
            if pick in COURT_TYPES:
                return _in_court(live, user, p, judge=True)
            lodged = live.request(
                "POST",
                f"/api/v1/persons/{p}/procedures",
                user,
                {"procedure_type": pick, "day": TODAY, **reason},
                headers={"If-Match": version(live, p)},
            )
            assert lodged.status == 201, lodged.text
            target = lodged.body["id"]
        proc = live.get(f"/api/v1/procedures/{target}", "ind")
        return live.request(
            "POST",
            f"/api/v1/procedures/{target}/decisions",
            user,
            {"outcome": "refused", "day": TODAY, "grounds": "Vw 2000 art. 31", **reason},
            headers={"If-Match": proc.headers.get("ETag", '"1"')},
        )
    if resource == "rule_trail":
        if action == "read":
            return live.get(f"/api/v1/decisions/{world.decision}/trail", user)
        return None
    if resource == "letter":  # the letters of P's granted decision (it has a rule trail)
        path = f"/api/v1/decisions/{world.decision}/letters"
        if action == "read":
            return live.get(path, user)
        return live.request("POST", path, user, {"language": "nl", **reason})
    if resource == "duplicate_review":  # the IND's review of persons registered twice
        if action == "read":
            return live.get("/api/v1/duplicates", user)
        pair = [
            register(live, given_names="Dubbel", surname=f"Walk-{role}", birth_date="1980-01-01")
            for _ in range(2)
        ]
        return live.request(
            "POST",
            f"/api/v1/duplicates/{pair[1]['id']}",
            user,
            {
                "decision": "distinct",
                "other_person_id": pair[0]["id"],
                "other_version": pair[0]["version"],
                **reason,
            },
            headers={"If-Match": f'"{pair[1]["version"]}"'},
        )
    if resource == "audit":
        return live.get("/api/v1/audit", user) if action == "read" else None
    if resource == "return_cooperation":  # a register read by all who may, written in the repo
        return live.get("/api/v1/return/countries", user) if action == "read" else None
    if resource == "country_register":  # public sources, kept in the repo: read only
        return live.get("/api/v1/countries/MAR", user) if action == "read" else None
    if resource == "coi_document":  # country reports: public documents, written by the IND
        if action == "read":
            return live.get("/api/v1/coi?country=YEM", user)
        return live.request(
            "POST",
            "/api/v1/coi",
            user,
            {
                "country": "YEM",
                "title": f"Walk report {role}",
                "publisher": "Keten test",
                "kind": "other",
                "published_on": "2026-01-05",
                "reference": f"walk-{role}",
                "summary": "written by the policy walk",
                "language": "en",
                **reason,
            },
        )
    if resource == "return_operation":  # special flights: seats, never persons
        if action == "read":
            return live.get("/api/v1/return/operations", user)
        return live.request(
            "POST",
            "/api/v1/return/operations",
            user,
            {
                "kind": "special_flight",
                "destination": "MAR",
                "day": "2027-03-01",
                "seats_offered": 2,
                **reason,
            },
        )
    if resource == "return_escort":  # counts of escorts on DTenV's flight, never persons
        op = _walk_operation(live)
        if action == "read":
            return live.get(f"/api/v1/return/operations/{op}/escorts", user)
        return live.request(
            "POST",
            f"/api/v1/return/operations/{op}/escorts",
            user,
            {"escorts": 1, "service": "kmar", **reason},
        )
    if resource == "return_statistics":  # figures computed from the departures, never written
        return live.get("/api/v1/return/statistics", user) if action == "read" else None
    if resource == "taakstelling":
        if action == "read":
            return live.get("/api/v1/taakstelling", user)
        return live.request(  # a half-year of its own: only one role may announce it
            "POST",
            "/api/v1/taakstelling",
            user,
            {
                "kind": "announced",
                "period": "2035-I",
                "day": "2034-09-01",
                "figures": [{"municipality": "groningen", "value": 12}],
                "version": 0,
                **reason,
            },
        )
    if resource == "solidarity":  # the ministry's records of the pool; no person
        if action == "read":
            return live.get("/api/v1/solidarity", user)
        return live.request(
            "POST",
            "/api/v1/solidarity",
            user,
            {
                "cycle": 2031,  # a cycle of its own, so no summary another test reads moves
                "record_type": "pledge",
                "kind": "financial",
                "amount_eur": 1000,
                "status": "pledged",
                "day": TODAY,
                "source": "policy walk",
                **reason,
            },
        )
    if resource == "forecast":  # a run is a queued job: a tiny one, nobody needs to run it
        if action == "read":
            return live.get("/api/v1/forecast/runs", user)
        return live.request(
            "POST",
            "/api/v1/forecast/runs",
            user,
            {"scenario": "baseline", "years": 1, "runs": 1, **reason},
        )
    if resource == "exchange":  # with a partner service known here, never reached
        if action == "read":
            return live.get("/api/v1/exchange/messages", user)
        from keten.server.services.exchange_kinds import kinds_for

        handles = kinds_for(role)
        if handles == {"coi_report"}:  # the CGVS: a shareable report of its own instance
            shipped = live.get("/api/v1/coi?country=SYR", user).body["all"]
            document = next(d for d in shipped if d["shareable"] and not d["received_from"])
            return live.request(
                "POST",
                "/api/v1/exchange/shares",
                user,
                {
                    "partner": _exchange_partner(),
                    "kind": "coi_report",
                    "document": document["id"],
                    "sender_reference": f"walk-{role}",
                    **reason,
                },
            )
        if "request_1f_information" not in handles:  # DTenV: its flight programme
            return live.request(
                "POST",
                "/api/v1/exchange/shares",
                user,
                {
                    "partner": _exchange_partner(),
                    "kind": "return_operation_programme",
                    "on": "2026-12-01",
                    "sender_reference": f"walk-{role}",
                    **reason,
                },
            )
        return live.request(
            "POST",
            "/api/v1/exchange/requests",
            user,
            {
                "partner": _exchange_partner(),
                "person": {"surname": "Walk", "birth_date": "1980-00-00", "nationality": "AFG"},
                "question": f"policy walk {role}",
                "sender_reference": f"walk-{role}",
                **reason,
            },
        )
    if resource == "subscription":  # webhooks: the organisation's own, ended again at once
        if action == "read":
            return live.get("/api/v1/subscriptions", user)
        made = live.request(
            "POST",
            "/api/v1/subscriptions",
            user,
            {"url": "https://partner.example/walk", "channels": ["handover"], **reason},
        )
        if made.status == 201:  # no delivery for a later hand-over in the session
            ended = live.request(
                "POST", f"/api/v1/subscriptions/{made.body['id']}/end", user, reason
            )
            assert ended.status == 200, ended.text
        return made
    if resource == "annual_report":  # figures computed from the dossiers, never written
        return live.get("/api/v1/reports/annual", user) if action == "read" else None
    if resource == "detention_overview":
        return live.get("/api/v1/detention", user) if action == "read" else None
    if resource == "detention_statistics":
        return live.get("/api/v1/detention/statistics", user) if action == "read" else None
    if resource == "strategy_report":  # documents computed from the chain, never written
        return live.get("/api/v1/reports/strategy", user) if action == "read" else None
    if resource == "location":
        if action == "read":
            return live.get("/api/v1/locations", user)
        kinds = [k for k, rules in location_rules().items() if r_kind(role) in rules.operators]
        return live.request(
            "POST",
            "/api/v1/locations",
            user,
            {
                "code": f"walk-{role.replace('_', '-')}",
                "name": f"walk {role}",
                "kind": (kinds or ["regular"])[0],
                "municipality": "utrecht",
                "province": "utrecht",
                "opened": TODAY,
                "places": 10,
                **reason,
            },
        )
    if resource == "management_information":  # figures only: nothing to write
        return live.get("/api/v1/reports/monthly", user) if action == "read" else None
    if resource == "occupancy":  # figures only: nothing to write
        return live.get("/api/v1/occupancy", user) if action == "read" else None
    if resource == "placement":
        path, body = "placements", _placement(live, role)
    elif resource == "handover":
        path = "handovers"
        p, body = _handover(role, world)
    else:
        path, body = RECORD_PATHS[resource]
    if action == "read":
        return live.get(f"/api/v1/persons/{p}/{path}", user)
    return live.request(
        "POST",
        f"/api/v1/persons/{p}/{path}",
        user,
        {**body, **reason},
        headers={"If-Match": version(live, p)},
    )


@pytest.mark.parametrize("role", ROLES)
def test_policy_table_is_enforced(live: Server, world: World, role: str) -> None:
    r = policy().roles[role]
    checked: list[tuple[str, str, bool, int]] = []
    for resource in RESOURCES:
        for action in ACTIONS:
            allowed = r.can(resource, action)
            reply = attempt(live, world, role, resource, action)
            if reply is None:
                assert not allowed, f"{role} is allowed {action} {resource} but no API does it"
                continue
            checked.append((resource, action, allowed, reply.status))
            if allowed:
                assert 200 <= reply.status < 300, (role, resource, action, reply.text)
            else:
                assert reply.status == 403, (role, resource, action, reply.status, reply.text)
                assert reply.headers["Content-Type"].startswith("application/problem+json")
                assert reply.body["field"] == resource
    assert checked  # every role was walked over real requests


# Who adds the record a role then tries to end (roles with scope 'all' and write on it).
ENDABLE: dict[str, tuple[str, str, dict[str, Any]]] = {
    "measure": ("kmar", "measures", {"kind": "reporting_duty", "start": TODAY}),
    "placement": (
        "coa",
        "placements",
        {"kind": "coa_regular", "location": "azc", "start": TODAY, "move": True},
    ),
}


@pytest.mark.parametrize("role", ROLES)
def test_ending_follows_the_write_column(live: Server, world: World, role: str) -> None:
    """Ending a measure or placement is a write on it: allowed exactly where the table says
    'w' (a municipality ending a placement in its own housing), 403 naming the resource
    elsewhere."""
    r = policy().roles[role]
    user = USER_OF_ROLE[role]
    for resource, (adder, path, body) in ENDABLE.items():
        if role == "municipality_officer" and resource == "placement":
            body = {**body, "kind": "municipal_housing", "municipality": "utrecht"}
        elif resource == "placement":
            body = {**body, "site": site(live, adder, "regular")}
        added = live.request(
            "POST",
            f"/api/v1/persons/{world.p}/{path}",
            adder,
            {**body, "reason": f"policy walk end {role}"},
            headers={"If-Match": version(live, world.p)},
        )
        assert added.status == 201, added.text
        reply = live.request(
            "POST",
            f"/api/v1/persons/{world.p}/{path}/{added.body['id']}/end",
            user,
            {"end": TODAY, "reason": f"policy walk end {role}"},
            headers={"If-Match": version(live, world.p)},
        )
        if r.can(resource, "write"):
            assert reply.status == 200, (role, resource, reply.text)
            assert reply.body["end"] == TODAY
        else:
            assert reply.status == 403, (role, resource, reply.status, reply.text)
            assert reply.headers["Content-Type"].startswith("application/problem+json")
            assert reply.body["field"] == resource


@pytest.mark.parametrize("role", [r for r in ROLES if policy().roles[r].scope == "granted"])
def test_out_of_scope_person_is_not_found(live: Server, world: World, role: str) -> None:
    user = USER_OF_ROLE[role]
    hidden = live.get(f"/api/v1/persons/{world.q}", user)
    missing = live.get("/api/v1/persons/987654321", user)
    assert hidden.status == missing.status == 404
    assert hidden.body["title"] == missing.body["title"]
    assert "Verborgen" not in hidden.text
    visible = live.get(f"/api/v1/persons/{world.p}", user)
    assert visible.status == 200
    search = live.get("/api/v1/persons?q=Verborgen", user)
    assert search.status == 200 and search.body["results"] == []


def test_privacy_officer_sees_no_dossier(live: Server, world: World) -> None:
    reply = live.get(f"/api/v1/persons/{world.q}", "privacy")
    assert reply.status == 403


def test_coa_sees_decision_but_not_its_rule_trail(live: Server, world: World) -> None:
    procs = live.get(f"/api/v1/persons/{world.p}/procedures", "coa").body["results"]
    decided = next(x for x in procs if x["procedure_type"] == "asylum_subsequent")
    detail: Any = live.get(f"/api/v1/procedures/{decided['id']}", "coa").body
    assert detail["decisions"] and "rule_trail" not in detail["decisions"][0]
    as_ind: Any = live.get(f"/api/v1/procedures/{decided['id']}", "ind").body
    assert as_ind["decisions"][0]["rule_trail"][0]["citation"] == "Vc C2/3.2"


@pytest.mark.parametrize("role", ROLES)
def test_joint_requests_follow_return_operation(live: Server, world: World, role: str) -> None:
    """A joint request to a country of origin is return cooperation (seed 000 point 3): its
    list and its proposal follow the role's ``return_operation`` rights."""
    r = policy().roles[role]
    user = USER_OF_ROLE[role]
    listed = live.get("/api/v1/return/joint-requests", user)
    assert listed.status == (200 if r.can("return_operation", "read") else 403), listed.text
    proposed = live.request(
        "POST",
        "/api/v1/return/joint-requests",
        user,
        {
            "kind": "identification",
            "destination": "GIN",
            "authority": "Ambassade van Guinee te Brussel",
            "proposed_on": TODAY,
            "partner": "BE-DVZ-BO",
            "persons_own": 2,
            "persons_partner": 1,
            "sources": "Intentieverklaring NL-BE 24-02-2015, punt 3",
            "reason": f"policy walk {role}",
        },
    )
    assert proposed.status == (201 if r.can("return_operation", "write") else 403), proposed.text
    if proposed.status == 403:
        assert proposed.body["field"] == "return_operation"
