"""An exchange message's body is erased after its kind's retention period
(data/exchange/retention.yaml; the idle worker's timer ``exchange-retention``), its metadata
stays readable through the API, and the erasure is an audit record; an open request and a
message before its period keep their bodies.

A partner over loopback HTTP (a small server in this process holding the partner's key) sends
requests to the live server's inbox and answers what it is sent; the live server's Unit 1F
answers and asks through the API, and its messages are delivered to the partner by the
delivery code. The clock is moved by calling the timer with ``now``, as the nonce sweep test
does."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from keten.server.audit.keys import generate
from keten.server.exchange import envelope
from keten.server.jobs.kinds import TIMERS
from tests.server.live import Browser, Reply, Server

PARTNER = "XX-KEEP"
UNIT_1F = "ind-1f"
PERSON = {
    "surname": "Bewaar",
    "given_names": "Termijn",
    "birth_date": "1980-00-00",
    "nationality": "SYR",
    "foreign_references": [{"issuer": "XX", "number": "K-1"}],
}


class _Partner:
    """The partner's side: its key, and an inbox that returns a signed receipt."""

    def __init__(self, key_file: Path) -> None:
        self.key = generate(key_file)
        self.received: list[dict[str, Any]] = []
        partner = self

        class Inbox(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                data = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                partner.received.append(data["envelope"])
                receipt = envelope.receipt(
                    partner.key,
                    data["envelope"],
                    receiver=PARTNER,
                    trace_id="ef" * 16,
                    at=datetime.now(UTC),
                )
                raw = json.dumps(receipt).encode()
                self.send_response(201)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Inbox)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/api/v1/exchange/inbox"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def message(self, receiver: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
        env = envelope.envelope(
            self.key,
            sender=PARTNER,
            receiver=receiver,
            kind=kind,
            legal_basis="Intentieverklaring NL-BE 24-02-2015 punt 5; AVG art. 6 lid 1 onder e",
            purpose="test van de bewaartermijn",
            sender_reference=f"XX-{len(self.received)}-{kind}",
            trace_id="ab" * 16,
            body=body,
            at=datetime.now(UTC),
        )
        return {"envelope": env, "delivery": envelope.delivery(self.key, env, datetime.now(UTC))}


@pytest.fixture(scope="module")
def partner(live: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Partner]:
    from keten.server.services import exchange

    if not exchange.key_path().exists():
        generate(exchange.key_path())
    found = _Partner(tmp_path_factory.mktemp("partner") / "partner.key")
    exchange.add_partner(PARTNER, "Retention partner", "XX", found.url, "bewaartermijn")
    exchange.add_partner_key(
        PARTNER,
        envelope.public_pem(found.key.public_key()),
        datetime.now(UTC) - timedelta(days=1),
        None,
        "sleutel van de testpartner",
    )
    yield found
    found.http.shutdown()


def _inbox_post(live: Server, message: dict[str, Any]) -> Reply:
    return live.request("POST", "/api/v1/exchange/inbox", None, body=message)


def _deliver(message_id: str) -> None:
    """The delivery job's work for one outbox message (the worker runs the same function)."""
    from keten.server.exchange.models import OutboxMessage
    from keten.server.services.exchange_delivery import deliver

    row = deliver(OutboxMessage.objects.get(message_id=message_id).pk, timeout=5)
    assert row.status == "delivered", row.last_error


def _rows(live: Server, box: str) -> dict[str, dict[str, Any]]:
    got = live.request("GET", f"/api/v1/exchange/messages?box={box}", UNIT_1F)
    assert got.status == 200, got.text
    return {r["message_id"]: r for r in got.body["results"]}


def _request(live: Server, reference: str) -> str:
    sent = live.request(
        "POST",
        "/api/v1/exchange/requests",
        UNIT_1F,
        {
            "partner": PARTNER,
            "kind": "request_1f_information",
            "person": PERSON,
            "question": "Is betrokkene bij u op grond van artikel 1F uitgesloten?",
            "sender_reference": reference,
            "reason": "verblijfsaanvraag; 1F-uitsluiting gemeld",
        },
    )
    assert sent.status == 201, sent.text
    mid = str(sent.body["message_id"])
    _deliver(mid)
    return mid


