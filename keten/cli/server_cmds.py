"""``keten demo`` (the chain dossier server on sample data), ``keten server …`` and
``keten audit …`` (verify, witness, new-key).

Django is imported only inside the commands, so the rest of the CLI never loads it.
"""

from __future__ import annotations

import errno
import os
import socket
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from keten.cli.export_frames_cmd import export_frames
from keten.cli.output import console, err_console, parse_day

if TYPE_CHECKING:
    from keten.server.audit.witness import Written
    from keten.server.audit.witnessed import Report
    from keten.server.services.cache_refresh import Refreshed
    from keten.server.setup import SetupResult


def _django() -> None:
    from keten.server.setup import django_setup

    django_setup()


def _print_accounts(host: str, port: int, tokens: dict[str, str]) -> None:
    from keten.server.setup import DEMO_PASSWORD, DEMO_USERS

    console.print(f"\n[bold]Keten draait op[/] http://{host}:{port}/  (inloggen: /login)")
    console.print(
        f"API: http://{host}:{port}/api/v1  ·  OpenAPI: http://{host}:{port}/api/v1/openapi.json",
        soft_wrap=True,  # a link broken over two lines is not a link
    )
    console.print(f"\n[bold]Demo-accounts[/] (wachtwoord [bold]{DEMO_PASSWORD}[/]):")
    for username, (org, role) in DEMO_USERS.items():
        console.print(
            f"  {username:18} {org:18} {role:22} API-token {tokens.get(username, '')}",
            soft_wrap=True,
        )


def _print_refreshed(refreshed: Refreshed | None) -> None:
    if refreshed is not None:
        console.print(
            "Werkvoorraadcache herberekend (catalogus, kalender of beleid gewijzigd) / work-queue "
            f"cache recomputed: {refreshed.examined} procedure(s) examined, "
            f"{refreshed.rewritten} cache row(s) rewritten",
            soft_wrap=True,
        )


def _print_witnessed(result: SetupResult) -> None:
    if result.new_key:
        console.print("Ondertekeningssleutel voor het logboek gemaakt / audit signing key created")
    if result.checkpoint is not None:
        _print_checkpoint(result.checkpoint)
    else:
        err_console.print(
            f"[bold yellow]warning[/] audit log: no checkpoint written: {result.witness_error}; "
            "until one is, the log is protected only by its own hash chain",
            soft_wrap=True,
        )


def _print_checkpoint(done: Written) -> None:
    console.print(
        "Logboekkoppen getekend en vastgelegd / audit log heads signed and witnessed: "
        f"{len(done.heads)} lanes, {done.records} records, key {done.key_id}, in {done.witness}",
        soft_wrap=True,
    )


def _warn_if_cache_stale() -> None:
    """``server run`` sets nothing up, but says when the queues would show old columns."""
    _django()
    from django.db import DatabaseError, connections

    from keten.server.services.cache_refresh import cache_is_current

    try:
        current = cache_is_current()
    except DatabaseError as exc:  # e.g. a database not migrated yet
        err_console.print(f"[bold yellow]warning[/] could not check the work-queue cache: {exc}")
        return
    finally:
        connections.close_all()  # not carried into the server that replaces this process
    if not current:
        err_console.print(
            "[bold yellow]warning[/] the work-queue cache was computed from another catalogue, "
            "calendar or policy: run [bold]keten server refresh-cache[/] (or keten server setup); "
            "until then queues and the dashboard may show old deadlines"
        )


