"""Decision letters over the API, against a live server: made from the dossier and the
decision's rule trail, with the remedies clause and the term sourced for the procedure, the
forms the trail's rules name, stored with the SHA-256 of its HTML and read back as HTML and
as PDF (rendered from the stored HTML); refused where the policy, the scope or the case says
no."""

from __future__ import annotations

import hashlib
import io
import re
import urllib.request
from datetime import date, timedelta
from typing import Any

import pypdf
import pytest

from tests.server.live import Server
from tests.server.sites import site
from tests.server.world import lodge, register, version

TODAY = date.today()
BEFORE_PACT = "2026-05-04"  # lodged before 12 June 2026: the Vw 2000 regime


def _event(live: Server, proc: dict[str, Any], kind: str, day: str) -> dict[str, Any]:
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc['id']}/events",
        "ind",
        {"kind": kind, "day": day, "reason": "test letters"},
        headers={"If-Match": f'"{proc["version"]}"'},
    )
    assert reply.status == 201, reply.text
    row: dict[str, Any] = reply.body
    return row


def _run(live: Server, proc: int, rule: str, facts: dict[str, Any]) -> dict[str, Any]:
    reply = live.request(
        "POST", f"/api/v1/procedures/{proc}/support", "ind", {"rule": rule, "facts": facts}
    )
    assert reply.status == 200, reply.text
    outcome: dict[str, Any] = reply.body
    return outcome


def _decide(
    live: Server, proc: int, outcome: str, trail: Any = None, grounds: str = "Vw 2000 art. 31"
) -> int:
    current = live.get(f"/api/v1/procedures/{proc}", "ind")
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc}/decisions",
        "ind",
        {
            "outcome": outcome,
            "day": TODAY.isoformat(),
            "grounds": grounds,
            "rule_trail": trail or [],
            "reason": "test letters",
        },
        headers={"If-Match": current.headers["ETag"]},
    )
    assert reply.status == 201, reply.text
    return int(reply.body["decision"]["id"])


def _letter(live: Server, decision: int, language: str = "nl") -> dict[str, Any]:
    made = live.request(
        "POST",
        f"/api/v1/decisions/{decision}/letters",
        "ind",
        {"language": language, "reason": "besluit verzenden aan de aanvrager"},
    )
    assert made.status == 201, made.text
    read = live.get(f"/api/v1/letters/{made.body['id']}", "ind")
    assert read.status == 200, read.text
    letter: dict[str, Any] = read.body
    return letter


