"""Every API and UI path touching personal data leaves an audit record; the hash chain holds
and `keten audit verify` names a row someone altered behind the application's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.server import appeal_calls, letter_calls
from tests.server.live import Browser, Reply, Server, database_env, keten
from tests.server.sites import site
from tests.server.world import World, grant_asylum, register, v_number, version

if TYPE_CHECKING:
    from django.db.models import Manager, QuerySet

    from keten.server.audit.models import AuditRecord

TODAY = date.today().isoformat()


def _records() -> Manager[AuditRecord]:
    # Django is set up by the `live` fixture; models are importable only after that.
    from keten.server.audit.models import AuditRecord

    return AuditRecord.objects


def _last_seq() -> int:
    last = _records().order_by("-seq").values_list("seq", flat=True).first()
    return int(last or 0)


def _about(person: int) -> QuerySet[AuditRecord]:
    """Records whose operation touched ``person`` (one of the record's subjects)."""
    from keten.server.audit.log import about

    return about(_records().all(), person)


def _new_records(since: int, person: int) -> list[AuditRecord]:
    return list(_about(person).filter(seq__gt=since).order_by("seq"))


# Routes that touch no personal data: the contract, the caller itself, the catalogue, the
# policy, aggregates. Every other route must appear in the table below.
NOT_PERSONAL = {
    ("GET", "openapi.json"),
    ("GET", "openapi.yaml"),
    ("GET", "me"),
    ("GET", "catalog/procedures"),
    ("GET", "rules"),
    ("GET", "policy"),
    ("GET", "dashboard"),
    ("GET", "queue/summary"),
    ("GET", "queue/team"),  # the team's user names: no person of the chain
    # The taakstelling: figures per municipality and half-year; its events record who and why.
    ("GET", "taakstelling"),
    ("POST", "taakstelling"),
    # The solidarity pool: the Netherlands' pledges and requests, no person; a record is an
    # audited write on the register (services/solidarity.py).
    ("GET", "solidarity"),
    ("POST", "solidarity"),
    # Detention statistics: figures per month, group and nationality.
    ("GET", "detention/statistics"),
    # The IND annual figures: counts per product and year, no person.
    ("GET", "reports/annual"),
    # The location register: figures; registering and changing capacity are audited writes
    # on the register (services/locations.py), not on a person.
    ("GET", "locations"),
    ("POST", "locations"),
    ("POST", "locations/<str:code>/capacity"),
    # Occupancy: counts per location, province and kind, no names (like the dashboard).
    ("GET", "occupancy"),
    ("GET", "occupancy/series"),
    ("GET", "occupancy/allocation"),
    # Return: the cooperation register per country and the departure figures (no person).
    ("GET", "return/countries"),
    ("GET", "return/statistics"),
    # The country register: public figures and lists per country, no person.
    ("GET", "countries"),
    ("GET", "countries/<str:code>"),
    # Country-of-origin reports: public documents, no person; registering and superseding
    # are audited writes on the document (services/coi.py).
    ("GET", "coi"),
    ("POST", "coi"),
    ("GET", "coi/<int:document_id>"),
    ("POST", "coi/<int:document_id>/supersede"),
    # Special flights and missions with the partner: seats, never persons; planning is an
    # audited write on the operation (services/return_operations.py).
    ("GET", "return/operations"),
    ("POST", "return/operations"),
    # Escorts per side and service, and joint requests to a country of origin: counts, never
    # persons; each write is audited on the operation or the request (services/
    # return_escorts.py, joint_requests.py).
    ("GET", "return/operations/<int:operation_id>/escorts"),
    ("POST", "return/operations/<int:operation_id>/escorts"),
    ("GET", "return/joint-requests"),
    ("POST", "return/joint-requests"),
    ("POST", "return/joint-requests/<int:request_id>/steps"),
    # The factsheet and the strategy document: aggregates only, no person.
    ("GET", "reports/factsheet"),
    ("GET", "reports/strategy"),
    # The forecast: scenarios and bands, no person; a start and a carry into the taakstelling
    # are audited writes on the forecast and the taakstelling (services/forecast_runs.py).
    ("GET", "forecast/scenarios"),
    ("GET", "forecast/runs"),
    ("POST", "forecast/runs"),
    ("GET", "forecast/runs/<int:run_id>"),
    ("POST", "forecast/runs/<int:run_id>/taakstelling"),
    ("GET", "forecast/compare"),
    # Monthly management information: figures per organisation, team, type and month.
    ("GET", "reports/monthly"),
    # One's own inbox state and horizon, and an organisation's webhook subscriptions (audited
    # writes on the subscription, services/webhooks.py): no person. Reading the inbox is.
    ("POST", "notifications/<int:notification_id>/read"),
    ("GET", "notifications/settings"),
    ("POST", "notifications/settings"),
    ("GET", "subscriptions"),
    ("POST", "subscriptions"),
    ("POST", "subscriptions/<int:subscription_id>/end"),
    ("GET", "subscriptions/<int:subscription_id>/deliveries"),
    # The exchange with partner services abroad: its persons are named by the partner's
    # identifiers, not chain dossiers, so its records have no V-number as subject; every read,
    # write and refusal is audited by message id (test_exchange_two_servers checks them).
    ("POST", "exchange/inbox"),
    ("POST", "exchange/inbox/<uuid:message_id>/answer"),
    ("GET", "exchange/messages"),
    ("POST", "exchange/requests"),
    ("POST", "exchange/shares"),
    ("POST", "exchange/inbox/<uuid:message_id>/take-over"),
    ("GET", "exchange/partners"),
}


def detention_of(live: Server, person: int) -> dict[str, Any]:
    """The person's detention, lodged by DTenV the first time it is asked for: the detention
    routes read the overview and correct its facts."""
    rows = live.get(f"/api/v1/persons/{person}/procedures", "dtenv").body["results"]
    found = next((r for r in rows if r["procedure_type"] == "detention"), None)
    if found is None:
        reply = live.request(
            "POST",
            f"/api/v1/persons/{person}/procedures",
            "dtenv",
            {
                "procedure_type": "detention",
                "day": TODAY,
                "facts": {"group": "unaccompanied_minor"},
                "reason": "audit",
            },
            headers={"If-Match": version(live, person)},
        )
        assert reply.status == 201, reply.text
        found = reply.body
    assert found is not None
    return live.get(f"/api/v1/procedures/{found['id']}", "dtenv").body  # type: ignore[no-any-return]


def toggled_facts(live: Server, person: int) -> tuple[int, int, bool]:
    """(procedure id, version, the first-encounter fact it does not hold now)."""
    proc = detention_of(live, person)
    return proc["id"], proc["version"], not proc["facts"].get("first_encountered", False)


def _binary(browser: Browser, path: str) -> tuple[int, str]:
    """A page that is a file (the queue's XLSX): its status, the body left unread as text."""
    with browser.opener.open(browser.base + path, timeout=60) as resp:
        resp.read()
        return resp.status, ""


def _assignment_version(proc: int) -> int:
    from keten.server.workqueue.models import CurrentAssignment

    held = CurrentAssignment.objects.filter(procedure_id=proc).first()
    return held.version if held is not None else 0


def _assign_p(live: Server, proc: int) -> Reply:
    """P's open asylum application assigned to the IND case worker's colleague, or back."""
    from keten.server.workqueue.models import CurrentAssignment

    held = CurrentAssignment.objects.filter(procedure_id=proc).first()
    to = "" if held is not None and held.assignee == "ind-collega" else "ind-collega"
    item = {"id": proc, "version": _assignment_version(proc)}
    body = {"procedures": [item], "assignee": to, "reason": "audit test"}
    return live.request("POST", "/api/v1/queue/assign", "ind", body)


def api_paths(world: World) -> dict[tuple[str, str], tuple[str, Callable[[Server], Reply]]]:
    """(method, route) -> (user, call). Records routes take their resource from the path."""
    p, proc, dec = world.p, world.procedure, world.decision

    def post(path: str, body: dict[str, object], user: str = "ind") -> Callable[[Server], Reply]:
        return lambda live: live.request(
            "POST",
            path,
            user,
            {**body, "reason": "audit test"},
            headers={"If-Match": version(live, p)},
        )

    def fresh_decision(live: Server) -> Reply:
        lodged = live.request(
            "POST",
            f"/api/v1/persons/{p}/procedures",
            "ind",
            {"procedure_type": "mvv", "day": TODAY, "reason": "audit"},
            headers={"If-Match": version(live, p)},
        )
        return live.request(
            "POST",
            f"/api/v1/procedures/{lodged.body['id']}/decisions",
            "ind",
            {"outcome": "granted", "day": TODAY, "reason": "audit"},
            headers={"If-Match": f'"{lodged.body["version"]}"'},
        )

    def departure_of_p(live: Server) -> Reply:
        """DTenV (P came to it by the amv hand-over) opens a departure and records it."""
        lodged = live.request(
            "POST",
            f"/api/v1/persons/{p}/procedures",
            "dtenv",
            {"procedure_type": "departure", "day": TODAY, "reason": "audit"},
            headers={"If-Match": version(live, p)},
        )
        assert lodged.status == 201, lodged.text
        return live.request(
            "POST",
            f"/api/v1/procedures/{lodged.body['id']}/departure",
            "dtenv",
            {"how": "absconded", "day": TODAY, "reason": "audit"},
            headers={"If-Match": f'"{lodged.body["version"]}"'},
        )

    def withdraw_own_handover(live: Server) -> Reply:
        """A hand-over the IND sent by mistake, withdrawn (Nidos keeps P by the world's)."""
        sent = live.request(
            "POST",
            f"/api/v1/persons/{p}/handovers",
            "ind",
            {"kind": "guardianship", "to_org": "Nidos", "day": TODAY, "reason": "audit"},
            headers={"If-Match": version(live, p)},
        )
        assert sent.status == 201, sent.text
        return live.request(
            "POST",
            f"/api/v1/persons/{p}/withdrawals",
            "ind",
            {"resource": "handover", "id": sent.body["id"], "reason": "twee keer verstuurd"},
            headers={"If-Match": sent.headers["ETag"]},
        )

    def link(live: Server) -> Reply:
        other = live.request(
            "POST",
            "/api/v1/persons",
            "ind",
            {
                "v_number": v_number(),
                "given_names": "Kind",
                "surname": "Persoon",
                "birth_date": "2019-00-00",
                "nationality": "SYR",
                "reason": "gezin",
                "confirm_not_duplicate": True,  # called twice: two children of one name
            },
        )
        assert _about(other.body["id"]).filter(name="person.register").exists()
        return live.request(
            "POST",
            f"/api/v1/persons/{p}/family",
            "ind",
            {
                "relation": "child",
                "other_person_id": other.body["id"],
                "reason": "gezinshereniging",
            },
            headers={"If-Match": version(live, p)},
        )

    def end_measure(live: Server) -> Reply:
        added = live.request(
            "POST",
            f"/api/v1/persons/{p}/measures",
            "kmar",
            {"kind": "reporting_duty", "start": TODAY, "reason": "audit"},
            headers={"If-Match": version(live, p)},
        )
        return live.request(
            "POST",
            f"/api/v1/persons/{p}/measures/{added.body['id']}/end",
            "kmar",
            {"end": TODAY, "reason": "audit"},
            headers={"If-Match": added.headers["ETag"]},
        )

    def overview(live: Server) -> Reply:
        detention_of(live, p)
        return live.get("/api/v1/detention", "dtenv")

    def correct_facts(live: Server) -> Reply:
        proc_id, v, first = toggled_facts(live, p)
        return live.request(
            "PATCH",
            f"/api/v1/procedures/{proc_id}/facts",
            "dtenv",
            {"facts": {"first_encountered": first}, "reason": "audit"},
            headers={"If-Match": f'"{v}"'},
        )

    outflow: list[int] = []  # a permit holder of its own: P is matched by the world already

    def outflow_command(
        command: str, body: dict[str, object], user: str
    ) -> Callable[[Server], Reply]:
        def call(live: Server) -> Reply:
            if not outflow:
                outflow.append(int(register(live, surname="Uitstroom")["id"]))
                grant_asylum(live, outflow[0])
            today = date.today().isoformat()  # the server's day (its time zone, once set up)
            return live.request(
                "POST",
                f"/api/v1/persons/{outflow[0]}/outflow/{command}",
                user,
                {**body, "day": today, "reason": "audit test"}
                | ({"signed_on": today, "lease_start": today} if command == "lease" else {}),
                headers={"If-Match": version(live, outflow[0])},
            )

        return call

    def duplicate_pair(live: Server) -> list[dict[str, object]]:
        """Two registrations of one person (issue 16's review queue), the newer last."""
        return [
            register(live, given_names="Dubbel", surname="Auditpaar", birth_date="1981-01-01")
            for _ in range(2)
        ]

    def decide_pair(live: Server) -> Reply:
        older, newer = duplicate_pair(live)
        return live.request(
            "POST",
            f"/api/v1/duplicates/{newer['id']}",
            "ind",
            {
                "decision": "distinct",
                "other_person_id": older["id"],
                "other_version": older["version"],
                "reason": "audit",
            },
            headers={"If-Match": f'"{newer["version"]}"'},
        )

    return {
        ("GET", "duplicates"): (
            "ind",
            lambda live: (duplicate_pair(live), live.get("/api/v1/duplicates", "ind"))[1],
        ),
        ("POST", "duplicates/<int:person_id>"): ("ind", decide_pair),
        **appeal_calls.api_calls(p, proc),
        **letter_calls.api_calls(dec),
        ("POST", "persons/<int:person_id>/outflow/match"): (
            "coa",
            outflow_command("match", {"municipality": "utrecht"}, "coa"),
        ),
        ("GET", "outflow"): ("coa", lambda live: live.get("/api/v1/outflow", "coa")),
        ("POST", "persons/<int:person_id>/outflow/lease"): (
            "gemeente-utrecht",
            outflow_command("lease", {"address": "Kade 1"}, "gemeente-utrecht"),
        ),
        ("POST", "persons/<int:person_id>/outflow/move"): (
            "gemeente-utrecht",
            outflow_command("move", {}, "gemeente-utrecht"),
        ),
        ("GET", "persons"): ("ind", lambda live: live.get("/api/v1/persons?q=Persoon", "ind")),
        ("POST", "persons"): ("ind", link),  # registers the child, then links it
        ("GET", "persons/<int:person_id>"): (
            "ind",
            lambda live: live.get(f"/api/v1/persons/{p}", "ind"),
        ),
        ("PATCH", "persons/<int:person_id>"): (
            "ind",
            lambda live: live.request(
                "PATCH",
                f"/api/v1/persons/{p}",
                "ind",
                {"surname": "Persoon", "reason": "spelling"},
                headers={"If-Match": version(live, p)},
            ),
        ),
        ("POST", "persons/<int:person_id>/family"): ("ind", link),
        ("GET", "persons/<int:person_id>/procedures"): (
            "ind",
            lambda live: live.get(f"/api/v1/persons/{p}/procedures", "ind"),
        ),
        ("POST", "persons/<int:person_id>/procedures"): (
            "ind",
            post(f"/api/v1/persons/{p}/procedures", {"procedure_type": "mvv", "day": TODAY}),
        ),
        ("GET", "persons/<int:person_id>/dossier"): (
            "coa",
            lambda live: live.get(f"/api/v1/persons/{p}/dossier", "coa"),
        ),
        ("GET", "persons/<int:person_id>/<str:resource>"): (
            "dtenv",
            lambda live: live.get(f"/api/v1/persons/{p}/measures", "dtenv"),
        ),
        ("POST", "persons/<int:person_id>/<str:resource>"): (
            "ind",
            post(
                f"/api/v1/persons/{p}/handovers",
                {"kind": "guardianship", "to_org": "Nidos", "day": TODAY},
            ),
        ),
        ("POST", "persons/<int:person_id>/withdrawals"): ("ind", withdraw_own_handover),
        ("POST", "persons/<int:person_id>/<str:resource>/<int:record_id>/end"): (
            "kmar",
            end_measure,
        ),
        ("GET", "procedures/<int:procedure_id>"): (
            "ind",
            lambda live: live.get(f"/api/v1/procedures/{proc}", "ind"),
        ),
        ("POST", "procedures/<int:procedure_id>/events"): (
            "ind",
            lambda live: live.request(
                "POST",
                f"/api/v1/procedures/{proc}/events",
                "ind",
                {"kind": "hearing_report", "day": TODAY, "reason": "gehoor"},
                headers={"If-Match": live.get(f"/api/v1/procedures/{proc}", "ind").headers["ETag"]},
            ),
        ),
        ("GET", "procedures/<int:procedure_id>/decisions"): (
            "ind",
            lambda live: live.get(f"/api/v1/procedures/{proc}/decisions", "ind"),
        ),
        ("POST", "procedures/<int:procedure_id>/decisions"): ("ind", fresh_decision),
        ("GET", "procedures/<int:procedure_id>/support"): (
            "ind",
            lambda live: live.get(f"/api/v1/procedures/{proc}/support", "ind"),
        ),
        ("POST", "procedures/<int:procedure_id>/support"): (
            "ind",
            lambda live: live.request(
                "POST",
                f"/api/v1/procedures/{proc}/support",
                "ind",
                {"rule": "vc-a5-2.4-detention-amv", "facts": {"detention_start": TODAY}},
            ),
        ),
        ("POST", "procedures/<int:procedure_id>/departure"): ("dtenv", departure_of_p),
        ("GET", "decisions/<int:decision_id>/trail"): (
            "ind",
            lambda live: live.get(f"/api/v1/decisions/{dec}/trail", "ind"),
        ),
        ("GET", "decisions/<int:decision_id>/coi"): (
            "ind",
            lambda live: live.get(f"/api/v1/decisions/{dec}/coi", "ind"),
        ),
        ("GET", "queue"): ("ind", lambda live: live.get("/api/v1/queue?page_size=200", "ind")),
        # The queue's bulk actions on P's open asylum application, and its export.
        ("POST", "queue/assign"): ("ind", lambda live: _assign_p(live, proc)),
        ("POST", "queue/handover"): (
            "ind",
            lambda live: live.request(
                "POST",
                "/api/v1/queue/handover",
                "ind",
                {
                    "procedures": [{"id": proc}],
                    "kind": "guardianship",
                    "to_org": "Nidos",
                    "day": TODAY,
                    "reason": "audit test",
                },
            ),
        ),
        ("GET", "queue/export"): (
            "ind",
            lambda live: live.get("/api/v1/queue/export?procedure_type=asylum_first", "ind"),
        ),
        ("GET", "detention"): ("dtenv", overview),
        ("PATCH", "procedures/<int:procedure_id>/facts"): ("dtenv", correct_facts),
        # One location's page names who stays there: P, placed there by the COA.
        ("GET", "locations/<str:code>"): ("coa", _location_of_p(p)),
        ("GET", "audit"): (
            "privacy",
            lambda live: live.get(f"/api/v1/audit?person_id={p}", "privacy"),
        ),
        # Nidos was told of P's guardianship hand-over: its inbox names P.
        ("GET", "notifications"): (
            "nidos",
            lambda live: live.get("/api/v1/notifications", "nidos"),
        ),
    }


def _location_of_p(p: int) -> Callable[[Server], Reply]:
    def call(live: Server) -> Reply:
        code = site(live, "coa", "regular")
        placed = live.request(
            "POST",
            f"/api/v1/persons/{p}/placements",
            "coa",
            {"kind": "coa_regular", "site": code, "start": TODAY, "move": True, "reason": "a"},
            headers={"If-Match": version(live, p)},
        )
        assert placed.status == 201, placed.text
        return live.get(f"/api/v1/locations/{code}", "coa")

    return call


def _api_routes() -> set[tuple[str, str]]:
    from keten.server.api.urls import urlpatterns

    routes = set()
    for pattern in urlpatterns:
        # django-stubs types URLPattern.callback as a bare Callable; as_view() sets view_class.
        view = pattern.callback.view_class  # type: ignore[attr-defined]
        for method in ("get", "post", "patch", "put", "delete"):
            if hasattr(view, method):
                routes.add((method.upper(), str(pattern.pattern)))
    return routes


def test_every_api_route_is_in_the_audit_table(live: Server, world: World) -> None:
    assert _api_routes() - NOT_PERSONAL == set(api_paths(world))


def _subject(reply: Reply, default: int) -> int:
    """The person a call was about: P, or the one an outflow answer names (the outflow's calls
    act on a permit holder of their own; its list names the first listed)."""
    body = reply.body if isinstance(reply.body, dict) else {}
    rows = [body, *(body.get("results") or [])]
    named = [r["person"]["id"] for r in rows if isinstance(r.get("person"), dict)]
    return int(named[0]) if named else default


def test_every_api_path_leaves_an_audit_record(live: Server, world: World) -> None:
    for (method, route), (user, call) in api_paths(world).items():
        before = _last_seq()
        reply = call(live)
        assert 200 <= reply.status < 300, (method, route, reply.text)
        subject = _subject(reply, world.p)
        records = [r for r in _new_records(before, subject) if r.actor_user == user]
        assert records, f"{method} {route}: no audit record for person {subject}"
        r = records[-1]
        v_numbers = [v for pid, v in r.subjects if pid == subject]
        assert v_numbers and v_numbers[0], "the V-number is the LDV data subject id"
        assert r.purpose.startswith("urn:keten:verwerking:")
        assert r.actor_org and r.actor_role and r.fields and len(r.trace_id) == 32
        # running a rule (POST .../support) processes the facts sent and stores nothing
        assert r.action == ("read" if method == "GET" or route.endswith("/support") else "write")
        if route.endswith("/end"):
            assert any(x.name == "measure.end" and x.fields == ["end"] for x in records)


UI_NOT_PERSONAL = {
    "",
    "login",
    "logout",
    "i18n/",
    "queue/summary",
    "dashboard",
    "taakstelling",
    "taakstelling.csv",
    "bewaring/statistiek",  # figures only
    "bewaring/statistiek.csv",
    "rapportage",  # the reports a role may open: links only
    "rapportage/jaarcijfers",  # the IND annual figures: counts only
    "rapportage/jaarcijfers.csv",
    "rapportage/jaarcijfers.xlsx",
    "opvang",
    "opvang.csv",
    "terugkeer/landen",
    "terugkeer/operaties",  # flights, escorts and joint requests: counts, no person
    "terugkeer/cijfers",
    "terugkeer/cijfers.csv",
    "landen",  # the country register: public figures and lists, no person
    "solidariteit",  # the solidarity pool: the Netherlands' pledges, no person
    "landen/<str:code>",
    "coi/<str:code>",  # public country reports; its forms write a report, no person
    "^static/",
    "locations",  # the register's figures (its form registers a location, no person)
    "rapportage/factsheet",  # the documents: aggregates only, no person
    "rapportage/factsheet.pdf",
    "rapportage/strategie",
    "rapportage/strategie.pdf",
    "prognose",  # the forecast: figures only (services/forecast_runs.py)
    "prognose/vergelijk",
    "prognose/runs/<int:run_id>",
    "prognose/runs/<int:run_id>/voortgang",
    "prognose/runs/<int:run_id>/taakstelling",
    "rapportage/maand",  # monthly management information: figures only
    "rapportage/maand.csv",
    "rapportage/maand.xlsx",
    # One's own inbox state and horizon, an organisation's subscriptions: no person.
    "meldingen/<int:notification_id>/gelezen",
    "meldingen/alles-gelezen",
    "meldingen/instellingen",
    "meldingen/abonnementen",
    "meldingen/abonnementen/<int:subscription_id>/beeindigen",
    # The exchange: no chain dossier (see NOT_PERSONAL), audited by message id.
    "uitwisseling",
    "uitwisseling/<uuid:message_id>/antwoord",
    "uitwisseling/<uuid:message_id>/overnemen",
    "uitwisseling/verzoek",
}


def test_every_ui_path_leaves_an_audit_record(live: Server, world: World) -> None:
    from keten.server.ui.urls import urlpatterns

    p, proc = world.p, world.procedure
    browser = Browser(live.base)
    browser.login("ind")

    def proc_version() -> str:
        return str(live.get(f"/api/v1/procedures/{proc}", "ind").body["version"])

    def person_version() -> str:
        return version(live, p).strip('"')

    nidos = Browser(live.base)  # told of P's guardianship hand-over (its inbox, /meldingen)
    nidos.login("nidos")

    # Ending needs write on placement, which the IND role lacks: COA ends its own placement.
    coa = Browser(live.base)
    coa.login("coa")

    def ui_handover() -> int:
        """A hand-over the IND sent by mistake, for the page to withdraw."""
        reply = live.request(
            "POST",
            f"/api/v1/persons/{p}/handovers",
            "ind",
            {"kind": "guardianship", "to_org": "Nidos", "day": TODAY, "reason": "ui"},
            headers={"If-Match": version(live, p)},
        )
        assert reply.status == 201, reply.text
        return int(reply.body["id"])

    def coa_placement(code: str | None = None) -> int:
        reply = live.request(
            "POST",
            f"/api/v1/persons/{p}/placements",
            "coa",
            {
                "kind": "coa_regular",
                "site": code or site(live, "coa", "regular"),
                "start": TODAY,
                "move": True,
                "reason": "ui",
            },
            headers={"If-Match": version(live, p)},
        )
        assert reply.status == 201, reply.text
        return int(reply.body["id"])

    dtenv = Browser(live.base)
    dtenv.login("dtenv")

    def ui_correct_facts() -> tuple[int, str]:
        proc_id, v, first = toggled_facts(live, p)
        form = {"procedure_type": "detention", "pfact-group": "unaccompanied_minor"}
        form |= {"pfact-first_encountered": "true" if first else "false"}
        return dtenv.open(
            f"/procedures/{proc_id}/facts", {**form, "reason": "ui", "version": str(v)}
        )

    def _placed_site() -> str:
        """A location where P stays, placed by the COA: its page names P."""
        code = site(live, "coa", "regular")
        coa_placement(code)
        return code

    outflow: list[int] = []

    def ui_outflow_match() -> dict[str, str]:
        outflow.append(int(register(live, surname="Uitstroom")["id"]))
        grant_asylum(live, outflow[-1])
        v = str(live.get(f"/api/v1/persons/{outflow[-1]}", "ind").body["v_number"])
        today = date.today().isoformat()  # the server's day, as the grant's
        return {"v_number": v, "municipality": "utrecht", "day": today, "reason": "ui"}

    def ui_lease() -> tuple[int, str]:
        utrecht = Browser(live.base)
        utrecht.login("gemeente-utrecht")
        today = date.today().isoformat()
        return utrecht.open(
            f"/uitstroom/{outflow[-1]}/lease",
            {
                "address": "Kade 2",
                "signed_on": today,
                "lease_start": today,
                "reason": "ui",
                "version": version(live, outflow[-1]).strip('"'),
            },
        )

    def ui_duplicate_queue() -> tuple[int, str]:
        """The review queue with a pair of its own: an empty queue names no one and leaves no
        record, so the test would hang on which tests ran before it on this server."""
        for _ in range(2):
            register(live, given_names="Dubbel", surname="Uiwachtrij", birth_date="1983-03-03")
        return browser.open("/dubbelen")

    def ui_duplicate_decision() -> tuple[int, str]:
        older, newer = (
            register(live, given_names="Dubbel", surname="Uipaar", birth_date="1982-02-02")
            for _ in range(2)
        )
        return browser.open(
            "/dubbelen/besluit",
            {
                "decision": "distinct",
                "person_id": str(newer["id"]),
                "person_version": str(newer["version"]),
                "other_person_id": str(older["id"]),
                "other_version": str(older["version"]),
                "reason": "audit",
            },
        )

    def ui_departure() -> tuple[int, str]:
        """DTenV's "Vertrek vastleggen" form on a departure it opened for P."""
        lodged = live.request(
            "POST",
            f"/api/v1/persons/{p}/procedures",
            "dtenv",
            {"procedure_type": "departure", "day": TODAY, "reason": "ui"},
            headers={"If-Match": version(live, p)},
        )
        assert lodged.status == 201, lodged.text
        return dtenv.open(
            f"/procedures/{lodged.body['id']}/departure",
            {"how": "absconded", "day": TODAY, "reason": "ui", "version": "1"},
        )

    def ui_assign() -> tuple[int, str]:
        from keten.server.workqueue.models import CurrentAssignment

        held = CurrentAssignment.objects.filter(procedure_id=proc).first()
        to = "" if held is not None and held.assignee == "ind-collega" else "ind-collega"
        return browser.open(
            "/queue/assign",
            {
                "selected": f"{proc}:{_assignment_version(proc)}",
                "assignee": to,
                "assign_reason": "ui",
            },
        )

    calls: dict[str, Callable[[], tuple[int, str]]] = {
        "queue": lambda: browser.open("/queue"),
        "queue/assign": ui_assign,
        "queue/handover": lambda: browser.open(
            "/queue/handover",
            {
                "selected": f"{proc}:0",
                "target": "guardianship:Nidos",
                "day": TODAY,
                "handover_reason": "ui",
            },
        ),
        "queue/export.csv": lambda: browser.open("/queue/export.csv?procedure_type=asylum_first"),
        "queue/export.xlsx": lambda: _binary(
            browser, "/queue/export.xlsx?procedure_type=asylum_first"
        ),
        "persons": lambda: browser.open("/persons?q=Persoon"),
        "persons/new": lambda: browser.open(
            "/persons/new",
            {
                "v_number": v_number(),
                "given_names": "Nieuw",
                "surname": "Persoon",
                "birth_date": "2000-00-00",
                "nationality": "ERI",
                "reason": "ui",
            },
        ),
        "persons/<int:person_id>": lambda: browser.open(f"/persons/{p}"),
        "persons/<int:person_id>/lodge": lambda: browser.open(
            f"/persons/{p}/lodge",
            {"procedure_type": "mvv", "day": TODAY, "reason": "ui", "version": person_version()},
        ),
        "persons/<int:person_id>/correct": lambda: browser.open(
            f"/persons/{p}/correct",
            {"surname": "Persoon", "reason": "ui-correctie", "version": person_version()},
        ),
        "persons/<int:person_id>/family": lambda: browser.open(
            f"/persons/{p}/family",
            {
                "relation": "partner",
                "other_v_number": str(
                    live.get(f"/api/v1/persons/{world.q}", "ind").body["v_number"]
                ),
                "reason": "ui-gezin",
                "version": person_version(),
            },
        ),
        "persons/<int:person_id>/withdraw": lambda: browser.open(
            f"/persons/{p}/withdraw",
            {
                "resource": "handover",
                "id": str(ui_handover()),
                "reason": "ui-intrekking",
                "version": person_version(),
            },
        ),
        "persons/<int:person_id>/records/<str:resource>": lambda: browser.open(
            f"/persons/{p}/records/handover",
            {
                "kind": "guardianship",
                "to_org": "Nidos",
                "day": TODAY,
                "reason": "ui",
                "version": person_version(),
            },
        ),
        "persons/<int:person_id>/records/<str:resource>/<int:record_id>/end": lambda: coa.open(
            f"/persons/{p}/records/placement/{coa_placement()}/end",
            {"end": TODAY, "reason": "ui", "version": person_version()},
        ),
        "procedures/<int:procedure_id>/event": lambda: browser.open(
            f"/procedures/{proc}/event",
            {"kind": "hearing_report", "day": TODAY, "reason": "ui", "version": proc_version()},
        ),
        "procedures/<int:procedure_id>/decide": lambda: browser.open(
            f"/procedures/{proc}/decide",
            {
                "outcome": "refused",
                "day": TODAY,
                "grounds": "Vw 2000 art. 31",
                "reason": "ui",
                "version": proc_version(),
            },
        ),
        "procedures/<int:procedure_id>/support": lambda: browser.open(
            f"/procedures/{proc}/support",
            {"rule": "vc-a5-2.4-detention-amv", "fact-detention_start": TODAY},
        ),
        "procedures/<int:procedure_id>/support/form": lambda: browser.open(
            f"/procedures/{proc}/support/form?rule=vc-a5-2.4-detention-amv"
        ),
        "locations/<str:code>": lambda: coa.open(f"/locations/{_placed_site()}"),
        "procedures/<int:procedure_id>/departure": ui_departure,
        "audit": lambda: Browser(live.base).open("/audit"),
        "audit.csv": lambda: Browser(live.base).open("/audit.csv"),
        "persons/<int:person_id>/lodge/facts": lambda: browser.open(
            f"/persons/{p}/lodge/facts?procedure_type=detention"
        ),
        "bewaring": lambda: (detention_of(live, p), dtenv.open("/bewaring"))[1],
        "bewaring.csv": lambda: (detention_of(live, p), dtenv.open("/bewaring.csv"))[1],
        "procedures/<int:procedure_id>/facts": ui_correct_facts,
        # the outflow's pages, on a permit holder of their own (P is matched by the world)
        "uitstroom/match": lambda: coa.open("/uitstroom/match", ui_outflow_match()),
        "uitstroom": lambda: coa.open("/uitstroom"),
        "uitstroom/<int:person_id>/<str:name>": lambda: ui_lease(),
        "meldingen": lambda: nidos.open("/meldingen"),  # names P, handed over to Nidos
        **appeal_calls.ui_calls(live, p),
        **letter_calls.ui_calls(live, browser, world.decision),
        "dubbelen": ui_duplicate_queue,
        "dubbelen/besluit": ui_duplicate_decision,
    }
    routes = {str(u.pattern) for u in urlpatterns} - UI_NOT_PERSONAL
    assert routes == set(calls)
    privacy = Browser(live.base)
    privacy.login("privacy")
    calls["audit"] = lambda: privacy.open(f"/audit?person_id={p}")
    calls["audit.csv"] = lambda: privacy.open(f"/audit.csv?person_id={p}")
    for route, call in calls.items():
        before = _last_seq()
        status, html = call()
        assert status in (200, 400), (route, html[:300])  # 400: support without keten.rules
        if route == "persons/new":
            new = _records().filter(seq__gt=before, name="person.register")
            assert new.exists(), route
        elif route == "queue":
            assert _records().filter(seq__gt=before, actor_user="ind").exists()
        elif route.endswith("/end"):
            assert _about(p).filter(seq__gt=before, name="placement.end").exists()
        elif route == "uitstroom":  # the list: one record naming everyone listed
            assert _records().filter(seq__gt=before, name="outflow.list").exists()
        elif route == "dubbelen":  # the review queue: one record naming the pairs listed
            assert _records().filter(seq__gt=before, name="person.duplicate_review").exists()
        elif route.startswith("dubbelen"):  # a decision on a pair
            assert _records().filter(seq__gt=before, name__startswith="person.d").exists()
        elif route.startswith("uitstroom/"):  # about the outflow's own permit holder
            assert _about(outflow[-1]).filter(seq__gt=before, name__startswith="outflow.").exists()
        else:
            assert _new_records(before, p), route


def test_reading_the_audit_log_is_logged_and_privacy_only(live: Server, world: World) -> None:
    reply = live.get(f"/api/v1/audit?person_id={world.p}&limit=5", "privacy")
    assert reply.status == 200 and reply.body["results"]
    assert all(any(s["person_id"] == world.p for s in r["subjects"]) for r in reply.body["results"])
    assert _records().filter(actor_user="privacy", name="audit.query").exists()
    assert live.get("/api/v1/audit", "ind").status == 403


def test_verify_passes_on_the_live_chain(live: Server, world: World) -> None:
    result = keten(live.env, "audit", "verify", check=False)
    assert result.returncode == 0, result.stderr
    assert "intact" in result.stdout


TAMPERING = {
    # someone else's name on a read
    "actor": "actor_user = 'someone-else'",
    # the read made to look as if it concerned another person
    "subject": "subjects = '[[999999, \"V999999\"]]'",
}


@pytest.mark.parametrize("target", sorted(TAMPERING))
def test_verify_detects_an_altered_row(tmp_path: Path, target: str) -> None:
    """A fresh database: records written through the real service layer, then one row altered
    with raw SQL after dropping the append-only trigger (what an intruder with database power
    can do); verify must name the record."""
    table, change = "audit_auditrecord", TAMPERING[target]
    env = database_env(f"keten_tamper_{target}", tmp_path)
    keten(env, "server", "setup", "--persons", "3")
    script = (
        "from keten.server.setup import django_setup; django_setup()\n"
        "from django.contrib.auth.models import User\n"
        "from keten.server.services.actor import actor_for\n"
        "from keten.server.services import reads\n"
        "from keten.server.dossiers.models import Person\n"
        "a = actor_for(User.objects.get(username='ind'))\n"
        "for p in Person.objects.all(): reads.get_person(a, p.pk)\n"
    )
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
    assert keten(env, "audit", "verify", check=False).returncode == 0
    where = "WHERE lane = 1 AND lane_seq = 2"
    if env.get("KETEN_DATABASE_URL"):  # set and not empty: database_env chose PostgreSQL
        import psycopg

        with psycopg.connect(env["KETEN_DATABASE_URL"], autocommit=True) as conn:
            with pytest.raises(psycopg.errors.RaiseException):
                conn.execute(f"UPDATE {table} SET {change} {where}")
            conn.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            conn.execute(f"UPDATE {table} SET {change} {where}")
    else:
        lite = sqlite3.connect(env["KETEN_SQLITE_PATH"])
        with pytest.raises(sqlite3.IntegrityError):
            lite.execute(f"UPDATE {table} SET {change} {where}")
        lite.execute(f"DROP TRIGGER {table}_no_update")
        lite.execute(f"UPDATE {table} SET {change} {where}")
        lite.commit()
        lite.close()
    result = keten(env, "audit", "verify", check=False)
    assert result.returncode == 1
    assert "lane 1, record 2" in result.stderr and "hash does not match" in result.stderr


def test_concurrent_reads_each_leave_one_record_and_the_chain_holds(
    live: Server, world: World
) -> None:
    """Twenty-four dossier reads at once: every one is logged (one record each, naming the
    person), appends spread over the free lanes, and every lane still verifies."""
    from concurrent.futures import ThreadPoolExecutor

    before = _last_seq()
    with ThreadPoolExecutor(12) as pool:
        replies = list(
            pool.map(lambda _: live.get(f"/api/v1/persons/{world.p}/dossier", "ind"), range(24))
        )
    assert all(r.status == 200 for r in replies)
    new = [r for r in _new_records(before, world.p) if r.name == "dossier.read"]
    assert len(new) == 24
    assert len({(r.lane, r.lane_seq) for r in new}) == 24
    result = keten(live.env, "audit", "verify", check=False)
    assert result.returncode == 0, result.stderr


def test_records_with_non_ascii_text_verify(live: Server, world: World) -> None:
    """The canonical form is UTF-8 JSON; on PostgreSQL the hash is computed in SQL from it
    (keten_audit_append). A purpose and names outside ASCII must hash the same both ways."""
    from keten.server.audit.log import Context, Entry, append

    ctx = Context("Bétje Oostra", "gemeente-súdwest-fryslân", "gemeente", "urn:keten:ëxample")
    append(ctx, [Entry("person.read", "read", "identity", ("given_names",), ((world.p, "Ü1"),))])
    result = keten(live.env, "audit", "verify", check=False)
    assert result.returncode == 0, result.stderr


def test_canonical_form_is_the_json_the_log_began_with(live: Server) -> None:
    """Records are hashed over ``json.dumps(sort_keys=True, ensure_ascii=False,
    separators=(",", ":"))`` in UTF-8, the form the log's first records were hashed in (the
    legacy lane still is). The canonical form is written faster now; it must stay that form,
    byte for byte, for text of every kind: control characters, quotes, backslashes, line and
    paragraph separators, characters outside the Basic Multilingual Plane.

    (``live``: the audit log's module needs Django set up on this worker's database, and
    only the session's server fixture does that; without it the test passed only when an
    earlier test on the same worker had.)"""
    import json
    import random

    from keten.server.audit.log import _dumps

    rng = random.Random(20261126)
    alphabet = [chr(i) for i in range(0x300)] + ["\u2028", "\u2029", "\ufeff", "😀", "中"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        payload = {
            "purpose": text,
            text: rng.randint(-(2**53), 2**53),
            "subjects": [[rng.randint(1, 10**9), text]],
            "fields": [text, ""],
            "parent_span_id": None,
            "ok": rng.random() < 0.5,
        }
        stdlib = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert _dumps(payload) == stdlib.encode(), payload
