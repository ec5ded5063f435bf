"""Two Keten servers over loopback HTTP, each on its own database and settings: NL (IND Unit 1F,
``NL-IND-1F``) and BE (DVZ Bureau Opsporingen, ``BE-DVZ-BO``), seed 000 point 5. They exchange
public keys through the operator's commands; a 1F information request goes from NL to BE, BE's
liaison officer answers and NL receives the answer; both audit logs show the exchange under the
same message ids and traces. Forged, tampered, replayed and stale messages are refused. The
receiver is stopped, a message is sent, its attempts fail, the receiver comes back and the
message is delivered once. Deliveries are run by ``keten server worker --once`` of the sending
instance (a process of its own, as in a deployment)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from keten.server.audit.keys import generate, key_id, load_private
from keten.server.exchange import envelope
from tests.server.live import REPO, Reply, Server, database_env, free_port, keten, read_tokens

NL, BE = "NL-IND-1F", "BE-DVZ-BO"
LIAISON = "verbindingsambtenaar"  # the IND's, on the NL instance
BE_LIAISON = "dvz-verbindingsambtenaar"  # the DVZ's own, on the BE instance (seed 000 point 1)
LIAISONS = {NL: LIAISON, BE: BE_LIAISON}
PERSON = {
    "surname": "Voorbeeld",
    "given_names": "Ahmad",
    "birth_date": "1975-03-00",
    "nationality": "AFG",
    "foreign_references": [{"issuer": "BE-DVZ", "number": "OV 1234567"}],
}


@dataclass
class Node:
    code: str
    env: dict[str, str]
    port: int
    server: Server

    @property
    def liaison(self) -> str:
        return LIAISONS[self.code]

    @property
    def inbox(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1/exchange/inbox"

    def call(self, method: str, path: str, user: str | None, body: Any = None) -> Reply:
        return self.server.request(method, path, user, body=body)

    def work(self) -> str:
        """Run this instance's job worker until nothing is queued or due."""
        return keten(self.env, "server", "worker", "--once").stdout

    def audit(self) -> list[dict[str, Any]]:
        got = self.call("GET", "/api/v1/audit?order=newest&limit=1000", "privacy")
        assert got.status == 200, got.text
        return list(got.body["results"])

    def private_key(self) -> Any:
        return load_private(Path(self.env["KETEN_VAR_DIR"]) / "exchange" / "signing.key")


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    log = Path(env["KETEN_VAR_DIR"]) / f"server-{port}.log"
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("keten")),
                "server",
                "run",
                "--port",
                str(port),
                "--workers",
                "1",
                "--threads",
                "4",
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=sink,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    import urllib.error
    import urllib.request

    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=5):
                return process
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace")) from None
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("server did not start within 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _restart(node: Node) -> None:
    node.server.process = _serve(node.env, node.port)


def _pem(node_env: dict[str, str]) -> str:
    out = keten(node_env, "server", "exchange-keygen").stdout
    return out[out.index("-----BEGIN") :]


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, Node]]:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    nodes: list[Node] = []
    for code in (NL, BE):
        tmp = tmp_path_factory.mktemp(code.lower())
        env = database_env(f"keten_xchg_{code[:2].lower()}_{worker}", tmp)
        env.update(
            KETEN_EXCHANGE_ORG=code,
            KETEN_EXCHANGE_BACKOFF_SECONDS="0.2",
            KETEN_EXCHANGE_MAX_BACKOFF_SECONDS="0.4",
            KETEN_EXCHANGE_TIMEOUT_SECONDS="3",
            KETEN_TOKEN_CACHE_SECONDS="1",
            KETEN_AUDIT_WITNESS_SECONDS="0",
        )
        keten(env, "server", "setup", "--persons", "0")
        nodes.append(Node(code, env, free_port(), None))  # type: ignore[arg-type]
    nl, be = nodes
    today = date.today()
    # The operators exchange public keys and inbox addresses out of band (docs/exchange.md).
    for me, other, name, country in (
        (nl, be, "DVZ Bureau Opsporingen", "BE"),
        (be, nl, "IND Unit 1F", "NL"),
    ):
        pem_file = Path(me.env["KETEN_VAR_DIR"]) / f"{other.code}.pem"
        pem_file.write_text(_pem(other.env))
        keten(
            me.env,
            "server",
            "exchange-partner",
            other.code,
            "--name",
            name,
            "--country",
            country,
            "--inbox-url",
            other.inbox,
            "--reason",
            "intentieverklaring punt 5",
        )
        keten(
            me.env,
            "server",
            "exchange-partner-key",
            other.code,
            str(pem_file),
            "--from",
            "2026-01-01T00:00:00Z",
            "--reason",
            "sleutel uitgewisseld",
        )
        keten(
            me.env,
            "server",
            "exchange-accredit",
            me.liaison,
            other.code,
            "--from",
            (today - timedelta(days=1)).isoformat(),
            "--to",
            (today + timedelta(days=30)).isoformat(),
            "--reason",
            "accreditatie 2026",
        )
    # A partner NL's liaison officer is not accredited with (the accreditation lapsed).
    keten(
        nl.env,
        "server",
        "exchange-partner",
        "LU-DI-1",
        "--name",
        "Direction de l'immigration",
        "--country",
        "LU",
        "--inbox-url",
        "http://127.0.0.1:9/api/v1/exchange/inbox",
        "--reason",
        "test",
    )
    keten(
        nl.env,
        "server",
        "exchange-accredit",
        LIAISON,
        "LU-DI-1",
        "--from",
        (today - timedelta(days=60)).isoformat(),
        "--to",
        (today - timedelta(days=1)).isoformat(),
        "--reason",
        "verlopen",
    )
    for node in nodes:
        process = _serve(node.env, node.port)
        node.server = Server(f"http://127.0.0.1:{node.port}", node.env, process)
        node.server.tokens = read_tokens(node.env)
    yield nl, be
    for node in nodes:
        _stop(node.server.process)


