"""Authentication over real HTTP: the login throttle per account and per address, its audit
records, the session's cookie and lifetime, the API token's maximum age.

Every test on the shared server logs in with an account it creates and from an address of its
own (the client binds to 127.0.1.N; Linux routes all of 127/8 to loopback), so the failures it
makes cannot lock out another test's logins from 127.0.0.1. The rules that need low limits
or a short lock run against a server of their own, on its own database.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import itertools
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from keten.server.authn.lock import locked_until
from tests.server.live import Server, database_env, keten, start

PASSWORD = "juist-wachtwoord-42"
WRONG_NL = "Onbekende gebruikersnaam of verkeerd wachtwoord."
LOCKED_NL = "Te veel mislukte inlogpogingen met deze gebruikersnaam of vanaf dit adres."
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_addresses = itertools.count(2)
_names = itertools.count(1)


def next_address() -> str:
    return f"127.0.1.{next(_addresses)}"


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_names)}-{int(time.time() * 1000) % 100000}"


class _FromAddress(urllib.request.HTTPHandler):
    """Connects from a loopback address of the test's own choosing."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(http.client.HTTPConnection, req, source_address=(self.source, 0))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 302 is the answer to look at (its Set-Cookie, its Location)


class Answer:
    def __init__(self, status: int, headers: Message, text: str) -> None:
        self.status, self.headers, self.text = status, headers, text

    def cookie(self, name: str) -> str:
        """The Set-Cookie header for ``name``, as sent."""
        for value in self.headers.get_all("Set-Cookie") or []:
            if value.startswith(f"{name}="):
                return str(value)
        raise AssertionError(f"no Set-Cookie for {name}: {self.headers.get_all('Set-Cookie')}")


class Client:
    """A browser over HTTP from one address: cookies, CSRF, no redirects followed."""

    def __init__(self, base: str, address: str) -> None:
        self.base, self.address = base, address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _FromAddress(address), _NoRedirect()
        )

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def set_cookie(self, name: str, value: str) -> None:
        host = urllib.parse.urlparse(self.base).hostname or ""
        self.jar.set_cookie(
            http.cookiejar.Cookie(
                0,
                name,
                value,
                None,
                False,
                host,
                False,
                False,
                "/",
                True,
                False,
                None,
                False,
                None,
                None,
                {},
            )
        )

    def open(self, path: str, form: dict[str, str] | None = None) -> Answer:
        data = None
        if form is not None:
            form = {**form, "csrfmiddlewaretoken": self.cookie("csrftoken")}
            data = urllib.parse.urlencode(form).encode()
        req = urllib.request.Request(self.base + path, data=data)
        req.add_header("Referer", self.base + "/")
        try:
            with self.opener.open(req, timeout=60) as resp:
                return Answer(resp.status, resp.headers, resp.read().decode())
        except urllib.error.HTTPError as exc:
            return Answer(exc.code, exc.headers, exc.read().decode())

    def login(self, username: str, password: str) -> Answer:
        if not self.cookie("csrftoken"):
            assert self.open("/login").status == 200
        return self.open("/login", {"username": username, "password": password})


def make_user(username: str, token: bool = False) -> str:
    """An IND case worker with PASSWORD (and an API token: its key), in the shared database."""
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from keten.server.organisations.models import Membership

    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, organisation_id="IND", role="ind_case_worker")
    return Token.objects.create(user=user).key if token else ""


def records_of(username: str) -> list[Any]:
    from keten.server.audit.models import AuditRecord

    return list(AuditRecord.objects.filter(actor_user=username).order_by("seq"))


def expected_time(until: datetime) -> str:
    """The local minute the page names: rounded up, never too early."""
    local = until.astimezone(AMSTERDAM)
    minute = local.replace(second=0, microsecond=0)
    if minute < local:
        minute += timedelta(minutes=1)
    return minute.strftime("%H:%M")


# -- the rule itself ---------------------------------------------------------------------------

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
WINDOW, LOCK = timedelta(minutes=15), timedelta(minutes=15)


def _at(*seconds: int) -> list[datetime]:
    return sorted((T0 + timedelta(seconds=s) for s in seconds), reverse=True)


