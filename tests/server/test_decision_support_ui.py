"""Decision support on the dossier page, over real HTTP: a rule's facts as a form of inputs of
their kind, started from what the dossier knows (a logged read), run on the real rules of
``keten.rules``; what was entered kept with the outcome or beside the refused fact; the
outcome going with the decision and shown as a readable trail."""

from __future__ import annotations

import html as html_lib
import json
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils.datastructures import MultiValueDict

from keten.server import decision_support
from keten.server.services.errors import BadInputError
from keten.server.ui import fact_form
from tests.server.live import Browser, Server
from tests.server.world import lodge, register

TODAY = date.today()
HTMX = {"HX-Request": "true"}
AMV_DETENTION = "vc-a5-2.4-detention-amv"


def _lodge(live: Server, person: int) -> int:
    return int(lodge(live, person)["id"])


def _fact(html: str, name: str) -> str:
    """The markup of one fact's input (label, input, source, error)."""
    found = re.search(rf'<div class="fact[^"]*" data-fact="{name}">(.*?)</div>', html, re.S)
    assert found, f"no input for {name}"
    return found.group(1)


def _value(markup: str) -> str:
    found = re.search(r'<input[^>]* value="([^"]*)"', markup)
    return html_lib.unescape(found.group(1)) if found else ""


def _selected(markup: str) -> str:
    found = re.search(r'<option value="([^"]*)" selected>', markup)
    return found.group(1) if found else ""


def _step(html: str, check: str) -> str:
    """The value shown for one step of a rule's trail."""
    found = re.search(rf'data-check="{re.escape(check)}">.*?<strong>(.*?)</strong>', html, re.S)
    assert found, f"no trail step {check}"
    return found.group(1)


def _ind(live: Server) -> Browser:
    browser = Browser(live.base)
    browser.login("ind")
    return browser


def test_a_rules_form_asks_each_fact_in_its_kind_starting_from_the_dossier(live: Server) -> None:
    from keten.server.audit.models import AuditRecord

    person = int(register(live, birth_date="2010-03-14", unaccompanied_minor=True)["id"])
    proc = _lodge(live, person)
    browser = _ind(live)
    status, page = browser.open(f"/persons/{person}")
    assert status == 200
    # the dossier page offers the rules, not a JSON box
    assert f'hx-get="/procedures/{proc}/support/form"' in page and "kies een regel" in page
    assert "Feiten (JSON)" not in page

    status, html = browser.open(
        f"/procedures/{proc}/support/form?rule=dublin-unaccompanied-minor", headers=HTMX
    )
    assert status == 200
    birth = _fact(html, "birth_date")
    assert 'type="date"' in birth and _value(birth) == "2010-03-14"
    assert "uit het dossier" in birth and "Geboortedatum *" in birth
    lodged = _fact(html, "application_date")
    assert _value(lodged) == TODAY.isoformat() and f"procedure #{proc}" in lodged
    # reading the dossier to fill the form is a read of personal data like any other
    record = AuditRecord.objects.filter(
        name="decision_support.facts", object_ref=f"procedure:{proc}"
    ).last()
    assert record is not None and record.actor_user == "ind"
    assert "identity.birth_date" in record.fields and record.subjects[0][0] == person

    # a rule about a relative: the dossier's birth date is someone else's, so not offered
    status, html = browser.open(f"/procedures/{proc}/support/form?rule=anmw-core-family")
    assert status == 200
    assert _value(_fact(html, "birth_date")) == "" and "uit het dossier" not in html
    relation = _fact(html, "relation")
    assert "<select" in relation and '<option value="spouse">' in relation
    # a yes/no fact: not given, yes or no (an empty choice is the rule's default)
    status, html = browser.open(f"/procedures/{proc}/support/form?rule={AMV_DETENTION}")
    first = _fact(html, "first_encountered_in_supervision")
    assert '<option value="true">ja</option>' in first and "standaard: nee" in first
    assert 'type="number"' in _fact(html, "departure_within_days")
    # an unknown rule is refused by name
    status, html = browser.open(f"/procedures/{proc}/support/form?rule=vc-none")
    assert (
        status == 400 and "&#x27;vc-none&#x27; is geen regel van de Vreemdelingencirculaire" in html
    )