def _text(html: str) -> str:
    """The letter's words, without markup and with whitespace as one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _pdf(live: Server, letter: int) -> bytes:
    req = urllib.request.Request(f"{live.base}/api/v1/letters/{letter}?format=pdf")
    req.add_header("Authorization", f"Token {live.tokens['ind']}")
    with urllib.request.urlopen(req, timeout=120) as resp:
        assert resp.headers["Content-Type"] == "application/pdf"
        body: bytes = resp.read()
    return body


@pytest.fixture(scope="module")
def refusal(live: Server) -> dict[str, Any]:
    """A first asylum application decided in the general asylum procedure and refused, on the
    trail of the aanmeldfase rule (Vc C1/2.1), for a man staying at a COA location."""
    person = register(
        live, given_names="Omar", surname="Rahimi", birth_date="1994-03-12", nationality="AFG"
    )
    code = site(live, "coa", "regular")
    placed = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/placements",
        "coa",
        {
            "kind": "coa_regular",
            "site": code,
            "location": code,
            "start": BEFORE_PACT,
            "reason": "opvang tijdens de asielprocedure",
        },
        headers={"If-Match": version(live, person["id"])},
    )
    assert placed.status == 201, placed.text
    proc = lodge(live, person["id"], "asylum_first", BEFORE_PACT)
    proc = _event(live, proc, "aa_started", "2026-05-11")
    trail = _run(
        live,
        proc["id"],
        "vc-c1-2.1-aanmeldfase",
        {"lodged_with": "ind_ter_apel", "birth_date": "1994-03-12", "own_application": True},
    )
    decision = _decide(live, proc["id"], "refused", trail)
    return {"person": person, "procedure": proc, "decision": decision, "site": code}


def test_an_asylum_refusal_carries_the_one_week_appeal_term_and_the_forms(
    live: Server, refusal: dict[str, Any]
) -> None:
    """Vw 2000 art. 69 lid 2 as seed 002 gives it for the accelerated procedure: "Na afloop
    van de administratieve fase heeft de vreemdeling een week om een beroepsprocedure op te
    starten." And Vc C1/2.1 (seed 004): "De IND verstrekt aan de vreemdeling met het oog op
    zijn beschikbaarheid tijdens de asielprocedure (inclusief de Dublinprocedure) een
    aanwijzing door middel van model M117-C"."""
    letter = _letter(live, refusal["decision"])
    text = _text(letter["html"])
    assert "Dan kunt u beroep instellen bij de rechtbank. Dat moet binnen één week." in text
    assert "(Vw 2000 art. 69 lid 2)" in text
    # the term is not sourced for the general procedure itself: the letter says so, marked
    assert "Onzeker — na te gaan vóór verzending" in text
    assert "Keten past die toe op asielbesluiten in de algemene asielprocedure" in text
    # every row in the letter's language, the version of the rule too
    assert "Versie van de regel" in text and "after WBV" not in text
    assert "model M117-C: aanwijzing van de plaats" in text
    assert "(Vc 2000 C1/2.1)" in text
    assert "model M18A" not in text  # no rule of the trail chose it
    # addressee: name and V-number, and with no address "p/a" the reception location
    assert "Omar Rahimi" in text and refusal["person"]["v_number"] in text
    assert f"p/a testlocatie {refusal['site']}" in text
    # the decision, its grounds and the rule applied with its checks and sources
    assert "afgewezen" in text and "Vw 2000 art. 31" in text
    assert "Toegepaste regels" in text and "Vc 2000 C1/2.1" in text
    # stored as rendered: the SHA-256 is the HTML's
    assert letter["sha256"] == hashlib.sha256(letter["html"].encode("utf-8")).hexdigest()
    assert (letter["template_id"], letter["template_version"], letter["language"]) == (
        "besluit",
        1,
        "nl",
    )
    # the PDF is rendered from the stored HTML and says the same
    pdf_text = " ".join(
        " ".join(
            page.extract_text()
            for page in pypdf.PdfReader(io.BytesIO(_pdf(live, letter["id"]))).pages
        ).split()
    )
    assert "beroep instellen bij de rechtbank" in pdf_text
    assert "binnen één week" in pdf_text
    assert "M117-C" in pdf_text


def test_the_html_is_served_as_stored_and_listed_with_the_decision(
    live: Server, refusal: dict[str, Any]
) -> None:
    letter = _letter(live, refusal["decision"], "en")
    html = live.get(f"/api/v1/letters/{letter['id']}?format=html", "ind")
    assert html.headers["Content-Type"].startswith("text/html")
    assert html.text == letter["html"]
    assert "you may appeal to the district court. You must do so within one week" in _text(
        html.text
    )
    listed = live.get(f"/api/v1/decisions/{refusal['decision']}/letters", "ind")
    assert listed.status == 200
    ids = [row["id"] for row in listed.body["results"]]
    assert letter["id"] in ids and ids == sorted(ids)
    assert {row["sha256"] for row in listed.body["results"]} >= {letter["sha256"]}


def test_the_extended_procedure_has_four_weeks(live: Server) -> None:
    """Vw 2000 art. 69 lid 1: "In afwijking van artikel 6:7 van de Algemene wet bestuursrecht
    bedraagt de termijn voor het indienen van een bezwaar- of beroepschrift vier weken.\""""
    person = register(live, birth_date="1990-06-01", nationality="SYR")
    proc = lodge(live, person["id"], "asylum_first", BEFORE_PACT)
    proc = _event(live, proc, "aa_started", "2026-05-11")
    _event(live, proc, "referred_extended", "2026-05-19")
    text = _text(_letter(live, _decide(live, proc["id"], "refused"))["html"])
    assert "beroep instellen bij de rechtbank. Dat moet binnen vier weken." in text
    assert "(Vw 2000 art. 69 lid 1)" in text
    assert "Onzeker" not in text  # this term is read from the article, not recalled
    assert "adres onbekend" in text  # no lease and no placement: the letter says so
    assert "Bij dit besluit is geen regelspoor vastgelegd." in text


def test_a_regular_refusal_is_open_to_objection_within_four_weeks(live: Server) -> None:
    """Vw 2000 art. 69 lid 1 shortens the six weeks of Awb art. 6:7 to four for objections
    too: "... bedraagt de termijn voor het indienen van een bezwaar- of beroepschrift vier
    weken.\""""
    person = register(live)
    proc = lodge(live, person["id"], "regular_residence")
    text = _text(_letter(live, _decide(live, proc["id"], "refused"))["html"])
    assert "Dan kunt u bezwaar maken bij de IND. Stuur uw bezwaarschrift binnen vier weken." in text
    assert "zes weken" not in text


