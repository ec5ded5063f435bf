"""The Asielnoodmaatregelenwet (a bill): nareis conditions and the core family (seed 002).

Not in force: both rules are evaluated only when the scenario ``asielnoodmaatregelenwet`` is
asked for explicitly (``--scenario asielnoodmaatregelenwet``); otherwise evaluation is an error.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide
from keten.rules.expr import ON, Fact, Ref, ShiftByParam, age, all_of
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

STRATEGY = "002_7c211f7c90b156ae.txt"
WHERE = "Nationale strategie 2025–2029, Asielnoodmaatregelenwet en tweestatusstelsel"
BILL = "Asielnoodmaatregelenwet (wetsvoorstel), art. 29a Vw (nieuw)"
SCENARIO = "asielnoodmaatregelenwet"
NOTE = "A bill, not in force: evaluated only as the scenario asielnoodmaatregelenwet."


class CoreFamilyFacts(RuleFacts):
    relation: Literal["spouse", "child", "parent", "sibling", "other"] = fact(
        "Relation to the holder of the asylum permit",
        "Relatie tot de houder van de asielvergunning",
        choices={
            "spouse": ("echtgenoot", "spouse"),
            "child": ("kind", "child"),
            "parent": ("ouder", "parent"),
            "sibling": ("broer of zus", "brother or sister"),
            "other": ("ander familielid", "other relative"),
        },
    )
    birth_date: date = fact("Date of birth of the family member", "Geboortedatum van het gezinslid")
    biological_or_adopted: bool = fact(
        "(Child) a biological or adopted child",
        "(Kind) biologisch of geadopteerd kind",
        default=True,
    )
    sponsor_unaccompanied_minor: bool = fact(
        "The permit holder is an unaccompanied minor",
        "De houder van de vergunning is een alleenstaande minderjarige vreemdeling",
        default=False,
    )
    applied_with_parent: bool = fact(
        "(Sibling) applied at the same time as a parent",
        "(Broer of zus) heeft gelijktijdig met een ouder de aanvraag ingediend",
        default=False,
    )
    dependent_on_parent: bool = fact(
        "(Sibling) is dependent on that parent",
        "(Broer of zus) komt ten laste van die ouder",
        default=False,
    )


CORE_FAMILY = Rule(
    id="anmw-core-family",
    citation=BILL,
    title=Text(
        "Asielnoodmaatregelenwet: nareis beperkt tot het kerngezin",
        "Asylum Emergency Measures bill: family reunification limited to the core family",
    ),
    facts=CoreFamilyFacts,
    proposed=SCENARIO,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("wetsvoorstel", "bill"),
            note=NOTE,
            checks=(
                check(
                    "age",
                    age(Fact("birth_date")),
                    "Leeftijd van het gezinslid",
                    "Age of the family member",
                    BILL,
                ),
            ),
            outputs=(
                decide(
                    "core_family",
                    "Behoort tot het kerngezin",
                    "Belongs to the core family",
                    (Fact("relation").eq("spouse") & (Ref("age") >= 18), True, f"{BILL} onder i"),
                    (
                        Fact("relation").eq("child")
                        & (Ref("age") < 18)
                        & Fact("biological_or_adopted"),
                        True,
                        f"{BILL} onder ii",
                    ),
                    (
                        Fact("relation").eq("parent") & Fact("sponsor_unaccompanied_minor"),
                        True,
                        f"{BILL} onder iii",
                    ),
                    (
                        all_of(
                            Fact("relation").eq("sibling"),
                            Ref("age") < 18,
                            Fact("sponsor_unaccompanied_minor"),
                            Fact("applied_with_parent"),
                            Fact("dependent_on_parent"),
                        ),
                        True,
                        f"{BILL} onder iv",
                    ),
                    otherwise=(False, BILL),
                ),
            ),
            quotes=(
                Quote(
                    "Onder het kerngezin wordt verstaan: i. de meerderjarige echtgenoot; ii. het "
                    "minderjarige biologische of geadopteerde kind;",
                    STRATEGY,
                    WHERE,
                ),
                Quote(
                    "iii. de ouders, indien de houder van de verblijfsvergunning asiel voor "
                    "bepaalde tijd een alleenstaande minderjarige vreemdeling is; iv. de "
                    "minderjarige broer of zus, indien die vreemdeling een alleenstaande "
                    "minderjarige is, die broer of zus gelijktijdig met een ouder, bedoeld in "
                    "onderdeel c, de aanvraag heeft ingediend en ten laste komt van die ouder.",
                    STRATEGY,
                    WHERE,
                ),
                Quote(
                    "Deze beperking geldt zowel voor de nareis van gezinsleden van vluchtelingen, "
                    "als voor de nareis van vreemdelingen met de subsidiaire beschermingsstatus.",
                    STRATEGY,
                    WHERE,
                ),
            ),
        ),
    ),
)


class NareisFacts(RuleFacts):
    sponsor_status: Literal["refugee", "subsidiary_protection"] = fact(
        "Protection status of the permit holder",
        "Beschermingsstatus van de vergunninghouder",
        choices={
            "refugee": ("vluchteling", "refugee"),
            "subsidiary_protection": (
                "subsidiaire beschermingsstatus",
                "subsidiary protection status",
            ),
        },
    )
    sponsor_granted_on: date = fact(
        "Day the permit holder's asylum application was granted",
        "Datum waarop de asielaanvraag van de vergunninghouder is ingewilligd",
    )
    core_family_member: bool = fact(
        "The family member belongs to the core family (see anmw-core-family)",
        "Het gezinslid behoort tot het kerngezin (zie anmw-core-family)",
    )
    sufficient_means: bool = fact(
        "The permit holder independently and durably has sufficient means of subsistence",
        "De vergunninghouder beschikt zelfstandig en duurzaam over voldoende middelen van bestaan",
        default=False,
    )
    housing: bool = fact(
        "The permit holder has housing",
        "De vergunninghouder beschikt over huisvesting",
        default=False,
    )


NAREIS = Rule(
    id="anmw-nareis",
    citation=BILL,
    title=Text(
        "Asielnoodmaatregelenwet: voorwaarden voor nareis bij subsidiaire bescherming",
        "Asylum Emergency Measures bill: conditions for family reunification with subsidiary "
        "protection",
    ),
    facts=NareisFacts,
    proposed=SCENARIO,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("wetsvoorstel", "bill"),
            note=NOTE,
            checks=(
                check(
                    "two_years_passed",
                    ShiftByParam(
                        Fact("sponsor_granted_on"), "asielnood.nareis_waiting_years", "years"
                    )
                    <= ON,
                    "Twee jaar verstreken sinds de inwilliging",
                    "Two years passed since the grant",
                    f"{BILL} onder a",
                ),
                check(
                    "subsidiary_conditions",
                    all_of(Ref("two_years_passed"), Fact("sufficient_means"), Fact("housing")),
                    "Wachttijd, middelen van bestaan en huisvesting",
                    "Waiting time, means of subsistence and housing",
                    f"{BILL} onder a-c",
                ),
            ),
            outputs=(
                decide(
                    "derived_permit",
                    "Afgeleide asielvergunning",
                    "Derived asylum permit",
                    (~Fact("core_family_member"), False, BILL),
                    (Fact("sponsor_status").eq("refugee"), True, BILL),
                    (Ref("subsidiary_conditions"), True, BILL),
                    otherwise=(False, BILL),
                ),
                decide(
                    "earliest_day",
                    "Vroegste dag (wachttijd subsidiair beschermde)",
                    "Earliest day (waiting time, subsidiary protection)",
                    (
                        Fact("sponsor_status").eq("subsidiary_protection"),
                        ShiftByParam(
                            Fact("sponsor_granted_on"), "asielnood.nareis_waiting_years", "years"
                        ),
                        BILL,
                    ),
                    otherwise=(None, BILL),
                ),
            ),
            quotes=(
                Quote(
                    "Voortaan geldt dat aan een nareizend gezinslid van een houder van een "
                    "verblijfsvergunning asiel voor bepaalde tijd als bedoeld in artikel 29a "
                    "(nieuw), slechts een afgeleide asielvergunning wordt verstrekt als: a. twee "
                    "jaar zijn verstreken gerekend vanaf de datum waarop de asielaanvraag van de "
                    "vreemdeling met subsidiaire bescherming is ingewilligd; b. de vreemdeling met "
                    "subsidiaire bescherming zelfstandig en duurzaam beschikt over voldoende "
                    "middelen van bestaan; en c. de vreemdeling met subsidiaire bescherming "
                    "beschikt over huisvesting.",
                    STRATEGY,
                    WHERE,
                ),
                Quote(
                    "Deze beperking geldt zowel voor de nareis van gezinsleden van vluchtelingen, "
                    "als voor de nareis van vreemdelingen met de subsidiaire beschermingsstatus.",
                    STRATEGY,
                    WHERE,
                ),
            ),
        ),
    ),
)

RULES = (CORE_FAMILY, NAREIS)
