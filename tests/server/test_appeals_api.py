"""The court's procedures through the API of a live server (``services/appeals.py``): the IND's
litigation role lodges an appeal, interim relief, higher appeal or detention appeal naming
what it contests, records how it ended, and the IND decides again on the original procedure
only after a well-founded judgment or its own withdrawal of the decision.

Every chain here is built in the test, on days before today, so that each expected value is
counted by hand from what the test wrote."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.server.live import Reply, Server
from tests.server.world import register, version

LITIGATION = "ind-proces"  # keten.server.setup.DEMO_USERS: ind_litigation


def _day(ago: int) -> str:
    return (date.today() - timedelta(days=ago)).isoformat()


def _refusal(live: Server, lodged: int = 200, decided: int = 150) -> tuple[int, int, int]:
    """A person with an asylum application refused ``decided`` days ago: (person, procedure,
    decision)."""
    person = int(register(live, surname="Beroep")["id"])
    proc = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind",
        {"procedure_type": "asylum_first", "day": _day(lodged), "reason": "aanvraag"},
        headers={"If-Match": version(live, person)},
    )
    assert proc.status == 201, proc.text
    dec = live.request(
        "POST",
        f"/api/v1/procedures/{proc.body['id']}/decisions",
        "ind",
        {"outcome": "refused", "day": _day(decided), "grounds": "Vw 2000 art. 31", "reason": "x"},
        headers={"If-Match": f'"{proc.body["version"]}"'},
    )
    assert dec.status == 201, dec.text
    return person, int(proc.body["id"]), int(dec.body["decision"]["id"])


def _lodge(
    live: Server, person: int, kind: str, day: str, user: str = LITIGATION, **target: Any
) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/appeals",
        user,
        {"procedure_type": kind, "day": day, "reason": "beroepschrift ontvangen", **target},
        headers={"If-Match": version(live, person)},
    )


def _procedure(live: Server, proc: int, user: str = LITIGATION) -> dict[str, Any]:
    reply = live.get(f"/api/v1/procedures/{proc}", user)
    assert reply.status == 200, reply.text
    body: dict[str, Any] = reply.body
    return body


def _end(
    live: Server, proc: int, ending: str, day: str, user: str = LITIGATION, **extra: Any
) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/appeals/{proc}/outcome",
        user,
        {"ending": ending, "day": day, "reason": "uitspraak ontvangen", **extra},
        headers={"If-Match": f'"{_procedure(live, proc, user)["version"]}"'},
    )


def _again(live: Server, proc: int, after: int, day: str, user: str = "ind") -> Reply:
    return live.request(
        "POST",
        f"/api/v1/procedures/{proc}/decided-again",
        user,
        {
            "outcome": "granted",
            "after": after,
            "day": day,
            "grounds": "Vw 2000 art. 29",
            "reason": "na gegrond beroep",
        },
        headers={"If-Match": f'"{_procedure(live, proc, user)["version"]}"'},
    )


def _count(live: Server, person: int) -> int:
    return len(live.get(f"/api/v1/persons/{person}/procedures", "ind").body["results"])


def test_each_kind_is_lodged_linked_to_what_it_contests(live: Server) -> None:
    from keten.server.dossiers.models import Procedure

    person, original, refusal = _refusal(live)
    appeal = _lodge(live, person, "appeal", _day(140), contests=refusal)
    assert appeal.status == 201, appeal.text
    assert appeal.body["contests"]["decision"] == refusal
    assert appeal.body["contests"]["procedure"] == original
    relief = _lodge(live, person, "interim_relief", _day(139), contests=refusal)
    assert relief.status == 201, relief.text
    # The judgment on the appeal, then the higher appeal against that judgment.
    judged = _end(live, appeal.body["id"], "judgment", _day(60), outcome="unfounded")
    assert judged.status == 201, judged.text
    judgment = judged.body["decision"]["id"]
    higher = _lodge(live, person, "higher_appeal", _day(50), contests=judgment)
    assert higher.status == 201, higher.text
    assert higher.body["contests"]["procedure"] == appeal.body["id"]
    # Stored as the dossier holds it: the foreign key, and the opening event on the day.
    stored = {p.pk: p for p in Procedure.objects.filter(person_id=person)}
    assert stored[appeal.body["id"]].contests_id == refusal
    assert stored[relief.body["id"]].contests_id == refusal
    assert stored[higher.body["id"]].contests_id == judgment
    assert stored[appeal.body["id"]].started_on == date.today() - timedelta(days=140)
    side = live.get(f"/api/v1/procedures/{original}/appeals", LITIGATION).body
    assert [a["id"] for a in side["contested_by"]] == [appeal.body["id"], relief.body["id"]]
    assert side["contested_by"][0]["ending"]["outcome"] == "unfounded"


def test_a_detention_appeal_names_the_detention_measure(live: Server) -> None:
    from keten.server.dossiers.models import Procedure

    person = int(register(live, "dtenv", surname="Bewaring")["id"])
    measure = live.request(
        "POST",
        f"/api/v1/persons/{person}/measures",
        "dtenv",
        {"kind": "detention", "start": _day(20), "legal_basis": "art. 59 Vw", "reason": "x"},
        headers={"If-Match": version(live, person)},
    )
    assert measure.status == 201, measure.text
    lodged = _lodge(live, person, "detention_appeal", _day(18), measure=measure.body["id"])
    assert lodged.status == 201, lodged.text
    assert lodged.body["measure"] == measure.body["id"] and lodged.body["contests"] is None
    assert Procedure.objects.get(pk=lodged.body["id"]).subject == f"measure:{measure.body['id']}"
    # Before the detention began: refused.
    early = _lodge(live, person, "detention_appeal", _day(25), measure=measure.body["id"])
    assert early.status == 422 and early.body["field"] == "day"
    # Judged unfounded within the fortnight (Vw 2000 art. 94).
    assert _end(live, lodged.body["id"], "judgment", _day(8), outcome="unfounded").status == 201


def test_refusals_name_the_field_in_dutch_and_store_nothing(live: Server) -> None:
    person, _original, refusal = _refusal(live)
    _other, _, others_refusal = _refusal(live)
    before = _count(live, person)

    def refused(reply: Reply, status: int, field: str) -> None:
        assert reply.status == status, reply.text
        assert reply.body["field"] == field
        assert reply.body.get("rule_nl"), reply.body  # the rule in Dutch too
        assert _count(live, person) == before

    # Another person's decision: 422 (it is in the role's scope, so it is no secret).
    refused(_lodge(live, person, "appeal", _day(100), contests=others_refusal), 422, "contests")
    # A decision that does not exist: 404, as scope answers.
    refused(_lodge(live, person, "appeal", _day(100), contests=10**12), 404, "contests")
    # Lodged before the decision (decided 150 days ago).
    refused(_lodge(live, person, "appeal", _day(151), contests=refusal), 422, "day")
    # A day in the future.
    refused(_lodge(live, person, "appeal", _day(-1), contests=refusal), 422, "day")
    # A higher appeal against the IND's decision instead of a judgment.
    refused(_lodge(live, person, "higher_appeal", _day(100), contests=refusal), 422, "contests")
    # An appeal against a judgment.
    appeal = _lodge(live, person, "appeal", _day(140), contests=refusal)
    assert appeal.status == 201
    before += 1
    judged = _end(live, appeal.body["id"], "judgment", _day(60), outcome="well_founded")
    judgment = judged.body["decision"]["id"]
    refused(_lodge(live, person, "appeal", _day(50), contests=judgment), 422, "contests")
    refused(_lodge(live, person, "interim_relief", _day(50), contests=judgment), 422, "contests")
    # A second open appeal of the same kind against the same decision; once the first has
    # ended, a new one may be lodged (here: after the applicant withdrew the first).
    second_decision = _refusal(live)
    first = _lodge(live, second_decision[0], "appeal", _day(140), contests=second_decision[2])
    assert first.status == 201
    again = _lodge(live, second_decision[0], "appeal", _day(139), contests=second_decision[2])
    assert again.status == 422 and again.body["field"] == "contests"
    assert "loopt al" in again.body["rule_nl"]
    assert _end(live, first.body["id"], "withdrawn", _day(100)).status == 201
    third = _lodge(live, second_decision[0], "appeal", _day(90), contests=second_decision[2])
    assert third.status == 201, third.text


def test_only_the_litigation_role_lodges_and_records_the_court(live: Server) -> None:
    person, _original, refusal = _refusal(live)
    # The IND's decision officer neither lodges a court procedure nor records its outcome.
    by_case_worker = _lodge(live, person, "appeal", _day(100), user="ind", contests=refusal)
    assert by_case_worker.status == 403
    assert _lodge(live, person, "appeal", _day(100), user="coa", contests=refusal).status == 403
    # The generic lodging path would store an appeal without its link: refused there.
    generic = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        LITIGATION,
        {"procedure_type": "appeal", "day": _day(100), "reason": "x"},
        headers={"If-Match": version(live, person)},
    )
    assert generic.status == 422 and "/appeals" in generic.body["rule"]
    appeal = _lodge(live, person, "appeal", _day(100), contests=refusal)
    assert appeal.status == 201
    assert (
        _end(live, appeal.body["id"], "judgment", _day(50), "ind", outcome="unfounded").status
        == 403
    )
    # Nor through the generic decision and event paths.
    generic_decide = live.request(
        "POST",
        f"/api/v1/procedures/{appeal.body['id']}/decisions",
        LITIGATION,
        {"outcome": "unfounded", "day": _day(50), "grounds": "x", "reason": "x"},
        headers={"If-Match": f'"{appeal.body["version"]}"'},
    )
    assert generic_decide.status == 422
    generic_event = live.request(
        "POST",
        f"/api/v1/procedures/{appeal.body['id']}/events",
        LITIGATION,
        {"kind": "judgment", "day": _day(50), "reason": "x"},
        headers={"If-Match": f'"{appeal.body["version"]}"'},
    )
    assert generic_event.status == 422


def test_outcomes_end_a_court_procedure_once(live: Server) -> None:
    from keten.server.dossiers.models import Decision, ProcedureEvent

    person, _original, refusal = _refusal(live)
    appeal = _lodge(live, person, "appeal", _day(140), contests=refusal).body["id"]
    # Before it was lodged: refused.
    early = _end(live, appeal, "judgment", _day(141), outcome="unfounded")
    assert early.status == 422 and early.body["field"] == "day"
    # A withdrawal has no outcome.
    odd = _end(live, appeal, "withdrawn", _day(100), outcome="unfounded")
    assert odd.status == 400 and odd.body["field"] == "outcome"
    judged = _end(live, appeal, "judgment", _day(60), outcome="inadmissible")
    assert judged.status == 201, judged.text
    assert judged.body["decision"]["outcome"] == "inadmissible"
    stored = Decision.objects.get(pk=judged.body["decision"]["id"])
    assert stored.procedure_id == appeal and stored.decided_on == date.today() - timedelta(60)
    assert ProcedureEvent.objects.get(pk=stored.event_id).kind == "judgment"
    twice = _end(live, appeal, "withdrawn", _day(50))
    assert twice.status == 422 and "al beëindigd" in twice.body["rule_nl"]


def test_decided_again_only_after_a_well_founded_appeal_or_a_withdrawal(live: Server) -> None:
    """Seed 003 counts "Totaal afgehandelde asielaanvragen (inclusief beslissingen na gegrond
    beroep en intrekken beschikking)": the decision again is a second Decision on the original
    procedure, its first decision stays, each counted once."""
    from keten.server.dossiers.models import Decision, ProcedureEvent

    person, original, refusal = _refusal(live)
    appeal = _lodge(live, person, "appeal", _day(140), contests=refusal).body["id"]
    # Nothing to follow while the appeal runs.
    pending = _again(live, original, appeal, _day(10))
    assert pending.status == 422 and pending.body["field"] == "after"
    assert _end(live, appeal, "judgment", _day(60), outcome="well_founded").status == 201
    # Before the judgment: refused; the litigation role does not decide on the application.
    assert _again(live, original, appeal, _day(61)).status == 422
    assert _again(live, original, appeal, _day(30), user=LITIGATION).status == 403
    done = _again(live, original, appeal, _day(30))
    assert done.status == 201, done.text
    assert done.body["decision"]["outcome"] == "granted"
    # Once per court procedure.
    twice = _again(live, original, appeal, _day(20))
    assert twice.status == 422 and "elk besluit één keer" in twice.body["rule_nl"]
    outcomes = list(
        Decision.objects.filter(procedure_id=original)
        .order_by("id")
        .values_list("outcome", flat=True)
    )
    assert outcomes == ["refused", "granted"]
    kinds = list(
        ProcedureEvent.objects.filter(procedure_id=original)
        .order_by("day", "id")
        .values_list("kind", "data")
    )
    assert kinds[-1] == ("decided_again", {"after": appeal})
    # The ordinary decision path still refuses a second decision ("al besloten").
    ordinary = live.request(
        "POST",
        f"/api/v1/procedures/{original}/decisions",
        "ind",
        {"outcome": "granted", "day": _day(5), "grounds": "x", "reason": "x"},
        headers={"If-Match": f'"{_procedure(live, original, "ind")["version"]}"'},
    )
    assert ordinary.status == 422 and "al besloten" in ordinary.body["rule_nl"]
    # Nor is decided_again recorded as a bare event.
    bare = live.request(
        "POST",
        f"/api/v1/procedures/{original}/events",
        "ind",
        {"kind": "decided_again", "day": _day(5), "data": {"after": appeal}, "reason": "x"},
        headers={"If-Match": f'"{_procedure(live, original, "ind")["version"]}"'},
    )
    assert bare.status == 422


def test_no_decision_again_after_unfounded_or_withdrawn_by_the_applicant(live: Server) -> None:
    person, original, refusal = _refusal(live)
    unfounded = _lodge(live, person, "appeal", _day(140), contests=refusal).body["id"]
    assert _end(live, unfounded, "judgment", _day(100), outcome="unfounded").status == 201
    assert _again(live, original, unfounded, _day(50)).status == 422
    withdrawn = _lodge(live, person, "appeal", _day(90), contests=refusal).body["id"]
    assert _end(live, withdrawn, "withdrawn", _day(80)).status == 201
    assert _again(live, original, withdrawn, _day(50)).status == 422
    # The IND withdrawing its decision ("intrekken beschikking", seed 003) ends the appeal and
    # is followed by a decision again.
    by_ind = _lodge(live, person, "appeal", _day(70), contests=refusal).body["id"]
    assert _end(live, by_ind, "decision_withdrawn", _day(60)).status == 201
    assert _again(live, original, by_ind, _day(40)).status == 201
    # A court procedure against another person's decision is no reason to decide again here.
    other, _other_original, other_refusal = _refusal(live)
    theirs = _lodge(live, other, "appeal", _day(140), contests=other_refusal).body["id"]
    assert _end(live, theirs, "judgment", _day(100), outcome="well_founded").status == 201
    assert _again(live, original, theirs, _day(50)).status == 422


def test_writes_are_audited_with_who_and_why(live: Server) -> None:
    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import ProcedureEvent

    person, _original, refusal = _refusal(live)
    appeal = _lodge(live, person, "appeal", _day(140), contests=refusal).body["id"]
    opening = ProcedureEvent.objects.get(procedure_id=appeal)
    assert opening.recorded_role == "ind_litigation" and opening.reason == "beroepschrift ontvangen"
    names = set(
        AuditRecord.objects.filter(object_ref=f"procedure:{appeal}").values_list("name", flat=True)
    )
    assert "appeal.lodge" in names
