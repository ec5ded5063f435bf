"""Partner webhooks over real HTTP: a receiver on loopback (``http.server`` in a thread) checks
each delivery's signature itself; one fails first and then succeeds (a retry), one never
answers within the timeout, one redirects (never followed). The hand-overs are made through
the live server's API; the deliveries are run by the job queue's worker in this process."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from tests.server.live import Server
from tests.server.world import World, hand_over, refuse, register

SECRET = "s3cret-for-the-tests-" + "x" * 20  # 41 characters: 32..128 allowed


@dataclass
class Hit:
    at: float
    headers: dict[str, str]
    body: bytes
    signed: bool


@dataclass
class Receiver:
    url: str
    hits: list[Hit] = field(default_factory=list)


def _signed(headers: dict[str, str], body: bytes) -> bool:
    """The receiver's own check, as docs/workday.md tells a partner to write it: HMAC-SHA256
    over "<t>.<body>" with the shared secret, compared in constant time, t recent."""
    try:
        parts = dict(p.split("=", 1) for p in headers["x-keten-signature"].split(","))
        t = int(parts["t"])
    except (KeyError, ValueError):
        return False
    mac = hmac.new(SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return abs(time.time() - t) < 300 and hmac.compare_digest(mac, parts.get("v1", ""))


@contextmanager
def receiver(mode: str = "ok", *, redirect_to: str = "") -> Iterator[Receiver]:
    """``ok``: 204 when signed, 401 when not; ``fail_first``: 500, then as ``ok``;
    ``silent``: answers after 3 s (past the delivery's timeout); ``redirect``: 302."""
    got = Receiver("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            got.hits.append(Hit(time.monotonic(), headers, body, _signed(headers, body)))
            if mode == "silent":
                time.sleep(3)
            if mode == "redirect":
                self.send_response(302)
                self.send_header("Location", redirect_to)
            elif mode == "fail_first" and len(got.hits) == 1:
                self.send_response(500)
            else:
                self.send_response(204 if got.hits[-1].signed else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    got.url = f"http://127.0.0.1:{server.server_address[1]}/keten/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def subscribed(live: Server, user: str, url: str) -> Iterator[dict[str, Any]]:
    """A subscription for the test only: ended afterwards, so that no later hand-over in the
    session makes a delivery (and a job) for a receiver that is gone."""
    made = live.request(
        "POST",
        "/api/v1/subscriptions",
        user,
        {"url": url, "channels": ["handover"], "secret": SECRET, "reason": "test receiver"},
    )
    assert made.status == 201, made.text
    try:
        yield made.body
    finally:
        ended = live.request(
            "POST", f"/api/v1/subscriptions/{made.body['id']}/end", user, {"reason": "test done"}
        )
        assert ended.status == 200 and ended.body["active"] is False


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short waits for the worker in this process: 0.2 s backoff, three attempts, 1 s timeout."""
    monkeypatch.setenv("KETEN_WEBHOOK_BACKOFF_SECONDS", "0.2")
    monkeypatch.setenv("KETEN_WEBHOOK_ATTEMPTS", "3")
    monkeypatch.setenv("KETEN_WEBHOOK_TIMEOUT_SECONDS", "1")


def _handover_to_dtenv(live: Server, surname: str) -> tuple[dict[str, Any], int]:
    from keten.server.dossiers.models import Handover

    person = register(live, surname=surname)
    refuse(live, int(person["id"]))
    hand_over(live, int(person["id"]), "ind", "transfer_file", "DTenV")
    h = Handover.objects.filter(person_id=person["id"]).latest("id")
    return person, h.pk


def _work_until_done(delivery_ids: set[int], within: float = 20.0) -> None:
    """Run the worker's own steps (claim and run a job; when idle, the timers that queue the
    retries whose backoff has passed) until these deliveries are delivered or given up."""
    from keten.server.jobs.queue import run_one
    from keten.server.jobs.worker import run_timers
    from keten.server.notifications.models import Delivery

    deadline = time.monotonic() + within
    while Delivery.objects.filter(pk__in=delivery_ids, status="pending").exists():
        assert time.monotonic() < deadline, "deliveries still pending"
        if run_one("test-worker:1") is None and not run_timers():
            time.sleep(0.05)


def _deliveries(handover: int) -> list[Any]:
    from keten.server.notifications.models import Delivery

    return list(Delivery.objects.filter(handover_id=handover).select_related("subscription"))


def test_a_signed_minimal_payload_reaches_the_receiver_only(
    live: Server, world: World, quick: None
) -> None:
    with (
        receiver() as dtenv_hook,
        receiver() as iom_hook,
        subscribed(live, "dtenv", dtenv_hook.url) as sub,
        subscribed(live, "iom", iom_hook.url),
    ):
        assert "secret" in sub and sub["secret"] == SECRET  # answered once, on creation
        listed = live.get("/api/v1/subscriptions", "dtenv").body["results"]
        assert all("secret" not in s for s in listed)
        person, handover = _handover_to_dtenv(live, "Webhookpersoon")
        made = _deliveries(handover)
        # Only the receiving organisation's subscription: IOM's gets no delivery at all.
        assert [d.subscription.organisation_id for d in made] == ["DTenV"]
        _work_until_done({d.pk for d in made})
        assert len(dtenv_hook.hits) == 1 and not iom_hook.hits
        hit = dtenv_hook.hits[0]
        assert hit.signed, hit.headers
        payload = json.loads(hit.body)
        # Need-to-know: which hand-over, and where to read the rest with DTenV's own token;
        # the V-number because DTenV's role reads identity. No name, no birth date, no note.
        assert set(payload) == {"channel", "handover", "kind", "day", "url", "v_number"}
        assert payload["handover"] == handover and payload["kind"] == "transfer_file"
        assert payload["v_number"] == person["v_number"]
        assert payload["url"].endswith(f"/api/v1/persons/{person['id']}/handovers")
        tries = live.get(f"/api/v1/subscriptions/{sub['id']}/deliveries", "dtenv").body
        assert tries["results"][0]["status"] == "delivered"
        assert tries["results"][0]["tries"][0]["status_code"] == 204
        # Another organisation cannot read or end it: answered as if it did not exist.
        assert live.get(f"/api/v1/subscriptions/{sub['id']}/deliveries", "iom").status == 404
        foreign_end = live.request(
            "POST", f"/api/v1/subscriptions/{sub['id']}/end", "iom", {"reason": "not mine"}
        )
        assert foreign_end.status == 404


def test_a_tampered_body_fails_the_receivers_check() -> None:
    body = b'{"handover":1}'
    t = int(time.time())
    mac = hmac.new(SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    header = {"x-keten-signature": f"t={t},v1={mac}"}
    assert _signed(header, body)
    assert not _signed(header, b'{"handover":2}')
    assert not _signed({"x-keten-signature": f"t={t - 3600},v1={mac}"}, body)  # replayed late


def test_the_v_number_only_for_a_role_that_reads_identity(live: Server, world: World) -> None:
    from keten.server.dossiers.models import Handover
    from keten.server.notifications.models import Subscription
    from keten.server.services.policy import policy
    from keten.server.services.webhooks import payload_for

    assert not policy().roles["ind_management"].can("identity", "read")
    h = Handover.objects.filter(to_org_id="DTenV").latest("id")
    blind = Subscription(
        organisation_id="DTenV",
        url="https://x.example/h",
        secret=SECRET,
        channels=["handover"],
        recorded_role="ind_management",
    )
    seeing = Subscription(
        organisation_id="DTenV",
        url="https://x.example/h",
        secret=SECRET,
        channels=["handover"],
        recorded_role="dtenv_officer",
    )
    assert "v_number" not in payload_for(blind, h)
    assert payload_for(seeing, h)["v_number"] == h.person.v_number


def test_a_failed_attempt_is_retried_after_a_backoff(
    live: Server, world: World, quick: None
) -> None:
    with receiver("fail_first") as hook, subscribed(live, "dtenv", hook.url):
        _, handover = _handover_to_dtenv(live, "Herhaling")
        made = _deliveries(handover)
        _work_until_done({d.pk for d in made})
        assert [h.signed for h in hook.hits] == [True, True]
        # The second attempt came no sooner than the first backoff (0.2 s).
        assert hook.hits[1].at - hook.hits[0].at >= 0.2
        delivery = _deliveries(handover)[0]
        tries = list(delivery.tries.order_by("number"))
        assert delivery.status == "delivered" and delivery.attempts == 2
        assert [t.status_code for t in tries] == [500, 204]
        assert tries[0].error == "HTTP 500" and tries[0].next_try_at is not None
        assert tries[1].error == "" and tries[1].next_try_at is None


def test_a_receiver_that_never_answers_gives_up_after_bounded_attempts(
    live: Server, world: World, quick: None
) -> None:
    with receiver("silent") as hook, subscribed(live, "dtenv", hook.url):
        _, handover = _handover_to_dtenv(live, "Stilte")
        made = _deliveries(handover)
        started = time.monotonic()
        _work_until_done({d.pk for d in made})
        elapsed = time.monotonic() - started
        delivery = _deliveries(handover)[0]
        tries = list(delivery.tries.order_by("number"))
        assert delivery.status == "failed" and delivery.attempts == 3  # KETEN_WEBHOOK_ATTEMPTS
        assert all(t.status_code is None and "timed out" in t.error for t in tries)
        # Exponential: the waits after attempts 1 and 2 are 0.2 s and 0.4 s; none after 3.
        gaps = [(t.next_try_at - t.at).total_seconds() for t in tries[:2] if t.next_try_at]
        assert len(gaps) == 2 and gaps[0] == pytest.approx(0.2, abs=0.1)
        assert gaps[1] == pytest.approx(0.4, abs=0.1)
        assert tries[2].next_try_at is None
        # Three timeouts of 1 s and 0.6 s of waiting: bounded, not the receiver's 3 s each.
        assert elapsed < 3 * 1 + 0.6 + 2.5


def test_a_redirect_is_not_followed(live: Server, world: World, quick: None) -> None:
    with (
        receiver() as elsewhere,
        receiver("redirect", redirect_to=elsewhere.url + "/stolen") as hook,
        subscribed(live, "dtenv", hook.url),
    ):
        _, handover = _handover_to_dtenv(live, "Omleiding")
        _work_until_done({d.pk for d in _deliveries(handover)})
        delivery = _deliveries(handover)[0]
        assert len(hook.hits) == 3 and not elsewhere.hits
        assert delivery.status == "failed"
        assert {t.error for t in delivery.tries.all()} == {"redirect not followed"}


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://partner.example/hook", False),  # plain http off loopback
        ("https://user:pw@partner.example/hook", False),  # credentials in the URL
        ("ftp://partner.example/hook", False),
        ("https://partner.example/hook#x", False),
        ("https://partner.example/" + "a" * 600, False),  # past 500 characters
        ("https://partner.example/hook", True),
        ("http://127.0.0.1:9/hook", True),  # loopback: a relay on the same machine
    ],
)
def test_subscription_urls_are_validated(live: Server, url: str, ok: bool) -> None:
    made = live.request(
        "POST", "/api/v1/subscriptions", "nidos", {"url": url, "reason": "test url"}
    )
    if ok:
        assert made.status == 201, made.text
        assert len(made.body["secret"]) >= 32  # made by the server when none is given
        live.request(
            "POST", f"/api/v1/subscriptions/{made.body['id']}/end", "nidos", {"reason": "t"}
        )
    else:
        assert made.status == 400, made.text
        assert made.body["field"] == "url" and made.body["detail_nl"]


def test_bad_channels_and_secrets_are_refused(live: Server) -> None:
    base = {"url": "https://partner.example/hook", "reason": "test"}
    for extra, name in (
        ({"channels": ["placement"]}, "channels"),
        ({"channels": []}, "channels"),
        ({"secret": "short"}, "secret"),
        ({"secret": "x" * 200}, "secret"),
    ):
        reply = live.request("POST", "/api/v1/subscriptions", "nidos", {**base, **extra})
        assert reply.status == 400 and reply.body["field"] == name, reply.text