def _request(nl: Node, reference: str, partner: str = BE) -> Reply:
    return nl.call(
        "POST",
        "/api/v1/exchange/requests",
        LIAISON,
        {
            "partner": partner,
            "kind": "request_1f_information",
            "person": PERSON,
            "question": "Is betrokkene in België op grond van artikel 1F uitgesloten, en op "
            "welke feiten berust die uitsluiting?",
            "sender_reference": reference,
            "reason": "verblijfsaanvraag in Nederland; 1F-uitsluiting in België gemeld",
        },
    )


def _outbox(node: Node, message_id: str) -> dict[str, Any]:
    got = node.call("GET", "/api/v1/exchange/messages?box=outbox", node.liaison)
    assert got.status == 200, got.text
    return next(r for r in got.body["results"] if r["message_id"] == message_id)


def _inbox(node: Node) -> list[dict[str, Any]]:
    got = node.call("GET", "/api/v1/exchange/messages?box=inbox", node.liaison)
    assert got.status == 200, got.text
    return list(got.body["results"])


def test_request_answered_and_logged_on_both_sides(pair: tuple[Node, Node]) -> None:
    nl, be = pair
    sent = _request(nl, "IND-1F-2026-0042")
    assert sent.status == 201, sent.text
    mid = sent.body["message_id"]
    assert sent.body["status"] == "pending"
    env = sent.body["envelope"]
    assert (env["sender"], env["receiver"], env["kind"]) == (NL, BE, "request_1f_information")
    assert env["legal_basis"] == (
        "Intentieverklaring NL-BE 24-02-2015 punt 5; AVG art. 6 lid 1 onder e"
    )
    assert env["body"]["person"]["foreign_references"] == PERSON["foreign_references"]
    assert "v_number" not in json.dumps(env)  # never our internal ids

    nl.work()
    delivered = _outbox(nl, mid)
    assert delivered["status"] == "delivered", delivered
    assert delivered["receipt"]["receipt_for"] == mid

    # BE's liaison officer (the DVZ's own) finds the request in the work queue and partly
    # answers it.
    queue = _inbox(be)
    request = next(r for r in queue if r["message_id"] == mid)
    assert request["status"] == "open"
    assert request["envelope"]["sender_reference"] == "IND-1F-2026-0042"
    answered = be.call(
        "POST",
        f"/api/v1/exchange/inbox/{mid}/answer",
        BE_LIAISON,
        {
            "outcome": "partly_answered",
            "answer": "Uitgesloten op grond van artikel 1F(a) bij beslissing van het CGVS.",
            "refusal_reason": "Het dossier van de strafrechtelijke procedure is niet "
            "deelbaar zonder toestemming van het parket.",
            "sender_reference": "DVZ-BO-2026-17",
            "reason": "antwoord op verzoek IND Unit 1F",
        },
    )
    assert answered.status == 200, answered.text
    assert answered.body["status"] == "partly_answered"
    answer_id = answered.body["answer_id"]
    again = be.call(
        "POST",
        f"/api/v1/exchange/inbox/{mid}/answer",
        BE_LIAISON,
        {"outcome": "refused", "refusal_reason": "nogmaals", "reason": "dubbel"},
    )
    assert again.status == 422, again.text
    assert "al afgehandeld" in again.body["detail_nl"]

    be.work()
    answer_row = _outbox(be, answer_id)
    assert answer_row["status"] == "delivered", answer_row["last_error"]
    assert _outbox(nl, mid)["outcome"] == "partly_answered"
    got = next(r for r in _inbox(nl) if r["message_id"] == answer_id)
    assert got["in_reply_to"] == mid
    assert got["envelope"]["body"]["outcome"] == "partly_answered"
    assert got["envelope"]["legal_basis"] == env["legal_basis"]

    # Both logs: the same message ids, and one trace per message across the two organisations.
    nl_log, be_log = nl.audit(), be.audit()

    def find(log: list[dict[str, Any]], name: str, ref: str) -> dict[str, Any]:
        return next(r for r in log if r["name"] == name and r["object_ref"] == ref)

    send = find(nl_log, "exchange.send", f"exchange:{mid}")
    assert send["actor_user"] == LIAISON and send["actor_org"] == "IND"
    assert find(nl_log, "exchange.delivered", f"exchange:{mid}")["trace_id"] == send["trace_id"]
    received = find(be_log, "exchange.received", f"exchange:{mid}")
    assert received["trace_id"] == send["trace_id"]  # BE's record names NL's trace
    assert received["actor_org"] == NL
    assert delivered["receipt"]["audit_reference"] == received["trace_id"]
    answer_record = find(be_log, "exchange.answer", f"exchange:{answer_id}")
    assert answer_record["actor_user"] == BE_LIAISON
    assert answer_record["actor_org"] == "DVZ"  # the BE instance does not pretend to be the IND
    assert (
        find(be_log, "exchange.partly_answered", f"exchange:{mid}")["trace_id"]
        == (answer_record["trace_id"])
    )
    nl_answer = find(nl_log, "exchange.received", f"exchange:{answer_id}")
    assert nl_answer["trace_id"] == answer_record["trace_id"]  # NL's record names BE's trace
    assert nl_answer["actor_org"] == BE
    assert (
        find(nl_log, "exchange.partly_answered", f"exchange:{mid}")["trace_id"]
        == (answer_record["trace_id"])
    )


