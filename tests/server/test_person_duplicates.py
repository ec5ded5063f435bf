"""The same person registered twice (issue 16, item 1: "registering a second identical 'Omar
Rahimi' raises no warning"): the warning before saving, in the API and on the page; the review
queue; merge and "not a duplicate" as audited decisions, and what is refused."""

from __future__ import annotations

from typing import Any

from tests.server.live import Browser, Reply, Server
from tests.server.world import register, v_number


def _body(given: str, surname: str, birth: str, **extra: Any) -> dict[str, Any]:
    return {
        "v_number": v_number(),
        "given_names": given,
        "surname": surname,
        "birth_date": birth,
        "nationality": "AFG",
        "reason": "aanmelding",
        **extra,
    }


def _register(live: Server, user: str, body: dict[str, Any]) -> Reply:
    return live.request("POST", "/api/v1/persons", user, body)


def _decide(
    live: Server,
    user: str,
    duplicate: dict[str, Any],
    survivor: dict[str, Any],
    decision: str = "merge",
    **extra: Any,
) -> Reply:
    body = {
        "decision": decision,
        "other_person_id": survivor["id"],
        "other_version": survivor["version"],
        "reason": "zelfde vingerafdrukken",
        **extra,
    }
    headers = {"If-Match": f'"{duplicate["version"]}"'}
    return live.request("POST", f"/api/v1/duplicates/{duplicate['id']}", user, body, headers)


def _fresh(live: Server, person: dict[str, Any]) -> dict[str, Any]:
    reply = live.get(f"/api/v1/persons/{person['id']}", "ind")
    assert reply.status == 200, reply.text
    out: dict[str, Any] = reply.body
    return out


def test_registering_omar_rahimi_twice_warns_with_the_candidate(live: Server) -> None:
    first = _register(live, "ind", _body("Omar", "Rahimi", "1993-07-21"))
    assert first.status == 201, first.text
    again = _register(live, "ind", _body("Omer", "Rahimi", "1993-07-21"))
    assert again.status == 409
    assert again.body["type"] == "urn:keten:problem:possible-duplicate"
    assert again.body["field"] == "confirm_not_duplicate"
    assert "lijken op" in again.body["detail_nl"]
    assert [c["id"] for c in again.body["candidates"]] == [first.body["id"]]
    # Nothing was stored: the same V-number registers once confirmed.
    body = _body("Omer", "Rahimi", "1993-07-21")
    confirmed = _register(live, "ind", {**body, "confirm_not_duplicate": True})
    assert confirmed.status == 201, confirmed.text
    from keten.server.dossiers.models import DossierEvent

    event = DossierEvent.objects.get(person_id=confirmed.body["id"], kind="registered")
    assert event.payload["confirmed_not_duplicate_of"] == [first.body["id"]]
    assert event.recorded_by == "ind" and event.reason == "aanmelding"


def test_the_warning_does_not_reveal_persons_outside_the_scope(live: Server) -> None:
    """DTenV (scope granted) registers a person the IND registered: DTenV holds no grant for
    them, so no candidate is named and the registration goes through."""
    hidden = _register(live, "ind", _body("Zarmina", "Noorzai", "1988-02-02"))
    assert hidden.status == 201
    reply = _register(live, "dtenv", _body("Zarmina", "Noorzai", "1988-02-02"))
    assert reply.status == 201, reply.text
    assert "candidates" not in reply.body


def test_a_different_birth_date_is_no_duplicate(live: Server) -> None:
    assert _register(live, "ind", _body("Bashir", "Wardakzai", "1970-01-01")).status == 201
    assert _register(live, "ind", _body("Bashir", "Wardakzai", "1971-01-01")).status == 201


def test_confirm_must_be_true_or_false(live: Server) -> None:
    reply = _register(live, "ind", _body("X", "Y", "1990-00-00", confirm_not_duplicate="ja"))
    assert reply.status == 400 and reply.body["field"] == "confirm_not_duplicate"