def test_the_fifth_failure_within_the_window_locks_for_the_lock_duration() -> None:
    four, five = _at(0, 10, 20, 30), _at(0, 10, 20, 30, 40)
    assert locked_until(four, 5, WINDOW, LOCK, T0 + timedelta(seconds=41)) is None
    end = T0 + timedelta(seconds=40) + LOCK
    assert locked_until(five, 5, WINDOW, LOCK, T0 + timedelta(seconds=41)) == end
    assert locked_until(five, 5, WINDOW, LOCK, end) is None  # over
    spread = _at(0, 300, 600, 900, 1000)  # five, but not within fifteen minutes
    assert locked_until(spread, 5, WINDOW, LOCK, T0 + timedelta(seconds=1001)) is None


# -- per account, on the shared server ---------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_against_the_right_one_too(live: Server) -> None:
    from django.db.models import F

    from keten.server.authn.models import LoginAttempt

    name = unique("slot")
    make_user(name)
    browser = Client(live.base, next_address())
    for _ in range(4):
        answer = browser.login(name, "fout")
        assert answer.status == 200 and WRONG_NL in answer.text, answer.text[:800]
        assert f'value="{name}"' in answer.text  # what was typed stays
        assert "Retry-After" not in answer.headers
    fifth = browser.login(name, "fout")
    assert fifth.status == 429, fifth.text[:800]
    assert 880 <= int(fifth.headers["Retry-After"]) <= 900
    newest = LoginAttempt.objects.filter(username=name).latest("at").at
    assert (
        f"{LOCKED_NL} Probeer het opnieuw om {expected_time(newest + timedelta(minutes=15))}."
        in fifth.text
    ), fifth.text[:1200]
    assert 'role="alert"' in fifth.text and f'value="{name}"' in fifth.text

    right = browser.login(name, PASSWORD)  # refused without the password being checked
    assert right.status == 429 and int(right.headers["Retry-After"]) > 0
    assert LOCKED_NL in right.text and not browser.cookie("sessionid")
    elsewhere = Client(live.base, next_address())  # the lock is on the name, from anywhere
    assert elsewhere.login(name, PASSWORD).status == 429

    records = records_of(name)
    assert [(r.name, r.status_code) for r in records] == [("auth.login", "ERROR")] * 5 + [
        ("auth.login.locked", "ERROR")
    ] * 2
    for r in records:
        assert r.purpose == "urn:keten:verwerking:authenticatie" and r.action == "read"
        assert (r.actor_org, r.actor_role, r.policy_resource) == (
            "keten",
            "unauthenticated",
            "account",
        )
    assert [r.object_ref for r in records] == [f"address:{browser.address}"] * 6 + [
        f"address:{elsewhere.address}"
    ]
    assert records[0].fields == ["password"] and records[-1].fields == []

    # Fifteen minutes later (the attempts moved back), the right password works again.
    LoginAttempt.objects.filter(username=name).update(at=F("at") - timedelta(minutes=15))
    after = browser.login(name, PASSWORD)
    assert after.status == 302 and after.headers["Location"] == "/", after.text[:800]
    assert browser.cookie("sessionid")
    ok = records_of(name)[-1]
    assert (ok.name, ok.status_code, ok.actor_org, ok.actor_role) == (
        "auth.login",
        "OK",
        "IND",
        "ind_case_worker",
    )


def test_parallel_attempts_get_no_more_guesses_than_the_limit(live: Server) -> None:
    """Eight wrong passwords at once (the server has four threads): five are checked, the
    rest refused, although each check takes the better part of a second."""
    from concurrent.futures import ThreadPoolExecutor

    name = unique("parallel")
    make_user(name)
    address = next_address()
    clients = [Client(live.base, address) for _ in range(8)]
    for c in clients:
        c.open("/login")
    with ThreadPoolExecutor(len(clients)) as pool:
        statuses = list(pool.map(lambda c: c.login(name, "fout").status, clients))
    assert sorted(statuses).count(429) >= 3, statuses
    checked = [r for r in records_of(name) if r.name == "auth.login"]
    assert len(checked) == 5


def _same(text: str, name: str) -> str:
    """The page without what differs by nature: the name typed, the CSRF token, the time."""
    text = text.replace(name, "NAME")
    text = re.sub(r'(name="csrfmiddlewaretoken" value=")[^"]+', r"\1CSRF", text)
    text = re.sub(r'("X-CSRFToken": ")[^"]+', r"\1CSRF", text)
    return re.sub(r"\b\d\d:\d\d\b", "HH:MM", text)


