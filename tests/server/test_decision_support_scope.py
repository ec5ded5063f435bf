"""Decision support that knows the case, over the API and on the dossier page: only the rules
that serve the procedure's type and regime are offered first (the others folded away), with
the facts the dossier already knows filled in and marked as coming from it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from tests.server.live import Browser, Server
from tests.server.world import lodge, register, version

TODAY = date.today()
BEFORE_PACT = "2026-05-04"  # lodged before 12 June 2026: the Vw 2000 regime
HEARING = "vc-c1-2.11-hearing"  # the (further) hearing by age, Vc C1/2.11
AMV_DUBLIN = "dublin-unaccompanied-minor"


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _support(live: Server, proc: int, user: str = "ind") -> dict[str, Any]:
    reply = live.get(f"/api/v1/procedures/{proc}/support", user)
    assert reply.status == 200, reply.text
    body: dict[str, Any] = reply.body
    return body


def test_an_amvs_asylum_case_is_offered_the_amv_rules_with_age_and_amv_filled_in(
    live: Server,
) -> None:
    """Vc C1/2.11 (seed 004) hears a minor by age ("De IND neemt bij een alleenstaande
    minderjarige vreemdeling vanaf zes jaar een nader gehoor af."), and Regulation 604/2013
    art. 8 decides responsibility for an unaccompanied minor: both are offered on an amv's
    asylum application lodged before the Pact, with the birth date (and the age on the day)
    and the amv mark from the dossier. The Pact's prioritisation rule is of the other regime
    and is folded away."""
    born = date(2011, 2, 14)
    person = register(live, birth_date=born.isoformat(), unaccompanied_minor=True)
    proc = lodge(live, person["id"], "asylum_first", BEFORE_PACT)
    assert proc["regime"] == "vw2000"
    body = _support(live, proc["id"])
    offered = {r["id"]: r for r in body["rules"]}
    other = {r["id"] for r in body["other_rules"]}
    assert HEARING in offered and AMV_DUBLIN in offered
    assert "pact-prioritisation" in other and "pact-prioritisation" not in offered
    assert "vc-b1-4.3.3.1-income" in other  # a regular residence rule
    prefilled = offered[HEARING]["prefilled"]
    assert prefilled["birth_date"]["value"] == born.isoformat()
    age = _age(born, TODAY)
    assert f"{age} jaar op {TODAY.isoformat()}" in prefilled["birth_date"]["source"]
    assert prefilled["unaccompanied_minor"] == {
        "value": True,
        "source": "amv-kenmerk in het dossier",
        "source_en": "unaccompanied-minor mark in the dossier",
    }
    assert offered[AMV_DUBLIN]["prefilled"]["unaccompanied"]["value"] is True
    # the rest period's last day, derived from the lodging as the dossier's deadline shows it:
    # at least six days (Vb 2000 art. 3.109 lid 1, catalogue asylum_first.yaml)
    rest = prefilled["rest_period_ends_on"]
    assert rest["value"] == "2026-05-10" and "Vb 2000 art. 3.109 lid 1" in rest["source"]
    assert offered[AMV_DUBLIN]["prefilled"]["application_date"]["value"] == BEFORE_PACT
    assert body["facts"]["age"]["value"] == age
    # the age on the decision day the case worker works on (`on`), not on today
    on_day = "2026-06-01"
    later = live.get(f"/api/v1/procedures/{proc['id']}/support?on={on_day}", "ind").body
    assert later["facts"]["age"]["value"] == _age(born, date(2026, 6, 1))


def test_a_pact_case_is_offered_the_pacts_rules_and_not_dublin_iii(live: Server) -> None:
    """Seed 002: "alle asielaanvragen van na 12 juni 2026 vallen onder de reikwijdte van het
    Migratiepact"; the Pact's prioritisation ("een verplichting om prioriteit te geven aan het
    afhandelen van aanvragen van minderjarigen en hun familieleden") is offered with that fact
    filled in from the family in the dossier."""
    parent = register(live, birth_date="1985-01-01")
    child = register(live, birth_date="2019-07-07")
    linked = live.request(
        "POST",
        f"/api/v1/persons/{parent['id']}/family",
        "ind",
        {"other_person_id": child["id"], "relation": "parent", "reason": "gezin geregistreerd"},
        headers={"If-Match": version(live, parent["id"])},
    )
    assert linked.status == 201, linked.text
    proc = lodge(live, parent["id"], "asylum_first")
    assert proc["regime"] == "pact"
    body = _support(live, proc["id"])
    offered = {r["id"]: r for r in body["rules"]}
    assert "pact-prioritisation" in offered
    assert AMV_DUBLIN not in offered and "dublin-visa" not in offered
    family = offered["pact-prioritisation"]["prefilled"]["minor_or_family_of_minor"]
    assert family["value"] is True and child["v_number"] in family["source"]


def test_a_regular_case_is_not_offered_asylum_rules(live: Server) -> None:
    person = register(live)
    proc = lodge(live, person["id"], "regular_residence")
    offered = {r["id"] for r in _support(live, proc["id"])["rules"]}
    assert "labour-knowledge-migrant" in offered
    assert not {HEARING, AMV_DUBLIN, "vc-c1-2.1-aanmeldfase"} & offered


def test_the_dossier_page_offers_the_procedures_rules_and_folds_the_others(
    live: Server,
) -> None:
    person = register(live, birth_date="2010-09-09", unaccompanied_minor=True)
    proc = lodge(live, person["id"], "asylum_first", BEFORE_PACT)
    browser = Browser(live.base)
    browser.login("ind")
    _, page = browser.open(f"/persons/{person['id']}")
    panel = page.split(f'id="proc-{proc["id"]}"', 1)[1].split("</section>", 1)[0]
    first = panel.split('class="rules-applicable"', 1)[1].split("</select>", 1)[0]
    folded = panel.split('class="other-rules"', 1)[1].split("</details>", 1)[0]
    assert f'value="{HEARING}"' in first and 'value="pact-prioritisation"' not in first
    assert 'value="pact-prioritisation"' in folded
    _, form = browser.open(f"/procedures/{proc['id']}/support/form?rule={HEARING}")
    fact = re.search(r'data-fact="unaccompanied_minor">(.*?)</div>', form, re.S)
    assert fact is not None
    assert '<option value="true" selected>' in fact.group(1)  # filled in, still a choice
    assert "uit het dossier" in fact.group(1)
    birth = re.search(r'data-fact="birth_date">(.*?)</div>', form, re.S)
    assert birth is not None and 'value="2010-09-09"' in birth.group(1)
    assert "jaar op" in birth.group(1)


def test_a_fact_the_role_may_not_read_is_not_filled_in(live: Server) -> None:
    """A running detention is a measure: the IND case worker reads measures and is given its
    start; COA's planner reads the person and the procedure but no measures (policy.yaml),
    so its answer holds no detention at all."""
    person = register(live, birth_date="1990-01-01")
    start = "2026-11-20"
    held = live.request(
        "POST",
        f"/api/v1/persons/{person['id']}/measures",
        "kmar",
        {"kind": "detention", "start": start, "reason": "bewaring"},
        headers={"If-Match": version(live, person["id"])},
    )
    assert held.status == 201, held.text
    proc = lodge(live, person["id"], "asylum_first")
    assert _support(live, proc["id"], "ind")["facts"]["detention_start"]["value"] == start
    as_coa = _support(live, proc["id"], "coa")
    assert "detention_start" not in as_coa["facts"]
    assert all("detention_start" not in r["prefilled"] for r in as_coa["rules"])