def test_review_queue_merge_and_what_is_refused(live: Server) -> None:
    a = _register(live, "ind", _body("Hamid", "Sultanzada", "1979-11-30")).body
    b = _register(
        live, "ind", _body("Hameed", "Sultanzada", "1979-11-30", confirm_not_duplicate=True)
    ).body
    queue = live.get("/api/v1/duplicates", "ind")
    assert queue.status == 200, queue.text
    pairs = [(r["person"]["id"], r["other"]["id"]) for r in queue.body["results"]]
    assert (a["id"], b["id"]) in pairs
    # Only the IND may review (policy.yaml duplicate_review).
    assert live.get("/api/v1/duplicates", "coa").status == 403
    assert _decide(live, "dtenv", b, a).status == 403

    themselves = _decide(live, "ind", a, a)
    assert themselves.status == 400 and themselves.body["field"] == "other_person_id"
    stale = _decide(live, "ind", {**b, "version": b["version"] + 5}, a)
    assert stale.status == 409
    no_reason = _decide(live, "ind", b, a, reason="")
    assert no_reason.status == 400 and no_reason.body["field"] == "reason"

    merged = _decide(live, "ind", b, a)
    assert merged.status == 201, merged.text
    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import DossierEvent, DuplicateDecision

    into = DossierEvent.objects.get(person_id=b["id"], kind="merged_into")
    assert into.payload["survivor_id"] == a["id"] and into.reason == "zelfde vingerafdrukken"
    assert (
        DossierEvent.objects.get(person_id=a["id"], kind="merged_from").payload["duplicate_id"]
        == b["id"]
    )
    assert DuplicateDecision.objects.get(person_id=b["id"], other_id=a["id"]).decision == "merged"
    assert AuditRecord.objects.filter(name="person.merge").count() >= 2
    # Read through the survivor; search lists the survivor only; the pair left the queue.
    assert _fresh(live, b)["merged_into"] == a["id"]
    found = live.get("/api/v1/persons?q=sultanzada", "ind").body["results"]
    assert [r["id"] for r in found] == [a["id"]]
    queue = live.get("/api/v1/duplicates", "ind").body["results"]
    assert (a["id"], b["id"]) not in [(r["person"]["id"], r["other"]["id"]) for r in queue]
    # The procedures stay where they were: nothing moved (services/person_duplicates.py).
    assert DossierEvent.objects.filter(person_id=b["id"], kind="registered").exists()

    twice = _decide(live, "ind", _fresh(live, b), _fresh(live, a))
    assert twice.status == 422 and "al samengevoegd" in twice.body["detail_nl"]
    c = register(live, given_names="Derde", surname="Sultanzada", birth_date="1950-00-00")
    into_merged = _decide(live, "ind", c, _fresh(live, b))
    assert into_merged.status == 422 and into_merged.body["field"] == "other_person_id"


def test_not_a_duplicate_takes_the_pair_off_the_queue(live: Server) -> None:
    a = _register(live, "ind", _body("Gul", "Ahmadzai-Tarin", "1990-05-05")).body
    b = _register(
        live, "ind", _body("Gul", "Ahmadzai Tarin", "1990-05-05", confirm_not_duplicate=True)
    ).body
    reply = _decide(live, "ind", b, a, decision="distinct")
    assert reply.status == 201, reply.text
    queue = live.get("/api/v1/duplicates", "ind").body["results"]
    assert (a["id"], b["id"]) not in [(r["person"]["id"], r["other"]["id"]) for r in queue]
    again = _decide(live, "ind", _fresh(live, b), _fresh(live, a), decision="distinct")
    assert again.status == 422


def test_the_register_page_warns_and_registers_on_confirmation(live: Server) -> None:
    first = _register(live, "ind", _body("Mahbooba", "Qaderdan", "1985-09-09")).body
    browser = Browser(live.base)
    browser.login("ind")
    form = {k: str(v) for k, v in _body("Mahbuba", "Qaderdan", "1985-09-09").items()}
    form["sex"] = "f"
    status, html = browser.open("/persons/new", form)
    assert status == 409
    assert 'id="possible-duplicates"' in html and f'href="/persons/{first["id"]}"' in html
    assert 'name="confirm_not_duplicate"' in html
    status, html = browser.open("/persons/new", {**form, "confirm_not_duplicate": "on"})
    assert status == 200 and form["v_number"] in html


def test_the_review_page_merges_a_pair(live: Server) -> None:
    a = _register(live, "ind", _body("Farzana", "Paghmaniwal", "1999-03-03")).body
    b = _register(
        live, "ind", _body("Farzana", "Paghmaniwal", "1999-03-03", confirm_not_duplicate=True)
    ).body
    browser = Browser(live.base)
    browser.login("ind")
    status, html = browser.open("/dubbelen")
    assert status == 200 and b["v_number"] in html
    status, html = browser.open(
        "/dubbelen/besluit",
        {
            "decision": "merge",
            "person_id": str(b["id"]),
            "other_person_id": str(a["id"]),
            "person_version": str(b["version"]),
            "other_version": str(a["version"]),
            "reason": "zelfde persoon",
        },
    )
    assert status == 200 and f"{b['v_number']} is samengevoegd met {a['v_number']}" in html
    status, html = browser.open(f"/persons/{b['id']}")
    assert 'id="merged-into"' in html and f'href="/persons/{a["id"]}"' in html
    coa = Browser(live.base)
    coa.login("coa")
    assert coa.open("/dubbelen")[0] == 403
