"""A permit holder's outflow over real HTTP (``services/outflow.py``): COA's match in one command,
the municipality's rental contract and move, both phases' terms as both sides see them, the
refusals, and the taakstelling counting what the commands wrote.

The norm, seed 001 (Introductiedossier Migratie 2021, 4.5):
  "Conform afspraken met ketenpartners heeft het verblijf van een vergunninghouder in de opvang
  een normtijd van 14 weken. Dit betekent dat een vergunninghouder normaal gesproken 14 weken na
  vergunningverlening de opvang zou verlaten voor huisvesting in de gemeente."
  "fase 1: koppeling door COA. COA maakt na vergunningverlening – m.b.v. screening en een
  matchinggesprek – een koppeling met een gemeente. Normtijd: twee weken"
  "fase 2: huisvesting regelen door gemeente: loopt van het moment van koppelen tot de
  ingangsdatum van het huurcontract. Normtijd: tien weken"
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.server.live import Reply, Server
from tests.server.sites import site_for
from tests.server.world import register, version


def today() -> date:
    """The day as the server counts it: asked when used, not at import, because Django sets the
    process's time zone to Europe/Amsterdam once the live server's settings load (between 23:00
    and 24:00 UTC that is the next day already)."""
    return date.today()


MUNICIPALITY = "gemeente-utrecht"  # the demo municipality account (keten.server.setup)


def _day(days: int) -> date:
    return today() + timedelta(days=days)


def permit_holder(live: Server, granted: date, **extra: Any) -> int:
    """A person whose asylum application the IND granted on ``granted``, staying in a COA
    reception placement since the application."""
    person = int(register(live, **extra)["id"])
    applied = granted - timedelta(days=30)
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind",
        {"procedure_type": "asylum_first", "day": applied.isoformat(), "reason": "test"},
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 201, lodged.text
    decided = live.request(
        "POST",
        f"/api/v1/procedures/{lodged.body['id']}/decisions",
        "ind",
        {
            "outcome": "granted",
            "day": granted.isoformat(),
            "grounds": "Vw 2000 art. 29",
            "reason": "test",
        },
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert decided.status == 201, decided.text
    placed = live.request(
        "POST",
        f"/api/v1/persons/{person}/placements",
        "coa",
        {
            "kind": "coa_regular",
            "site": site_for(live, "coa_regular"),
            "start": applied.isoformat(),
            "reason": "test",
        },
        headers={"If-Match": version(live, person)},
    )
    assert placed.status == 201, placed.text
    return person


def send(live: Server, user: str, person: int, command: str, body: dict[str, Any]) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/outflow/{command}",
        user,
        {"reason": "test outflow", **body},
        headers={"If-Match": version(live, person)},
    )


def match(live: Server, person: int, day: date, municipality: str = MUNICIPALITY) -> Reply:
    return send(live, "coa", person, "match", {"municipality": municipality, "day": str(day)})


def row(
    live: Server, user: str, person: int, on: date | None = None, **params: str
) -> dict[str, Any]:
    shown = {"on": str(on or today()), **params}
    query = "&".join(f"{k}={v}" for k, v in shown.items())
    page = 1
    while True:
        reply = live.get(f"/api/v1/outflow?{query}&page_size=100&page={page}", user)
        assert reply.status == 200, reply.text
        found: list[dict[str, Any]] = [
            r for r in reply.body["results"] if r["person"]["id"] == person
        ]
        if found:
            return found[0]
        assert reply.body["has_next"], f"person {person} not in {user}'s outflow list"
        page += 1


def deadlines(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in r["deadlines"]}


def test_the_14_week_norm_splits_into_2_weeks_for_coa_and_10_for_the_municipality(
    live: Server,
) -> None:
    """ "een normtijd van 14 weken ... 14 weken na vergunningverlening"; "fase 1: koppeling
    door COA ... Normtijd: twee weken"; "fase 2: ... loopt van het moment van koppelen tot de
    ingangsdatum van het huurcontract. Normtijd: tien weken". Shown to COA and to the
    municipality alike, with the same days."""
    granted, matched = _day(-40), _day(-30)
    person = permit_holder(live, granted)
    answer = match(live, person, matched)
    assert answer.status == 201, answer.text
    assert answer.headers["ETag"] == version(live, person)
    on = _day(-1)
    for user in ("coa", MUNICIPALITY):
        r = row(live, user, person, on)
        d = deadlines(r)
        assert r["phase"] == "housing"
        # phase 1: two weeks from the permit, ended by the match 4 days early
        assert d["matching"]["date"] == str(granted + timedelta(weeks=2))
        assert d["matching"]["status"] == "met" and d["matching"]["margin"] == 4
        # phase 2: ten weeks from the match, running
        assert d["housing"]["date"] == str(matched + timedelta(weeks=10))
        assert d["housing"]["days_left"] == (matched + timedelta(weeks=10) - on).days
        # the whole norm: fourteen weeks from the permit
        assert d["outflow"]["date"] == str(granted + timedelta(weeks=14))
        assert d["outflow"]["days_left"] == (granted + timedelta(weeks=14) - on).days
        assert r["municipality"] == "utrecht" and r["matched_on"] == str(matched)
        assert r["staying"]["location"].startswith("testlocatie test-regular-")
    assert row(live, "coa", person)["actions"] == []
    assert row(live, MUNICIPALITY, person)["actions"] == ["lease"]


def test_a_match_over_the_norm_shows_the_days_over(live: Server) -> None:
    """Phase 1 "Normtijd: twee weken": a match three weeks after the permit is a week late,
    and a person unmatched after 15 weeks is over the 14-week norm."""
    granted = _day(-15 * 7)
    late = permit_holder(live, granted)
    assert match(live, late, granted + timedelta(weeks=3)).status == 201
    d = deadlines(row(live, "coa", late))
    assert d["matching"]["status"] == "late" and d["matching"]["margin"] == -7
    assert d["outflow"]["status"] == "overdue" and d["outflow"]["days_left"] == -7
    listed = row(live, "coa", late, over_norm="true", municipality="utrecht", phase="housing")
    assert listed["over_norm"] is True


def test_the_match_is_one_command_hand_over_event_access_and_audit(live: Server) -> None:
    from keten.server.audit.models import AuditRecord

    person = permit_holder(live, _day(-20))
    assert live.get(f"/api/v1/persons/{person}", MUNICIPALITY).status == 404
    answer = match(live, person, _day(-10))
    assert answer.status == 201, answer.text
    assert answer.body["phase"] == "housing" and answer.body["procedure"]["stage"] == "matched"
    handovers = live.get(f"/api/v1/persons/{person}/handovers", "coa").body["results"]
    assert [(h["kind"], h["to_org"], h["day"]) for h in handovers] == [
        ("housing_match", MUNICIPALITY, str(_day(-10)))
    ]
    procedures = live.get(f"/api/v1/persons/{person}/procedures", "coa").body["results"]
    outflow = [p for p in procedures if p["procedure_type"] == "permit_holder_outflow"]
    assert len(outflow) == 1
    events = live.get(f"/api/v1/procedures/{outflow[0]['id']}", "coa").body["events"]
    assert [(e["kind"], e["day"]) for e in events] == [
        ("permit_granted", str(_day(-20))),  # lodged from the grant decision's day
        ("matched", str(_day(-10))),
    ]
    assert live.get(f"/api/v1/persons/{person}", MUNICIPALITY).status == 200
    names = [
        r.name
        for r in AuditRecord.objects.filter(actor_user="coa").order_by("-seq")[:5]
        if [person, _v(live, person)] in r.subjects
    ]
    assert "outflow.match" in names and "handover.add" in names


def _v(live: Server, person: int) -> str:
    return str(live.get(f"/api/v1/persons/{person}", "ind").body["v_number"])


def test_a_failed_match_leaves_nothing(live: Server) -> None:
    """A family member who is no permit holder makes the whole match fail: no hand-over, no
    procedure, no access, for either of them."""
    person = permit_holder(live, _day(-20))
    child = int(register(live, birth_date="2015-00-00")["id"])
    linked = live.request(
        "POST",
        f"/api/v1/persons/{person}/family",
        "ind",
        {"relation": "child", "other_person_id": child, "reason": "test"},
        headers={"If-Match": version(live, person)},
    )
    assert linked.status == 201, linked.text
    before = version(live, person)
    refused = send(
        live,
        "coa",
        person,
        "match",
        {"municipality": "utrecht", "day": str(_day(-5)), "family": [child]},
    )
    assert refused.status == 422 and refused.body["field"] == "person", refused.text
    assert "vergunninghouder" in refused.body["detail_nl"]
    assert version(live, person) == before
    assert live.get(f"/api/v1/persons/{person}/handovers", "coa").body["results"] == []
    procedures = live.get(f"/api/v1/persons/{person}/procedures", "coa").body["results"]
    assert not [p for p in procedures if p["procedure_type"] == "permit_holder_outflow"]
    assert live.get(f"/api/v1/persons/{person}", MUNICIPALITY).status == 404


def test_a_family_is_matched_and_moves_together(live: Server) -> None:
    person = permit_holder(live, _day(-30))
    partner = permit_holder(live, _day(-30))
    linked = live.request(
        "POST",
        f"/api/v1/persons/{person}/family",
        "ind",
        {"relation": "partner", "other_person_id": partner, "reason": "test"},
        headers={"If-Match": version(live, person)},
    )
    assert linked.status == 201, linked.text
    body = {"municipality": "utrecht", "day": str(_day(-20)), "family": [partner]}
    assert send(live, "coa", person, "match", body).status == 201
    assert live.get(f"/api/v1/persons/{partner}", MUNICIPALITY).status == 200
    lease = {
        "address": "Oudegracht 1, Utrecht",
        "signed_on": str(_day(-5)),
        "lease_start": str(_day(-3)),
    }
    assert send(live, MUNICIPALITY, person, "lease", lease).status == 201
    moved = send(live, MUNICIPALITY, person, "move", {"day": str(_day(-2)), "family": [partner]})
    assert moved.status == 201, moved.text
    for who in (person, partner):
        placements = live.get(f"/api/v1/persons/{who}/placements", "coa").body["results"]
        running = [p for p in placements if p["open"]]
        assert [(p["kind"], p["municipality"]) for p in running] == [
            ("municipal_housing", "utrecht")
        ]


def test_the_municipality_records_the_contract_and_the_move(live: Server) -> None:
    """Phase 2 "loopt van het moment van koppelen tot de ingangsdatum van het huurcontract":
    the lease's start ends it; the move ends the 14-week norm and the reception placement."""
    granted, matched = _day(-60), _day(-50)
    person = permit_holder(live, granted)
    assert match(live, person, matched).status == 201
    lease = {
        "address": "Oudegracht 12, Utrecht",
        "signed_on": str(_day(-10)),
        "lease_start": str(_day(-7)),
    }
    leased = send(live, MUNICIPALITY, person, "lease", lease)
    assert leased.status == 201, leased.text
    assert leased.body["phase"] == "moving"
    assert leased.body["lease"] == {
        "start": str(_day(-7)),
        "address": "Oudegracht 12, Utrecht",
        "signed_on": str(_day(-10)),
    }
    d = deadlines(leased.body)
    assert d["housing"]["status"] == "met"
    assert d["housing"]["margin"] == (matched + timedelta(weeks=10) - _day(-7)).days
    assert leased.body["actions"] == ["move"]
    moved = send(live, MUNICIPALITY, person, "move", {"day": str(_day(-5))})
    assert moved.status == 201, moved.text
    assert moved.body["phase"] == "left" and moved.body["moved_out_on"] == str(_day(-5))
    assert deadlines(moved.body)["outflow"]["status"] == "met"
    assert moved.body["placement"]["location"] == "Oudegracht 12, Utrecht"
    assert moved.body["placement"]["moved_from"] is not None
    placements = live.get(f"/api/v1/persons/{person}/placements", "coa").body["results"]
    assert [(p["kind"], p["end"]) for p in placements] == [
        ("coa_regular", str(_day(-5))),
        ("municipal_housing", None),
    ]
    left = row(live, "coa", person, phase="left")
    assert left["staying"]["kind"] == "municipal_housing"
    assert left["actions"] == []


