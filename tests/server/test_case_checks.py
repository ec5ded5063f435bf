"""Entries checked against the case, through real HTTP: who may place where, one place at a time
(a move ends the previous placement in the same command), and the hand-over table (who sends
what to whom, in what state of the case). Each refusal stores nothing and opens no access."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from keten.chain.sample import generate_chain
from keten.server.services.policy import policy
from tests.server.live import Reply, Server
from tests.server.sites import site
from tests.server.world import grant_asylum, refuse, register, version

TODAY = date.today()


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def _post(live: Server, person: int, path: str, user: str, **body: object) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/{path}",
        user,
        {**body, "reason": "test"},
        headers={"If-Match": version(live, person)},
    )


def _grants(person: int) -> set[str]:
    from keten.server.dossiers.models import AccessGrant

    return set(
        AccessGrant.objects.filter(person_id=person).values_list("organisation_id", flat=True)
    )


def _placements(live: Server, person: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = live.get(f"/api/v1/persons/{person}/placements", "ind").body[
        "results"
    ]
    return rows


@pytest.mark.parametrize(
    "kind, opened_for", [("detention_centre", "DJI"), ("nidos_family", "Nidos"), ("ggv", "DJI")]
)
def test_a_municipality_cannot_open_other_organisations_access(
    live: Server, kind: str, opened_for: str
) -> None:
    """Before: a placement of kind detention_centre or nidos_family recorded by a municipality
    was accepted and granted DJI or Nidos access."""
    person = int(register(live)["id"])
    grant_asylum(live, person)
    matched = _post(
        live,
        person,
        "handovers",
        "coa",
        kind="housing_match",
        to_org="gemeente-utrecht",
        day=_day(0),
    )
    assert matched.status == 201, matched.text
    reply = _post(
        live,
        person,
        "placements",
        "gemeente-utrecht",
        kind=kind,
        location="ergens",
        municipality="utrecht",
        start=_day(0),
    )
    assert reply.status == 403, reply.text
    assert reply.body["field"] == "kind" and "municipal_housing" in reply.body["rule"]
    assert opened_for not in _grants(person)
    assert _placements(live, person) == []


def test_a_second_open_placement_is_refused_and_a_move_ends_the_first(live: Server) -> None:
    """Before: a second open COA placement was accepted while one was open."""
    person = int(register(live)["id"])
    first = _post(
        live,
        person,
        "placements",
        "coa",
        kind="coa_regular",
        site=site(live, "coa", "regular"),
        location="azc Budel",
        start=_day(30),
    )
    assert first.status == 201, first.text
    second = _post(
        live,
        person,
        "placements",
        "coa",
        kind="coa_emergency",
        site=site(live, "coa", "emergency"),
        location="noodopvang Zoetermeer",
        start=_day(2),
    )
    assert second.status == 422 and second.body["field"] == "move", second.text
    assert second.body["type"] == "urn:keten:problem:contradicts-case"
    assert "testlocatie test-regular" in second.body["rule"]  # the register's name
    assert "verhuizing" in second.body["rule_nl"]
    assert len(_placements(live, person)) == 1
    # A move that starts before the stay it ends is a contradiction too.
    early = _post(
        live,
        person,
        "placements",
        "coa",
        kind="coa_emergency",
        site=site(live, "coa", "emergency"),
        location="x",
        start=_day(40),
        move=True,
    )
    assert early.status == 422 and early.body["field"] == "start", early.text
    moved = _post(
        live,
        person,
        "placements",
        "coa",
        kind="coa_emergency",
        site=site(live, "coa", "emergency"),
        location="noodopvang Zoetermeer",
        start=_day(2),
        move=True,
    )
    assert moved.status == 201, moved.text
    assert moved.body["moved_from"] == first.body["id"]
    rows = {r["id"]: r for r in _placements(live, person)}
    assert rows[first.body["id"]]["end"] == _day(2) and rows[first.body["id"]]["open"] is False
    assert rows[first.body["id"]]["ended_by"] == "coa"
    assert rows[moved.body["id"]]["open"] is True
    # A stay that ended before today may be entered afterwards beside the running one.
    past = _post(
        live,
        person,
        "placements",
        "coa",
        kind="coa_crisis",
        site=site(live, "coa", "crisis"),
        location="Ter Apel",
        start=_day(35),
        end=_day(31),
    )
    assert past.status == 201, past.text


def test_a_move_into_detention_gives_dji_access_and_the_move_out_takes_it(live: Server) -> None:
    person = int(register(live)["id"])
    assert (
        _post(
            live,
            person,
            "placements",
            "coa",
            kind="coa_regular",
            site=site(live, "coa", "regular"),
            location="azc",
            start=_day(9),
        ).status
        == 201
    )
    detained = _post(
        live,
        person,
        "placements",
        "dji",
        kind="detention_centre",
        site=site(live, "dji", "detention_centre"),
        location="DC Rotterdam",
        start=_day(5),
        move=True,
    )
    # DJI sees no one it has no grant for: a detention centre is recorded once DJI has access.
    assert detained.status == 404, detained.text
    assert _post(live, person, "measures", "kmar", kind="detention", start=_day(5)).status == 201
    detained = _post(
        live,
        person,
        "placements",
        "dji",
        kind="detention_centre",
        site=site(live, "dji", "detention_centre"),
        location="DC Rotterdam",
        start=_day(5),
        move=True,
    )
    assert detained.status == 201, detained.text
    assert "DJI" in _grants(person)


def _handover(live: Server, person: int, user: str, kind: str, to: str) -> Reply:
    return _post(live, person, "handovers", user, kind=kind, to_org=to, day=_day(0))


def test_a_transfer_file_from_coa_to_the_privacy_officer_for_a_permit_holder(live: Server) -> None:
    """Before: a hand-over "transfer file after refusal" from COA to the privacy officer for a
    person who was granted asylum was accepted (and gave the privacy officer a grant)."""
    person = int(register(live)["id"])
    grant_asylum(live, person)
    wrong_sender = _handover(live, person, "coa", "transfer_file", "FG")
    assert wrong_sender.status == 403 and wrong_sender.body["field"] == "kind", wrong_sender.text
    wrong_receiver = _handover(live, person, "ind", "transfer_file", "FG")
    assert wrong_receiver.status == 400 and wrong_receiver.body["field"] == "to_org"
    wrong_state = _handover(live, person, "ind", "transfer_file", "DTenV")
    assert wrong_state.status == 422 and wrong_state.body["field"] == "kind", wrong_state.text
    assert "afwijzend besluit" in wrong_state.body["rule_nl"]
    assert live.get(f"/api/v1/persons/{person}/handovers", "ind").body["results"] == []
    assert not {"FG", "DTenV"} & _grants(person)


def test_a_transfer_file_follows_a_refusal(live: Server) -> None:
    person = int(register(live)["id"])
    refuse(live, person)
    sent = _handover(live, person, "ind", "transfer_file", "DTenV")
    assert sent.status == 201, sent.text
    assert "DTenV" in _grants(person)
    # With a right to stay granted since, DTenV is no longer whom the case goes to.
    grant_asylum(live, person)
    assert _handover(live, person, "dtenv", "rean_referral", "IOM").status == 422


def test_housing_match_needs_a_permit_holder_and_guardianship_an_amv(live: Server) -> None:
    adult = int(register(live)["id"])
    assert _handover(live, adult, "coa", "housing_match", "gemeente-utrecht").status == 422
    assert _handover(live, adult, "ind", "guardianship", "Nidos").status == 422
    minor = int(register(live, birth_date="2012-00-00", unaccompanied_minor=True)["id"])
    assert _handover(live, minor, "ind", "guardianship", "Nidos").status == 201


def test_every_role_that_may_write_has_something_to_write() -> None:
    """policy.yaml refuses to load a role with write on placements or hand-overs and nothing of
    them its organisation may record; the demo's roles all load."""
    p = policy()
    for r in p.roles.values():
        if r.can("placement", "write"):
            assert p.placements_of(r.organisation_kind), r.id
        if r.can("handover", "write"):
            assert p.handovers_from(r.organisation_kind), r.id


def test_the_sample_chain_sends_only_the_hand_overs_the_table_allows() -> None:
    kinds = {o["code"]: o["kind"] for o in policy().organisations}
    for hh in generate_chain(2000, TODAY, seed=7):
        for h in hh.handovers:
            rule = policy().handovers[h.kind]
            assert kinds[h.from_org] in rule.senders, (h.kind, h.from_org)
            assert kinds[h.to_org] in rule.receivers, (h.kind, h.to_org)
        for pl in hh.placements:
            assert any(pl.kind in k for k in policy().placement_kinds.values()), pl.kind
