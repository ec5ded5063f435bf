"""Vc 2000 chapter C1: the asylum procedure (C1/2.1, C1/2.11, C1/4.9)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide
from keten.rules.expr import Expr, Fact, Param, Ref, age, all_of, any_of, first_of
from keten.rules.facts import ChoiceLabels, RuleFacts, fact
from keten.rules.rule import Check, Output, Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
C1_21 = "Vc 2000 C1/2.1"
C1_211 = "Vc 2000 C1/2.11"
C1_49 = "Vc 2000 C1/4.9"
WHERE_S = "Artikel I, onderdeel S (C1/2.1)"
WHERE_T = "Artikel I, onderdeel T (C1/2.11)"
WHERE_U = "Artikel I, onderdeel U (C1/4.9)"
SINCE_UNKNOWN_S = (
    "The sources give C1/2.1 as rewritten by WBV 2025/14 (DISA replaces AVIM in the "
    "registration, per its explanatory note); since when it applied is not in the sources."
)

# -- C1/2.1 the aanmeldfase: where to lodge, which track, the aanmeldgehoor ------------------------


class AanmeldfaseFacts(RuleFacts):
    lodged_with: Literal[
        "disa_ter_apel",
        "kmar_brigade",
        "ind_ter_apel",
        "ind_budel",
        "ind_designated_location",
        "elsewhere",
    ] = fact(
        "Where the application was signed",
        "Waar de aanvraag is ondertekend",
        choices={
            "disa_ter_apel": (
                "DISA in het aanmeldcentrum Ter Apel",
                "DISA at the Ter Apel application centre",
            ),
            "kmar_brigade": ("KMar op de brigade", "KMar at the brigade"),
            "ind_ter_apel": (
                "IND in het aanmeldcentrum Ter Apel",
                "IND at the Ter Apel application centre",
            ),
            "ind_budel": ("IND in het aanmeldcentrum Budel", "IND at the Budel application centre"),
            "ind_designated_location": (
                "door de IND aangewezen aanmeldcentrum of locatie",
                "application centre or location designated by the IND",
            ),
            "elsewhere": ("elders", "elsewhere"),
        },
    )
    identified_or_prior_procedure: bool = fact(
        "Already identified by DISA or KMar, or went through an earlier IND procedure",
        "Al geïdentificeerd door de DISA of KMar, of eerder een procedure bij de IND doorlopen",
        default=False,
    )
    special_route: Literal["none", "border", "subsequent", "last_minute", "detention"] = fact(
        "A route with its own rules: postponed refusal at the external border (C1/2.5), second or "
        "later application or last-minute application (C1/2.9), from detention (C1/2.10)",
        "Een route met eigen regels: uitgestelde toegangsweigering aan de buitengrens (C1/2.5), "
        "tweede of volgende of lastminuteaanvraag (C1/2.9), vanuit bewaring (C1/2.10)",
        default="none",
        choices={
            "none": ("geen bijzondere route", "no special route"),
            "border": (
                "uitgestelde toegangsweigering aan de buitengrens (C1/2.5)",
                "postponed refusal of entry at the external border (C1/2.5)",
            ),
            "subsequent": (
                "tweede of volgende aanvraag (C1/2.9)",
                "second or subsequent application (C1/2.9)",
            ),
            "last_minute": ("lastminuteaanvraag (C1/2.9)", "last-minute application (C1/2.9)"),
            "detention": (
                "aanvraag vanuit vreemdelingenbewaring (C1/2.10)",
                "application from immigration detention (C1/2.10)",
            ),
        },
    )
    likely_not_examined_art_30: bool = fact(
        "The IND expects not to take the application into consideration under art. 30 Vw "
        "(another member state responsible)",
        "De IND verwacht de aanvraag niet in behandeling te nemen op grond van art. 30 Vw",
        default=False,
    )
    likely_ground_3_109ca: bool = fact(
        "The IND expects the application to be manifestly unfounded or inadmissible on a ground "
        "of art. 3.109ca(1) Vb (safe country of origin, EU national, protection elsewhere)",
        "De IND verwacht de aanvraag kennelijk ongegrond of niet-ontvankelijk te verklaren op een "
        "grond van art. 3.109ca lid 1 Vb",
        default=False,
    )
    birth_date: date = fact("Date of birth", "Geboortedatum")
    unaccompanied_minor: bool = fact(
        "Unaccompanied minor", "Alleenstaande minderjarige vreemdeling", default=False
    )
    nationality: str | None = fact(
        "Nationality (ISO 3166-1 alpha-2 code; none for a stateless person or unknown): whether "
        "it is a safe country of origin is read from the country register",
        "Nationaliteit (ISO 3166-1 alpha-2-code; leeg bij staatloos of onbekend): of het een "
        "veilig land van herkomst is, wordt uit het landenregister gelezen",
        default=None,
        min_length=2,
        max_length=2,
    )
    in_excepted_group: bool = fact(
        "Belongs to a group for which the country of origin is not safe (the register names the "
        "groups per country, e.g. LHBTI)",
        "Hoort tot een groep voor wie het land van herkomst niet veilig is (het register noemt "
        "de groepen per land, bijv. lhbti)",
        default=False,
    )
    own_application: bool = fact(
        "(Accompanied minor) lodged an application of their own",
        "(Begeleide minderjarige) heeft zelfstandig een aanvraag ingediend",
        default=False,
    )


def _aanmeldfase_checks() -> tuple[Check, ...]:
    regular_place = Fact("lodged_with").isin(("disa_ter_apel", "kmar_brigade"))
    ind_place = Fact("lodged_with").isin(("ind_ter_apel", "ind_budel"))
    years = age(Fact("birth_date"))
    return (
        check(
            "lodged_correctly",
            any_of(
                regular_place,
                ind_place & Fact("identified_or_prior_procedure"),
                Fact("lodged_with").eq("ind_designated_location"),
            ),
            "Ingediend op de voorgeschreven plaats en wijze",
            "Lodged at the prescribed place and in the prescribed way",
            C1_21,
        ),
        check("age", years, "Leeftijd", "Age", C1_21),
        # "Onderzoek of de vreemdeling afkomstig is uit een veilig land van herkomst": the list
        # is read from the country register on the reference date, not asked; a country with
        # excepted groups is safe only for those outside them.
        check(
            "safe_country_of_origin",
            Fact("nationality").is_given()
            & Fact("nationality").isin(Param("countries.safe_countries_of_origin"))
            & ~(
                Fact("in_excepted_group")
                & Fact("nationality").isin(Param("countries.safe_countries_with_excepted_groups"))
            ),
            "Afkomstig uit een veilig land van herkomst (landenregister), niet uit een "
            "uitgezonderde groep",
            "From a safe country of origin (country register), not of an excepted group",
            f"{C1_21}; Vb art. 3.109ca lid 1",
        ),
        check(
            "expected_track",
            first_of(
                (Fact("likely_not_examined_art_30"), "dublin"),
                (
                    Fact("likely_ground_3_109ca") | Ref("safe_country_of_origin"),
                    "procedure_3_109ca",
                ),
                otherwise="general",
            ),
            "Ingeschatte procedure",
            "Expected procedure",
            C1_21,
        ),
    )


AANMELDFASE = Rule(
    id="vc-c1-2.1-aanmeldfase",
    citation=C1_21,
    title=Text(
        "De aanmeldfase: indiening, ingeschatte procedure en aanmeldgehoor",
        "The registration phase: lodging, expected procedure and registration interview",
    ),
    facts=AanmeldfaseFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN_S,
            checks=_aanmeldfase_checks(),
            outputs=(
                decide(
                    "application",
                    "Aanvraag",
                    "Application",
                    (Fact("special_route").ne("none"), "separate_rules", C1_21),
                    (Ref("lodged_correctly"), "complete", C1_21),
                    otherwise=("incomplete_terms_do_not_start", C1_21),
                    values={
                        "separate_rules": ("route met eigen regels", "route with its own rules"),
                        "complete": ("aanvraag ingediend", "application lodged"),
                        "incomplete_terms_do_not_start": (
                            "onvolledige aanvraag: termijnen vangen niet aan",
                            "incomplete application: the terms do not start",
                        ),
                    },
                ),
                decide(
                    "track",
                    "Procedure",
                    "Procedure",
                    (Ref("expected_track").eq("dublin"), "dublin", f"{C1_21} (C1/2.6)"),
                    (
                        Ref("expected_track").eq("procedure_3_109ca"),
                        "procedure_3_109ca",
                        f"{C1_21} (C1/2.7)",
                    ),
                    otherwise=("general_asylum_procedure", f"{C1_21} (C1/2.3)"),
                    values={
                        "dublin": ("Dublinprocedure", "Dublin procedure"),
                        "procedure_3_109ca": (
                            "procedure van artikel 3.109ca Vb",
                            "procedure of Article 3.109ca Vb",
                        ),
                        "general_asylum_procedure": (
                            "algemene asielprocedure",
                            "general asylum procedure",
                        ),
                    },
                ),
                decide(
                    "hearing",
                    "Gehoor in de aanmeldfase",
                    "Interview in the registration phase",
                    (
                        Ref("expected_track").eq("dublin"),
                        "dublin_hearing",
                        f"{C1_21}; Vb art. 3.109c lid 4",
                    ),
                    (
                        Ref("expected_track").eq("procedure_3_109ca"),
                        "hearing_3_109ca",
                        f"{C1_21}; Vb art. 3.109ca lid 4",
                    ),
                    (Ref("age") >= 18, "aanmeldgehoor", f"{C1_21}; Vb art. 3.108d lid 6"),
                    (Fact("unaccompanied_minor") & (Ref("age") >= 12), "aanmeldgehoor", C1_21),
                    (Fact("unaccompanied_minor"), "aanmeldgehoor_optional_limited", C1_21),
                    (Fact("own_application") & (Ref("age") >= 15), "aanmeldgehoor", C1_21),
                    otherwise=("none", C1_21),
                    values={
                        "dublin_hearing": ("Dublin gehoor", "Dublin interview"),
                        "hearing_3_109ca": (
                            "gehoor als bedoeld in artikel 3.109ca, vierde lid, Vb",
                            "interview under Article 3.109ca(4) Vb",
                        ),
                        "aanmeldgehoor": ("aanmeldgehoor afnemen", "hold a registration interview"),
                        "aanmeldgehoor_optional_limited": (
                            "kan een aanmeldgehoor afnemen (beperkt)",
                            "may hold a limited registration interview",
                        ),
                        "none": ("geen aanmeldgehoor", "no registration interview"),
                    },
                ),
            ),
            quotes=(
                Quote(
                    "De vreemdeling of zijn wettelijke vertegenwoordiger dient de aanvraag voor "
                    "een "
                    "verblijfsvergunning asiel voor bepaalde tijd in bij de DISA in het "
                    "aanmeldcentrum Ter Apel of bij de KMar op de brigade, waar de vreemdeling "
                    "zich "
                    "bij KMar heeft gemeld.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "Als de vreemdeling al is geïdentificeerd door de DISA of KMar of al eerder "
                    "een "
                    "procedure bij de IND heeft doorlopen, kan de aanvraag voor een "
                    "verblijfsvergunning asiel voor bepaalde tijd ook bij de IND in het "
                    "aanmeldcentrum Ter Apel of Budel ondertekend worden.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "De IND merkt de aanvraag voor een verblijfsvergunning asiel voor bepaalde "
                    "tijd "
                    "die op een ander dan het door de IND aangewezen moment of locatie of op een "
                    "andere dan de hierboven beschreven wijze wordt ingediend, aan als een "
                    "onvolledige aanvraag.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "De IND maakt aan de hand van het onderzoek van de DISA of KMar en de gegevens "
                    "op het aanmeldformulier een inschatting van de procedure die voor de "
                    "behandeling van de aanvraag voor een verblijfsvergunning asiel voor bepaalde "
                    "tijd zal worden gevolgd:",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "De IND neemt ook een aanmeldgehoor af bij niet alleenstaande minderjarige "
                    "vreemdelingen vanaf vijftien jaar (die zelfstandig een aanvraag hebben "
                    "ingediend) en bij alleenstaande minderjarige vreemdelingen vanaf twaalf jaar.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "De IND kan bij alleenstaande minderjarige vreemdelingen jonger dan twaalf "
                    "jaar "
                    "een aanmeldgehoor afnemen.",
                    WBV,
                    WHERE_S,
                ),
            ),
        ),
    ),
)

# -- C1/2.1 leeftijdsschouw -------------------------------------------------------------------

Conclusion = Literal["evidently_adult", "evidently_minor", "doubt"]
CONCLUSION_LABELS: ChoiceLabels = {
    "evidently_adult": ("evidente meerderjarigheid", "evidently adult"),
    "evidently_minor": ("evidente minderjarigheid", "evidently minor"),
    "doubt": ("twijfel over de opgegeven leeftijd", "doubt about the stated age"),
}


class AgeAssessmentFacts(RuleFacts):
    unaccompanied_claims_minor: bool = fact(
        "An unaccompanied alien who states to be a minor",
        "Een alleenstaande vreemdeling die stelt minderjarig te zijn",
    )
    authentic_identity_documents: bool = fact(
        "Can show minority with authentic identity documents",
        "Kan de minderjarigheid met authentieke identiteitsdocumenten aantonen",
        default=False,
    )
    first_session_officials: int = fact(
        "Number of border or supervision officials in the officials' session",
        "Aantal ambtenaren grensbewaking of toezicht in hun sessie",
        default=0,
        ge=0,
    )
    second_session_ind_staff: int = fact(
        "Number of IND staff in the IND session",
        "Aantal IND-medewerkers in hun sessie",
        default=0,
        ge=0,
    )
    first_session_conclusion: Conclusion | None = fact(
        "Conclusion of the officials' session",
        "Conclusie van de sessie van de ambtenaren",
        default=None,
        choices=CONCLUSION_LABELS,
    )
    second_session_conclusion: Conclusion | None = fact(
        "Conclusion of the IND session",
        "Conclusie van de IND-sessie",
        default=None,
        choices=CONCLUSION_LABELS,
    )


AGE_ASSESSMENT = Rule(
    id="vc-c1-2.1-age-assessment",
    citation=C1_21,
    title=Text("Leeftijdsschouw", "Age assessment by inspection (leeftijdsschouw)"),
    facts=AgeAssessmentFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN_S,
            checks=(
                check(
                    "schouw_required",
                    Fact("unaccompanied_claims_minor") & ~Fact("authentic_identity_documents"),
                    "Leeftijdsschouw vereist",
                    "Age inspection required",
                    C1_21,
                ),
                check(
                    "composition_valid",
                    any_of(
                        Fact("first_session_officials").eq(1)
                        & Fact("second_session_ind_staff").eq(2),
                        Fact("first_session_officials").eq(2)
                        & Fact("second_session_ind_staff").eq(1),
                    ),
                    "Samenstelling: 1 ambtenaar en 2 IND-medewerkers, of 2 ambtenaren en 1 "
                    "IND-medewerker",
                    "Composition: 1 official and 2 IND staff, or 2 officials and 1 IND staff",
                    C1_21,
                ),
                check(
                    "unanimous",
                    Fact("first_session_conclusion").eq(Fact("second_session_conclusion")),
                    "Beide sessies komen tot dezelfde conclusie",
                    "Both sessions reach the same conclusion",
                    C1_21,
                ),
            ),
            outputs=(
                decide(
                    "conclusion",
                    "Conclusie van de leeftijdsschouw",
                    "Conclusion of the age inspection",
                    (~Ref("schouw_required"), "no_schouw", C1_21),
                    (~Ref("composition_valid"), "invalid_composition", C1_21),
                    (
                        Ref("unanimous") & Fact("first_session_conclusion").ne("doubt"),
                        Fact("first_session_conclusion"),
                        C1_21,
                    ),
                    otherwise=("doubt", C1_21),
                    values={
                        "no_schouw": ("geen leeftijdsschouw", "no age inspection"),
                        "invalid_composition": (
                            "sessies niet volgens de voorgeschreven samenstelling",
                            "sessions not composed as prescribed",
                        ),
                        "doubt": CONCLUSION_LABELS["doubt"],
                    },
                ),
                decide(
                    "age_examination_may_be_offered",
                    "IND kan een leeftijdsonderzoek aanbieden",
                    "The IND may offer an age examination",
                    (Ref("conclusion").eq("doubt"), True, f"{C1_21}; C1/2.2"),
                    otherwise=(False, C1_21),
                ),
            ),
            quotes=(
                Quote(
                    "Bij een alleenstaande minderjarige vreemdeling die zijn minderjarigheid niet "
                    "met authentieke identiteitsdocumenten kan aantonen, vindt tijdens de "
                    "aanmeldfase een leeftijdsschouw plaats.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "De leeftijdsschouw bestaat uit twee sessies die de volgende samenstelling "
                    "hebben: een sessie met één ambtenaar belast met de grensbewaking of met het "
                    "toezicht op vreemdelingen en één sessie met twee medewerkers van de IND, dan "
                    "wel; een sessie met twee ambtenaren belast met de grensbewaking of met het "
                    "toezicht op vreemdelingen en één sessie met één medewerker van de IND.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "Er dient unaniem, dat wil zeggen door beide sessies, geoordeeld te zijn om "
                    "tot "
                    "evidente meerder- of minderjarigheid te kunnen concluderen.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "De IND kan de vreemdeling een leeftijdsonderzoek aanbieden als uit de "
                    "leeftijdsschouw niet blijkt dat de vreemdeling evident meerderjarig- of "
                    "minderjarig is.",
                    WBV,
                    WHERE_S,
                ),
            ),
        ),
    ),
)

# -- C1/2.1 antecedentenverklaring ---------------------------------------------------------------


class AntecedentsFacts(RuleFacts):
    birth_date: date = fact("Date of birth", "Geboortedatum")
    application_date: date = fact("Day of the asylum application", "Datum van de asielaanvraag")
    refused_to_answer: bool = fact(
        "Refused to answer the questions", "Wil de vragen niet beantwoorden", default=False
    )
    convicted: bool = fact("Was ever convicted", "Is ooit veroordeeld", default=False)
    declared_conviction: bool = fact(
        "Reported the conviction on the declaration",
        "Heeft de veroordeling op de verklaring gemeld",
        default=False,
    )
    conduct_1f: bool = fact(
        "Is guilty of conduct under art. 1F Refugee Convention",
        "Is schuldig aan gedragingen als bedoeld in art. 1F Vluchtelingenverdrag",
        default=False,
    )
    declared_1f: bool = fact(
        "Reported that conduct on the declaration",
        "Heeft die gedragingen op de verklaring gemeld",
        default=False,
    )


ANTECEDENTS = Rule(
    id="vc-c1-2.1-antecedents",
    citation=C1_21,
    title=Text("Antecedentenverklaring", "Declaration of antecedents (antecedentenverklaring)"),
    facts=AntecedentsFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN_S,
            checks=(
                check(
                    "age_at_application",
                    age(Fact("birth_date"), Fact("application_date")),
                    "Leeftijd bij de asielaanvraag",
                    "Age at the asylum application",
                    C1_21,
                ),
                check(
                    "aged_12_or_over",
                    Ref("age_at_application") >= 12,
                    "Antecedentenverklaring vereist (12 jaar en ouder)",
                    "Declaration required (aged 12 or over)",
                    C1_21,
                ),
                check(
                    "not_reported",
                    (Fact("convicted") & ~Fact("declared_conviction"))
                    | (Fact("conduct_1f") & ~Fact("declared_1f")),
                    "Veroordeling of 1F-gedragingen niet gemeld",
                    "Conviction or 1F conduct not reported",
                    C1_21,
                ),
            ),
            outputs=(
                decide(
                    "declaration_required",
                    "Antecedentenverklaring vereist",
                    "Declaration required",
                    (Ref("aged_12_or_over"), True, C1_21),
                    otherwise=(False, C1_21),
                ),
                decide(
                    "finding",
                    "Bevinding",
                    "Finding",
                    (~Ref("declaration_required"), "not_applicable", C1_21),
                    (Fact("refused_to_answer"), "refused_consequences_follow", C1_21),
                    (Ref("not_reported"), "incorrect_information_established", f"{C1_21}; C1/4"),
                    otherwise=("no_finding", C1_21),
                    values={
                        "not_applicable": (
                            "geen antecedentenverklaring gevraagd",
                            "no declaration of antecedents asked",
                        ),
                        "refused_consequences_follow": (
                            "wil niet antwoorden: de IND verbindt hier gevolgen aan",
                            "refuses to answer: the IND attaches consequences",
                        ),
                        "incorrect_information_established": (
                            "staat vast: onjuiste gegevens verstrekt",
                            "established: incorrect information given",
                        ),
                        "no_finding": ("geen bevinding", "no finding"),
                    },
                ),
            ),
            quotes=(
                Quote(
                    "De IND vraagt aan elke vreemdeling van 12 jaar en ouder om bij zijn "
                    "asielaanvraag de antecedentenverklaring (conform bijlage 12 VV 2000) in te "
                    "vullen en te ondertekenen.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "Als de vreemdeling deze vragen niet wil beantwoorden, zal de IND hier "
                    "gevolgen "
                    "aan verbinden.",
                    WBV,
                    WHERE_S,
                ),
                Quote(
                    "Als blijkt dat de vreemdeling de verklaring feitelijk onjuist heeft ingevuld, "
                    "doordat hij bijvoorbeeld ooit is veroordeeld, of schuldig is aan gedragingen "
                    "als bedoeld in artikel 1F van het Vluchtelingenverdrag, terwijl hij daar op "
                    "de "
                    "antecedentenverklaring geen melding van heeft gemaakt, dan staat vast dat hij "
                    "deze verklaring onjuist heeft ingevuld en daarmee onjuiste gegevens heeft "
                    "verstrekt",
                    WBV,
                    WHERE_S,
                ),
            ),
        ),
    ),
)

# -- C1/2.11 the (further) interview by age --------------------------------------------------------


class HearingFacts(RuleFacts):
    birth_date: date = fact("Date of birth", "Geboortedatum")
    unaccompanied_minor: bool = fact(
        "Unaccompanied minor", "Alleenstaande minderjarige vreemdeling", default=False
    )
    independent_motives: bool = fact(
        "(Accompanied minor) states asylum motives of their own, apart from the parents",
        "(Begeleide minderjarige) geeft los van de ouders zelfstandige asielmotieven aan",
        default=False,
    )
    hearing_requested_on: date | None = fact(
        "Day the child, a parent or the legal representative asked for a further interview",
        "Datum waarop het kind, een ouder of de wettelijk vertegenwoordiger om een nader gehoor "
        "verzocht",
        default=None,
    )
    rest_period_ends_on: date | None = fact(
        "Last day of the rest and preparation period (rust- en voorbereidingstermijn)",
        "Laatste dag van de rust- en voorbereidingstermijn",
        default=None,
    )
    ind_good_reason: bool = fact(
        "In the IND's opinion there is a good reason to hear the child",
        "Naar het oordeel van de IND is er een goede reden om het kind te horen",
        default=False,
    )


def _hearing_version(
    starts: str | None, label: Text, deadline_12_15: bool, note: str
) -> RuleVersion:
    years = age(Fact("birth_date"))
    accompanied = ~Fact("unaccompanied_minor")
    in_time = Fact("hearing_requested_on") <= Fact("rest_period_ends_on")
    request_12_15 = in_time if deadline_12_15 else Fact("hearing_requested_on").is_given()
    checks: tuple[Check, ...] = (
        check("age", years, "Leeftijd", "Age", C1_211),
        check(
            "request_in_time",
            in_time,
            "Verzoek om nader gehoor vóór het einde van de rust- en voorbereidingstermijn",
            "Request for a further interview before the end of the rest and preparation period",
            C1_211,
        ),
        check(
            "request_12_15",
            request_12_15,
            "Verzoek om nader gehoor (12-15 jaar)"
            + (" vóór het einde van de rust- en voorbereidingstermijn" if deadline_12_15 else ""),
            "Request for a further interview (aged 12-15)"
            + (" before the end of the rest and preparation period" if deadline_12_15 else ""),
            C1_211 if deadline_12_15 else f"{C1_211} (vóór WBV 2025/14)",
        ),
    )
    outputs: tuple[Output, ...] = (
        decide(
            "further_interview",
            "Nader gehoor",
            "Further interview",
            (Ref("age") >= 18, "yes", C1_211),
            (Fact("unaccompanied_minor") & (Ref("age") >= 6), "yes", C1_211),
            (Fact("unaccompanied_minor"), "not_provided", C1_211),
            (
                accompanied
                & (Ref("age") >= 15)
                & (Fact("independent_motives") | Ref("request_in_time")),
                "yes",
                C1_211,
            ),
            (accompanied & (Ref("age") >= 15), "not_in_principle", C1_211),
            (
                accompanied & (Ref("age") >= 12) & (Ref("request_12_15") | Fact("ind_good_reason")),
                "yes",
                C1_211,
            ),
            (
                accompanied & (Ref("age") >= 12) & Fact("independent_motives"),
                "ind_may_hear",
                C1_211,
            ),
            (accompanied & (Ref("age") >= 12), "not_in_principle", C1_211),
            otherwise=("not_provided", C1_211),
            values={
                "yes": ("nader gehoor", "further interview"),
                "not_provided": ("geen nader gehoor", "no further interview"),
                "not_in_principle": (
                    "in principe geen nader gehoor",
                    "in principle no further interview",
                ),
                "ind_may_hear": ("reden voor de IND om te horen", "the IND may hear the child"),
            },
        ),
        decide(
            "child_friendly_room",
            "Kindvriendelijke ruimte",
            "Child-friendly room",
            (Fact("unaccompanied_minor") & (Ref("age") >= 6) & (Ref("age") < 12), True, C1_211),
            otherwise=(False, C1_211),
        ),
        decide(
            "guardian_present",
            "Zo veel mogelijk in aanwezigheid van de voogd",
            "As far as possible with the guardian present",
            (Fact("unaccompanied_minor") & (Ref("age") >= 6) & (Ref("age") < 18), True, C1_211),
            otherwise=(False, C1_211),
        ),
    )
    quotes = [
        Quote(
            "De IND neemt bij een alleenstaande minderjarige vreemdeling vanaf zes jaar een nader "
            "gehoor af.",
            WBV,
            WHERE_T,
        ),
        Quote(
            "De IND hoort alleenstaande minderjarige vreemdelingen jonger dan twaalf jaar in een "
            "speciale daarvoor ingerichte, kindvriendelijke ruimte.",
            WBV,
            WHERE_T,
        ),
        Quote(
            "Het minderjarige kind vanaf vijftien jaar en/of de ouder(s) dan wel een eventuele "
            "wettelijk vertegenwoordiger doet het verzoek om dit minderjarige kind nader te horen "
            "in ieder geval voor het einde van de rust- en voorbereidingstermijn.",
            WBV,
            WHERE_T,
        ),
        Quote(
            "Een minderjarig kind tussen twaalf en vijftien jaar namens wie een ouder of "
            "wettelijke "
            "vertegenwoordiger een aanvraag voor een verblijfsvergunning asiel voor bepaalde tijd "
            "indient, krijgt in principe geen nader gehoor.",
            WBV,
            WHERE_T,
        ),
        Quote(
            "Als het minderjarige kind tussen twaalf en vijftien jaar aangeeft los van zijn ouders "
            "zelfstandige asielmotieven te hebben, kan dit voor de IND reden zijn om het kind "
            "tussen twaalf en vijftien jaar hierover te horen.",
            WBV,
            WHERE_T,
        ),
    ]
    if deadline_12_15:
        quotes.append(
            Quote(
                "Ook voor minderjarige vreemdelingen tussen de 12 en 15 jaar geldt dat een verzoek "
                "om een nader gehoor voor het einde van de rust- en voorbereidingstermijn door de "
                "ouder(s) dan wel een eventuele wettelijk vertegenwoordiger moet zijn ingediend.",
                WBV,
                "Toelichting, onder T",
            )
        )
    return RuleVersion(starts, label, checks, outputs, tuple(quotes), note)


HEARING = Rule(
    id="vc-c1-2.11-hearing",
    citation=C1_211,
    title=Text("Het (nader) gehoor naar leeftijd", "The (further) interview by age"),
    facts=HearingFacts,
    versions=(
        _hearing_version(
            None,
            Text(
                "vóór WBV 2025/14 (verzoek 12-15 jaar zonder termijn)",
                "before WBV 2025/14 (request at 12-15 without a time limit)",
            ),
            False,
            "The explanatory note of WBV 2025/14 says the time limit for a request for children "
            "aged 12-15 is new; Keten reads the earlier text as having no time limit for them. "
            "Since when that text applied is not in the sources.",
        ),
        _hearing_version(
            "wbv_2025_14",
            Text(
                "na WBV 2025/14 (verzoek 12-15 jaar vóór einde rust- en voorbereidingstermijn)",
                "after WBV 2025/14 (request at 12-15 before the end of the rest period)",
            ),
            True,
            "",
        ),
    ),
)

# -- C1/4.9 subsequent applications ---------------------------------------------------------------


class SubsequentFacts(RuleFacts):
    reconsideration_request: bool = fact(
        "A request for reconsideration rather than an application",
        "Een verzoek om heroverweging in plaats van een aanvraag",
        default=False,
    )
    new_elements: bool = fact(
        "Elements or findings not examined and assessed in the earlier procedure(s)",
        "Elementen of bevindingen die niet zijn onderzocht en beoordeeld in de eerdere "
        "procedure(s)",
    )
    relevant: bool = fact(
        "The new elements can be relevant to the assessment, weighed with the reasons for the "
        "earlier refusal",
        "De nieuwe elementen kunnen relevant zijn voor de beoordeling, in samenhang met de redenen "
        "van de eerdere afwijzing",
        default=False,
    )
    lgbt_first_raised: bool = fact(
        "(a) States to be LGBT, not raised and assessed in an earlier procedure",
        "(a) Geeft aan LHBT te zijn, niet eerder gesteld en beoordeeld",
        default=False,
    )
    conversion_first_raised: bool = fact(
        "(b) States a conversion, not raised and assessed in an earlier procedure",
        "(b) Geeft aan bekeerd te zijn, niet eerder gesteld en beoordeeld",
        default=False,
    )
    authentic_nationality_documents: bool = fact(
        "(c) Nationality disbelieved earlier; now authentic documents showing it",
        "(c) Nationaliteit eerder ongeloofwaardig; nu authentieke documenten die haar aantonen",
        default=False,
    )
    immo_report_submitted: bool = fact(
        "(d) Submits a medical report by iMMO or a comparable body",
        "(d) Legt een medische rapportage van het iMMO of een vergelijkbare instantie over",
        default=False,
    )
    immo_reports_before: int = fact(
        "Number of such reports submitted in earlier procedures",
        "Aantal zulke rapportages in eerdere procedures overgelegd",
        default=0,
        ge=0,
    )
    examination_3_109e_held: bool = fact(
        "An examination under art. 3.109e Vb already took place",
        "Er heeft al een onderzoek in de zin van art. 3.109e Vb plaatsgevonden",
        default=False,
    )
    clearly_cannot_affect: bool = fact(
        "It is clear beforehand that what is put forward cannot affect the earlier decision",
        "Op voorhand staat vast dat het aangevoerde niet kan afdoen aan het eerdere besluit",
        default=False,
    )
    article_3_echr_breach: bool = fact(
        "What is put forward leads to the conclusion that removal would breach art. 3 ECHR",
        "Het aangevoerde leidt tot het oordeel dat uitzetting art. 3 EVRM schendt",
        default=False,
    )


def _exception() -> Expr:
    return any_of(
        Fact("lgbt_first_raised"),
        Fact("conversion_first_raised"),
        Fact("authentic_nationality_documents"),
        all_of(
            Fact("immo_report_submitted"),
            Fact("immo_reports_before").eq(0),
            ~Fact("examination_3_109e_held"),
        ),
    )


SUBSEQUENT = Rule(
    id="vc-c1-4.9-subsequent-application",
    citation=C1_49,
    title=Text(
        "Opvolgende asielaanvragen: de tweefasentoets en de uitzonderingen",
        "Subsequent asylum applications: the two-phase test and its exceptions",
    ),
    facts=SubsequentFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=(
                "WBV 2025/14 corrected a reference to a statutory article and added a reference "
                "to C1/2.9; since when the paragraph applied is not in the sources."
            ),
            checks=(
                check(
                    "exception_a_to_d",
                    _exception(),
                    "Uitzondering a-d (LHBT, bekering, nationaliteit, eerste iMMO-rapportage)",
                    "Exception a-d (LGBT, conversion, nationality, first iMMO report)",
                    f"{C1_49} onder a-d",
                ),
                check(
                    "phase_1_new",
                    Fact("new_elements"),
                    "Fase 1: nieuwe elementen of bevindingen",
                    "Phase 1: new elements or findings",
                    C1_49,
                ),
                check(
                    "phase_2_relevant",
                    Fact("relevant"),
                    "Fase 2: relevant voor de beoordeling",
                    "Phase 2: relevant to the assessment",
                    C1_49,
                    only_if=Ref("phase_1_new"),
                ),
            ),
            outputs=(
                decide(
                    "outcome",
                    "Uitkomst van de ontvankelijkheidstoets",
                    "Outcome of the admissibility test",
                    (Fact("reconsideration_request"), "incomplete_application", C1_49),
                    (Fact("article_3_echr_breach"), "assess_on_merits", f"{C1_49}; EVRM art. 3"),
                    (
                        Ref("exception_a_to_d") & Fact("clearly_cannot_affect"),
                        "inadmissible",
                        C1_49,
                    ),
                    (Ref("exception_a_to_d"), "assess_on_merits", f"{C1_49} onder a-d"),
                    (~Ref("phase_1_new"), "inadmissible", f"{C1_49}; Vw art. 30a lid 1 onder d"),
                    (~Ref("phase_2_relevant"), "may_be_inadmissible", C1_49),
                    otherwise=("assess_on_merits", C1_49),
                    values={
                        "incomplete_application": (
                            "onvolledige aanvraag (verzoek om heroverweging)",
                            "incomplete application (request for reconsideration)",
                        ),
                        "assess_on_merits": (
                            "inhoudelijk beoordelen op inwilligbaarheid",
                            "assess on the merits",
                        ),
                        "inadmissible": ("niet-ontvankelijk", "inadmissible"),
                        "may_be_inadmissible": (
                            "kan niet-ontvankelijk worden verklaard",
                            "may be declared inadmissible",
                        ),
                    },
                ),
            ),
            quotes=(
                Quote(
                    "Is er geen sprake van nieuwe elementen en bevindingen, dan is de aanvraag "
                    "daarmee niet-ontvankelijk.",
                    WBV,
                    WHERE_U,
                ),
                Quote(
                    "Zijn de nieuwe elementen en bevindingen niet relevant voor de beoordeling van "
                    "de aanvraag, dan kan de aanvraag niet-ontvankelijk worden verklaard.",
                    WBV,
                    WHERE_U,
                ),
                Quote(
                    "De IND beoordeelt de aanvraag inhoudelijk op inwilligbaarheid als sprake is "
                    "van nieuwe elementen en bevindingen die relevant kunnen zijn voor de "
                    "beoordeling van de aanvraag.",
                    WBV,
                    WHERE_U,
                ),
                Quote(
                    "Als een vreemdeling voor de eerste maal een door het iMMO of vergelijkbare "
                    "instantie opgestelde medische rapportage naar aanwijzingen van vroegere "
                    "vervolging of ernstige schade overlegt, tenzij er reeds een onderzoek in de "
                    "zin van artikel 3.109e Vb heeft plaatsgevonden.",
                    WBV,
                    WHERE_U,
                ),
                Quote(
                    "In weerwil van het gestelde onder a tot en met d, wordt de aanvraag als "
                    "niet-ontvankelijk afgewezen, indien op voorhand vaststaat dat hetgeen de "
                    "vreemdeling aanvoert niet kan afdoen aan het in de voorgaande procedure "
                    "genomen besluit.",
                    WBV,
                    WHERE_U,
                ),
                Quote(
                    "Hiervan is in ieder geval sprake indien hetgeen de vreemdeling heeft "
                    "aangevoerd en/of overgelegd tot het oordeel leidt dat met de uitzetting van "
                    "de "
                    "vreemdeling artikel 3 EVRM wordt geschonden.",
                    WBV,
                    WHERE_U,
                ),
                Quote(
                    "De IND beschouwt een verzoek om heroverweging als een onvolledige aanvraag "
                    "van "
                    "een verblijfsvergunning asiel.",
                    WBV,
                    WHERE_U,
                ),
            ),
        ),
    ),
)

RULES = (AANMELDFASE, AGE_ASSESSMENT, ANTECEDENTS, HEARING, SUBSEQUENT)