def test_a_refused_fact_is_named_beside_its_input_and_nothing_entered_is_lost(
    live: Server,
) -> None:
    proc = _lodge(live, int(register(live)["id"]))
    browser = _ind(live)
    start = (TODAY - timedelta(days=5)).isoformat()
    status, html = browser.open(
        f"/procedures/{proc}/support",
        {
            "rule": AMV_DETENTION,
            "fact-detention_start": start,
            "fact-first_encountered_in_supervision": "true",
            "fact-departure_within_days": "twee weken",
        },
        headers=HTMX,
    )
    assert status == 200  # htmx swaps only 2xx: the refusal is shown in the panel
    assert 'role="alert"' in html and "facts.departure_within_days" in html
    bad = _fact(html, "departure_within_days")
    assert "is not a whole number" in bad and 'aria-invalid="true"' in bad
    assert _value(bad) == "twee weken"
    assert _value(_fact(html, "detention_start")) == start
    assert _selected(_fact(html, "first_encountered_in_supervision")) == "true"
    assert 'class="card support-result"' not in html

    # a required fact left empty: the rule itself refuses it, by name
    status, html = browser.open(
        f"/procedures/{proc}/support",
        {"rule": AMV_DETENTION, "fact-departure_within_days": "20"},
        headers=HTMX,
    )
    assert "facts.detention_start" in html
    assert 'aria-invalid="true"' in _fact(html, "detention_start")
    assert _value(_fact(html, "departure_within_days")) == "20"


def test_the_outcome_follows_the_circular_and_goes_with_the_decision(live: Server) -> None:
    """Vc 2000 A5/2.4 (seed 004): "c. Het vertrek van de amv kan uiterlijk binnen twee weken
    gerealiseerd worden. Als de amv voor het eerst in het vreemdelingentoezicht wordt
    aangetroffen, geldt een termijn van vier weken waarbinnen het vertrek gerealiseerd moet
    worden." Departure expected within 20 days: within four weeks, not within two."""
    person = int(register(live)["id"])
    proc = _lodge(live, person)
    browser = _ind(live)
    start = (TODAY - timedelta(days=5)).isoformat()
    facts = {"fact-detention_start": start, "fact-departure_within_days": "20"}
    path = f"/procedures/{proc}/support"
    status, html = browser.open(
        path, {"rule": AMV_DETENTION, **facts, "fact-first_encountered_in_supervision": "false"}
    )
    assert status == 200
    assert _step(html, "window_days") == "14" and _step(html, "ground_c") == "nee"

    status, html = browser.open(
        path, {"rule": AMV_DETENTION, **facts, "fact-first_encountered_in_supervision": "true"}
    )
    assert status == 200
    assert _step(html, "window_days") == "28" and _step(html, "ground_c") == "ja"
    assert _step(html, "outcome.detention_permitted") == "ja"
    assert "Bewaring van alleenstaande minderjarige vreemdelingen" in html  # the rule's title
    # what was entered stays in the form, to adjust and run again
    assert _selected(_fact(html, "first_encountered_in_supervision")) == "true"

    # the decision form now carries this outcome, with the facts it ran on
    found = re.search(r'name="rule_trail" value="([^"]*)"', html)
    assert found
    trail = json.loads(html_lib.unescape(found.group(1)))
    assert trail["rule"] == AMV_DETENTION and trail["facts"]["departure_within_days"] == 20
    current = live.get(f"/api/v1/procedures/{proc}", "ind").body["version"]
    status, html = browser.open(
        f"/procedures/{proc}/decide",
        {
            "outcome": "refused",
            "day": TODAY.isoformat(),
            "grounds": "A5/2.4",
            "reason": "besluit met beslisondersteuning",
            "version": str(current),
            "rule_trail": html_lib.unescape(found.group(1)),
        },
    )
    assert status == 200
    decided = live.get(f"/api/v1/procedures/{proc}/decisions", "ind").body["results"][-1]
    assert decided["rule_trail"]["facts"]["detention_start"] == start
    # the dossier shows the recorded trail as the officer saw it, not as program data
    status, page = browser.open(f"/persons/{person}")
    assert _step(page, "window_days") == "28"
    assert "Termijn voor vertrek" in page and "{&#x27;" not in page and "{'" not in page