def test_an_unknown_user_name_gets_the_same_answers_as_a_known_one(live: Server) -> None:
    known, unknown = unique("bekend"), unique("onbekend")
    make_user(known)
    to_known, to_unknown = Client(live.base, next_address()), Client(live.base, next_address())
    statuses = []
    for _ in range(6):
        a, b = to_known.login(known, "fout"), to_unknown.login(unknown, "fout")
        assert a.status == b.status
        assert ("Retry-After" in a.headers) == ("Retry-After" in b.headers)
        assert _same(a.text, known) == _same(b.text, unknown)
        statuses.append(a.status)
    assert statuses == [200] * 4 + [429] * 2
    assert [(r.name, r.status_code) for r in records_of(unknown)] == [
        ("auth.login", "ERROR")
    ] * 5 + [("auth.login.locked", "ERROR")]


def test_logging_in_elsewhere_does_not_clear_an_accounts_failures(live: Server) -> None:
    victim, own = unique("doelwit"), unique("eigen")
    make_user(victim)
    make_user(own)
    attacker = Client(live.base, next_address())
    for _ in range(4):
        assert attacker.login(victim, "fout").status == 200
        assert attacker.login(own, PASSWORD).status == 302  # his own account, in between
    assert attacker.login(victim, "fout").status == 429
    assert attacker.login(victim, PASSWORD).status == 429


def test_the_accounts_own_login_clears_its_failures(live: Server) -> None:
    name = unique("vergeetachtig")
    make_user(name)
    browser = Client(live.base, next_address())
    for _ in range(4):
        assert browser.login(name, "fout").status == 200
    assert browser.login(name, PASSWORD).status == 302
    assert browser.login(name, "fout").status == 200  # a fifth failure, but not five since


def test_the_refusal_speaks_english_when_chosen(live: Server) -> None:
    name = unique("english")
    browser = Client(live.base, next_address())
    browser.open("/login")
    assert browser.open("/i18n/setlang/", {"language": "en", "next": "/login"}).status == 302
    first = browser.login(name, "wrong")
    assert first.status == 200 and "Unknown user name or wrong password." in first.text
    answers = [browser.login(name, "wrong") for _ in range(4)]
    assert [a.status for a in answers] == [200, 200, 200, 429]
    answer = answers[-1]
    assert re.search(
        r"Too many failed attempts to log in with this user name or from this address\. "
        r"Try again at \d\d:\d\d\.",
        answer.text,
    ), answer.text[:1200]


# -- the session -------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_lax_and_goes_with_the_browser(live: Server) -> None:
    from django.contrib.sessions.models import Session

    name = unique("koekje")
    make_user(name)
    browser = Client(live.base, next_address())
    csrf = browser.open("/login").cookie("csrftoken").lower()
    assert "samesite=lax" in csrf and "secure" not in csrf  # plain http on loopback
    first = browser.login(name, PASSWORD)
    assert first.status == 302
    cookie = first.cookie("sessionid").lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "expires" not in cookie and "max-age" not in cookie  # gone when the browser closes
    assert "secure" not in cookie
    sid = browser.cookie("sessionid")
    lifetime = Session.objects.get(session_key=sid).expire_date - datetime.now(UTC)
    assert timedelta(hours=8, minutes=58) < lifetime <= timedelta(hours=9)