def test_roles_and_accreditation(pair: tuple[Node, Node]) -> None:
    nl, be = pair
    lapsed = _request(nl, "IND-1F-2026-0043", partner="LU-DI-1")
    assert lapsed.status == 404, lapsed.text
    assert "geaccrediteerd" in lapsed.body["rule_nl"]
    assert nl.call("GET", "/api/v1/exchange/messages", "ind").status == 403
    partners = nl.call("GET", "/api/v1/exchange/partners", LIAISON)
    assert [p["code"] for p in partners.body["results"]] == [BE]
    # Unit 1F (seed 000 point 5) acts for every partner, without an accreditation.
    unit = nl.call("GET", "/api/v1/exchange/partners", "ind-1f")
    assert sorted(p["code"] for p in unit.body["results"]) == [BE, "LU-DI-1"]
    # On the BE instance the DVZ's Bureau Opsporingen is Unit 1F's counterpart (seed 000 point
    # 5); the IND's roles there are guests, accredited nowhere, and act for no partner.
    bo = be.call("GET", "/api/v1/exchange/partners", "dvz-opsporingen")
    assert [p["code"] for p in bo.body["results"]] == [NL]
    for guest in ("ind-1f", "verbindingsambtenaar", "dtenv"):
        seen = be.call("GET", "/api/v1/exchange/partners", guest)
        assert seen.status == 200 and seen.body["results"] == [], (guest, seen.text)