def test_refusals_name_the_field_and_store_nothing(live: Server) -> None:
    person = permit_holder(live, _day(-20))
    stranger = int(register(live)["id"])
    # no contract and no move before the match, whoever records them
    unmatched = send(live, "coa", person, "move", {"day": str(_day(-1))})
    assert unmatched.status == 422 and "follows the match" in unmatched.body["detail"]
    # not a permit holder
    refused = match(live, stranger, _day(-1))
    assert refused.status == 422 and refused.body["field"] == "person"
    # a match before the permit
    early = match(live, person, _day(-21))
    assert early.status == 422 and early.body["field"] == "day"
    assert "vergunningverlening" in early.body["detail_nl"]
    # a municipality that does not exist
    nowhere = match(live, person, _day(-1), municipality="gemeente-atlantis")
    assert nowhere.status == 400 and nowhere.body["field"] == "municipality"
    # the municipality may not match, nor record the events that are COA's
    assert send(
        live, MUNICIPALITY, person, "match", {"municipality": "utrecht", "day": str(_day(-1))}
    ).status in (403, 404)
    # bounds
    future = match(live, person, _day(1))
    assert future.status == 400, future.text
    assert future.body["field"] == "day", future.text
    long = {"municipality": "utrecht", "day": str(_day(-1)), "note": "x" * 4001}
    assert send(live, "coa", person, "match", long).body["field"] == "note"
    assert match(live, person, _day(-10)).status == 201
    # a second match while one stands
    again = match(live, person, _day(-1), municipality="gemeente-amsterdam")
    assert again.status == 422 and "one match at a time" in again.body["detail"]
    # a move before the lease
    no_lease = send(live, MUNICIPALITY, person, "move", {"day": str(_day(-1))})
    assert no_lease.status == 422 and "huurcontract" in no_lease.body["detail_nl"]
    # lease bounds: an address too long, a start before the match
    too_long = {"address": "x" * 201, "signed_on": str(_day(-1)), "lease_start": str(_day(-1))}
    assert send(live, MUNICIPALITY, person, "lease", too_long).body["field"] == "address"
    before = {"address": "Kade 1", "signed_on": str(_day(-1)), "lease_start": str(_day(-11))}
    early_lease = send(live, MUNICIPALITY, person, "lease", before)
    assert early_lease.status == 422 and early_lease.body["field"] == "lease_start"
    # COA does not record the contract
    fine = {"address": "Kade 1", "signed_on": str(_day(-1)), "lease_start": str(_day(3))}
    assert send(live, "coa", person, "lease", fine).status == 403
    assert send(live, MUNICIPALITY, person, "lease", fine).status == 201
    # the move before the lease's start
    soon = send(live, MUNICIPALITY, person, "move", {"day": str(_day(0))})
    assert soon.status == 422 and soon.body["field"] == "day"


