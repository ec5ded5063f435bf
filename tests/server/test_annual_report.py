"""The IND annual figures through the live server: a small chain recorded over HTTP in a year
the sample does not reach, hand-counted; the year's bounds; the policy; the page with its CSV
and XLSX. The figures are read before and after the chain is recorded, and the unrounded
differences compared with the hand count, so that the sample's own records do not matter."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.server.live import Browser, Server
from tests.server.world import register, version

YEAR = 2019  # before any sample record: the sample's history is dated around today
READER = "jenv-beleid"  # ministry_policy: annual_report read


def _figures(live: Server, year: int = YEAR) -> dict[str, dict[str, Any]]:
    reply = live.get(f"/api/v1/reports/annual?year={year}", READER)
    assert reply.status == 200, reply.text
    return {f["id"]: f for s in reply.body["sections"] for f in s["figures"]}


def _lodge(live: Server, person: int, ptype: str, day: str) -> dict[str, Any]:
    reply = live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        "ind",
        {"procedure_type": ptype, "day": day, "reason": "jaarcijfers test"},
        headers={"If-Match": version(live, person)},
    )
    assert reply.status == 201, reply.text
    body: dict[str, Any] = reply.body
    return body


def _event(live: Server, proc: dict[str, Any], kind: str, day: str) -> dict[str, Any]:
    current = live.get(f"/api/v1/procedures/{proc['id']}", "ind")
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        "ind",
        {"kind": kind, "day": day, "reason": "jaarcijfers test"},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert reply.status == 201, reply.text
    body: dict[str, Any] = reply.body
    return body


def _decide(live: Server, proc: dict[str, Any], outcome: str, day: str) -> None:
    current = live.get(f"/api/v1/procedures/{proc['id']}", "ind")
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/decisions",
        "ind",
        {
            "outcome": outcome,
            "day": day,
            "grounds": "Vw 2000 art. 29" if outcome == "granted" else "Vw 2000 art. 31",
            "reason": "jaarcijfers test",
        },
        headers={"If-Match": current.headers["ETag"]},
    )
    assert reply.status == 201, reply.text


def _delta(before: dict[str, Any], after: dict[str, Any], fid: str, key: str) -> Any:
    b, a = before[fid][key], after[fid][key]
    if isinstance(a, dict):
        return (a["numerator"] - b["numerator"], a["denominator"] - b["denominator"])
    return a - b


@pytest.fixture(scope="module")
def chain(live: Server) -> tuple[dict[str, Any], dict[str, Any]]:
    """Recorded in 2019: two first asylum applications (one decided in time, one decided after
    its term with a notice of default before, and a second notice withdrawn as mistaken), a
    regular application lodged in 2018 and decided in 2019, a complaint handled in time, and a
    W-document issued."""
    before = _figures(live)
    a = int(register(live, surname="Zwxjaar", nationality="SYR")["id"])
    b = int(register(live, surname="Zwxcijfer", nationality="SYR")["id"])
    c = int(register(live, surname="Zwxregulier", nationality="USA")["id"])
    on_time = _lodge(live, a, "asylum_first", "2019-02-01")
    _decide(live, on_time, "refused", "2019-03-01")
    late = _lodge(live, b, "asylum_first", "2019-01-07")
    # asylum_first's term is six months (Vw 2000 art. 42): due early July; decided in November
    _event(live, late, "notice_of_default", "2019-09-02")
    # a notice recorded by mistake and withdrawn: not counted (services/withdrawals.standing)
    _event(live, late, "notice_of_default", "2019-08-01")
    current = live.get(f"/api/v1/procedures/{late['id']}", "ind")
    mistaken_id = next(
        e["id"]
        for e in current.body["events"]
        if (e["kind"], e["day"]) == ("notice_of_default", "2019-08-01")
    )
    withdrawn = live.request(
        "POST",
        f"/api/v1/persons/{b}/withdrawals",
        "ind",
        {"resource": "event", "id": mistaken_id, "reason": "bij de verkeerde aanvraag"},
        headers={"If-Match": current.headers["ETag"]},
    )
    assert withdrawn.status == 201, withdrawn.text
    _decide(live, late, "granted", "2019-11-04")
    regular = _lodge(live, c, "regular_residence", "2018-11-01")
    _decide(live, regular, "granted", "2019-01-15")
    complaint = _lodge(live, c, "complaint", "2019-04-01")
    _event(live, complaint, "handled", "2019-04-15")
    doc = live.request(
        "POST",
        f"/api/v1/persons/{a}/documents",
        "ind",
        {"kind": "w_document", "number": "W2019", "issued": "2019-02-05", "reason": "test"},
        headers={"If-Match": version(live, a)},
    )
    assert doc.status == 201, doc.text
    return before, _figures(live)


def test_hand_counted_chain(chain: tuple[dict[str, Any], dict[str, Any]]) -> None:
    before, after = chain
    cur = "current_unrounded"
    assert _delta(before, after, "asylum_first_intake", cur) == 2
    assert _delta(before, after, "asylum_handled", cur) == 2
    assert _delta(before, after, "vvr_intake", cur) == 0  # lodged in 2018
    assert _delta(before, after, "vvr_intake", "previous_unrounded") == 1
    assert _delta(before, after, "vvr_handled", cur) == 1
    # seed 003: "percentage zaken dat binnen de gestelde wettelijke termijn is afgehandeld"
    assert _delta(before, after, "within_term_asylum", cur) == (1, 2)
    assert _delta(before, after, "complaints_on_time", cur) == (1, 1)
    assert _delta(before, after, "notices_lodged", cur) == 1
    assert _delta(before, after, "notices_handled", cur) == 1
    assert _delta(before, after, "documents_w_document", cur) == 1
    # top 3 of asylum applications: SYR is there with (at least) the two
    top = dict(after["top_asylum_intake"]["current"])
    assert top.get("SYR", 0) >= 2
    assert after["visa_intake"]["current_text"] == "niet geregistreerd in Keten"
    # the 2012 targets, carried forward to 2019 and said to be
    target = after["within_term_asylum"]["target"]
    assert target["value"] == 85 and target["carried"] and target["stated_for"] == 2012


def test_rounded_figures_and_no_person(chain: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Seed 003: "De cijfers zijn in principe afgerond op 50-tallen"; and a report holds no
    person: no surname recorded above appears in it."""
    _, after = chain
    for f in after.values():
        if f["shape"] == "count50" and f["current"] is not None:
            assert f["current"] % 50 == 0
    text = repr(after)
    assert "Zwx" not in text  # the surnames of the chain's persons
    assert "V-" not in text and "v_number" not in text