def _signed_message(nl: Node, question: str = "Is betrokkene uitgesloten?") -> dict[str, Any]:
    key = nl.private_key()
    env = envelope.envelope(
        key,
        sender=NL,
        receiver=BE,
        kind="request_1f_information",
        legal_basis="Intentieverklaring NL-BE 24-02-2015 punt 5; AVG art. 6 lid 1 onder e",
        purpose="test",
        sender_reference="IND-1F-TEST",
        trace_id="ab" * 16,
        body={"person": PERSON, "question": question},
        at=datetime.now(UTC),
    )
    return {"envelope": env, "delivery": envelope.delivery(key, env, datetime.now(UTC))}


def _post(be: Node, message: dict[str, Any]) -> Reply:
    return be.call("POST", "/api/v1/exchange/inbox", None, message)


def test_forged_tampered_replayed_and_stale_are_refused(pair: tuple[Node, Node]) -> None:
    nl, be = pair
    before = len(_inbox(be))

    # Forged: signed by a key BE does not know for NL.
    stranger = generate(Path(nl.env["KETEN_VAR_DIR"]) / "stranger.key")
    env = envelope.envelope(
        stranger,
        sender=NL,
        receiver=BE,
        kind="request_1f_information",
        legal_basis="x",
        purpose="x",
        sender_reference="x",
        trace_id="cd" * 16,
        body={"person": PERSON, "question": "vervalst"},
        at=datetime.now(UTC),
    )
    forged = _post(
        be, {"envelope": env, "delivery": envelope.delivery(stranger, env, datetime.now(UTC))}
    )
    assert forged.status == 403, forged.text
    assert forged.body["type"] == "urn:keten:problem:exchange-unknown-key"
    assert "onbekend" in forged.body["detail_nl"]
    # Forged the other way: NL's key id named, but the signature is the stranger's.
    impostor = envelope.sign(stranger, {**env, "key_id": key_id(nl.private_key().public_key())})
    faked = _post(
        be,
        {
            "envelope": impostor,
            "delivery": envelope.delivery(stranger, impostor, datetime.now(UTC)),
        },
    )
    assert faked.status == 403 and faked.body["type"].endswith("exchange-bad-signature"), faked.text

    # Tampered: a genuine message with its question changed after signing.
    tampered = _signed_message(nl)
    tampered["envelope"] = {
        **tampered["envelope"],
        "body": {"person": PERSON, "question": "anders"},
    }
    changed = _post(be, tampered)
    assert changed.status == 403, changed.text
    assert changed.body["type"] == "urn:keten:problem:exchange-bad-signature"
    assert "klopt niet" in changed.body["detail_nl"]

    # Replayed: the same delivery twice; the first is kept, the second refused.
    genuine = _signed_message(nl)
    first = _post(be, genuine)
    assert first.status == 201, first.text
    replayed = _post(be, genuine)
    assert replayed.status == 409, replayed.text
    assert replayed.body["type"] == "urn:keten:problem:exchange-replayed"
    assert "herhaling" in replayed.body["detail_nl"]

    # Stale: a delivery signed an hour ago, outside the five-minute window.
    old = _signed_message(nl)
    old["delivery"] = envelope.delivery(
        nl.private_key(), old["envelope"], datetime.now(UTC) - timedelta(hours=1)
    )
    stale = _post(be, old)
    assert stale.status == 409 and stale.body["type"].endswith("exchange-stale"), stale.text

    # A redelivery (a new delivery of a kept message): the same receipt, nothing stored twice.
    redelivery = {
        "envelope": genuine["envelope"],
        "delivery": envelope.delivery(nl.private_key(), genuine["envelope"], datetime.now(UTC)),
    }
    same = _post(be, redelivery)
    assert same.status == 200, same.text
    assert same.body == first.body
    assert len(_inbox(be)) == before + 1

    refused = {r["name"] for r in be.audit() if r["status_code"] == "ERROR"}
    assert {
        "exchange.refused.unknown-key",
        "exchange.refused.bad-signature",
        "exchange.refused.replayed",
        "exchange.refused.stale",
    } <= refused