def test_a_municipality_acts_only_for_persons_matched_to_it(live: Server) -> None:
    """Matched elsewhere: the municipality does not see the person (no grant), and one that
    sees the person by another basis is refused the contract."""
    person = permit_holder(live, _day(-20))
    assert match(live, person, _day(-10), municipality="gemeente-amsterdam").status == 201
    lease = {"address": "Kade 1", "signed_on": str(_day(-1)), "lease_start": str(_day(-1))}
    assert send(live, MUNICIPALITY, person, "lease", lease).status == 404
    # a placement in Utrecht's housing gives Utrecht access, not the match
    housed = live.request(
        "POST",
        f"/api/v1/persons/{person}/placements",
        "coa",
        {
            "kind": "municipal_housing",
            "municipality": "utrecht",
            "location": "tijdelijk",
            "start": str(_day(-2)),
            "move": True,
            "reason": "test",
        },
        headers={"If-Match": version(live, person)},
    )
    assert housed.status == 201, housed.text
    elsewhere = send(live, MUNICIPALITY, person, "lease", lease)
    assert elsewhere.status == 422 and "gemeente-amsterdam" in elsewhere.body["detail"]
    # not in its list either
    listed = live.get("/api/v1/outflow?page_size=100", MUNICIPALITY).body["results"]
    assert person not in [r["person"]["id"] for r in listed]