def test_a_coded_outcome_reads_as_the_circular_words_it_in_the_pages_language(
    live: Server,
) -> None:
    """Vc 2000 A5/2.4 (seed 004): "Als de amv voor het eerst in het vreemdelingentoezicht wordt
    aangetroffen, geldt een termijn van vier weken waarbinnen het vertrek gerealiseerd moet
    worden." The officer reads "vier weken" (in English "four weeks"), not ``4_weeks``; the
    outcome that goes with the decision keeps the code."""
    person = int(register(live)["id"])
    proc = _lodge(live, person)
    browser = _ind(live)
    run = {
        "rule": AMV_DETENTION,
        "fact-detention_start": (TODAY - timedelta(days=5)).isoformat(),
        "fact-departure_within_days": "20",
        "fact-first_encountered_in_supervision": "true",
    }
    path = f"/procedures/{proc}/support"
    status, html = browser.open(path, run)
    assert status == 200
    assert _step(html, "outcome.maximum") == "vier weken"
    assert 'data-check="outcome.maximum"' in html and ">4_weeks<" not in html
    assert _step(html, "outcome.detention_permitted") == "ja"  # yes/no stays yes/no
    found = re.search(r'name="rule_trail" value="([^"]*)"', html)
    assert found
    trail = json.loads(html_lib.unescape(found.group(1)))
    assert trail["outcome"]["maximum"] == "4_weeks"
    step = next(t for t in trail["trail"] if t["check"] == "outcome.maximum")
    assert step["value"] == "4_weeks"
    assert step["value_label"] == {"nl": "vier weken", "en": "four weeks"}

    browser.open("/i18n/setlang/", {"language": "en", "next": f"/persons/{person}"})
    status, html = browser.open(path, run)
    assert status == 200
    assert _step(html, "outcome.maximum") == "four weeks"
    row = re.search(r'<tr[^>]*data-check="outcome.maximum">(.*?)</tr>', html, re.S)
    assert row and "vier weken" not in row.group(1) and "Length of detention" in row.group(1)


def _income_rule() -> dict[str, Any]:
    return decision_support.rule("vc-b1-4.3.3.1-income")


def test_amounts_are_read_as_an_officer_writes_them() -> None:
    """Dutch amounts (``2.497,50``, ``€ 1.500``) and machine ones (``2497.50``) give the same
    decimal text, so no cent is lost to a float; twelve months in twelve inputs."""
    rule = _income_rule()
    months = ["2.497,50"] * 6 + ["€ 2497.50"] * 5 + ["2497,5"]
    form = MultiValueDict({"fact-monthly_income": months, "fact-monthly_norm": ["€ 1.500"]})
    facts = fact_form.read(rule, form)
    assert facts["monthly_income"] == ["2497.50"] * 11 + ["2497.5"]
    assert facts["monthly_norm"] == "1500"
    assert "monthly_ww_zw_benefit" not in facts  # all twelve empty: not given, the default
    assert "ww_zw_benefit_weeks" not in facts
    out = decision_support.run(rule["id"], facts, date(2026, 11, 25))
    assert out["outcome"]["income_sufficient"] is True


@pytest.mark.parametrize(
    ("field", "given", "message"),
    [
        ("fact-monthly_norm", "veel", "facts.monthly_norm: 'veel' is not an amount in euros"),
        ("fact-ww_zw_benefit_weeks", "3,5", "facts.ww_zw_benefit_weeks: '3,5' is not a whole"),
    ],
)
def test_text_that_is_not_of_the_facts_kind_is_refused_naming_the_fact(
    field: str, given: str, message: str
) -> None:
    form = MultiValueDict({"fact-monthly_income": ["1000"] * 12, field: [given]})
    with pytest.raises(BadInputError) as refused:
        fact_form.read(_income_rule(), form)
    assert str(refused.value).startswith(message)