def test_receiver_down_then_delivered_once(pair: tuple[Node, Node]) -> None:
    nl, be = pair
    _stop(be.server.process)
    try:
        sent = _request(nl, "IND-1F-2026-0050")
        assert sent.status == 201, sent.text
        mid = sent.body["message_id"]
        nl.work()
        time.sleep(0.5)
        nl.work()
        waiting = _outbox(nl, mid)
        assert waiting["status"] == "pending"
        assert waiting["attempts"] >= 2
        assert "Connection" in waiting["last_error"] or "refused" in waiting["last_error"]
    finally:
        _restart(be)
    for _ in range(20):
        time.sleep(0.5)
        nl.work()
        if _outbox(nl, mid)["status"] == "delivered":
            break
    done = _outbox(nl, mid)
    assert done["status"] == "delivered", done
    assert done["attempts"] >= 3
    assert [r["message_id"] for r in _inbox(be)].count(mid) == 1
    # Delivered means done: more work sends nothing more.
    nl.work()
    assert _outbox(nl, mid)["attempts"] == done["attempts"]
    received = [
        r
        for r in be.audit()
        if r["name"] == "exchange.received" and r["object_ref"] == f"exchange:{mid}"
    ]
    assert len(received) == 1


UNIT_1F = "ind-1f"  # IND Unit 1F: the exchange without an accreditation, and COI's writer
CGVS = "cgvs"  # the CGVS's COI officer: COI's counterpart on the BE instance
DVZ_RETURN = "dvz-terugkeer"  # the DVZ's return service: DTenV's counterpart on the BE instance


def test_a_coi_report_is_shared_and_taken_over_once(pair: tuple[Node, Node]) -> None:
    """Seed 000: "Het CGVS en IND werken verder samen rond het uitwisselen van informatie met
    betrekking tot de landen van oorsprong (COI, country of origin information)". NL shares a
    shareable report of its own; BE's CGVS takes it over as a report received from NL, once;
    a report cannot be sent as a question, and a shared message cannot be answered."""
    nl, be = pair
    syria = nl.call("GET", "/api/v1/coi?country=SYR", UNIT_1F)
    assert syria.status == 200, syria.text
    report = next(d for d in syria.body["all"] if d["shareable"] and not d["received_from"])
    shared = nl.call(
        "POST",
        "/api/v1/exchange/shares",
        UNIT_1F,
        {
            "partner": BE,
            "kind": "coi_report",
            "document": report["id"],
            "sender_reference": "IND-COI-2026-7",
            "reason": "landeninformatie Syrië voor de partner",
        },
    )
    assert shared.status == 201, shared.text
    assert shared.body["envelope"]["legal_basis"].startswith("Intentieverklaring NL-BE")
    mid = shared.body["message_id"]
    nl.work()
    arrived = be.call("GET", "/api/v1/exchange/messages?box=inbox", CGVS)
    row = next(r for r in arrived.body["results"] if r["message_id"] == mid)
    assert row["kind"] == "coi_report" and row["status"] == "open"
    # Information is taken over, not answered.
    answered = be.call(
        "POST",
        f"/api/v1/exchange/inbox/{mid}/answer",
        CGVS,
        {"outcome": "answered", "answer": "dank", "reason": "x"},
    )
    assert answered.status == 422 and "geen verzoek" in answered.text
    taken = be.call(
        "POST", f"/api/v1/exchange/inbox/{mid}/take-over", CGVS, {"reason": "COI overnemen"}
    )
    assert taken.status == 200, taken.text
    assert taken.body["status"] == "taken_over"
    stored = taken.body["stored"]
    assert stored["received_from"] == NL and stored["title"] == report["title"]
    assert stored["shareable"] is False  # a received report is not passed on
    again = be.call("POST", f"/api/v1/exchange/inbox/{mid}/take-over", CGVS, {"reason": "nogmaals"})
    assert again.status == 422 and "al overgenomen" in again.text
    on_be = be.call("GET", "/api/v1/coi?country=SYR", CGVS).body["all"]
    assert sum(1 for d in on_be if d["received_from"] == NL) == 1
    # Both logs name the message.
    assert any(e["object_ref"] == f"exchange:{mid}" for e in nl.audit())
    assert any(
        e["object_ref"] == f"exchange:{mid}" and e["name"] == "exchange.taken_over"
        for e in be.audit()
    )
    asked = nl.call(
        "POST",
        "/api/v1/exchange/requests",
        UNIT_1F,
        {"partner": BE, "kind": "coi_report", "sender_reference": "x", "reason": "x"},
    )
    assert asked.status == 400 and asked.body["field"] == "kind"