def test_login_gives_a_new_session_id(live: Server) -> None:
    """A session id planted before login (session fixation) is not the one logged in."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    name = unique("vastgepind")
    make_user(name)
    planted = SessionStore()
    planted["seen"] = True
    planted.create()
    browser = Client(live.base, next_address())
    browser.set_cookie("sessionid", str(planted.session_key))
    assert browser.login(name, PASSWORD).status == 302
    assert browser.cookie("sessionid") not in ("", planted.session_key)
    assert not Session.objects.filter(session_key=planted.session_key).exists()
    assert browser.open("/queue").status == 200


def test_a_session_ends_nine_hours_after_login_however_busy(live: Server) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    from keten.server.authn.session import LOGIN_AT

    name = unique("lange-dag")
    make_user(name)
    browser = Client(live.base, next_address())
    assert browser.login(name, PASSWORD).status == 302
    assert browser.open("/queue").status == 200
    session = SessionStore(session_key=browser.cookie("sessionid"))
    session[LOGIN_AT] = session[LOGIN_AT] - 9 * 3600 - 1  # logged in nine hours ago
    session.save()  # which also moves Django's own expiry on, as any write would
    answer = browser.open("/queue")
    assert answer.status == 302 and answer.headers["Location"].startswith("/login")
    page = browser.open("/login")
    assert "Uw sessie is beëindigd: een sessie duurt 9 uur vanaf het inloggen." in page.text


# -- API tokens --------------------------------------------------------------------------------


def test_a_token_past_its_maximum_age_is_refused_naming_the_rule(live: Server) -> None:
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    name = unique("token")
    key = make_user(name, token=True)
    live.tokens[name] = key
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=90, seconds=1))
    reply = live.get("/api/v1/me", name)
    assert reply.status == 401 and reply.headers["Content-Type"] == "application/problem+json"
    assert reply.body["type"] == "urn:keten:problem:token-expired"
    assert reply.body["field"] == "Authorization"
    assert "90 days" in reply.body["rule"] and "KETEN_TOKEN_DAYS" in reply.body["rule"]
    record = records_of(name)[-1]
    assert (record.name, record.status_code, record.actor_org) == ("auth.token", "ERROR", "IND")

    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=89))
    assert live.get("/api/v1/me", name).status == 200


def test_the_token_cache_keeps_no_token_past_its_expiry(live: Server) -> None:
    """With a 30-second cache, a token that expires in a second is refused after that second,
    not served from the cache for the rest of the thirty."""
    from django.test import override_settings
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from keten.server.api.auth import KetenTokenAuthentication, TokenExpired

    key = make_user(unique("cache"), token=True)
    expires_in = timedelta(seconds=1.5)
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(days=90) + expires_in)
    auth = KetenTokenAuthentication()
    with override_settings(TOKEN_CACHE_SECONDS=30):
        auth.authenticate_credentials(key)
        time.sleep(expires_in.total_seconds() + 0.2)
        with pytest.raises(TokenExpired):
            auth.authenticate_credentials(key)


# -- low limits and a short lock, on a server of its own ---------------------------------------

STRICT = {
    "KETEN_LOGIN_ACCOUNT_FAILURES": "3",
    "KETEN_LOGIN_ADDRESS_FAILURES": "5",
    "KETEN_LOGIN_LOCK_SECONDS": "4",
}


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Its own database: locking its demo accounts disturbs no other test."""
    tmp: Path = tmp_path_factory.mktemp("strict")
    env = {
        **database_env(f"keten_login_{os.environ.get('PYTEST_XDIST_WORKER', 'gw0')}", tmp),
        **STRICT,
    }
    server = start(env, persons=0)
    yield server
    server.stop()


def _wait_out(answer: Answer) -> None:
    time.sleep(int(answer.headers["Retry-After"]) + 0.2)


def test_an_account_lock_ends_by_itself(strict: Server) -> None:
    browser = Client(strict.base, next_address())
    assert browser.login("coa", "fout").status == 200
    assert browser.login("coa", "fout").status == 200
    third = browser.login("coa", "fout")
    assert third.status == 429 and int(third.headers["Retry-After"]) <= 4
    refused = browser.login("coa", "keten-demo")
    assert refused.status == 429
    _wait_out(refused)
    assert browser.login("coa", "keten-demo").status == 302


def test_twenty_failures_from_one_address_lock_that_address(strict: Server) -> None:
    """Here five: a failure each on five names locks the address, not the names."""
    browser = Client(strict.base, next_address())
    answers = [browser.login(unique("raden"), "fout").status for _ in range(5)]
    assert answers == [200] * 4 + [429]
    refused = browser.login("ind", "keten-demo")
    assert refused.status == 429 and LOCKED_NL in refused.text
    assert Client(strict.base, next_address()).login("ind", "keten-demo").status == 302
    _wait_out(refused)
    assert browser.login("ind", "keten-demo").status == 302


def test_setup_replaces_a_demo_token_past_its_maximum_age(strict: Server) -> None:
    shell = (
        "from datetime import timedelta; from django.utils import timezone; "
        "from rest_framework.authtoken.models import Token; "
        "t = Token.objects.filter(user__username='iom'); {}; print(t.get().key)"
    )
    aged = "t.update(created=timezone.now() - timedelta(days=91))"
    old = keten(
        strict.env, "server", "manage", "shell", "--no-imports", "-c", shell.format(aged)
    ).stdout.strip()
    strict.tokens["iom"] = old
    assert strict.get("/api/v1/me", "iom").body["type"] == "urn:keten:problem:token-expired"
    keten(strict.env, "server", "setup", "--persons", "0")
    new = keten(
        strict.env, "server", "manage", "shell", "--no-imports", "-c", shell.format("0")
    ).stdout.strip()
    assert new != old
    strict.tokens["iom"] = new
    assert strict.get("/api/v1/me", "iom").status == 200
