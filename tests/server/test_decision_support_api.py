"""Decision support over the API, as the dossier page offers it: the rules with the facts they
ask for, what the dossier knows of those facts (a logged read), and running a rule on a
procedure's case (checked, scoped and logged), whose outcome a decision then carries."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tests.server.live import Server
from tests.server.world import lodge, register

TODAY = date.today()
AMV_DETENTION = "vc-a5-2.4-detention-amv"


def _asylum(live: Server, **person: Any) -> tuple[int, int]:
    p = int(register(live, **person)["id"])
    return p, int(lodge(live, p)["id"])


def test_the_rules_and_their_facts_are_listed(live: Server) -> None:
    reply = live.get("/api/v1/rules", "coa")  # no personal data: every role may read them
    assert reply.status == 200
    rules = {r["id"]: r for r in reply.body["results"]}
    facts = {f["name"]: f for f in rules[AMV_DETENTION]["facts"]}
    assert rules[AMV_DETENTION]["citation"] == "Vc 2000 A5/2.4"
    assert facts["detention_start"]["kind"] == "date" and facts["detention_start"]["required"]
    assert facts["first_encountered_in_supervision"]["default"] is False
    assert facts["detention_start"]["choices"] is None
    assert facts["detention_start"]["choice_labels"] is None
    # a fact with choices: the codes as before, and beside them what a case worker reads
    family = {f["name"]: f for f in rules["vc-a5-2.4-detention-family"]["facts"]}
    assert family["ground"]["choices"] == ["59_1", "59_2", "59a", "59b"]
    assert family["ground"]["choice_labels"][0] == {
        "code": "59_1",
        "label": "artikel 59, eerste lid, Vw",
        "label_en": "Article 59(1) Vw",
    }
    assert [c["code"] for c in family["ground"]["choice_labels"]] == family["ground"]["choices"]


def test_what_the_dossier_knows_is_read_through_the_policy_and_logged(live: Server) -> None:
    from keten.server.audit.models import AuditRecord

    person, proc = _asylum(live, birth_date="2011-05-30", unaccompanied_minor=True)
    reply = live.get(f"/api/v1/procedures/{proc}/support", "ind")
    assert reply.status == 200, reply.text
    known = reply.body["facts"]
    assert known["birth_date"]["value"] == "2011-05-30"
    assert known["unaccompanied_minor"]["value"] is True
    assert known["application_date"] == {
        "value": TODAY.isoformat(),
        "source": f"aanvraag ingediend in procedure #{proc}",
        "source_en": f"application lodged in procedure #{proc}",
    }
    record = AuditRecord.objects.filter(name="decision_support.facts").last()
    assert record is not None and record.subjects[0][0] == person
    # a role that may not read dossiers at all, and procedures outside the role's scope
    assert live.get(f"/api/v1/procedures/{proc}/support", "privacy").status == 403
    for outside in ("iom", "gemeente-utrecht"):
        assert live.get(f"/api/v1/procedures/{proc}/support", outside).status == 404


def test_a_rule_runs_on_a_case_and_its_outcome_goes_with_the_decision(live: Server) -> None:
    """Vc 2000 A5/2.4 onder c (seed 004): "Als de amv voor het eerst in het
    vreemdelingentoezicht wordt aangetroffen, geldt een termijn van vier weken waarbinnen het
    vertrek gerealiseerd moet worden.\""""
    from keten.server.audit.models import AuditRecord

    person, proc = _asylum(live)
    facts = {
        "detention_start": (TODAY - timedelta(days=3)).isoformat(),
        "first_encountered_in_supervision": True,
        "departure_within_days": 20,
    }
    path = f"/api/v1/procedures/{proc}/support"
    reply = live.request("POST", path, "ind", {"rule": AMV_DETENTION, "facts": facts})
    assert reply.status == 200, reply.text
    outcome = reply.body
    steps = {step["check"]: step["value"] for step in outcome["trail"]}
    assert steps["window_days"] == 28 and outcome["outcome"]["detention_permitted"] is True
    assert outcome["facts"] == facts and outcome["title"].startswith("Bewaring")
    record = AuditRecord.objects.filter(name="decision_support.run").last()
    assert record is not None and record.subjects[0][0] == person
    assert record.fields == sorted(f"facts.{name}" for name in facts)

    decided = live.request(
        "POST",
        f"/api/v1/procedures/{proc}/decisions",
        "ind",
        {
            "outcome": "refused",
            "day": TODAY.isoformat(),
            "grounds": "Vw 2000 art. 31",
            "rule_trail": outcome,
            "reason": "besluit met beslisondersteuning",
        },
        headers={"If-Match": live.get(f"/api/v1/procedures/{proc}", "ind").headers["ETag"]},
    )
    assert decided.status == 201, decided.text
    trail = live.get(f"/api/v1/decisions/{decided.body['decision']['id']}/trail", "ind")
    assert trail.body["rule_trail"] == outcome


def test_running_a_rule_is_refused_naming_what_is_wrong(live: Server) -> None:
    _, proc = _asylum(live)
    path = f"/api/v1/procedures/{proc}/support"

    def refused(user: str, body: dict[str, object], status: int = 400) -> str:
        reply = live.request("POST", path, user, body)
        assert reply.status == status, reply.text
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        return str(reply.body["field"])

    assert refused("ind", {"facts": {}}) == "rule"
    assert refused("ind", {"rule": "vc-none", "facts": {}}) == "rule"
    assert refused("ind", {"rule": AMV_DETENTION, "facts": []}) == "facts"
    assert refused("ind", {"rule": AMV_DETENTION, "facts": {}}) == "facts.detention_start"
    bad_number = {"detention_start": TODAY.isoformat(), "departure_within_days": "twee"}
    assert (
        refused("ind", {"rule": AMV_DETENTION, "facts": bad_number})
        == "facts.departure_within_days"
    )
    # only a role that decides runs rules for a decision
    assert refused("coa", {"rule": AMV_DETENTION, "facts": {}}, 403) == "decision"


def test_nationality_is_offered_as_the_rules_country_code(live: Server) -> None:
    """Vc 2000 C1/2.1 (seed 004): "Onderzoek of de vreemdeling afkomstig is uit een veilig land
    van herkomst". The dossier's MAR reaches the rule as MA, and the rule reads from the country
    register whether Morocco is a safe country of origin on the day, without the case worker
    retyping the nationality or looking up the list."""
    from keten.rules.parameters import default_parameters
    from keten.server.audit.models import AuditRecord

    _, proc = _asylum(live, nationality="MAR")
    path = f"/api/v1/procedures/{proc}/support"
    reply = live.get(path, "ind")
    assert reply.status == 200, reply.text
    assert reply.body["facts"]["nationality"] == {
        "value": "MA",
        "source": "nationaliteit in het dossier: Marokko (MAR)",
        "source_en": "nationality in the dossier: Morocco (MAR)",
    }
    record = AuditRecord.objects.filter(name="decision_support.facts").last()
    assert record is not None and "identity.nationality" in record.fields

    facts = {"lodged_with": "disa_ter_apel", "birth_date": "1990-01-01", "nationality": "MA"}
    ran = live.request("POST", path, "ind", {"rule": "vc-c1-2.1-aanmeldfase", "facts": facts})
    assert ran.status == 200, ran.text
    steps = {step["check"]: step["value"] for step in ran.body["trail"]}
    listed = "MA" in default_parameters().value_at("countries.safe_countries_of_origin", TODAY)
    assert steps["safe_country_of_origin"] is listed
    used = {p["name"]: p for p in ran.body["parameters"]}
    assert "Landenregister versie" in used["countries.safe_countries_of_origin"]["citation"]

    # stateless: no country, so nothing is offered and the case worker decides
    _, stateless = _asylum(live, nationality="XXA")
    reply = live.get(f"/api/v1/procedures/{stateless}/support", "ind")
    assert reply.status == 200 and "nationality" not in reply.body["facts"]


def test_a_rule_whose_amount_has_lapsed_is_refused_naming_the_last_known_amount(
    live: Server,
) -> None:
    """labour.yaml holds the salary criteria up to 2026 ("30 years and older EUR 5,942 excluding
    vacation allowance"); they are indexed every 1 January and the criterion is the one of the
    day the application was lodged. For an application lodged in 2027 before that year's amount
    is entered, the rule must refuse and say which value it lacks and which was last known, not
    fail on the server and not decide on the 2026 amount."""
    _, proc = _asylum(live)
    facts = {
        "birth_date": "1990-01-01",
        "application_date": "2027-01-05",  # lodged in 2027: its criterion is not known yet
        "monthly_salary": 6000,
        "employer_recognised_sponsor": True,
    }
    reply = live.request(
        "POST",
        f"/api/v1/procedures/{proc}/support?on=2027-01-05",
        "ind",
        {"rule": "labour-knowledge-migrant", "facts": facts},
    )
    assert reply.status == 400, reply.text
    assert reply.body["field"] == "on"
    said = reply.text
    assert "labour.knowledge_migrant" in said and "2026-12-31" in said
    assert "laatst bekende waarde" in said