def test_dtenv_shares_its_flight_programme_and_handles_nothing_else(
    pair: tuple[Node, Node],
) -> None:
    """Seed 000 point 3: "De DT&V en de DVZ zetten hun samenwerking voort in de domeinen
    identificatie en terugkeer via o.a. ... uitwisseling van special flight programmatie en
    deelname aan elkaars special flights." NL's DTenV shares its programme; the DVZ's return
    service takes it over on BE, as the partner's operations. DTenV sends no 1F request and
    does not see them."""
    nl, be = pair
    day = (date.today() + timedelta(days=40)).isoformat()
    planned = nl.call(
        "POST",
        "/api/v1/return/operations",
        "dtenv",
        {
            "kind": "special_flight",
            "destination": "GEO",
            "day": day,
            "seats_offered": 6,
            "reason": "charter Tbilisi",
        },
    )
    assert planned.status == 201, planned.text
    shared = nl.call(
        "POST",
        "/api/v1/exchange/shares",
        "dtenv",
        {
            "partner": BE,
            "kind": "return_operation_programme",
            "on": date.today().isoformat(),
            "sender_reference": "DTenV-SF-2026-12",
            "reason": "programma special flights voor de DVZ",
        },
    )
    assert shared.status == 201, shared.text
    mid = shared.body["message_id"]
    nl.work()
    seen = be.call("GET", "/api/v1/exchange/messages?box=inbox", DVZ_RETURN).body["results"]
    assert {r["kind"] for r in seen} == {"return_operation_programme"}  # no 1F for DTenV
    taken = be.call(
        "POST", f"/api/v1/exchange/inbox/{mid}/take-over", DVZ_RETURN, {"reason": "programma NL"}
    )
    assert taken.status == 200, taken.text
    ops = taken.body["stored"]
    flight = next(o for o in ops if o["destination"] == "GEO" and o["seats_offered"] == 6)
    # "deelname aan elkaars special flights": BE asks four seats on NL's flight, NL gives them.
    asked = be.call(
        "POST",
        "/api/v1/exchange/shares",
        DVZ_RETURN,
        {
            "partner": NL,
            "kind": "return_operation_seats",
            "operation": flight["id"],
            "seats": 4,
            "sender_reference": "DVZ-SF-SEATS-1",
            "reason": "vier plaatsen op de vlucht naar Tbilisi",
        },
    )
    assert asked.status == 201, asked.text
    be.work()
    given = nl.call(
        "POST",
        f"/api/v1/exchange/inbox/{asked.body['message_id']}/take-over",
        "dtenv",
        {"reason": "plaatsen toegekend aan de DVZ"},
    )
    assert given.status == 200, given.text
    assert given.body["stored"]["id"] == planned.body["id"]
    assert given.body["stored"]["seats_taken"] == 4
    refused = nl.call(
        "POST",
        "/api/v1/exchange/requests",
        "dtenv",
        {
            "partner": BE,
            "kind": "request_1f_information",
            "person": PERSON,
            "question": "?",
            "sender_reference": "x",
            "reason": "x",
        },
    )
    assert refused.status == 403 and refused.body["field"] == "kind"


def test_an_unknown_status_is_refused_not_an_empty_queue(pair: tuple[Node, Node]) -> None:
    nl, _ = pair
    got = nl.call("GET", "/api/v1/exchange/messages?box=inbox&status=beantwoord", LIAISON)
    assert got.status == 400 and got.body["field"] == "status", got.text
    assert "open" in got.body["detail_nl"] and "answered" in got.body["detail_nl"]
    got = nl.call("GET", "/api/v1/exchange/messages?box=outbox&status=open", LIAISON)
    assert got.status == 400 and "pending" in got.body["detail_nl"], got.text
    assert nl.call("GET", "/api/v1/exchange/messages?box=inbox&status=open", LIAISON).status == 200