def test_a_municipality_may_not_record_the_match_through_the_generic_api(live: Server) -> None:
    """policy.yaml: the municipality records lease_start and moved_out on the outflow, not
    matched or permit_granted; the generic event API holds to the same list."""
    person = permit_holder(live, _day(-20))
    assert match(live, person, _day(-10)).status == 201
    procedures = live.get(f"/api/v1/persons/{person}/procedures", MUNICIPALITY).body["results"]
    proc = next(p for p in procedures if p["procedure_type"] == "permit_holder_outflow")
    for kind in ("matched", "permit_granted"):
        refused = live.request(
            "POST",
            f"/api/v1/procedures/{proc['id']}/events",
            MUNICIPALITY,
            {"kind": kind, "day": str(_day(-1)), "reason": "test"},
            headers={"If-Match": f'"{proc["version"]}"'},
        )
        assert refused.status == 403 and refused.body["field"] == "kind", refused.text
        assert "lease_start, moved_out" in refused.body["rule"]
    allowed = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        MUNICIPALITY,
        {"kind": "lease_start", "day": str(_day(-1)), "reason": "test"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    assert allowed.status == 201, allowed.text
    # and it lodges nothing
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        MUNICIPALITY,
        {"procedure_type": "permit_holder_outflow", "day": str(_day(-1)), "reason": "test"},
        headers={"If-Match": version(live, person)},
    )
    assert lodged.status == 403