def test_year_is_bounded_and_the_policy_applies(live: Server) -> None:
    bad = live.get("/api/v1/reports/annual?year=1999", READER)
    assert bad.status == 400 and bad.body["field"] == "year"
    assert "2001" in bad.text
    word = live.get("/api/v1/reports/annual?year=vorig", READER)
    assert word.status == 400 and word.body["field"] == "year"
    assert live.get("/api/v1/reports/annual", "ind-management").status == 200
    refused = live.get(f"/api/v1/reports/annual?year={YEAR}", "ind")
    assert refused.status == 403 and refused.body["field"] == "annual_report"
    assert live.get(f"/api/v1/reports/annual?year={YEAR}", "coa").status == 403


def test_page_csv_and_xlsx(live: Server, chain: Any) -> None:
    b = Browser(live.base)
    b.login(READER)
    status, page = b.open(f"/rapportage/jaarcijfers?jaar={YEAR}")
    assert status == 200
    assert 'id="figure-asylum_handled"' in page and "afgerond op 50-tallen" in page
    assert "Regulier verblijf" in page and "2018" in page
    status, csv_text = b.open(f"/rapportage/jaarcijfers.csv?jaar={YEAR}")
    assert status == 200 and csv_text.startswith("sectie,cijfer,omschrijving,2018,2019")
    req = b.opener.open(f"{live.base}/rapportage/jaarcijfers.xlsx?jaar={YEAR}")
    book = load_workbook(io.BytesIO(req.read()))
    assert book.sheetnames[0] == "Regulier verblijf"
    status, _ = b.open("/rapportage/jaarcijfers?jaar=3000")
    assert status == 400
    other = Browser(live.base)
    other.login("ind")
    status, _ = other.open(f"/rapportage/jaarcijfers?jaar={YEAR}")
    assert status == 403


def test_a_role_with_a_granted_scope_is_refused_the_totals(live: Server) -> None:
    """The figures are the whole chain's: a role that sees only the persons granted to it is
    refused even if the policy gave it the report (a role as the policy could declare it)."""
    import dataclasses

    from keten.server.audit.log import Context
    from keten.server.services import annual_report
    from keten.server.services.actor import Actor
    from keten.server.services.errors import ForbiddenError
    from keten.server.services.policy import role

    base = role("ministry_policy")
    scoped = dataclasses.replace(base, id="scoped_reader", scope="granted")
    audit = Context("x", "JenV", "scoped_reader", "urn:test")
    actor = Actor("x", "JenV", "ministry", scoped, audit)
    with pytest.raises(ForbiddenError) as refused:
        annual_report.report(actor, str(YEAR))
    assert refused.value.field == "annual_report"
    assert "hele keten" in (refused.value.detail_nl or "")
    whole = Actor("x", "JenV", "ministry", base, audit)
    assert annual_report.report(whole, str(YEAR))["year"] == YEAR