def test_a_joint_request_is_proposed_and_agreed_once(pair: tuple[Node, Node]) -> None:
    """Seed 000 point 3: "De DT&V en de DVZ zetten hun samenwerking voort in de domeinen
    identificatie en terugkeer". NL's DTenV proposes a joint request for travel documents to
    an embassy; BE's DTenV takes the message over, which is agreeing: BE keeps the request as
    NL's, its persons counted from BE's side, with the steps proposed and agreed. The message
    delivered twice and shared twice is still one request on BE's side."""
    nl, be = pair
    proposed = nl.call(
        "POST",
        "/api/v1/return/joint-requests",
        "dtenv",
        {
            "kind": "travel_documents",
            "destination": "GIN",
            "authority": "Ambassade van Guinee te Brussel",
            "proposed_on": date.today().isoformat(),
            "partner": BE,
            "persons_own": 4,
            "persons_partner": 3,
            "sources": "Intentieverklaring NL-BE 24-02-2015, punt 3",
            "reason": "gezamenlijke aanvraag laissez-passers Guinee",
        },
    )
    assert proposed.status == 201, proposed.text
    req = proposed.body["id"]
    # Joint with BE: it cannot be proposed to another partner.
    elsewhere = nl.call(
        "POST",
        "/api/v1/exchange/shares",
        "dtenv",
        {
            "partner": "LU-DI-1",
            "kind": "return_joint_request",
            "request": req,
            "sender_reference": "x",
            "reason": "x",
        },
    )
    assert elsewhere.status == 422 and elsewhere.body["field"] == "partner", elsewhere.text

    def share(reference: str) -> dict[str, Any]:
        sent = nl.call(
            "POST",
            "/api/v1/exchange/shares",
            "dtenv",
            {
                "partner": BE,
                "kind": "return_joint_request",
                "request": req,
                "sender_reference": reference,
                "reason": "voorstel gezamenlijk verzoek aan de DVZ",
            },
        )
        assert sent.status == 201, sent.text
        return dict(sent.body)

    shared = share("DTenV-GV-2026-1")
    assert shared["envelope"]["body"]["request"]["persons_sender"] == 4
    mid = shared["message_id"]
    nl.work()
    assert _outbox(nl, mid)["status"] == "delivered"
    # Delivered a second time (a new delivery of the same message): the same receipt, one row.
    again = _post(
        be,
        {
            "envelope": shared["envelope"],
            "delivery": envelope.delivery(nl.private_key(), shared["envelope"], datetime.now(UTC)),
        },
    )
    assert again.status == 200, again.text
    inbox = be.call("GET", "/api/v1/exchange/messages?box=inbox", DVZ_RETURN).body["results"]
    assert [r["message_id"] for r in inbox].count(mid) == 1
    taken = be.call(
        "POST", f"/api/v1/exchange/inbox/{mid}/take-over", DVZ_RETURN, {"reason": "akkoord DVZ"}
    )
    assert taken.status == 200, taken.text
    stored = taken.body["stored"]
    assert stored["received_from"] == NL and stored["received_ref"] == str(req)
    assert (stored["persons_own"], stored["persons_partner"]) == (3, 4)
    assert [s["status"] for s in stored["steps"]] == ["proposed", "agreed"]
    assert stored["partner"] == NL and stored["authority"] == "Ambassade van Guinee te Brussel"
    twice = be.call(
        "POST", f"/api/v1/exchange/inbox/{mid}/take-over", DVZ_RETURN, {"reason": "nogmaals"}
    )
    assert twice.status == 422 and "al overgenomen" in twice.text
    # Shared again in a new message: taken over, it is the request kept the first time.
    second = share("DTenV-GV-2026-1b")
    nl.work()
    retaken = be.call(
        "POST",
        f"/api/v1/exchange/inbox/{second['message_id']}/take-over",
        DVZ_RETURN,
        {"reason": "opnieuw ontvangen"},
    )
    assert retaken.status == 200, retaken.text
    assert retaken.body["stored"]["id"] == stored["id"]
    on_be = be.call("GET", "/api/v1/return/joint-requests", DVZ_RETURN).body["results"]
    assert sum(1 for r in on_be if r["received_from"] == NL) == 1
    # BE agreed by taking it over; recording "agreed" by hand there is a contradiction.
    by_hand = be.call(
        "POST",
        f"/api/v1/return/joint-requests/{stored['id']}/steps",
        DVZ_RETURN,
        {"status": "agreed", "day": date.today().isoformat(), "reason": "x"},
    )
    assert by_hand.status == 422 and by_hand.body["field"] == "status", by_hand.text
    # A request received is not passed on.
    onward = be.call(
        "POST",
        "/api/v1/exchange/shares",
        DVZ_RETURN,
        {
            "partner": NL,
            "kind": "return_joint_request",
            "request": stored["id"],
            "sender_reference": "x",
            "reason": "x",
        },
    )
    assert onward.status == 422 and "niet doorgegeven" in onward.text, onward.text
    # Both logs name the message; BE's names the request it stored.
    assert any(e["object_ref"] == f"exchange:{mid}" for e in nl.audit())
    be_log = be.audit()
    assert any(
        e["object_ref"] == f"exchange:{mid}" and e["name"] == "exchange.taken_over" for e in be_log
    )
    assert any(
        e["name"] == "joint_request.agreed" and e["object_ref"] == f"joint_request:{stored['id']}"
        for e in be_log
    )


