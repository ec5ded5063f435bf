"""The EU Pact on Migration and Asylum from 12 June 2026, as the national strategy describes it.

Seed 002, par. 2.3: the border procedure's mandatory groups and time limits, and mandatory
prioritisation. In force from the Pact's application date (``instruments.yaml``).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide
from keten.rules.expr import Fact, Param, Ref, ShiftByParam, any_of
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

STRATEGY = "002_7c211f7c90b156ae.txt"
WHERE = "Nationale strategie 2025–2029, par. 2.3 (grensprocedure)"
APR = "Verordening (EU) 2024/1348 (asielprocedureverordening)"
RATE = "countries.eu_recognition_rate_percent"


class BorderProcedureFacts(RuleFacts):
    applicant: Literal["adult", "family_with_minors", "unaccompanied_minor"] = fact(
        "Who applies",
        "Wie de aanvraag doet",
        choices={
            "adult": ("meerderjarige", "adult"),
            "family_with_minors": ("gezin met minderjarige kinderen", "family with minor children"),
            "unaccompanied_minor": ("alleenstaande minderjarige", "unaccompanied minor"),
        },
    )
    misleads_authorities: bool = fact(
        "Misleads the authorities", "Misleidt de autoriteiten", default=False
    )
    public_order_danger: bool = fact(
        "A danger to public order or national security",
        "Een gevaar voor de openbare orde of nationale veiligheid",
        default=False,
    )
    nationality: str | None = fact(
        "Nationality (ISO 3166-1 alpha-2 code; none for a stateless person or unknown): its "
        "EU-wide recognition rate is read from the country register",
        "Nationaliteit (ISO 3166-1 alpha-2-code; leeg bij staatloos of onbekend): het Europees "
        "breed inwilligingspercentage wordt uit het landenregister gelezen",
        default=None,
        min_length=2,
        max_length=2,
    )
    needs_guarantees_not_available: bool = fact(
        "Needs special procedural guarantees that cannot be given in the border procedure",
        "Behoeft bijzondere procedurele waarborgen die in de grensprocedure niet kunnen worden "
        "geboden",
        default=False,
    )
    application_date: date = fact("Day the application was made", "Datum van indiening")
    border_procedure_start: date | None = fact(
        "First day of the border procedure", "Eerste dag van de grensprocedure", default=None
    )


BORDER_PROCEDURE = Rule(
    id="pact-border-procedure",
    citation=APR,
    title=Text(
        "Migratiepact: verplichte grensprocedure en termijnen",
        "Pact: mandatory border procedure and time limits",
    ),
    facts=BorderProcedureFacts,
    versions=(
        RuleVersion(
            starts="migration_pact",
            label=Text("Migratiepact", "Pact on Migration and Asylum"),
            note=(
                "As the national strategy describes the Pact. That an applicant who needs "
                "guarantees the border procedure cannot give is not handled in it is the current "
                "Dutch practice the strategy describes; Keten assumes it stays."
            ),
            checks=(
                # Derived, not asked: the latest yearly EU-wide figure for the nationality
                # published by the reference date (Reg. 2024/1348 art. 42(1)(j): "the latest
                # available yearly Union-wide average Eurostat data"). No figure: unknown.
                check(
                    "eu_recognition_rate",
                    Fact("nationality").looked_up_in(Param(RATE)),
                    "Europees breed inwilligingspercentage voor de nationaliteit (landenregister)",
                    "EU-wide recognition rate for the nationality (country register)",
                    APR,
                ),
                check(
                    "low_recognition_rate",
                    Ref("eu_recognition_rate") <= Param("pact.recognition_rate_threshold_percent"),
                    "Land met een Europees breed inwilligingspercentage van 20% of lager",
                    "Country with an EU-wide recognition rate of 20% or lower",
                    APR,
                ),
                check(
                    "mandatory_ground",
                    any_of(
                        Fact("misleads_authorities"),
                        Fact("public_order_danger"),
                        Ref("low_recognition_rate").otherwise(False),
                    ),
                    "Verplichte groep: misleiding, gevaar, of laag inwilligingspercentage",
                    "Mandatory group: misleading, danger, or low recognition rate",
                    APR,
                ),
            ),
            outputs=(
                decide(
                    "border_procedure",
                    "Grensprocedure",
                    "Border procedure",
                    (Fact("needs_guarantees_not_available"), "not_in_border_procedure", APR),
                    (
                        Fact("applicant").eq("unaccompanied_minor") & Fact("public_order_danger"),
                        "mandatory",
                        APR,
                    ),
                    (Fact("applicant").eq("unaccompanied_minor"), "not_mandatory", APR),
                    (Ref("mandatory_ground"), "mandatory", APR),
                    otherwise=("not_mandatory", APR),
                    values={
                        "not_in_border_procedure": (
                            "niet in de grensprocedure",
                            "not in the border procedure",
                        ),
                        "mandatory": (
                            "verplichte toepassing van de grensprocedure",
                            "border procedure mandatory",
                        ),
                        "not_mandatory": (
                            "grensprocedure niet verplicht",
                            "border procedure not mandatory",
                        ),
                    },
                ),
                decide(
                    "register_by",
                    "Registratie uiterlijk op",
                    "Register by",
                    (
                        Fact("application_date").is_given(),
                        ShiftByParam(Fact("application_date"), "pact.registration_days", "days"),
                        APR,
                    ),
                    otherwise=(None, APR),
                ),
                decide(
                    "border_procedure_ends_by",
                    "Grensprocedure inclusief beroep uiterlijk afgerond op",
                    "Border procedure, appeal included, finished by",
                    (
                        Fact("border_procedure_start").is_given(),
                        ShiftByParam(
                            Fact("border_procedure_start"),
                            "pact.border_procedure_max_weeks",
                            "weeks",
                        ),
                        APR,
                    ),
                    otherwise=(None, APR),
                ),
            ),
            quotes=(
                Quote(
                    "Introductie van een verplichting om asielverzoeken van bepaalde groepen in de "
                    "asielgrensprocedure af te handelen. Het betreft personen die de autoriteiten "
                    "misleiden, een gevaar vormen voor de openbare orde of nationale veiligheid "
                    "en/of afkomstig zijn uit een land met een Europees breed "
                    "inwilligingspercentage van 20% of lager. Deze verplichting geldt ook voor "
                    "gezinnen met minderjarige kinderen. Bij alleenstaande minderjarigen geldt de "
                    "verplichting alleen wanneer zij een gevaar vormen voor de openbare orde of "
                    "nationale veiligheid.",
                    STRATEGY,
                    WHERE,
                ),
                Quote(
                    "De registratie van een verzoek moet binnen 5 dagen na het indienen van de "
                    "aanvraag plaatsvinden. De maximale duur van de gehele asielgrensprocedure, "
                    "inclusief beroep, wordt vastgesteld op 12 weken.",
                    STRATEGY,
                    WHERE,
                ),
                Quote(
                    "behandelt de IND de asielaanvraag niet in de grensprocedure.",
                    STRATEGY,
                    WHERE,
                ),
            ),
        ),
    ),
)


class PrioritisationFacts(RuleFacts):
    minor_or_family_of_minor: bool = fact(
        "A minor, or a family member of a minor applicant",
        "Een minderjarige, of een familielid van een minderjarige aanvrager",
    )
    return_prospect: bool = fact(
        "Has a prospect of return", "Heeft perspectief op terugkeer", default=False
    )
    public_order_danger: bool = fact(
        "A danger to public order or national security",
        "Een gevaar voor de openbare orde of nationale veiligheid",
        default=False,
    )
    border_procedures_running: int = fact(
        "Border procedures running at the same time",
        "Aantal tegelijk lopende grensprocedures",
        ge=0,
    )


PRIORITISATION = Rule(
    id="pact-prioritisation",
    citation=APR,
    title=Text("Migratiepact: verplichte prioritering", "Pact: mandatory prioritisation"),
    facts=PrioritisationFacts,
    versions=(
        RuleVersion(
            starts="migration_pact",
            label=Text("Migratiepact", "Pact on Migration and Asylum"),
            note=(
                "'Adequate capacity' is read as the capacity assigned to the Netherlands, 211 "
                "concurrent procedures (Schiphol), as the strategy states it."
            ),
            checks=(
                check(
                    "adequate_capacity_reached",
                    Fact("border_procedures_running") >= Param("pact.adequate_capacity"),
                    "Toereikende capaciteit bereikt (211 gelijktijdige procedures)",
                    "Adequate capacity reached (211 concurrent procedures)",
                    APR,
                ),
            ),
            outputs=(
                decide(
                    "priority_ground",
                    "Grond voor voorrang",
                    "Ground for priority",
                    (Fact("minor_or_family_of_minor"), "minor_or_family", APR),
                    (
                        Ref("adequate_capacity_reached") & Fact("public_order_danger"),
                        "public_order_danger",
                        APR,
                    ),
                    (
                        Ref("adequate_capacity_reached") & Fact("return_prospect"),
                        "return_prospect",
                        APR,
                    ),
                    otherwise=(None, APR),
                    values={
                        "minor_or_family": (
                            "minderjarigen en hun familieleden",
                            "minors and their family members",
                        ),
                        "public_order_danger": (
                            "gevaar voor de openbare orde of nationale veiligheid",
                            "danger to public order or national security",
                        ),
                        "return_prospect": ("perspectief op terugkeer", "prospect of return"),
                    },
                ),
                decide(
                    "prioritise",
                    "Voorrang",
                    "Priority",
                    (Ref("priority_ground").is_given(), True, APR),
                    otherwise=(False, APR),
                ),
            ),
            quotes=(
                Quote(
                    "Verplichte prioritering: introductie van een verplichting om prioriteit te "
                    "geven aan het afhandelen van aanvragen van minderjarigen en hun familieleden. "
                    "Na bereiken van de toereikende capaciteit moet daarnaast ook prioriteit "
                    "worden "
                    "gegeven aan: personen met perspectief op terugkeer, personen die een gevaar "
                    "vormen voor de openbare orde of nationale veiligheid.",
                    STRATEGY,
                    WHERE,
                ),
                Quote(
                    "Op Schiphol zijn voor de asielgrens- en terugkeergrensprocedure altijd "
                    "voldoende bedden beschikbaar om te voldoen aan de toegewezen toereikende "
                    "capaciteit van 211.",
                    STRATEGY,
                    WHERE,
                ),
            ),
        ),
    ),
)

RULES = (BORDER_PROCEDURE, PRIORITISATION)