def _check_port_free(host: str, port: int) -> None:
    """Refuse a port another process listens on, naming it.

    Granian binds with SO_REUSEPORT, so a second server on a taken port starts without a
    word and the kernel shares connections between the two: a demo started twice answered
    every other page from the other one's database. A plain bind fails instead."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise
            err_console.print(
                f"[bold red]error[/] port: {host}:{port} is already in use by another process "
                "(a Keten server still running?); stop it or choose another --port"
            )
            sys.exit(2)


def _serve(host: str, port: int, workers: int, threads: int, connections: int = 0) -> None:
    """Run Granian in this process (it replaces the CLI process).

    Granian parses HTTP in Rust and hands Django only the request; under fifty concurrent
    clients it served 15-25 % more pages per second than gunicorn's threaded workers on the
    same cores, with a tighter p95 (``docs/benchmarks.md``, server).

    ``connections``: the most connections one process holds (Granian's backpressure; 0 leaves
    Granian's default). The kernel hands new connections to whichever process accepts first,
    and kept-alive connections stay where they land: fifty clients split 30/20 over two
    processes, and those on the fuller one waited half as long again. A bound of clients /
    processes spreads a closed loop of long-lived connections evenly. The bound is per
    process, not shared: each process has its own listening socket, and a new connection that
    the kernel gives to a process at its bound waits there, even while another process is
    idle (seen with a bound of 3 and 4 connections, and an 8.9 s wait in the open-loop
    benchmark; docs/benchmarks.md). A deployment whose clients open and close connections
    should set the bound to the connections it expects in all, not divided by the
    processes."""
    args = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-ws",
        *(("--backpressure", str(connections)) if connections else ()),
        "--log-level",
        "warning",
        "--access-log" if os.environ.get("KETEN_ACCESS_LOG") else "--no-access-log",
        "--workers-kill-timeout",
        "5",
        "keten.server.wsgi:application",
    ]
    _check_port_free(host, port)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keten.server.settings")
    os.execv(sys.executable, args)


def _workers(workers: int | None) -> int:
    if workers is not None:
        return workers
    # SQLite takes one writer at a time anyway; PostgreSQL gets a process per core.
    return (os.cpu_count() or 2) if os.environ.get("KETEN_DATABASE_URL") else 1


@click.command()
@click.option("--persons", default=400, show_default=True, help="Sample persons when empty.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=None, type=int, help="Server processes.")
@click.option("--on", "on", default=None, help="Reference day of the sample (default: today).")
def demo(persons: int, host: str, port: int, workers: int | None, on: str | None) -> None:
    """Start de ketendossierserver met voorbeeldgegevens / start the chain dossier server."""
    from keten.server.setup import setup

    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print("[bold red]error[/] host: the demo listens on loopback only")
        sys.exit(2)
    on_day = parse_day(on, "on", as_json=False) if on else date.today()
    # Links in e-mails and webhook payloads point at this demo (settings.KETEN_PUBLIC_URL).
    os.environ.setdefault("KETEN_PUBLIC_URL", f"http://{host}:{port}")
    _check_port_free(host, port)  # before the setup, which may take a minute
    with console.status("Database migreren en voorbeeldgegevens maken…"):
        result = setup(persons=persons, on=on_day)
    if result.created_sample:
        console.print(
            f"Voorbeeldketen gemaakt: {result.persons} personen, {result.procedures} procedures."
        )
    else:
        console.print(
            f"Bestaande gegevens: {result.persons} personen, {result.procedures} procedures."
        )
    _print_refreshed(result.refreshed)
    _print_witnessed(result)
    _print_accounts(host, port, result.tokens)
    console.print("\nStoppen: Ctrl-C\n")
    sys.stdout.flush()
    _start_worker()
    # A demo serves one officer or a few: four threads each, which Granian does not warn about
    # on two cores as it did about eight.
    _serve(host, port, _workers(workers), 4)


def _start_worker() -> None:
    """One job worker beside the web server (forecast runs and other long work), in the same
    process group: the Ctrl-C that stops the demo stops it too, and its job is queued again."""
    import subprocess

    subprocess.Popen(
        # The server replaces this process (same pid): the worker stops when it is gone.
        [sys.executable, "-m", "keten", "server", "worker", "--parent", str(os.getpid())],
        stdout=subprocess.DEVNULL,
    )
    console.print("Taakverwerker gestart / job worker started (keten server worker)")


@click.group()
def server() -> None:
    """De server beheren / manage the server (setup, run, worker, manage, policy-doc,
    expire-grants, digest)."""


server.add_command(export_frames)


@server.command("setup")
@click.option("--persons", default=400, show_default=True)
@click.option("--on", "on", default=None)
@click.option("--seed", default=0, show_default=True)
def server_setup(persons: int, on: str | None, seed: int) -> None:
    """Migrate, create organisations and demo accounts, load sample data when empty."""
    from keten.server.setup import setup

    on_day = parse_day(on, "on", as_json=False) if on else date.today()
    result = setup(persons=persons, on=on_day, seed=seed)
    _print_refreshed(result.refreshed)
    _print_witnessed(result)
    console.print(f"{result.persons} persons, {result.procedures} procedures")


@server.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option(
    "--workers",
    default=None,
    type=int,
    help="Processes (default: one per core on PostgreSQL, one on SQLite).",
)
@click.option(
    "--threads",
    default=2,
    show_default=True,
    # Threads of one process share its interpreter lock: on two cores, two per process
    # served fifty clients with the most even latencies (docs/benchmarks.md, server); more
    # pay off only when the database is far away and requests mostly wait for it.
    help="Threads per process; raise it when the database is far away.",
)
@click.option(
    "--connections-per-worker",
    "connections",
    default=0,
    show_default=True,
    help="Most connections one process holds (0: Granian's default).",
)
def server_run(host: str, port: int, workers: int | None, threads: int, connections: int) -> None:
    """Serve (Granian) without setting anything up."""
    _warn_if_cache_stale()
    _serve(host, port, _workers(workers), threads, connections)


@server.command(
    "manage", context_settings={"ignore_unknown_options": True, "allow_extra_args": True}
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def server_manage(args: tuple[str, ...]) -> None:
    """Django's management commands (migrate, makemigrations, shell …)."""
    import importlib

    _django()
    management = importlib.import_module("django.core.management")
    management.execute_from_command_line(["keten server manage", *args])


@server.command("policy-doc")
@click.option("--check", is_flag=True, help="Fail if docs/policy.md is not up to date.")
def policy_doc(check: bool) -> None:
    """Render the policy table into docs/policy.md."""
    from keten.server.policy.render import POLICY_DOC, render

    text = render()
    if check:
        current = POLICY_DOC.read_text(encoding="utf-8") if POLICY_DOC.exists() else ""
        if current != text:
            err_console.print(
                "[bold red]error[/] docs/policy.md: out of date; run `keten server policy-doc`"
            )
            sys.exit(1)
        console.print("docs/policy.md is up to date")
        return
    POLICY_DOC.write_text(text, encoding="utf-8")
    console.print(f"wrote {POLICY_DOC}")


@server.command("expire-grants")
@click.option("--on", "on", default=None, help="The day to withdraw for (default: today).")
def expire_grants(on: str | None) -> None:
    """Withdraw the access grants whose planned end day has come; run daily (cron, timer)."""
    on_day = parse_day(on, "on", as_json=False) if on else date.today()
    if on_day > date.today():
        # A day ahead would withdraw access whose planned end has not come: refused here, so
        # that a mistyped day cannot cut an organisation off early.
        err_console.print(
            f"[bold red]error[/] on: {on_day} is after today; a planned end that has not "
            "come yet withdraws nothing"
        )
        sys.exit(2)
    _django()
    from keten.server.services.access import expire_grants as sweep

    count = sweep(on_day)
    console.print(f"{count} access grant(s) withdrawn: planned end passed by {on_day}")


@server.command("digest")
@click.option("--on", "on", default=None, help="The day the digest is for (default: today).")
@click.option("--dry-run", is_flag=True, help="Say who would get what; send and write nothing.")
def digest(on: str | None, dry_run: bool) -> None:
    """Send the daily e-mail digest (deadlines, dwangsom, hand-overs); run once a day by cron or
    a systemd timer. Running it again the same day sends nobody a second one."""
    on_day = parse_day(on, "on", as_json=False) if on else date.today()
    if on_day > date.today():
        # A day ahead would be recorded as sent, and that day's real digest then skipped.
        err_console.print(f"[bold red]error[/] on: {on_day} is after today")
        sys.exit(2)
    _django()
    from keten.server.services.digest import send_digests

    done = send_digests(on_day, dry_run=dry_run)
    for d in done.previews:
        console.print(f"would send to {d.username} <{d.email}>: {d.summary()}")
    console.print(
        f"digest {on_day}: {len(done.sent)} sent, {len(done.already)} already sent, "
        f"{len(done.nothing)} with nothing to tell, {len(done.no_address)} without an e-mail "
        f"address, {len(done.failed)} failed" + (" (dry run)" if dry_run else "")
    )
    for username, why in done.failed:
        err_console.print(f"[bold red]failed[/] {username}: {why}")
    if done.failed:
        sys.exit(1)


@server.command("forecast-state")
@click.option("--on", "on", default=None, help="The day counted (default: today).")
@click.option(
    "--base",
    default="baseline",
    show_default=True,
    help="The scenario whose levers the forecast keeps (a file, or a shipped name).",
)
@click.option("--out", "-o", type=click.Path(dir_okay=False), required=True)
def forecast_state(on: str | None, base: str, out: str) -> None:
    """Write a forecast scenario that starts from the chain in this database: the base
    scenario's levers, its starting stocks counted from the open procedures on the day."""
    from keten.forecast.scenario import ScenarioError, parse_scenario, raw_scenario
    from keten.forecast.start_state import initial_state, starting_from

    on_day = parse_day(on, "on", as_json=False) if on else date.today()
    if on_day > date.today():
        err_console.print(f"[bold red]error[/] on: {on_day} is after today; nothing is known of it")
        sys.exit(2)
    _django()
    from django.db import connection

    from keten.server.services.chain_state import open_ages

    try:
        raw = raw_scenario(base)
    except ScenarioError as exc:
        raise click.ClickException(str(exc)) from None
    state = initial_state(on_day, open_ages(on_day))
    where = f"the Keten database ({connection.vendor}, {connection.settings_dict['NAME']})"
    scenario = starting_from(raw, state, counted_in=where)
    try:
        parse_scenario(scenario, out)  # refused here, naming the field, rather than at run time
    except ScenarioError as exc:
        raise click.ClickException(str(exc)) from None
    header = (
        f"# Written by `keten server forecast-state --on {on_day} --base {base}`: the scenario\n"
        f"# {raw['name']} started from the open procedures counted in {where}.\n"
    )
    Path(out).write_text(header + _plain_yaml(scenario), encoding="utf-8")
    # Side by side with the base's own start, so that a database of a few hundred sample
    # persons is not mistaken for the country.
    console.print(f"  {'stock':24} {'counted':>9} {'base start':>11}")
    for stock, value in state.items():
        if stock != "as_of":
            was = raw["initial_state"][stock]
            console.print(f"  {stock:24} {_total(value):>9} {_total(was):>11}")
    console.print(f"wrote {out}: run it with `keten forecast run {out} --out DIR`", soft_wrap=True)


def _total(stock: Any) -> int:
    """A stock's size: a backlog's total, or the count itself."""
    return int(stock["total"] if isinstance(stock, dict) else stock)


def _plain_yaml(data: object) -> str:
    """YAML a reader can edit: no anchors for repeated values, short lists on one line."""
    import yaml

    class Plain(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    return yaml.dump(
        data, Dumper=Plain, allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )


@server.command("worker")
@click.option("--once", is_flag=True, help="Do the queued jobs, then stop.")
@click.option(
    "--poll-seconds",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0.05, 60),
    help="How long to wait between looks at an empty queue.",
)
@click.option("--parent", type=int, default=None, hidden=True, help="Stop when this process ends.")
def worker(once: bool, poll_seconds: float, parent: int | None) -> None:
    """Do queued jobs (forecast runs): one at a time, until stopped (Ctrl-C or SIGTERM puts the
    running job back in the queue). Run as many workers as there are cores to spare."""
    _django()
    from keten.server.jobs.worker import work

    def said(job: Any) -> None:
        console.print(f"job {job.pk} {job.kind}: {job.status} {job.message}".rstrip())

    try:
        ended = work(once=once, poll_seconds=poll_seconds, said=said, parent=parent)
    except KeyboardInterrupt:
        return
    if once:
        console.print(f"{ended} jobs done")


@server.command("refresh-cache")
@click.option(
    "--type",
    "procedure_types",
    multiple=True,
    help="Only procedures of this type (repeatable; default: all).",
)
def refresh_cache(procedure_types: tuple[str, ...]) -> None:
    """Recompute the work-queue cache of stored procedures; run after a catalogue change."""
    _django()
    from keten.catalog.loader import CatalogError
    from keten.server.services.cache_refresh import refresh_cache as run

    try:
        done = run(procedure_types)
    except CatalogError as exc:
        err_console.print(f"[bold red]error[/] --type: {exc}")
        sys.exit(2)
    console.print(f"{done.examined} procedure(s) examined, {done.rewritten} cache row(s) rewritten")


@click.group()
def audit() -> None:
    """Het logboek dataverwerkingen / the audit log."""


@audit.command("verify")
@click.option(
    "--witness",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Witness file to check against (default: KETEN_AUDIT_WITNESS or var/audit/witness.jsonl).",
)
@click.option(
    "--keys",
    "keys_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory of public keys (default: KETEN_AUDIT_KEYS or var/audit/keys).",
)
@click.option(
    "--require-witness", is_flag=True, help="Exit 1 when there is no witness to check against."
)
def audit_verify(witness: Path | None, keys_dir: Path | None, require_witness: bool) -> None:
    """Controleer het logboek / verify the audit log.

    Every lane's hash chain, and the chain against the signed checkpoints of its heads outside
    the database. Exit 1 and name each altered, removed or dropped record and each forged or
    edited checkpoint."""
    _django()
    from keten.server.audit.witness import Places
    from keten.server.audit.witnessed import verify_witnessed

    places = Places.from_env()
    report = verify_witnessed(witness or places.witness, keys_dir or places.keys_dir)
    if report.breaches:
        for b in report.breaches:
            err_console.print(f"[bold red]breach[/] {b}", soft_wrap=True)
        err_console.print(
            f"audit log: {len(report.breaches)} problem(s) in {report.records} records, "
            f"checked against {len(report.checkpoints)} checkpoint(s) in {report.witness}",
            soft_wrap=True,
        )
        sys.exit(1)
    _print_verified(report)
    if require_witness and not report.witnessed:
        sys.exit(1)


def _print_verified(report: Report) -> None:
    if not report.witnessed:
        console.print(
            f"audit log intact against itself: {report.records} records, every lane's hash "
            "chain verified",
            soft_wrap=True,
        )
        err_console.print(
            f"[bold yellow]not witnessed[/] no checkpoints in {report.witness}: the log was only "
            "checked against itself, which does not show a rewrite by someone who can write the "
            "database (run `keten audit witness`; docs/security.md)",
            soft_wrap=True,
        )
        return
    last = report.checkpoints[-1]
    console.print(
        f"audit log intact: {report.records} records, every lane's hash chain verified, and "
        f"the log agrees with {len(report.checkpoints)} signed checkpoint(s) in "
        f"{report.witness}; the last of {last.at}",
        soft_wrap=True,
    )
    console.print(
        f"{report.since_last} record(s) written since the last checkpoint are protected only "
        "by the hash chain until the next one (every KETEN_AUDIT_WITNESS_SECONDS)",
        soft_wrap=True,
    )


@audit.command("witness")
def audit_witness() -> None:
    """Koppen tekenen en vastleggen / witness the heads now.

    Sign every lane's head and append them to the witness: one checkpoint (for cron, next to
    the server's own every KETEN_AUDIT_WITNESS_SECONDS)."""
    _django()
    from keten.server.audit.witness import WitnessError, write_checkpoint

    try:
        done = write_checkpoint()
    except WitnessError as exc:
        err_console.print(f"[bold red]error[/] audit witness: {exc}", soft_wrap=True)
        sys.exit(1)
    assert done is not None  # only the periodic writer skips
    _print_checkpoint(done)


@audit.command("new-key")
def audit_new_key() -> None:
    """Nieuwe ondertekeningssleutel / rotate the signing key.

    A new Ed25519 key replaces the old one, whose public key stays so that older checkpoints
    still verify, and signs a checkpoint at once."""
    _django()
    from keten.server.audit.keys import SigningKeyError
    from keten.server.audit.witness import Places, WitnessError, new_key, write_checkpoint

    places = Places.from_env()
    try:
        key_id, old = new_key(places)
        done = write_checkpoint(places)
    except (OSError, SigningKeyError, WitnessError) as exc:
        err_console.print(f"[bold red]error[/] audit new-key: {exc}", soft_wrap=True)
        sys.exit(1)
    kept = f"; the old key {old}'s public key stays in {places.keys_dir}" if old else ""
    console.print(f"new audit signing key {key_id} in {places.signing_key}{kept}", soft_wrap=True)
    assert done is not None
    _print_checkpoint(done)


def _exchange_commands() -> None:
    from keten.cli.exchange_cmds import COMMANDS

    for command in COMMANDS:
        server.add_command(command)


_exchange_commands()
