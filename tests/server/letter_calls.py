"""The letter routes (``services/letters.py``) as the audit tests call them: every API path
and UI page about a person leaves an audit record naming that person (tests/server/
test_audit.py). Each call makes its own letter for the world's decision of P."""

from __future__ import annotations

import urllib.request
from collections.abc import Callable

from tests.server.live import Browser, Reply, Server

Call = Callable[[Server], Reply]


def _make(live: Server, decision: int) -> Reply:
    return live.request(
        "POST",
        f"/api/v1/decisions/{decision}/letters",
        "ind",
        {"language": "nl", "reason": "audit test"},
    )


def api_calls(decision: int) -> dict[tuple[str, str], tuple[str, Call]]:
    return {
        ("POST", "decisions/<int:decision_id>/letters"): (
            "ind",
            lambda live: _make(live, decision),
        ),
        ("GET", "decisions/<int:decision_id>/letters"): (
            "ind",
            lambda live: live.get(f"/api/v1/decisions/{decision}/letters", "ind"),
        ),
        ("GET", "letters/<int:letter_id>"): (
            "ind",
            lambda live: live.get(f"/api/v1/letters/{_make(live, decision).body['id']}", "ind"),
        ),
    }


def ui_calls(
    live: Server, browser: Browser, decision: int
) -> dict[str, Callable[[], tuple[int, str]]]:
    """``browser``: logged in as the IND case worker."""

    def pdf() -> tuple[int, str]:
        letter = _make(live, decision).body["id"]
        req = urllib.request.Request(f"{live.base}/brieven/{letter}.pdf")
        with browser.opener.open(req, timeout=120) as resp:  # binary: not decoded as text
            assert resp.headers["Content-Type"] == "application/pdf"
            return resp.status, ""

    return {
        "besluiten/<int:decision_id>/brief": lambda: browser.open(
            f"/besluiten/{decision}/brief", {"language": "nl", "reason": "ui"}
        ),
        "brieven/<int:letter_id>": lambda: browser.open(
            f"/brieven/{_make(live, decision).body['id']}"
        ),
        "brieven/<int:letter_id>.pdf": pdf,
    }
