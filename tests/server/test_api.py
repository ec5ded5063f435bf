"""The API over real HTTP: design rules, errors, concurrency, deadlines moving with events."""

from __future__ import annotations

import time
from datetime import date, timedelta

from keten.catalog.loader import load_catalog
from tests.server.live import Reply, Server
from tests.server.world import World, register, version


def test_openapi_is_public_and_stable(live: Server) -> None:
    reply = live.request("GET", "/api/v1/openapi.json")
    assert reply.status == 200
    assert reply.body["openapi"].startswith("3.")
    assert "/api/v1/persons/{person_id}" in reply.body["paths"]
    assert reply.headers["API-Version"] == "1.0.0"


def test_no_trailing_slashes_and_auth_required(live: Server) -> None:
    assert live.get("/api/v1/persons/", "ind").status == 404
    reply = live.request("GET", "/api/v1/persons")
    assert reply.status == 401
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert reply.body["field"] == "Authorization"


def test_bad_input_names_field_and_rule_and_writes_nothing(live: Server) -> None:
    def register_with(**fields: str) -> Reply:
        body = {
            "v_number": "1234567890",
            "given_names": "A",
            "surname": "B",
            "birth_date": "1990-00-00",
            "nationality": "SYR",
            "reason": "test",
            **fields,
        }
        return live.request("POST", "/api/v1/persons", "ind", body)

    reply = register_with(v_number="12345", nationality="XXX")
    assert reply.status == 400
    assert reply.body["field"] == "v_number" and "ten digits" in reply.body["rule"]
    assert reply.body["invalidParams"][0]["name"] == "v_number"
    bad_bsn = register_with(birth_date="1990-02-30")
    assert bad_bsn.status == 400 and bad_bsn.body["field"] == "birth_date"
    unknown_country = register_with(birth_date="1990-02-03", nationality="ABC")
    assert unknown_country.status == 400 and unknown_country.body["field"] == "nationality"
    assert "ISO 3166-1" in unknown_country.body["rule"]
    elfproef = register_with(bsn="123456789", reason="t")
    assert elfproef.status == 400 and elfproef.body["field"] == "bsn"
    assert "elfproef" in elfproef.body["rule"]
    assert live.get("/api/v1/persons?v_number=1234567890", "ind").body["results"] == []


def test_ambiguous_input_is_refused_not_guessed(live: Server, world: World) -> None:
    """Bad input gets a clear error that names the field and the rule, and a dossier never
    silently changes: input that could mean two things, or contradicts itself, is refused,
    and nothing is written."""
    person = register(live)
    pid = person["id"]
    etag = version(live, pid)

    def refused(method: str, path: str, body: dict[str, object], field: str) -> None:
        reply = live.request(method, path, "ind", body, headers={"If-Match": etag})
        assert reply.status == 400 and reply.body["field"] == field, reply.text
        assert version(live, pid) == etag  # nothing written

    # JSON true is not a person's number (Python would take it for 1).
    refused(
        "POST",
        f"/api/v1/persons/{pid}/family",
        {"relation": "partner", "other_person_id": True, "reason": "x"},
        "other_person_id",
    )
    # A correction names the new value; an empty one is not "unknown (x)".
    refused("PATCH", f"/api/v1/persons/{pid}", {"sex": None, "reason": "x"}, "sex")
    refused("PATCH", f"/api/v1/persons/{pid}", {"sex": "", "reason": "x"}, "sex")
    # A lodged application's day comes from its first event; two different days are refused.
    today = date.today()
    refused(
        "POST",
        f"/api/v1/persons/{pid}/procedures",
        {
            "procedure_type": "asylum_first",
            "day": today.isoformat(),
            "event": {"kind": "lodged", "day": (today - timedelta(days=1)).isoformat()},
            "reason": "x",
        },
        "day",
    )
    # An empty first event is an event without a kind, not "the usual first event".
    refused(
        "POST",
        f"/api/v1/persons/{pid}/procedures",
        {"procedure_type": "asylum_first", "event": {}, "reason": "x"},
        "kind",
    )
    # The body's version, read when no If-Match header is sent, must be a version number.
    no_header = live.request(
        "PATCH", f"/api/v1/persons/{pid}", "ind", {"surname": "X", "version": None, "reason": "x"}
    )
    assert no_header.status == 400 and no_header.body["field"] == "version", no_header.text
    assert version(live, pid) == etag
    # A residence document valid until a day before it was issued.
    refused(
        "POST",
        f"/api/v1/persons/{pid}/documents",
        {
            "kind": "w_document",
            "number": "W1",
            "issued": today.isoformat(),
            "valid_until": (today - timedelta(days=1)).isoformat(),
            "reason": "x",
        },
        "valid_until",
    )
    # A decision's closing event is named by its kind, as text.
    proc = live.get(f"/api/v1/procedures/{world.procedure}", "ind")
    decided = live.request(
        "POST",
        f"/api/v1/procedures/{world.procedure}/decisions",
        "ind",
        {"outcome": "refused", "day": today.isoformat(), "event_kind": 5, "reason": "x"},
        headers={"If-Match": proc.headers["ETag"]},
    )
    assert decided.status == 400 and decided.body["field"] == "event_kind", decided.text
    assert (
        live.get(f"/api/v1/procedures/{world.procedure}", "ind").headers["ETag"]
        == (proc.headers["ETag"])
    )


