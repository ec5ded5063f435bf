"""Issue 16: "a test fails when a Dutch page contains an untranslated message". Each role opens
its main pages in Dutch, and submits the forms with bad input, over real HTTP against the live
server; the visible text is held against the catalogue's English msgids and the English the
validation libraries and the service layer write (``dutch_text``). To cover a new page, add
its URL to ``PAGES`` (GET, with bad query parameters too) or ``FORMS`` (POST)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server.dutch_text import PO, english_in, visible_text
from tests.server.live import Browser, Server
from tests.server.world import World

REPO = Path(__file__).parents[2]

# user -> pages it opens; "{p}" is the world's person P (handed over to every organisation),
# "{proc}" P's open asylum procedure. Queries with bad values show the page's refusal.
PAGES: dict[str, list[str]] = {
    "ind": [
        "/",
        "/queue",
        "/queue?page=abc",
        "/queue?procedure_type=nonsense",
        "/queue?overdue=1&procedure_type=asylum_first",
        "/queue?mine=1",
        "/queue?days_left=veel",
        "/queue?overdue=1&days_left=3",
        "/persons",
        "/persons?q=omer+rahimi",
        "/persons?v_number=12",
        "/dubbelen",
        "/meldingen",
        "/persons?q=a",
        "/persons?page=0",
        "/persons/new",
        "/persons/{p}",
        "/dashboard",
        "/persons/999999999",
        "/procedures/{proc}/support/form?rule=nonsense",
        "/coi/SYR",
        "/coi/SYR?on=2025-07-01",
        "/coi/XXA",
        "/coi/QQQ",
    ],
    "coa": [
        "/",
        "/queue",
        "/dashboard",
        "/opvang",
        "/opvang?arrivals=veel",
        "/uitstroom",
        "/locations",
        "/taakstelling",
        "/prognose",
        "/persons/{p}",
        "/rapportage/maand",
        "/rapportage/maand?van=gisteren",
    ],
    "dtenv": [
        "/",
        "/queue",
        "/bewaring",
        "/bewaring/statistiek",
        "/bewaring/statistiek?from=x",
        "/terugkeer/cijfers",
        "/terugkeer/cijfers?from=nooit",
        "/terugkeer/landen",
        "/terugkeer/operaties",
        "/terugkeer/operaties?on=ooit",
        "/persons/{p}",
        "/dashboard",
    ],
    "gemeente-utrecht": [
        "/",
        "/queue",
        "/taakstelling",
        "/taakstelling?period=2026-H7",
        "/meldingen",
        "/persons/{p}",
        "/uitstroom",
    ],
    "nidos": ["/", "/queue", "/persons/{p}", "/locations"],
    "dji": ["/", "/bewaring", "/persons/{p}", "/locations"],
    "verbindingsambtenaar": ["/", "/uitwisseling"],
    "ind-1f": ["/uitwisseling"],
    # The Belgian services' officers: the exchange is their home page (no queue, no dossier).
    "dvz-opsporingen": ["/", "/uitwisseling"],
    "dvz-terugkeer": ["/uitwisseling"],
    "cgvs": ["/uitwisseling"],
    "iom": [
        "/",
        "/queue",
        "/persons/{p}",
        "/landen",
        "/landen?q=marokko",
        "/landen?on=gisteren",
        "/landen/MAR",
        "/landen/XXA",
        "/landen/QQQ",
        "/landen/M4R",
    ],
    "kmar": ["/", "/queue", "/persons/new"],
    "jenv": ["/", "/dashboard", "/taakstelling", "/opvang", "/prognose"],
    "jenv-beleid": [
        "/",
        "/dashboard",
        "/rapportage",
        "/rapportage/maand",
        "/rapportage/jaarcijfers",
        "/rapportage/jaarcijfers?jaar=1800",
        "/rapportage/factsheet",
        "/rapportage/strategie",
        "/prognose",
        "/solidariteit",
        "/solidariteit?cycle=2026",
        "/solidariteit?cycle=1999",
    ],
    "ind-management": ["/", "/dashboard", "/rapportage/jaarcijfers", "/rapportage/maand"],
    "privacy": ["/", "/audit", "/audit?since=gisteren", "/dashboard", "/queue"],
    "provincie-noord-brabant": ["/", "/taakstelling"],
}

# user -> (path, form) posted with bad input: the page comes back with the refusal.
FORMS: dict[str, list[tuple[str, dict[str, str]]]] = {
    "ind": [
        ("/persons/new", {"surname": "", "birth_date": "morgen", "v_number": "12"}),
        (
            "/persons/new",
            {
                "given_names": "Amir",
                "surname": "Haddad",
                "birth_date": "2030-01-01",
                "nationality": "SYR",
                "sex": "M",
                "v_number": "",
                "reason": "",
            },
        ),
        ("/persons/{p}/lodge", {"procedure_type": "asylum_first", "day": "", "reason": ""}),
        ("/procedures/{proc}/event", {"kind": "nonsense", "day": "gisteren", "reason": ""}),
        ("/persons/{p}/correct", {"field": "birth_date", "value": "x", "reason": ""}),
    ],
    "jenv-beleid": [
        (
            "/solidariteit",
            {
                "cycle": "2026",
                "record_type": "request",
                "kind": "relocation",
                "persons": "",
                "status": "requested",
                "day": "",
                "source": "",
                "reason": "",
            },
        ),
    ],
    "coa": [
        (
            "/persons/{p}/records/placement",
            {"kind": "coa_regular", "start": "", "location": "", "reason": ""},
        ),
    ],
    "dtenv": [
        (
            "/persons/{p}/records/measure",
            {"kind": "reporting_duty", "start": "2026-13-45", "reason": ""},
        ),
    ],
    "kmar": [("/persons/new", {"surname": "Q", "birth_date": "1990-02-30"})],
}


def _fill(path: str, world: World) -> str:
    return path.format(p=world.p, proc=world.procedure)


def _browser(live: Server, user: str) -> Browser:
    browser = Browser(live.base)
    browser.login(user)
    return browser


@pytest.mark.parametrize("user", sorted(PAGES))
def test_the_dutch_pages_say_nothing_in_english(live: Server, world: World, user: str) -> None:
    browser = _browser(live, user)
    english: dict[str, list[str]] = {}
    for path in PAGES[user]:
        status, html = browser.open(_fill(path, world))
        assert status < 500, (path, html[:300])
        if found := english_in(html):
            english[path] = found
    assert not english, english


@pytest.mark.parametrize("user", sorted(FORMS))
def test_a_refused_form_says_why_in_dutch(live: Server, world: World, user: str) -> None:
    browser = _browser(live, user)
    english: dict[str, list[str]] = {}
    for path, form in FORMS[user]:
        browser.open(_fill(path.split("/lodge")[0].split("/records")[0], world))  # for the CSRF
        status, html = browser.open(_fill(path, world), form)
        assert 400 <= status < 500, (path, status, visible_text(html)[:400])
        if found := english_in(html):
            english[path] = found
        # Said once, beside the field or in the summary's link to it, not three times over.
        said = re.findall(r'class="field-error"[^>]*>([^<]+)<', html)
        assert len(said) == len(set(said)), (path, said)
    assert not english, english


def test_the_check_catches_english() -> None:
    """The detector itself: the English of before issue 16 is caught, the Dutch passes."""
    before = '<p class="error">surname: Field required <span lang="en">English</span></p>'
    assert english_in(before) == ["Field required"]
    assert english_in('<p>Achternaam: verplicht veld</p><a lang="en">English</a>') == []
    assert "Chain dashboard" in english_in("<h1>Chain dashboard</h1>")  # a msgid, untranslated


def test_every_message_in_the_code_has_its_dutch() -> None:
    """Every msgid the templates and the code use is in the catalogue, translated and not
    fuzzy: Django's makemessages run over a copy of the server, against our django.po."""
    if not shutil.which("xgettext") or not shutil.which("msgfmt"):
        pytest.skip("GNU gettext is not installed")
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_the_catalogue_covers_the_code(tmp_path: Path) -> None:
    if not shutil.which("xgettext") or not shutil.which("msgfmt"):
        pytest.skip("GNU gettext is not installed")
    copy = tmp_path / "server"
    shutil.copytree(REPO / "keten/server", copy, ignore=shutil.ignore_patterns("__pycache__"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "nl",
            "--no-obsolete",
            "--no-location",
            "--settings=keten.server.settings",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    merged = copy / "locale/nl/LC_MESSAGES/django.po"
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(merged)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    missing = [
        line
        for flag in ("--untranslated", "--only-fuzzy")
        for line in subprocess.run(
            ["msgattrib", flag, "--no-wrap", str(merged)], capture_output=True, text=True
        ).stdout.splitlines()
        if line.startswith("msgid ") and line != 'msgid ""'
    ]
    assert "untranslated" not in stats and "fuzzy" not in stats, (stats, missing)