def test_choices_and_free_lists_are_read_as_lists() -> None:
    rule = decision_support.rule("vc-a4-3.10-eu-undesirability")
    form = MultiValueDict(
        {"fact-evidence_provided": ["travel_documents_copy", "no_crimes_statements"]}
    )
    assert fact_form.read(rule, form)["evidence_provided"] == [
        "travel_documents_copy",
        "no_crimes_statements",
    ]
    assert "evidence_provided" not in fact_form.read(rule, MultiValueDict({}))


def _option(code: str, label: str, *, selected: bool = False) -> str:
    return (
        f'<option value="{code}"{" selected" if selected else ""}>{html_lib.escape(label)}</option>'
    )


def test_choices_show_their_label_in_the_pages_language_and_send_their_code(
    live: Server,
) -> None:
    """A case worker reads the source text's terms, not codes: Vc A1/4.10 (seed 004) names
    "een ongehuwde partner (niet zijnde een geregistreerde partner)"; the rule still gets
    ``unmarried_partner``."""
    person = int(register(live)["id"])
    proc = _lodge(live, person)
    browser = _ind(live)
    form = f"/procedures/{proc}/support/form?rule="
    status, html = browser.open(form + "vc-a1-4.10-eu-family-visa", headers=HTMX)
    assert status == 200
    relation = _fact(html, "relation")
    assert _option("family_member", "familie- of gezinslid") in relation
    assert _option("unmarried_partner", "ongehuwde partner met duurzame relatie") in relation
    assert ">unmarried_partner<" not in relation
    # several choices at once, and a default named by its label rather than its code
    status, html = browser.open(form + "vc-a4-3.10-eu-undesirability", headers=HTMX)
    evidence = _fact(html, "evidence_provided")
    assert "multiple" in evidence
    assert _option("travel_documents_copy", "kopie van de documenten voor grensoverschrijding") in (
        evidence
    )
    status, html = browser.open(form + "vc-c1-2.1-aanmeldfase", headers=HTMX)
    assert "(standaard: geen bijzondere route)" in _fact(html, "special_route")

    # what was chosen comes back selected, by code, under its label
    status, html = browser.open(
        f"/procedures/{proc}/support",
        {"rule": "vc-a5-2.4-detention-family", "fact-ground": "59a"},
        headers=HTMX,
    )
    assert status == 200 and 'role="alert"' in html  # refused: required facts are missing
    ground = _fact(html, "ground")
    assert _selected(ground) == "59a"
    assert _option("59a", "artikel 59a Vw", selected=True) in ground
    assert _option("59_1", "artikel 59, eerste lid, Vw") in ground
    # once run, the facts it ran on are listed by their description, a choice by its label
    status, html = browser.open(
        f"/procedures/{proc}/support",
        {
            "rule": "vc-a5-2.4-detention-family",
            "fact-ground": "59a",
            "fact-detention_start": TODAY.isoformat(),
            "fact-legal_conditions_all_members": "true",
        },
        headers=HTMX,
    )
    assert status == 200 and 'role="alert"' not in html
    used = re.search(r'<li data-fact="ground">(.*?)</li>', html, re.S)
    assert used and "<strong>artikel 59a Vw</strong>" in used.group(1)
    assert "<code>ground</code>" not in html

    # in English the same options speak English and send the same codes
    browser.open("/i18n/setlang/", {"language": "en", "next": f"/persons/{person}"})
    status, html = browser.open(form + "vc-a1-4.10-eu-family-visa", headers=HTMX)
    relation = _fact(html, "relation")
    assert _option("unmarried_partner", "unmarried partner in a durable relationship") in relation
    assert "ongehuwde partner" not in relation
    status, html = browser.open(form + "vc-c1-2.1-aanmeldfase", headers=HTMX)
    assert "(default: no special route)" in _fact(html, "special_route")
    status, html = browser.open(form + "1f-exclusion-before-inclusion", headers=HTMX)
    assert _option("serious_reasons", "serious reasons for considering") in _fact(
        html, "evidence_level"
    )


