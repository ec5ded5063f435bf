"""``keten server exchange-…``: the operator's side of the exchange with partner services
abroad (docs/exchange.md): this instance's signing key, the partners and their public keys,
and the liaison officers' accreditations. Each write is audited as ``keten-exchange``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import click

from keten.cli.output import console, err_console


def _django() -> None:
    from keten.server.setup import django_setup

    django_setup()


def _refused(run: Callable[[], Any]) -> Any:
    from keten.server.services.errors import ServiceError

    try:
        return run()
    except ServiceError as exc:
        err_console.print(
            f"[bold red]fout / error[/] {exc.detail_nl} / {exc.detail}", soft_wrap=True
        )
        sys.exit(2)


def _moment(raw: str | None, name: str) -> datetime | None:
    if raw is None:
        return None
    try:
        at = datetime.fromisoformat(raw)
    except ValueError:
        raise click.BadParameter(
            f"{raw!r}: expected an ISO time, e.g. 2026-12-04T00:00:00Z", param_hint=name
        ) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@click.command("exchange-keygen")
@click.option("--rotate", is_flag=True, help="Replace an existing key with a new one.")
def exchange_keygen(rotate: bool) -> None:
    """Sleutel voor de uitwisseling / this instance's exchange signing key.

    Writes an Ed25519 key to KETEN_EXCHANGE_SIGNING_KEY (default var/exchange/signing.key,
    mode 0600) when there is none (or with --rotate), and prints its id and public key (PEM)
    to give to the partners; every public key ever used is kept beside it in keys/."""
    _django()
    from keten.server.audit import keys
    from keten.server.exchange.envelope import public_pem
    from keten.server.services.exchange import key_path, own_code

    path = key_path()
    private = keys.load_private(path) if path.exists() and not rotate else keys.generate(path)
    public = private.public_key()
    kid = keys.store_public(path.parent / "keys", public)
    console.print(f"# {own_code()} exchange key {kid} ({path})", soft_wrap=True)
    click.echo(public_pem(public), nl=False)


@click.command("exchange-partner")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--country", required=True, help="ISO 3166-1 alpha-2, e.g. BE.")
@click.option("--inbox-url", required=True, help="The partner's …/api/v1/exchange/inbox.")
@click.option("--reason", required=True)
def exchange_partner(code: str, name: str, country: str, inbox_url: str, reason: str) -> None:
    """Partner vastleggen / add or change a partner (its code, name and inbox URL)."""
    _django()
    from keten.server.services.exchange import add_partner

    row = _refused(lambda: add_partner(code, name, country, inbox_url, reason))
    console.print(f"partner {row.code} ({row.name}) at {row.inbox_url}", soft_wrap=True)


@click.command("exchange-partner-key")
@click.argument("code")
@click.argument("pem_file", type=click.File("r"))
@click.option("--from", "valid_from", default=None, help="Valid from (ISO time; default now).")
@click.option("--to", "valid_to", default=None, help="Valid until (ISO time; default open).")
@click.option("--reason", required=True)
def exchange_partner_key(
    code: str, pem_file: Any, valid_from: str | None, valid_to: str | None, reason: str
) -> None:
    """Sleutel van een partner / add a partner's public key (PEM; '-' reads standard input).
    Old keys stay, so the messages they signed still verify."""
    _django()
    from keten.server.services.exchange import add_partner_key

    start = _moment(valid_from, "--from") or datetime.now(UTC)
    row = _refused(
        lambda: add_partner_key(code, pem_file.read(), start, _moment(valid_to, "--to"), reason)
    )
    console.print(f"partner {code}: key {row.key_id} valid from {row.valid_from.isoformat()}")


@click.command("exchange-partner-key-end")
@click.argument("code")
@click.argument("key_id")
@click.option("--at", "at", required=True, help="The moment the key stops signing (ISO time).")
@click.option("--reason", required=True)
def exchange_partner_key_end(code: str, key_id: str, at: str, reason: str) -> None:
    """Sleutel van een partner beëindigen / end a partner's key (after a rotation)."""
    _django()
    from keten.server.services.exchange import retire_partner_key

    moment = _moment(at, "--at")
    assert moment is not None
    row = _refused(lambda: retire_partner_key(code, key_id, moment, reason))
    console.print(f"partner {code}: key {row.key_id} valid until {moment.isoformat()}")


@click.command("exchange-accredit")
@click.argument("username")
@click.argument("partner")
@click.option("--from", "valid_from", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "valid_to", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--reason", required=True)
def exchange_accredit(
    username: str, partner: str, valid_from: str, valid_to: str, reason: str
) -> None:
    """Verbindingsambtenaar accrediteren / accredit a liaison officer with a partner, from one
    day to another (both included)."""
    _django()
    from keten.server.services.exchange import accredit

    try:
        first, last = date.fromisoformat(valid_from), date.fromisoformat(valid_to)
    except ValueError:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--from/--to") from None
    row = _refused(lambda: accredit(username, partner, first, last, reason))
    console.print(f"{row.username} accredited with {partner} from {first} to {last}")


COMMANDS = (
    exchange_keygen,
    exchange_partner,
    exchange_partner_key,
    exchange_partner_key_end,
    exchange_accredit,
)
