"""The country register over real HTTP: ``/api/v1/countries`` and ``/landen``.

A server of this module's own reads the tests' made-up register
(``tests/chain/fixtures/register``, through ``KETEN_COUNTRY_REGISTER_DIR``), so the expected
values are the fixture's lines, never the shipped rows: MAR 2024 4.0 % (published
2025-04-24), 2025 5.5 % (published 2026-04-23); FY2026 LUX 100000, CHE and NOR 95000, MAR 3900
(place 4); MAR safe except LGBTI persons; MAR visa required."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from keten.server.setup import DEMO_USERS
from tests.server.live import Browser, Server, database_env, read_tokens, start

FIXTURE = Path(__file__).resolve().parents[1] / "chain" / "fixtures" / "register"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("countries")
    shutil.copytree(FIXTURE, tmp / "register")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    env = {
        **database_env(f"keten_countries_{worker}", tmp),
        "KETEN_COUNTRY_REGISTER_DIR": str(tmp / "register"),
    }
    running = start(env, persons=2)
    running.tokens = read_tokens(env)
    try:
        yield running
    finally:
        running.stop()


def _fixture_version() -> str:
    digest = hashlib.sha256()
    for name in sorted(p.name for p in FIXTURE.glob("*.csv")):
        digest.update((FIXTURE / name).read_bytes())
    return digest.hexdigest()[:12]


def test_the_list_on_a_day_with_the_register_version(server: Server) -> None:
    reply = server.get("/api/v1/countries?on=2026-05-01", "coa")
    assert reply.status == 200, reply.text
    body = reply.body
    assert body["register_version"] == _fixture_version() and body["unknown_otherwise"] is True
    assert body["count"] == 250 == len(body["results"])  # 249 ISO countries and Kosovo
    rows = {r["code"]: r for r in body["results"]}
    mar = rows["MAR"]
    assert (mar["name_nl"], mar["rate_percent"], mar["rate_period"]) == ("Marokko", 5.5, "2025")
    assert (mar["income_group"], mar["income_rank"], mar["top35"]) == ("lower_middle", 4, True)
    assert (mar["safe"], mar["safe_excepted_groups"], mar["visa"]) == (
        True,
        ["lhbti"],
        "visa_required",
    )
    assert mar["rate_entry"] == "data/countries/register/recognition_rates.csv:3"
    # Nothing in the register: unknown (null), never "no".
    afg = rows["AFG"]
    assert (afg["rate_percent"], afg["income_group"], afg["safe"], afg["visa"]) == (
        None,
        None,
        None,
        None,
    )
    assert rows["UKR"]["safe"] is None  # its row ended on 2022-02-23
    # A day before 2025's figure was published, a rule reads 2024's.
    earlier = server.get("/api/v1/countries?on=2026-04-22&q=MAR", "coa").body
    assert {r["code"]: r["rate_percent"] for r in earlier["results"]}["MAR"] == 4.0


def test_q_filters_by_code_or_name_in_either_language(server: Server) -> None:
    for q, expected in (("Morocco", ["MAR"]), ("marokko", ["MAR"]), ("che", None)):
        body = server.get(f"/api/v1/countries?q={q}", "ind").body
        codes = [r["code"] for r in body["results"]]
        if expected is not None:
            assert codes == expected, (q, codes)
        else:
            assert "CHE" in codes and "SYC" in codes  # the code CHE; Seychellen by name
            for r in body["results"]:
                assert q in (r["code"] + r["name_nl"] + r["name_en"]).casefold()
    assert server.get("/api/v1/countries?q=" + "x" * 101, "ind").status == 400


def test_one_country_with_sources_and_history(server: Server) -> None:
    reply = server.get("/api/v1/countries/mar?on=2026-05-01", "dtenv")
    assert reply.status == 200, reply.text
    p = reply.body
    assert (p["code"], p["name_en"], p["is_country"]) == ("MAR", "Morocco", True)
    yearly = p["recognition_rate"]["international_protection"]["yearly"]
    assert (yearly["rate_percent"], yearly["published"], yearly["verified"]) == (
        5.5,
        "2026-04-23",
        False,
    )
    assert yearly["note_nl"] == "Verzonnen cijfer voor de tests, nergens tegen gecontroleerd"
    assert p["income"]["gni_per_capita_usd"] == 3900 and p["income_edition"] == "FY2026"
    assert p["safe_country"]["exception_nl"] == "niet voor lhbti's"
    assert p["visa"]["entry"] == "data/countries/register/visa_requirement.csv:2"
    history = p["history"]
    assert [(f["period"], f["basis"]) for f in history["recognition_rates"]] == [
        ("2024", "all_positive"),
        ("2024", "international_protection"),
        ("2025-Q2", "international_protection"),
        ("2025", "international_protection"),
    ]
    assert [e["edition"] for e in history["income"]] == ["FY2025", "FY2026"]
    assert history["return_cooperation"][0]["status"] == "no_prospect_of_removal"


def test_a_bad_code_names_the_field_and_an_unknown_one_is_not_found(server: Server) -> None:
    bad = server.get("/api/v1/countries/M4R", "ind")
    assert bad.status == 400 and bad.body["field"] == "code"
    assert "geen ISO 3166-1 alpha-3-code" in bad.body["detail_nl"]
    assert "not an ISO 3166-1 alpha-3 code" in bad.body["detail"]
    unknown = server.get("/api/v1/countries/QQQ", "ind")
    assert unknown.status == 404 and unknown.body["detail_nl"] == "geen land met code QQQ"
    stateless = server.get("/api/v1/countries/XXA", "ind")
    assert stateless.status == 200 and stateless.body["is_country"] is False
    assert stateless.body["income"] is None and stateless.body["history"] == {}


def test_every_role_reads_it_and_finds_it_in_the_navigation(server: Server) -> None:
    for user in DEMO_USERS:
        assert server.get("/api/v1/countries/MAR", user).status == 200, user
    for user in ("privacy", "provincie-noord-brabant", "kmar", "ind-management"):
        browser = Browser(server.base)
        browser.login(user)
        status, html = browser.open("/landen")
        assert status == 200 and '<a href="/landen">Landen</a>' in html, user


def test_the_pages_in_dutch(server: Server) -> None:
    browser = Browser(server.base)
    browser.login("iom")
    status, html = browser.open("/landen?on=2026-05-01&q=mar")
    assert status == 200 and "Landenregister" in html and _fixture_version() in html
    assert 'href="/landen/MAR?on=2026-05-01"' in html and "Marokko" in html
    assert "5,5 %" in html and "lager middeninkomen" in html and "visumplichtig" in html
    assert 'class="table-scroll"' in html
    status, html = browser.open("/landen/MAR?on=2026-05-01")
    assert status == 200 and "<h1>Marokko" in html
    assert "data/countries/register/recognition_rates.csv:3" in html
    assert "gepubliceerd 2026-04-23, Eurostat migr_asydcfsta" in html
    assert "niet geverifieerd" in html and "Verzonnen cijfer voor de tests" in html
    assert "Plaats 4 naar inkomen per hoofd" in html and "in de top 35" in html
    assert "behalve" in html and "niet voor lhbti&#x27;s" in html
    assert "geen zicht op uitzetting" in html  # return cooperation, from its own register
    status, html = browser.open("/landen/XXA")
    assert status == 200 and "XXA is geen land" in html and 'id="facts"' not in html
    status, html = browser.open("/landen/QQQ")
    assert status == 404 and "geen land met code QQQ" in html
    status, html = browser.open("/landen/M4R")
    assert status == 400 and "geen ISO 3166-1 alpha-3-code" in html


def test_openapi_lists_the_routes(server: Server) -> None:
    paths = server.get("/api/v1/openapi.json", "ind").body["paths"]
    assert "/api/v1/countries" in paths and "/api/v1/countries/{code}" in paths
    assert paths["/api/v1/countries/{code}"]["get"]["operationId"] == "country"
