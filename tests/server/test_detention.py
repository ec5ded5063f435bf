"""Detention as DTenV and DJI run it, through real HTTP against the live server: the facts that
choose a family's or a minor's limit recorded with the detention, corrected later as a change
of their own, refused when unknown, out of range or contradicting the dossier, and the
overview ``/api/v1/detention`` with the maximum that applies, why, and the alerts.

The limits are Vc 2000 A5/2.4 (seed 004, ``004_cbc7489b66a820d5.txt``); each test quotes the
sentence it holds the server to."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.server.live import Browser, Server
from tests.server.world import register, version


def _day(days_ago: int) -> str:
    """A day relative to the server's today: read at call time, once the live fixture has set
    up Django (its time zone, Europe/Amsterdam, is the server's; at import the test process
    still ran in UTC, and near midnight the two days differ)."""
    return (date.today() - timedelta(days=days_ago)).isoformat()


def detain(
    live: Server, person: int, facts: dict[str, Any], days_ago: int, user: str = "dtenv"
) -> Any:
    """DTenV lodges a detention (its first event: detained) with ``facts``."""
    return live.request(
        "POST",
        f"/api/v1/persons/{person}/procedures",
        user,
        {
            "procedure_type": "detention",
            "day": _day(days_ago),
            "facts": facts,
            "reason": "inbewaringstelling",
        },
        headers={"If-Match": version(live, person)},
    )


def family(live: Server) -> tuple[int, int]:
    """A parent and a minor child, registered by DTenV (so granted to it) and linked."""
    parent = int(register(live, "dtenv", surname="Ouder", birth_date="1985-04-02")["id"])
    child = int(register(live, "dtenv", surname="Kind", birth_date="2018-06-01")["id"])
    linked = live.request(
        "POST",
        f"/api/v1/persons/{parent}/family",
        "dtenv",
        {"relation": "parent", "other_person_id": child, "reason": "gezin vastgesteld"},
        headers={"If-Match": version(live, parent)},
    )
    assert linked.status == 201, linked.text
    return parent, child


def row_of(live: Server, procedure: int, user: str = "dtenv") -> dict[str, Any] | None:
    reply = live.get("/api/v1/detention", user)
    assert reply.status == 200, reply.text
    return next((r for r in reply.body["results"] if r["procedure_id"] == procedure), None)


def test_a_family_is_held_two_weeks_at_most(live: Server) -> None:
    """Vc 2000 A5/2.4 (seed 004), families with minors: "Bewaring wordt alleen proportioneel
    geacht als verwacht mag worden dat de uitzetting of overdracht binnen twee weken kan worden
    gerealiseerd." And: "uiterlijk binnen vijf dagen in de Gesloten Gezinsvoorziening
    geplaatst". Detained 12 days ago: the last day is 2 days ahead (inside the 3-day alert
    window of a 2-week limit), the GGV term passed 7 days ago."""
    parent, _child = family(live)
    lodged = detain(live, parent, {"group": "family", "basis": "59"}, days_ago=12)
    assert lodged.status == 201, lodged.text
    row = row_of(live, lodged.body["id"])
    assert row is not None
    assert row["group"] == "family" and row["group_text"] == "gezin met minderjarigen"
    assert row["basis_text"] == "art. 59 Vw (terugkeer)"
    assert row["detained_since"] == _day(12) and row["days_held"] == 12
    maximum = row["maximum"]
    assert maximum["length"] == "2 weken" and maximum["citation"] == "Vc 2000 A5/2.4"
    assert "binnen twee weken kan worden gerealiseerd" in maximum["quote"]
    assert maximum["why"].startswith("gezin met minderjarigen: 2 weken, Vc 2000 A5/2.4")
    assert row["last_day"] == _day(-2) and row["days_left"] == 2
    assert row["ggv_placement"]["date"] == _day(7)
    alerts = {(a["deadline"], a["kind"]) for a in row["alerts"]}
    assert ("maximum", "near") in alerts and ("ggv_placement", "passed") in alerts
    assert ("court_notice", "near") not in alerts  # 16 of 28 days left, window 7
    assert "geen periodieke toetsing" in row["court_review"]["later_reviews"]


def test_an_unaccompanied_minor_four_weeks_when_first_encountered_else_two(
    live: Server,
) -> None:
    """Vc 2000 A5/2.4 onder c (seed 004): "Het vertrek van de amv kan uiterlijk binnen twee
    weken gerealiseerd worden. Als de amv voor het eerst in het vreemdelingentoezicht wordt
    aangetroffen, geldt een termijn van vier weken waarbinnen het vertrek gerealiseerd moet
    worden." """
    first = int(register(live, "dtenv", birth_date="2010-00-00", unaccompanied_minor=True)["id"])
    known = int(register(live, "dtenv", birth_date="2010-00-00", unaccompanied_minor=True)["id"])
    a = detain(live, first, {"group": "unaccompanied_minor", "first_encountered": True}, 3)
    b = detain(live, known, {"group": "unaccompanied_minor", "first_encountered": False}, 3)
    assert a.status == 201 and b.status == 201, (a.text, b.text)
    row_a, row_b = row_of(live, a.body["id"]), row_of(live, b.body["id"])
    assert row_a is not None and row_b is not None
    assert row_a["maximum"]["length"] == "4 weken" and row_a["last_day"] == _day(3 - 28)
    assert "voor het eerst in het vreemdelingentoezicht" in row_a["maximum"]["quote"]
    assert "voor het eerst in het toezicht aangetroffen" in row_a["maximum"]["why"]
    assert row_b["maximum"]["length"] == "2 weken" and row_b["last_day"] == _day(3 - 14)
    assert "uiterlijk binnen twee weken" in row_b["maximum"]["quote"]


