"""A real Keten server in a subprocess, on its own database, and a small HTTP client.

Each pytest-xdist worker gets its own database (an SQLite file, or a PostgreSQL database on the
cluster ``KETEN_DATABASE_URL`` points at) and its own server on a free loopback port.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def database_env(name: str, tmp: Path) -> dict[str, str]:
    """Environment selecting a fresh database called ``name``."""
    env = dict(os.environ)
    base = os.environ.get("KETEN_DATABASE_URL")
    if base:
        import psycopg

        parsed = urllib.parse.urlparse(base)
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["KETEN_DATABASE_URL"] = parsed._replace(path=f"/{name}").geturl()
    else:
        path = tmp / f"{name}.sqlite3"
        path.unlink(missing_ok=True)
        env["KETEN_SQLITE_PATH"] = str(path)
    env["KETEN_VAR_DIR"] = str(tmp)
    return env


def keten(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("keten")), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=check,
        timeout=600,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Headers(dict[str, str]):
    """HTTP header names are case-insensitive (RFC 9110); the server may send them lower-case."""

    def __init__(self, items: Any) -> None:
        super().__init__((k.lower(), v) for k, v in items)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class Reply:
    status: int
    headers: Headers
    body: Any
    text: str


@dataclass
class Server:
    base: str
    env: dict[str, str]
    process: subprocess.Popen[bytes]
    tokens: dict[str, str] = field(default_factory=dict)
    log: Path | None = None  # the server's stderr: warnings and tracebacks

    def request(
        self,
        method: str,
        path: str,
        user: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Accept", "application/json")
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if user is not None:
            req.add_header("Authorization", f"Token {self.tokens[user]}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                raw = resp.read().decode()
                status, hdrs = resp.status, Headers(resp.headers.items())
        except urllib.error.HTTPError as exc:
            raw = exc.read().decode()
            status, hdrs = exc.code, Headers(exc.headers.items())
        try:
            parsed = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            parsed = None
        return Reply(status, hdrs, parsed, raw)

    def get(self, path: str, user: str, **kw: Any) -> Reply:
        return self.request("GET", path, user, **kw)

    def stop(self) -> None:
        """Stop the server and its worker processes: Granian's workers are children of its
        main process, and a main process killed before it stopped them left them running,
        each holding a database connection, long after the tests."""
        group = self.process.pid  # its own session: the group bears its id
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGKILL)


def start(env: dict[str, str], persons: int = 40) -> Server:
    # A short token cache, so a test can see a revoked token refused once it expires.
    env = {**env, "KETEN_TOKEN_CACHE_SECONDS": env.get("KETEN_TOKEN_CACHE_SECONDS", "1")}
    setup = keten(env, "server", "setup", "--persons", str(persons))
    assert "persons" in setup.stdout, setup.stderr
    port = free_port()
    # The server's log goes to a file, not a pipe: nobody reads a pipe while the tests run, and
    # once its buffer was full (a few thousand 4xx warnings) the server blocked writing to it.
    log = Path(env.get("KETEN_VAR_DIR") or tempfile.gettempdir()) / f"server-{port}.log"
    with log.open("wb") as sink:
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
            start_new_session=True,  # its own process group: stop() ends the workers too
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/api/v1/openapi.json", timeout=5):
                break
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None:
                raise RuntimeError(log.read_text(errors="replace") or "died") from None
            time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError("server did not start within 60 s")
    return Server(base, env, process, log=log)


class Browser:
    """A logged-in session over HTTP (cookies, CSRF), for the UI paths."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def open(
        self, path: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        data = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self._csrf()}
            data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(self.base + path, data=data)
        req.add_header("Referer", self.base + "/")
        if form is not None:
            req.add_header("X-CSRFToken", self._csrf())
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener.open(req, timeout=60) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def login(self, username: str, password: str = "keten-demo") -> None:
        status, html = self.open("/login")
        assert status == 200
        status, html = self.open("/login", {"username": username, "password": password})
        assert status == 200 and 'action="/logout"' in html, html[:500]


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def read_tokens(env: dict[str, str]) -> dict[str, str]:
    """The demo accounts' API tokens in the database ``env`` selects, by user name (read by a
    Django process of its own: the test process's Django is set up for another database)."""
    script = (
        "import json\n"
        "from keten.server.setup import django_setup\n"
        "django_setup()\n"
        "from rest_framework.authtoken.models import Token\n"
        "print(json.dumps({t.user.username: t.key for t in Token.objects.select_related('user')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    tokens: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return tokens
