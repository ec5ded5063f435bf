"""The inbox forgets old nonces (the idle worker's timer ``exchange-nonce-sweep``): a delivery
sent longer ago than the time window is refused as stale before its nonce is looked at, so a
nonce older than twice the window protects nothing and is removed; newer ones stay, and a
replay within the window is still caught (tests/server/test_exchange_two_servers.py)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from keten.server.jobs.kinds import TIMERS
from tests.server.live import Server


def test_nonces_older_than_twice_the_window_are_swept(live: Server) -> None:
    from keten.server.exchange.models import Partner, SeenNonce
    from keten.server.services import exchange
    from keten.server.services.exchange_inbox import sweep_nonces, window

    if not Partner.objects.filter(code="XX-SWEEP").exists():
        exchange.add_partner(
            "XX-SWEEP", "Sweep partner", "XX", "http://127.0.0.1:9/api/v1/exchange/inbox", "t"
        )
    now = timezone.now()
    old = SeenNonce.objects.create(
        partner_id="XX-SWEEP", nonce="o" * 32, sent_at=now - 2 * window() - timedelta(seconds=1)
    )
    recent = SeenNonce.objects.create(partner_id="XX-SWEEP", nonce="r" * 32, sent_at=now - window())
    assert sweep_nonces(now) >= 1
    assert not SeenNonce.objects.filter(pk=old.pk).exists()
    assert SeenNonce.objects.filter(pk=recent.pk).exists()
    assert TIMERS["exchange-nonce-sweep"].endswith(":sweep_nonces")