def test_bodies_are_erased_after_the_period_and_the_metadata_stays(
    live: Server, partner: _Partner
) -> None:
    from keten.server.services import exchange
    from keten.server.services.exchange_retention import erase_expired, periods

    own = exchange.own_code()
    question = {"person": PERSON, "question": "Is betrokkene bij u uitgesloten (1F)?"}
    # Two requests from the partner: one answered here, one left open.
    answered_msg = partner.message(own, "request_1f_information", question)
    open_msg = partner.message(own, "request_1f_information", question)
    for message in (answered_msg, open_msg):
        got = _inbox_post(live, message)
        assert got.status == 201, got.text
    answered_id = answered_msg["envelope"]["message_id"]
    open_id = open_msg["envelope"]["message_id"]
    reply = live.request(
        "POST",
        f"/api/v1/exchange/inbox/{answered_id}/answer",
        UNIT_1F,
        {"outcome": "answered", "answer": "Niet uitgesloten.", "reason": "antwoord"},
    )
    assert reply.status == 200, reply.text
    our_answer = str(reply.body["answer_id"])
    _deliver(our_answer)

    # Two requests of ours: the partner answers one, the other waits for its answer.
    asked = _request(live, "IND-1F-KEEP-1")
    waiting = _request(live, "IND-1F-KEEP-2")
    their_answer = partner.message(
        own,
        "answer",
        {"in_reply_to": asked, "outcome": "refused", "refusal_reason": "geen grondslag"},
    )
    got = _inbox_post(live, their_answer)
    assert got.status == 201, got.text
    their_answer_id = their_answer["envelope"]["message_id"]

    closed = {answered_id, our_answer, asked, their_answer_id}
    kept_open = {open_id, waiting}
    period = periods()["request_1f_information"].period
    assert period is not None and periods()["answer"].period == period
    now = datetime.now(UTC)

    # Just before the period ends: nothing of ours is erased.
    erase_expired(now + period - timedelta(days=1))
    inbox, outbox = _rows(live, "inbox"), _rows(live, "outbox")
    rows = {**inbox, **outbox}
    assert all(rows[m]["body_erased_at"] is None for m in closed | kept_open)
    assert inbox[answered_id]["envelope"]["body"]["person"]["surname"] == "Bewaar"

    # After it: the closed ones are erased; the open ones keep their bodies.
    assert erase_expired(now + period + timedelta(days=1)) >= len(closed)
    inbox, outbox = _rows(live, "inbox"), _rows(live, "outbox")
    rows = {**inbox, **outbox}
    for mid in closed:
        row = rows[mid]
        assert row["body_erased_at"] is not None, mid
        assert "person" not in json.dumps(row["envelope"]["body"])
        # The metadata the audit needs stays: ids, kind, partner, dates, key id, signature.
        env = row["envelope"]
        assert env["message_id"] == mid and row["partner"] == PARTNER
        assert env["key_id"] and env["signature"] and env["created_at"]
        assert env["legal_basis"].startswith("Intentieverklaring")
        assert row["receipt"]["receipt_for"] == mid
    for mid in kept_open:
        assert rows[mid]["body_erased_at"] is None
        assert rows[mid]["envelope"]["body"]["person"]["surname"] == "Bewaar"
    assert inbox[open_id]["status"] == "open"

    # The erased body's hash proves a copy shown later; the answer keeps its outcome.
    original = answered_msg["envelope"]["body"]
    erased = inbox[answered_id]["envelope"]["body"]["erased"]
    assert erased["body_sha256"] == envelope.digest(original)
    assert erased["after_days"] == period.days
    assert inbox[answered_id]["status"] == "answered"
    assert inbox[answered_id]["answered_by"] == UNIT_1F
    answer_body = inbox[their_answer_id]["envelope"]["body"]
    assert (answer_body["in_reply_to"], answer_body["outcome"]) == (asked, "refused")
    assert "refusal_reason" not in answer_body
    assert outbox[asked]["outcome"] == "refused"
    assert outbox[our_answer]["envelope"]["body"]["outcome"] == "answered"
    assert "answer" not in outbox[our_answer]["envelope"]["body"]

    # Run again: nothing left to erase.
    assert erase_expired(now + period + timedelta(days=1)) == 0

    # Each erasure is an audit record; the earlier records still name a message that exists.
    log = live.request("GET", "/api/v1/audit?order=newest&limit=1000", "privacy")
    assert log.status == 200, log.text
    records = log.body["results"]
    erasures = {r["object_ref"] for r in records if r["name"] == "exchange.erased"}
    assert {f"exchange:{m}" for m in closed} <= erasures
    assert not {f"exchange:{m}" for m in kept_open} & erasures
    one = next(
        r
        for r in records
        if r["name"] == "exchange.erased" and r["object_ref"] == f"exchange:{answered_id}"
    )
    assert one["actor_user"] == "keten-exchange" and one["status_code"] == "OK"
    assert (
        one["dpl.core.processing_activity_id"] == "urn:keten:verwerking:uitwisseling:bewaartermijn"
    )
    received = next(
        r
        for r in records
        if r["name"] == "exchange.received" and r["object_ref"] == f"exchange:{answered_id}"
    )
    assert received["object_ref"].removeprefix("exchange:") in inbox

    # The page says the body is gone, in Dutch.
    browser = Browser(live.base)
    browser.login(UNIT_1F)
    status, html = browser.open("/uitwisseling")
    assert status == 200
    assert "Gewist na de bewaartermijn" in html


def test_every_kind_has_a_retention_period_with_its_source(live: Server) -> None:
    # live: the services import Django's models, which need the settings the server set up.
    from keten.server.services.exchange_kinds import KINDS
    from keten.server.services.exchange_retention import periods

    assert set(periods()) == set(KINDS)
    # The kinds that carry a person are erased; unverified periods say so.
    assert periods()["request_1f_information"].period == timedelta(days=730)
    assert periods()["request_1f_information"].verified is False
    assert periods()["coi_report"].period is None
    assert periods()["answer"].keep == ("in_reply_to", "outcome")
    assert TIMERS["exchange-retention"].endswith(":erase_expired")