def test_escorts_ride_with_a_seat_request(pair: tuple[Node, Node]) -> None:
    """NL's programme carries the escorts the KMar provides on its flight; BE asks seats on
    it and names the escorts it brings (the Belgian Federal Police); NL gives the seats and
    keeps the escorts as BE's, beside its own. No ratio is checked: no source gives one."""
    nl, be = pair
    day = (date.today() + timedelta(days=50)).isoformat()
    planned = nl.call(
        "POST",
        "/api/v1/return/operations",
        "dtenv",
        {
            "kind": "special_flight",
            "destination": "NGA",
            "day": day,
            "seats_offered": 8,
            "reason": "charter Lagos",
        },
    )
    assert planned.status == 201, planned.text
    own = nl.call(
        "POST",
        f"/api/v1/return/operations/{planned.body['id']}/escorts",
        "kmar",
        {"escorts": 16, "service": "kmar", "reason": "inzet KMar"},
    )
    assert own.status == 201, own.text
    shared = nl.call(
        "POST",
        "/api/v1/exchange/shares",
        "dtenv",
        {
            "partner": BE,
            "kind": "return_operation_programme",
            "on": date.today().isoformat(),
            "sender_reference": "DTenV-SF-LOS",
            "reason": "programma",
        },
    )
    nl.work()
    taken = be.call(
        "POST",
        f"/api/v1/exchange/inbox/{shared.body['message_id']}/take-over",
        DVZ_RETURN,
        {"reason": "programma NL"},
    )
    assert taken.status == 200, taken.text
    flight = next(o for o in taken.body["stored"] if o["received_ref"] == str(planned.body["id"]))
    # The programme carried NL's own escorts: BE keeps them as NL's.
    assert [(e["side"], e["service"], e["escorts"]) for e in flight["escorts"]] == [
        (NL, "kmar", 16)
    ]
    half = be.call(
        "POST",
        "/api/v1/exchange/shares",
        DVZ_RETURN,
        {
            "partner": NL,
            "kind": "return_operation_seats",
            "operation": flight["id"],
            "seats": 2,
            "escorts": 4,
            "sender_reference": "x",
            "reason": "x",
        },
    )
    assert half.status == 400 and half.body["field"] == "escorts", half.text
    asked = be.call(
        "POST",
        "/api/v1/exchange/shares",
        DVZ_RETURN,
        {
            "partner": NL,
            "kind": "return_operation_seats",
            "operation": flight["id"],
            "seats": 2,
            "escorts": 4,
            "escort_service": "be_federal_police",
            "sender_reference": "DVZ-SF-LOS-1",
            "reason": "twee plaatsen en vier begeleiders",
        },
    )
    assert asked.status == 201, asked.text
    be.work()
    given = nl.call(
        "POST",
        f"/api/v1/exchange/inbox/{asked.body['message_id']}/take-over",
        "dtenv",
        {"reason": "plaatsen en begeleiders DVZ"},
    )
    assert given.status == 200, given.text
    assert given.body["stored"]["seats_taken"] == 2
    escorts = {(e["side"], e["service"]): e["escorts"] for e in given.body["stored"]["escorts"]}
    assert escorts == {(None, "kmar"): 16, (BE, "be_federal_police"): 4}