def test_the_border_procedure_letter_lists_the_forms_its_rule_chose(live: Server) -> None:
    """Vc A1/7.3 (seed 004): the border guard "stelt de beslissing omtrent toegangsweigering
    uit door middel van het model M18A" and "legt een vrijheidsontnemende maatregel op grond
    van artikel 6, derde lid Vw op door middel van het model M19 dan wel M19A"."""
    person = register(live, birth_date="1991-02-03")
    proc = lodge(live, person["id"], "border_procedure")
    trail = _run(
        live,
        proc["id"],
        "vc-a1-7.3-border-routing",
        {
            "birth_date": "1991-02-03",
            "wants_asylum": True,
            "travels_with_minor_child": False,
            "travels_with_adult": False,
            "meets_entry_conditions": False,
            "risk_indications": False,
            "eu_eea_swiss_national": False,
        },
    )
    html = _letter(live, _decide(live, proc["id"], "refused", trail))["html"]
    forms = re.findall(r'data-form="([^"]+)"', html)
    assert forms == ["M18A", "M19", "M19A"]
    assert "model M17:" not in _text(html)
    assert "Dat moet binnen één week." in _text(html)


def test_letters_are_refused_where_the_policy_the_scope_or_the_case_says_no(
    live: Server, refusal: dict[str, Any]
) -> None:
    from keten.server.audit.models import AuditRecord

    path = f"/api/v1/decisions/{refusal['decision']}/letters"

    def refused(user: str, body: dict[str, Any], status: int, field: str, on: str = path) -> None:
        reply = live.request("POST", on, user, body)
        assert reply.status == status, reply.text
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert reply.body["field"] == field
        assert reply.body["detail_nl"]

    ok = {"language": "nl", "reason": "verzenden"}
    refused("coa", ok, 403, "letter")  # COA decides nothing
    refused("ind", {"language": "nl"}, 400, "reason")
    refused("ind", {"language": "fr", "reason": "x"}, 400, "language")
    refused("ind", ok, 404, "decision", "/api/v1/decisions/999999999/letters")
    # roles that decide nothing read no letters either
    assert live.get(path, "gemeente-utrecht").status == 403
    assert live.get(path, "privacy").status == 403
    # the litigation unit reads the letter sent, and may not write one
    assert live.get(path, "ind-proces").status == 200
    refused("ind-proces", ok, 403, "letter")

    # a decision withdrawn as mistaken gets no letter
    person = register(live)
    proc = lodge(live, person["id"], "regular_residence")
    decision = _decide(live, proc["id"], "refused")
    withdrawn = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/withdrawals",
        "ind",
        {"resource": "decision", "id": decision, "reason": "verkeerde aanvraag besloten"},
        headers={"If-Match": version(live, person["id"])},
    )
    assert withdrawn.status == 201, withdrawn.text
    refused("ind", ok, 422, "decision", f"/api/v1/decisions/{decision}/letters")

    # a complaint is handled, not decided by a besluit: no template serves it
    proc = lodge(live, person["id"], "complaint")
    complaint = _decide(live, proc["id"], "other", grounds="klacht afgehandeld")
    refused("ind", ok, 422, "decision", f"/api/v1/decisions/{complaint}/letters")

    # reading a letter is logged with its person
    letter = _letter(live, refusal["decision"])
    record = AuditRecord.objects.filter(name="letter.read").last()
    assert record is not None and record.subjects[0][0] == refusal["person"]["id"]
    assert record.object_ref == f"letter:{letter['id']}"
    bad = live.get(f"/api/v1/letters/{letter['id']}?format=doc", "ind")
    assert bad.status == 400 and bad.body["field"] == "format"


def test_a_letter_once_made_never_changes(live: Server, refusal: dict[str, Any]) -> None:
    from django.db import DatabaseError, transaction

    from keten.server.letters.models import Letter

    made = _letter(live, refusal["decision"])
    row = Letter.objects.get(pk=made["id"])
    with pytest.raises(RuntimeError):
        row.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        Letter.objects.filter(pk=row.pk).update(html="<p>anders</p>")
    with pytest.raises(DatabaseError), transaction.atomic():
        Letter.objects.filter(pk=row.pk).delete()
    assert Letter.objects.get(pk=row.pk).html == made["html"]
    # a second letter for the same decision is a new row beside it
    again = _letter(live, refusal["decision"])
    assert again["id"] != made["id"] and Letter.objects.filter(pk=made["id"]).exists()
    assert (TODAY - timedelta(days=0)).isoformat() in again["recorded_at"]
