"""The monthly management information over real HTTP: the API and the page count the hand-
counted chain of ``tests/reports/monthly_chain.py`` as counted by hand, each role sees the
figures of its own organisation's queues only (the ministry all), a role without the resource
gets 403 and no link, bad months and too long ranges are refused naming the field and the rule
in Dutch, and the CSV and XLSX downloads hold the figures."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from keten.reports import monthly
from tests.reports.monthly_chain import EXPECTED, fixed
from tests.server.live import Browser, Server
from tests.server.monthly_db import write

PATH = "/api/v1/reports/monthly"


@pytest.fixture(scope="module")
def team(live: Server) -> str:
    name = f"mi-{uuid.uuid4().hex[:6]}"
    write(fixed(name))
    return name


def _got(body: dict[str, object]) -> dict[tuple[str, str, str], dict[str, object]]:
    rows = body["results"]
    assert isinstance(rows, list)
    return {
        (r["month"], r["organisation"], r["procedure_type"]): {k: r[k] for k in monthly.FIGURES}
        for r in rows
    }


def test_the_ministry_reads_every_organisation(live: Server, team: str) -> None:
    reply = live.get(f"{PATH}?from=2024-02&to=2024-04&team={team}", "jenv-beleid")
    assert reply.status == 200, reply.text
    assert _got(reply.body) == EXPECTED
    assert reply.body["scope"] == "all"
    assert reply.body["months"] == ["2024-02", "2024-03", "2024-04"]
    march = next(t for t in reply.body["totals"] if t["month"] == "2024-03")
    # A 19, E 30, G 48 days: the median of three is the second, P90 the third
    assert (march["intake"], march["lead_median"], march["lead_p90"]) == (5, 30, 48)
    assert "surname" not in reply.text and "v_number" not in reply.text


def test_each_role_reads_its_own_organisation(live: Server, team: str) -> None:
    coa = live.get(f"{PATH}?from=2024-02&to=2024-04&team={team}", "coa")
    assert coa.status == 200, coa.text
    assert _got(coa.body) == {k: v for k, v in EXPECTED.items() if k[1] == "coa"}
    assert coa.body["scope"] == ["coa"]
    ind = live.get(f"{PATH}?from=2024-02&to=2024-04&team={team}", "ind-management")
    assert _got(ind.body) == {k: v for k, v in EXPECTED.items() if k[1] == "ind"}
    everything = live.get(f"{PATH}?from=2024-02&to=2024-04", "coa")
    assert {r["organisation"] for r in everything.body["results"]} <= {"coa"}
    asked = live.get(f"{PATH}?from=2024-02&to=2024-04&organisation=ind", "coa")
    assert asked.status == 403 and asked.body["field"] == "organisation"
    assert "alleen de cijfers van coa" in asked.body["detail_nl"]


def test_a_role_without_the_resource_is_refused(live: Server) -> None:
    reply = live.get(PATH, "ind")
    assert reply.status == 403 and reply.body["field"] == "management_information"
    page = Browser(live.base)
    page.login("ind")
    _status, html = page.open("/rapportage")
    assert 'href="/rapportage/maand"' not in html
    assert page.open("/rapportage/maand")[0] == 403
    assert page.open("/rapportage/maand.csv")[0] == 403


@pytest.mark.parametrize(
    ("query", "field", "dutch"),
    [
        ("from=2021-01&to=2024-01", "from", "ten hoogste 36 maanden, niet 37"),
        ("from=2024-13", "from", "‘2024-13’ is geen maand (verwacht JJJJ-MM)"),
        ("from=2024-3&to=2024-04", "from", "geen maand"),
        ("from=2024-04&to=2024-02", "to", "mag niet vóór from (2024-04) liggen"),
        ("to=2999-01", "to", "mag niet na de huidige maand"),
        ("from=1999-12&to=2000-02", "from", "mag niet vóór 2000-01 liggen"),
        ("procedure_type=asiel", "procedure_type", "geen soort procedure uit de catalogus"),
        ("organisation=mars", "organisation", "moet een van"),
    ],
)
def test_bad_input_is_refused_in_dutch(live: Server, query: str, field: str, dutch: str) -> None:
    reply = live.get(f"{PATH}?{query}", "jenv-beleid")
    assert reply.status == 400, reply.text
    assert reply.body["field"] == field
    assert dutch in reply.body["detail_nl"], reply.body["detail_nl"]


def test_thirty_six_months_are_allowed(live: Server) -> None:
    reply = live.get(f"{PATH}?from=2021-01&to=2023-12", "jenv-beleid")
    assert reply.status == 200, reply.text
    assert len(reply.body["totals"]) == 36


def test_the_page_and_its_downloads(live: Server, team: str) -> None:
    ministry = Browser(live.base)
    ministry.login("jenv-beleid")
    status, html = ministry.open("/rapportage")
    assert status == 200 and 'href="/rapportage/maand"' in html
    query = f"van=2024-02&tot=2024-04&team={team}"
    status, html = ministry.open(f"/rapportage/maand?{query}")
    assert status == 200, html[:400]
    assert "Managementinformatie per maand" in html
    assert html.count('<svg class="chart"') == 3
    assert "Instroom, afgehandeld en voorraad per maand" in html  # Dutch first
    assert "Verbeurde dwangsom per maand (euro)" in html and "Doorlooptijd P90" in html
    assert 'data-month="2024-03" data-organisation="ind"' in html
    bad_status, bad = ministry.open("/rapportage/maand?van=2024-13")
    assert bad_status == 400 and "Van maand: ‘2024-13’ is geen maand (verwacht JJJJ-MM)" in bad
    status, text = ministry.open(f"/rapportage/maand.csv?{query}")
    assert status == 200
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["maand", "organisatie", "team", "soort procedure", "instroom"]
    march = next(r for r in rows if r[0] == "2024-03" and r[3] == "asylum_first")
    assert march == [
        "2024-03",
        "ind",
        team,
        "asylum_first",
        "3",
        "2",
        "4",
        "2",
        "19",
        "30",
        "777",
        "0",
    ]
    assert len(rows) == 1 + len(EXPECTED)
    from openpyxl import load_workbook

    with ministry.opener.open(f"{live.base}/rapportage/maand.xlsx?{query}") as resp:
        book = load_workbook(io.BytesIO(resp.read()))
    assert book.sheetnames == ["managementinformatie", "totaal per maand"]
    sheet = [list(r) for r in book["managementinformatie"].iter_rows(values_only=True)]
    assert ["2024-03", "ind", team, "asylum_first", 3, 2, 4, 2, 19, 30, 777, 0] in sheet
    totals = [list(r) for r in book["totaal per maand"].iter_rows(values_only=True)]
    assert totals[2][:5] == ["2024-03", 5, 3, 6, 2]


def test_the_documented_body_is_the_body_sent(live: Server, team: str) -> None:
    schema = live.request("GET", "/api/v1/openapi.json").body
    documented = schema["components"]["schemas"]["MonthlyManagementInformation"]["properties"]
    reply = live.get(f"{PATH}?from=2024-03&to=2024-03&team={team}", "jenv-beleid")
    assert set(reply.body) == set(documented)
    assert "reports_monthly" in {
        op.get("operationId") for op in schema["paths"]["/api/v1/reports/monthly"].values()
    }


def test_months_before_the_dwangsom_law_are_counted(live: Server) -> None:
    """Found by the contract test: a reference day in 2000 asks for months without Awb 4:17
    amounts in force; they forfeit nothing, and the answer is no server error."""
    reply = live.get(f"{PATH}?on=2000-01-01", "dtenv")
    assert reply.status == 200, reply.text
    assert reply.body["months"] == ["2000-01"]