def test_a_correction_of_the_group_rederives_the_limit(live: Server) -> None:
    """Lodged without the group, the adult maximum applies (seed 001: "Vreemdelingenbewaring
    duurt in beginsel maximaal een half jaar") and the overview says the group is missing.
    When the family turns out to be one, the correction is a recorded change (who, when, why)
    and the limit becomes the family's two weeks (Vc A5/2.4)."""
    parent, _child = family(live)
    lodged = detain(live, parent, {"basis": "59"}, days_ago=4)
    assert lodged.status == 201, lodged.text
    proc = lodged.body["id"]
    before = row_of(live, proc)
    assert before is not None and before["maximum"]["length"] == "6 maanden"
    assert "maximaal een half jaar" in before["maximum"]["quote"]
    assert any(a["kind"] == "facts_missing" for a in before["alerts"])

    stale = live.request(
        "PATCH",
        f"/api/v1/procedures/{proc}/facts",
        "dtenv",
        {"facts": {"group": "family"}, "reason": "gezin gebleken"},
        headers={"If-Match": '"99"'},
    )
    assert stale.status == 409 and stale.body["currentVersion"] == lodged.body["version"]
    done = live.request(
        "PATCH",
        f"/api/v1/procedures/{proc}/facts",
        "dtenv",
        {"facts": {"group": "family"}, "reason": "gezin gebleken bij gehoor"},
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert done.status == 200, done.text
    assert done.body["facts"] == {"basis": "59", "group": "family"}
    assert done.body["corrected"] == ["group"]
    assert done.headers["ETag"] == f'"{lodged.body["version"] + 1}"'
    after = row_of(live, proc)
    assert after is not None and after["maximum"]["length"] == "2 weken"
    assert after["last_day"] == _day(4 - 14)
    assert not any(a["kind"] == "facts_missing" for a in after["alerts"])

    from keten.server.audit.models import AuditRecord
    from keten.server.dossiers.models import DossierEvent

    event = DossierEvent.objects.filter(person_id=parent, kind="facts_corrected").get()
    assert event.payload == {
        "procedure": proc,
        "type": "detention",
        "before": {"group": None},
        "after": {"group": "family"},
    }
    assert event.recorded_by == "dtenv" and event.reason == "gezin gebleken bij gehoor"
    assert AuditRecord.objects.filter(
        name="procedure.facts", object_ref=f"procedure:{proc}"
    ).exists()
    timeline = live.get(f"/api/v1/persons/{parent}/dossier", "dtenv").body["timeline"]
    corrected = [t for t in timeline if t["what"] == "facts_corrected"]
    assert corrected and corrected[0]["reason"] == "gezin gebleken bij gehoor"
    assert corrected[0]["facts"] == ["group"] and corrected[0]["who"] == "DTenV"


def test_refusals_name_the_fact_and_the_rule(live: Server) -> None:
    adult = int(register(live, "dtenv", surname="Volwassen")["id"])
    unknown = detain(live, adult, {"colour": "blue"}, 1)
    assert unknown.status == 400 and unknown.body["field"] == "facts.colour"
    assert "geen feit van detention" in unknown.body["rule_nl"]
    bad = detain(live, adult, {"group": "kid"}, 1)
    assert bad.status == 400 and bad.body["field"] == "facts.group"
    assert "adult (volwassene)" in bad.body["rule_nl"]
    assert "family (gezin met minderjarigen)" in bad.body["rule_nl"]
    not_bool = detain(live, adult, {"first_encountered": "ja"}, 1)
    assert not_bool.status == 400 and not_bool.body["field"] == "facts.first_encountered"
    # The dossier does not mark the person as an amv: the group contradicts it (422).
    amv = detain(live, adult, {"group": "unaccompanied_minor"}, 1)
    assert amv.status == 422 and amv.body["field"] == "facts.group"
    first = detain(live, adult, {"group": "adult", "first_encountered": True}, 1)
    assert first.status == 422 and first.body["field"] == "facts.first_encountered"
    # IND may not lodge a detention, nor correct its facts.
    assert detain(live, adult, {"group": "adult"}, 1, user="ind").status == 403
    lodged = detain(live, adult, {"group": "adult"}, 1)
    assert lodged.status == 201
    for user in ("ind", "coa"):
        refused = live.request(
            "PATCH",
            f"/api/v1/procedures/{lodged.body['id']}/facts",
            user,
            {"facts": {"group": "family"}, "reason": "x"},
            headers={"If-Match": f'"{lodged.body["version"]}"'},
        )
        assert refused.status in (403, 404), refused.text
    same = live.request(
        "PATCH",
        f"/api/v1/procedures/{lodged.body['id']}/facts",
        "dtenv",
        {"facts": {"group": "adult"}, "reason": "x"},
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert same.status == 400 and "wijzigt niets" in same.body["rule_nl"]
    nothing_stored = live.get(f"/api/v1/persons/{adult}/procedures", "dtenv")
    assert len(nothing_stored.body["results"]) == 1


def test_who_sees_the_overview(live: Server) -> None:
    """DTenV sees the detentions of the persons granted to it; DJI those it holds (a running
    detention measure grants it the person, policy.yaml ``grants``); the IND and COA have no
    detention overview (403), and the ministry reads only the statistics."""
    adult = int(register(live, "dtenv", surname="Vastgehouden")["id"])
    lodged = detain(live, adult, {"group": "adult", "basis": "59"}, 2)
    assert lodged.status == 201
    assert row_of(live, lodged.body["id"], "dtenv") is not None
    assert row_of(live, lodged.body["id"], "dji") is None  # not held by DJI yet
    measure = live.request(
        "POST",
        f"/api/v1/persons/{adult}/measures",
        "dtenv",
        {"kind": "detention", "start": _day(2), "legal_basis": "art. 59 Vw", "reason": "bewaring"},
        headers={"If-Match": version(live, adult)},
    )
    assert measure.status == 201, measure.text
    held = row_of(live, lodged.body["id"], "dji")
    assert held is not None and held["maximum"]["length"] == "6 maanden"
    for user in ("ind", "coa", "jenv"):
        assert live.get("/api/v1/detention", user).status == 403


def test_the_overview_is_sorted_by_urgency_and_audited(live: Server) -> None:
    reply = live.get("/api/v1/detention", "dtenv")
    rows = reply.body["results"]
    urgency = [r["urgency"] for r in rows if r["urgency"] is not None]
    assert urgency == sorted(urgency)
    assert reply.body["alert_rule"]["verified"] is False

    from keten.server.audit.models import AuditRecord

    last = AuditRecord.objects.filter(name="detention.overview").order_by("-seq").first()
    assert last is not None and last.actor_user == "dtenv"


def test_the_page_and_the_csv(live: Server) -> None:
    parent, _child = family(live)
    lodged = detain(live, parent, {"group": "family", "basis": "59a"}, 13)
    assert lodged.status == 201
    b = Browser(live.base)
    b.login("dtenv")
    status, html = b.open("/bewaring")
    assert status == 200 and f'data-procedure="{lodged.body["id"]}"' in html
    assert "gezin met minderjarigen: 2 weken, Vc 2000 A5/2.4" in html
    status, text = b.open("/bewaring.csv")
    assert status == 200 and text.splitlines()[0].startswith("V-nummer,achternaam")
    assert any("2 weken" in line and "art. 59a" not in line for line in text.splitlines()[1:])
    # The lodge form's facts, proposed from the dossier with where the proposal comes from.
    status, html = b.open(f"/persons/{parent}/lodge/facts?procedure_type=detention")
    assert status == 200 and '<option value="family" selected>' in html
    assert "gezinsband in het dossier met minderjarig kind" in html
    coa = Browser(live.base)
    coa.login("coa")
    assert coa.open("/bewaring")[0] == 403


def test_an_extension_moves_the_last_day_and_says_so(live: Server) -> None:
    """Seed 001: "Vreemdelingenbewaring duurt in beginsel maximaal een half jaar"; the
    catalogue's extension by twelve months (Vw art. 59 lid 6, marked uncertain there) moves the
    last day, and the overview's reason names it."""
    adult = int(register(live, "dtenv", surname="Verlengd")["id"])
    lodged = detain(live, adult, {"group": "adult", "basis": "59"}, 20)
    assert lodged.status == 201
    before = row_of(live, lodged.body["id"])
    assert before is not None and before["maximum"]["length"] == "6 maanden"
    extended = live.request(
        "POST",
        f"/api/v1/procedures/{lodged.body['id']}/events",
        "dtenv",
        {"kind": "extended_12m", "day": _day(1), "reason": "geen medewerking"},
        headers={"If-Match": f'"{lodged.body["version"]}"'},
    )
    assert extended.status == 201, extended.text
    after = row_of(live, lodged.body["id"])
    assert after is not None and after["last_day"] > before["last_day"]
    assert "verlengd met 12 maanden" in after["maximum"]["why"]


def test_the_panel_corrects_the_facts(live: Server) -> None:
    """The procedure panel's correction form: a value outside the catalogue's is refused with
    the fact named in Dutch; the family's group is recorded and the maximum re-derived."""
    parent, _child = family(live)
    lodged = detain(live, parent, {"group": "adult", "basis": "59"}, 5)
    assert lodged.status == 201
    proc, v = lodged.body["id"], lodged.body["version"]
    b = Browser(live.base)
    b.login("dtenv")
    status, html = b.open(f"/persons/{parent}")
    assert status == 200 and 'class="inline facts-correction"' in html
    form = {"version": str(v), "procedure_type": "detention", "pfact-basis": "59"}
    status, html = b.open(
        f"/procedures/{proc}/facts", {**form, "pfact-group": "kid", "reason": "gezin"}
    )
    assert status == 400 and "facts.group" in html and "geen van de waarden" in html
    status, html = b.open(
        f"/procedures/{proc}/facts", {**form, "pfact-group": "family", "reason": "gezin"}
    )
    assert status == 200, html[:300]
    row = row_of(live, proc)
    assert row is not None and row["group"] == "family" and row["maximum"]["length"] == "2 weken"
    ind = Browser(live.base)
    ind.login("ind")
    status, html = ind.open(f"/persons/{parent}")
    assert 'class="inline facts-correction"' not in html  # offered only to who may