def test_a_revoked_token_is_refused_once_the_token_cache_expires(live: Server) -> None:
    """The server remembers a token's user and role for TOKEN_CACHE_SECONDS (1 s for the test
    server); after that a revoked token answers 401."""
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from keten.server.organisations.models import Membership, Organisation

    user = User.objects.create(username="revoked-soon")
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(code="IND"), role="ind_case_worker"
    )
    live.tokens["revoked-soon"] = Token.objects.create(user=user).key
    assert live.get("/api/v1/me", "revoked-soon").status == 200
    Token.objects.filter(user=user).delete()
    time.sleep(1.2)
    assert live.get("/api/v1/me", "revoked-soon").status == 401


def test_valid_bsn_and_partly_unknown_birth_date(live: Server) -> None:
    person = register(live, bsn="111222333", birth_date="1988-07-00", nationality="xxa")
    assert person["bsn"] == "111222333"
    assert person["birth_date_complete"] is False
    assert person["nationality"] == "XXA" and person["nationality_name"] == "staatloos"


def test_stale_write_gets_409_with_current_version(live: Server, world: World) -> None:
    current = version(live, world.p)
    first = live.request(
        "POST",
        f"/api/v1/persons/{world.p}/measures",
        "dtenv",
        {"kind": "reporting_duty", "start": date.today().isoformat(), "reason": "weekly"},
        headers={"If-Match": current},
    )
    assert first.status == 201
    stale = live.request(
        "POST",
        f"/api/v1/persons/{world.p}/measures",
        "dtenv",
        {"kind": "reporting_duty", "start": date.today().isoformat(), "reason": "again"},
        headers={"If-Match": current},
    )
    assert stale.status == 409
    assert stale.body["currentVersion"] == int(current.strip('"')) + 1
    assert stale.body["current"]["id"] == world.p
    missing = live.request(
        "POST",
        f"/api/v1/persons/{world.p}/measures",
        "dtenv",
        {"kind": "reporting_duty", "start": "2026-01-01", "reason": "x"},
    )
    assert missing.status == 428 and missing.body["field"] == "If-Match"