def test_the_form_offers_each_choice_once_with_its_labels() -> None:
    rule = decision_support.rule("1f-exclusion-before-inclusion")
    (level,) = (f for f in fact_form.inputs(rule) if f.name == "evidence_level")
    assert level.choices == (
        fact_form.Choice("none", "geen verdenking", "no suspicion"),
        fact_form.Choice("simple_suspicion", "eenvoudige verdenking", "simple suspicion"),
        fact_form.Choice(
            "serious_reasons",
            "ernstige redenen om te veronderstellen",
            "serious reasons for considering",
        ),
    )


def test_a_refused_decision_or_event_keeps_what_was_entered_and_the_trail(live: Server) -> None:
    """A decision sent on a stale version is refused (409) and shown again as it was entered,
    the rule trail that supported it included; an event refused likewise."""
    person = int(register(live)["id"])
    proc = _lodge(live, person)
    browser = _ind(live)
    trail = json.dumps({"rule": AMV_DETENTION, "facts": {"departure_within_days": 20}})
    current = live.get(f"/api/v1/procedures/{proc}", "ind").body["version"]
    day = (TODAY - timedelta(days=1)).isoformat()
    status, html = browser.open(
        f"/procedures/{proc}/decide",
        {
            "outcome": "refused",
            "day": day,
            "grounds": "A5/2.4 onder c",
            "reason": "besluit na gehoor",
            "version": str(current - 1),  # someone recorded something meanwhile
            "rule_trail": trail,
        },
        headers=HTMX,
    )
    assert status == 200 and "version" in html  # the refusal, shown in the panel
    form = re.search(r'<form class="inline decide".*?</form>', html, re.S)
    assert form, "no decision form"
    decide = form.group(0)
    outcome = re.search(r'<select name="outcome">.*?</select>', decide, re.S)
    assert outcome and _selected(outcome.group(0)) == "refused"
    assert f'name="day" required value="{day}"' in decide
    assert 'value="A5/2.4 onder c"' in decide and 'value="besluit na gehoor"' in decide
    kept = re.search(r'name="rule_trail" value="([^"]*)"', decide)
    assert kept and json.loads(html_lib.unescape(kept.group(1))) == json.loads(trail)
    assert live.get(f"/api/v1/procedures/{proc}/decisions", "ind").body["results"] == []

    status, html = browser.open(
        f"/procedures/{proc}/event",
        {"kind": "no_such_event", "day": day, "reason": "gehoor gepland", "version": str(current)},
        headers=HTMX,
    )
    assert status == 200 and "no_such_event" in html
    event = re.search(r'<form class="inline record-event".*?</form>', html, re.S)
    assert event and 'value="gehoor gepland"' in event.group(0)
    assert f'name="day" required value="{day}"' in event.group(0)


def test_the_page_shows_the_values_a_rule_used_and_that_they_were_not_checked(
    live: Server,
) -> None:
    """labour.yaml: the 2026 criterion "30 years and older EUR 5,942 excluding vacation
    allowance" comes from Meijburg & Co, not from the Staatscourant, and is marked unverified.
    The officer who runs the rule sees the amount, where it was published and on which day, and
    that it was not checked against the official source, in Dutch."""
    person = int(register(live)["id"])
    proc = _lodge(live, person)
    browser = _ind(live)
    lodged = "2026-06-01"  # a day in the last year whose amounts ship, whatever today is
    status, html = browser.open(
        f"/procedures/{proc}/support?on={lodged}",
        {
            "rule": "labour-knowledge-migrant",
            "fact-birth_date": "1980-01-01",
            "fact-application_date": lodged,
            "fact-monthly_salary": "7000",
            "fact-employer_recognised_sponsor": "true",
        },
    )
    assert status == 200, html
    used = re.search(r'<details class="values-used">(.*?)</details>', html, re.S)
    assert used, "no values used shown"
    block = used.group(1)
    assert "Gebruikte waarden" in block and "Meijburg" in block and "2025-12-18" in block
    assert "Niet tegen de officiële bron gecontroleerd" in block
    assert 'data-parameter="labour.knowledge_migrant.salary_30_plus"' in block