def test_a_retried_match_conflicts_on_the_version(live: Server) -> None:
    person = permit_holder(live, _day(-20))
    stale = version(live, person)
    body = {"municipality": "utrecht", "day": str(_day(-1)), "reason": "test"}
    path = f"/api/v1/persons/{person}/outflow/match"
    first = live.request("POST", path, "coa", body, headers={"If-Match": stale})
    assert first.status == 201
    retried = live.request("POST", path, "coa", body, headers={"If-Match": stale})
    assert retried.status == 409
    assert len(live.get(f"/api/v1/persons/{person}/handovers", "coa").body["results"]) == 1


def test_the_taakstelling_counts_the_match_as_waiting_and_the_move_as_housed(
    live: Server,
) -> None:
    def figures() -> dict[str, Any]:
        body = live.get("/api/v1/taakstelling?municipality=utrecht", "coa").body
        current: dict[str, Any] = next(r for r in body["results"] if r["period"] == body["current"])
        return current

    person = permit_holder(live, _day(-30))
    start = figures()
    assert match(live, person, _day(-2)).status == 201
    matched = figures()
    assert matched["waiting"] == start["waiting"] + 1
    assert matched["housed"] == start["housed"]
    lease = {"address": "Kade 2", "signed_on": str(_day(-1)), "lease_start": str(_day(-1))}
    assert send(live, MUNICIPALITY, person, "lease", lease).status == 201
    assert send(live, MUNICIPALITY, person, "move", {"day": str(today())}).status == 201
    moved = figures()
    assert moved["waiting"] == start["waiting"]
    assert moved["housed"] == start["housed"] + 1


def test_the_list_filters_and_its_bounds(live: Server) -> None:
    for params, field in (
        ("phase=nowhere", "phase"),
        ("municipality=atlantis", "municipality"),
        ("over_norm=maybe", "over_norm"),
        ("page_size=101", "page_size"),
    ):
        reply = live.get(f"/api/v1/outflow?{params}", "coa")
        assert reply.status == 400 and reply.body["field"] == field, reply.text
    # roles that read no procedures are refused
    assert live.get("/api/v1/outflow", "privacy").status == 403