def test_suspension_moves_the_deadline_and_decision_closes_it(live: Server) -> None:
    person = register(live)
    lodged_on = date.today() - timedelta(days=30)
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/procedures",
        "ind",
        {"procedure_type": "regular_residence", "day": lodged_on.isoformat(), "reason": "aanvraag"},
        headers={"If-Match": f'"{person["version"]}"'},
    )
    assert lodged.status == 201, lodged.text
    pid, due = lodged.body["id"], lodged.body["due"]
    asked = live.request(
        "POST",
        f"/api/v1/procedures/{pid}/events",
        "ind",
        {
            "kind": "incomplete_notice",
            "day": (lodged_on + timedelta(days=5)).isoformat(),
            "reason": "stukken ontbreken",
        },
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert asked.status == 201 and asked.body["status"] == "suspended"
    done = live.request(
        "POST",
        f"/api/v1/procedures/{pid}/events",
        "ind",
        {
            "kind": "completed",
            "day": (lodged_on + timedelta(days=15)).isoformat(),
            "reason": "aangevuld",
        },
        headers={"If-Match": asked.headers["ETag"]},
    )
    assert done.status == 201
    # Awb 4:15: nine days stood still (from the day after the request until completion); the
    # Atw may have moved the old end off a weekend, so the shift is at most nine days.
    moved = (date.fromisoformat(done.body["due"]) - date.fromisoformat(due)).days
    assert 6 <= moved <= 9
    detail = live.get(f"/api/v1/procedures/{pid}", "ind").body
    steps = [s["step"] for d in detail["state"]["deadlines"] for s in d["trail"]]
    assert "suspension" in steps
    unknown = live.request(
        "POST",
        f"/api/v1/procedures/{pid}/events",
        "ind",
        {"kind": "hearing", "day": date.today().isoformat(), "reason": "x"},
        headers={"If-Match": done.headers["ETag"]},
    )
    assert unknown.status == 400 and unknown.body["field"] == "event"
    decided = live.request(
        "POST",
        f"/api/v1/procedures/{pid}/decisions",
        "ind",
        {"outcome": "granted", "day": date.today().isoformat(), "reason": "voldoet"},
        headers={"If-Match": done.headers["ETag"]},
    )
    assert decided.status == 201
    assert decided.body["procedure"]["status"] == "closed"
    again = live.request(
        "POST",
        f"/api/v1/procedures/{pid}/decisions",
        "ind",
        {"outcome": "refused", "day": date.today().isoformat(), "grounds": "x", "reason": "x"},
        headers={"If-Match": decided.headers["ETag"]},
    )
    # Well-formed, but the case already holds a decision: a contradiction, not a typing error.
    assert again.status == 422 and again.body["field"] == "procedure"
    assert again.body["type"] == "urn:keten:problem:contradicts-case"


def test_queue_orders_by_priority_then_deadline(live: Server) -> None:
    reply = live.get("/api/v1/queue?page_size=100", "ind")
    assert reply.status == 200
    rows = reply.body["results"]
    assert rows and all(r["queue"] == "ind" and r["team"] == "beslissen" for r in rows)
    keys = [(r["priority"], r["due"] or "9999") for r in rows]
    assert keys == sorted(keys)
    page2 = live.get("/api/v1/queue?page_size=1&page=2", "ind")
    assert page2.body["results"][0]["id"] == rows[1]["id"]
    summary = live.get("/api/v1/queue/summary", "ind").body
    assert summary["open"] >= len(rows) and summary["dwangsom_exposure_eur"] >= 0
    bad = live.get("/api/v1/queue?page_size=1000", "ind")
    assert bad.status == 400 and bad.body["field"] == "page_size"


def test_minor_gets_pact_priority(live: Server) -> None:
    child = register(live, birth_date=f"{date.today().year - 10}-01-01", unaccompanied_minor=True)
    lodged = live.request(
        "POST",
        f"/api/v1/persons/{child['id']}/procedures",
        "disa",
        {"procedure_type": "asylum_first", "day": date.today().isoformat(), "reason": "aanmelding"},
        headers={"If-Match": f'"{child["version"]}"'},
    )
    assert lodged.status == 201, lodged.text
    assert lodged.body["priority"] == 0 and lodged.body["priority_text"] == "amv"


def test_municipality_sees_only_matched_persons(live: Server, world: World) -> None:
    rows = live.get("/api/v1/persons?page_size=100", "gemeente-utrecht").body["results"]
    ids = {r["id"] for r in rows}
    assert world.p in ids and world.q not in ids


def test_a_granted_roles_queue_holds_only_granted_persons(live: Server) -> None:
    """DTenV sees persons handed over to it: two open departure procedures, one of a person
    with a grant to DTenV, one without; the queue lists the first and not the second."""
    from keten.server.dossiers.models import AccessGrant, Person, Procedure

    def departure(person_id: int) -> int:
        # Test set-up straight in the database: a case in DTenV's queue, first in line.
        return Procedure.objects.create(
            person=Person.objects.get(pk=person_id),
            procedure_type="departure",
            queue="dtenv",
            team="vertrek",
            status="open",
            priority=0,
            due=date.today(),
        ).pk

    granted, hidden = int(register(live)["id"]), int(register(live)["id"])
    AccessGrant.objects.create(
        person_id=granted, organisation_id="DTenV", reason="test", since=date.today()
    )
    shown, not_shown = departure(granted), departure(hidden)
    ids = set()
    for page in range(1, 20):
        reply = live.get(f"/api/v1/queue?page={page}&page_size=200", "dtenv")
        assert reply.status == 200, reply.text
        ids |= {r["id"] for r in reply.body["results"]}
        if not reply.body["has_next"]:
            break
    assert shown in ids and not_shown not in ids
    persons = {r["person"]["id"] for r in live.get("/api/v1/queue", "dtenv").body["results"]}
    assert persons <= set(
        AccessGrant.objects.filter(organisation_id="DTenV").values_list("person_id", flat=True)
    )


def test_dashboard_and_catalog(live: Server) -> None:
    d = live.get("/api/v1/dashboard", "ind").body
    assert d["procedures"] and "occupancy" in d and d["deadlines_missed"] >= 0
    asylum = next(r for r in d["procedures"] if r["procedure_type"] == "asylum_first")
    assert (asylum["name"], asylum["name_en"]) == (
        "Eerste asielaanvraag",
        "First asylum application",
    )
    places = {o["kind"]: o for o in d["occupancy"]}
    assert places["coa_regular"]["name"] == "COA reguliere opvang (azc)"
    assert places["coa_regular"]["name_en"] == "COA regular reception (azc)"
    cat = live.get("/api/v1/catalog/procedures", "coa").body
    assert len(cat["results"]) == len(load_catalog())  # every procedure type in the catalogue


def test_a_municipalitys_dashboard_counts_only_what_is_in_its_scope(live: Server) -> None:
    """The dashboard is "aggregates only ... within its scope for roles scoped to granted
    persons": a municipality counts the procedures of persons matched to it and its own
    organisation-level procedures (taakstelling), nobody else's."""
    from keten.server.dossiers.models import AccessGrant, Person, Procedure

    def counted() -> int:
        d = live.get("/api/v1/dashboard", "gemeente-utrecht").body
        return sum(
            row["by_status"].get("open", 0)
            for row in d["procedures"]
            if row["procedure_type"] == "housing_match"
        )

    def housing_match(person: Person | None, municipality: str | None = None) -> int:
        return Procedure.objects.create(
            person=person,
            procedure_type="housing_match",
            municipality=municipality,
            queue="municipality",
            status="open",
        ).pk

    before = counted()
    matched, other = (Person.objects.get(pk=register(live)["id"]) for _ in range(2))
    AccessGrant.objects.create(
        person=matched, organisation_id="gemeente-utrecht", reason="test", since=date.today()
    )
    made = [
        housing_match(matched),
        housing_match(None, "utrecht"),
        housing_match(other),  # not matched to Utrecht
        housing_match(None, "amsterdam"),  # another municipality's own
    ]
    try:
        assert counted() == before + 2
    finally:
        Procedure.objects.filter(pk__in=made).delete()
        AccessGrant.objects.filter(person=matched).delete()


def test_racing_writers_one_wins_the_rest_get_409(live: Server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    person = register(live)
    etag = f'"{person["version"]}"'

    def write(i: int) -> int:
        reply = live.request(
            "POST",
            f"/api/v1/persons/{person['id']}/documents",
            "ind",
            {"kind": "w_document", "number": f"R{i}", "issued": "2026-01-01", "reason": "race"},
            headers={"If-Match": etag},
        )
        return reply.status

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(write, range(8)))
    assert statuses.count(201) == 1 and statuses.count(409) == 7, statuses
    docs = live.get(f"/api/v1/persons/{person['id']}/documents", "ind").body["results"]
    assert len(docs) == 1  # the losers wrote nothing
