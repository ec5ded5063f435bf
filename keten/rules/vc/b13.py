"""Vc 2000 chapter B13: UK nationals under the Withdrawal Agreement (B13/2.2–4.3)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide
from keten.rules.expr import ON, Expr, Fact, Lit, Ref, any_of, if_
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Check, Decide, Output, Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
END_OF_TRANSITION = Lit(date(2020, 12, 31))  # Withdrawal Agreement art. 20: crimes up to this day
SINCE_UNKNOWN = (
    "WBV 2025/14 corrected the references to B10/2 after its renumbering; since when the "
    "paragraph applied is not in the sources."
)


def _where(letter: str, paragraph: str) -> str:
    return f"Artikel I, onderdeel {letter} ({paragraph})"


# -- contra-indications: B13/2.2, B13/3.2, B13/4.3 ------------------------------------------------


class _PublicOrderFacts(RuleFacts):
    crime_committed_on: date | None = fact(
        "Day the (latest) crime relevant to public order was committed",
        "Pleegdatum van het (laatste) voor de openbare orde relevante misdrijf",
        default=None,
    )
    danger_under_directive: bool = fact(
        "Danger to public order or security under art. 27-28 Directive 2004/38 (B10/2.8.6)",
        "Gevaar voor de openbare orde of veiligheid volgens art. 27-28 richtlijn 2004/38 "
        "(B10/2.8.6)",
        default=False,
    )
    danger_under_national_rules: bool = fact(
        "Danger to public order under the national public order provisions",
        "Gevaar voor de openbare orde volgens de nationale openbare-ordebepalingen",
        default=False,
    )
    national_security_danger: bool = fact(
        "Concrete indications of a danger to national security (art. 27 Directive 2004/38)",
        "Concrete aanwijzingen van gevaar voor de nationale veiligheid (art. 27 richtlijn 2004/38)",
        default=False,
    )
    pending_public_order_procedure: bool = fact(
        "A procedure to assess the danger to public order is pending",
        "Er is een procedure aanhangig om het gevaar voor de openbare orde te beoordelen",
        default=False,
    )
    abuse_or_fraud: bool = fact(
        "Abuse of rights or fraud (art. 35 Directive 2004/38)",
        "Rechtsmisbruik of fraude (art. 35 richtlijn 2004/38)",
        default=False,
    )


class UkResidenceContraFacts(_PublicOrderFacts):
    person: Literal["uk_national", "family_member"] = fact(
        "Whose document is assessed",
        "Wiens verblijfsdocument wordt beoordeeld",
        choices={
            "uk_national": ("VK-onderdaan", "UK national"),
            "family_member": ("familielid van de VK-onderdaan", "family member of the UK national"),
        },
    )
    uk_national_contra_indication: bool = fact(
        "(For a family member) the UK national has a public order or national security "
        "contra-indication",
        "(Bij een familielid) bij de VK-onderdaan is sprake van een contra-indicatie openbare orde "
        "of nationale veiligheid",
        default=False,
    )


class UkPermanentContraFacts(UkResidenceContraFacts):
    absent_since: date | None = fact(
        "First day of the current absence from the Netherlands",
        "Eerste dag van de huidige afwezigheid uit Nederland",
        default=None,
    )


class UkFrontierContraFacts(_PublicOrderFacts):
    """Only the UK national: a frontier worker's document has no family members."""


def _public_order_checks(citation: str) -> tuple[Check, ...]:
    before = Fact("crime_committed_on") <= END_OF_TRANSITION
    return (
        check(
            "criterion",
            if_(
                Fact("crime_committed_on").is_missing(),
                Lit(None),
                if_(before, "directive_b10_2_8_6", "national"),
            ),
            "Openbare-ordecriterium naar pleegdatum (tot en met 31 december 2020: richtlijn)",
            "Public order criterion by date of the crime (up to 31 December 2020: the directive)",
            f"{citation}; Terugtrekkingsakkoord art. 20",
        ),
        check(
            "public_order_danger",
            any_of(
                Ref("criterion").eq("directive_b10_2_8_6") & Fact("danger_under_directive"),
                Ref("criterion").eq("national") & Fact("danger_under_national_rules"),
            ).otherwise(False),
            "Gevaar voor de openbare orde volgens het toepasselijke criterium",
            "Danger to public order under the applicable criterion",
            f"{citation}; Terugtrekkingsakkoord art. 20",
        ),
        check(
            "own_contra_indication",
            any_of(
                Ref("public_order_danger"),
                Fact("national_security_danger"),
                Fact("pending_public_order_procedure"),
                Fact("abuse_or_fraud"),
            ),
            "Contra-indicatie bij de betrokkene zelf",
            "Contra-indication of the person assessed",
            citation,
        ),
    )


def _contra_rule(
    paragraph: str, letter: str, doc: str, facts: type[RuleFacts], *, family: bool, absence: bool
) -> Rule:
    citation = f"Vc 2000 {paragraph}"
    checks = list(_public_order_checks(citation))
    refusal: list[Expr] = [Ref("own_contra_indication")]
    if family:
        checks.append(
            check(
                "derived_from_uk_national",
                Fact("person").eq("family_member") & Fact("uk_national_contra_indication"),
                "Afhankelijk verblijfsrecht: contra-indicatie bij de VK-onderdaan",
                "Dependent right of residence: contra-indication of the UK national",
                citation,
            )
        )
        refusal.append(Ref("derived_from_uk_national"))
    if absence:
        checks.append(
            check(
                "absent_more_than_5_years",
                (Fact("absent_since").shifted(years=5) < ON).otherwise(False),
                "Meer dan vijf achtereenvolgende jaren afwezig",
                "Absent for more than five consecutive years",
                f"{citation} onder c; Terugtrekkingsakkoord art. 11",
            )
        )
        refusal.append(Ref("absent_more_than_5_years"))
    outputs: tuple[Output, ...] = (
        decide(
            "issue_document",
            f"Verblijfsdocument ({doc}) verlenen",
            f"Issue the document ({doc})",
            (any_of(*refusal), False, citation),
            otherwise=(True, citation),
        ),
    )
    quotes = [
        Quote(
            "Op grond van artikel 20, eerste lid van het terugtrekkingsakkoord gelden, voor "
            "misdrijven gepleegd tot en met 31 december 2020, de bepalingen van hoofdstuk 6 van "
            "richtlijn 2004/38/EG.",
            WBV,
            _where(letter, paragraph),
        )
    ]
    if paragraph == "B13/2.2":
        quotes += [
            Quote(
                "Voor misdrijven gepleegd na 31 december 2020 gelden op grond van artikel 20, "
                "tweede lid van het terugtrekkingsakkoord de nationale openbare orde bepalingen.",
                WBV,
                _where(letter, paragraph),
            ),
            Quote(
                "In het geval er enkel bij de VK-onderdaan sprake is van deze contra-indicatie "
                "verleent de IND, gelet op het afhankelijke karakter van het verblijfsrecht, noch "
                "aan de VK-onderdaan, noch aan het familielid een verblijfsdocument als bedoeld in "
                "paragraaf B13/2.1 Vc.",
                WBV,
                _where(letter, paragraph),
            ),
            Quote(
                "De IND verleent voorts geen verblijfsdocument als er een procedure aanhangig is "
                "om "
                "te beoordelen of de VK-onderdaan of zijn familielid een gevaar vormt voor de "
                "openbare orde of de openbare veiligheid, ongeacht de pleegdatum.",
                WBV,
                _where(letter, paragraph),
            ),
        ]
    if paragraph == "B13/3.2":
        quotes.append(
            Quote(
                "de VK-onderdaan of zijn familielid zijn meer dan vijf achtereenvolgende jaren uit "
                "Nederland afwezig geweest zoals omschreven in artikel 11 van het "
                "terugtrekkingsakkoord.",
                WBV,
                _where(letter, paragraph),
            )
        )
    if paragraph == "B13/4.3":
        quotes.append(
            Quote(
                "Ten aanzien van na 31 december 2020 gepleegde misdrijven geldt op grond van "
                "artikel 20, tweede lid van het terugtrekkingsakkoord de nationale openbare orde "
                "bepaling zoals bedoeld in artikel 12, eerste lid, onder d, Vw.",
                WBV,
                _where(letter, paragraph),
            )
        )
    slug = {"B13/2.2": "2.2", "B13/3.2": "3.2", "B13/4.3": "4.3"}[paragraph]
    return Rule(
        id=f"vc-b13-{slug}-contra-indications",
        citation=citation,
        title=Text(
            f"VK-onderdanen: contra-indicaties voor het {doc}",
            f"UK nationals: contra-indications for the {doc}",
        ),
        facts=facts,
        versions=(
            RuleVersion(
                starts=None,
                label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
                note=SINCE_UNKNOWN,
                checks=tuple(checks),
                outputs=outputs,
                quotes=tuple(quotes),
            ),
        ),
    )


CONTRA_2_2 = _contra_rule(
    "B13/2.2",
    "M",
    "verblijfsdocument (B13/2.1)",
    UkResidenceContraFacts,
    family=True,
    absence=False,
)
CONTRA_3_2 = _contra_rule(
    "B13/3.2",
    "O",
    "duurzaam verblijfsdocument (B13/3.1)",
    UkPermanentContraFacts,
    family=True,
    absence=True,
)
CONTRA_4_3 = _contra_rule(
    "B13/4.3", "R", "document ‘Grensarbeider’", UkFrontierContraFacts, family=False, absence=False
)

# -- B13/2.4 ending the right of residence ----------------------------------------------------


def _termination_outputs(citation: str) -> tuple[Decide, Decide]:
    """B13/2.4 and B13/3.5 end the right of residence on a ground, retroactively on abuse."""
    return (
        decide(
            "terminate",
            "Verblijfsrecht beëindigd",
            "Right of residence ended",
            (Ref("ground").is_given(), True, citation),
            otherwise=(False, citation),
        ),
        decide(
            "retroactive",
            "Met terugwerkende kracht",
            "Retroactively",
            (Ref("ground").eq("abuse_or_incorrect_information"), True, citation),
            otherwise=(False, citation),
        ),
    )


B13_24 = "Vc 2000 B13/2.4"


class UkTerminationFacts(RuleFacts):
    absence_last_day: date | None = fact(
        "Last day of the absence from the Netherlands (empty: still absent; see absence_months)",
        "Laatste dag van de afwezigheid uit Nederland (leeg: nog afwezig)",
        default=None,
    )
    absence_months_in_year: int = fact(
        "Months of absence from the Netherlands in a year",
        "Aantal maanden afwezigheid uit Nederland per jaar",
        default=0,
        ge=0,
        le=12,
    )
    absence_consecutive_months: int = fact(
        "Consecutive months of absence",
        "Aantal achtereenvolgende maanden afwezigheid",
        default=0,
        ge=0,
    )
    important_reason: bool = fact(
        "The absence is for an important reason such as pregnancy and childbirth, serious illness, "
        "study or vocational training",
        "De afwezigheid houdt verband met belangrijke redenen zoals zwangerschap en bevalling, "
        "ernstige ziekte, studie of beroepsopleiding",
        default=False,
    )
    abuse_or_incorrect_information: bool = fact(
        "Abuse of rights, or incorrect information that would have led to refusal",
        "Rechtsmisbruik, of onjuiste gegevens die tot weigering zouden hebben geleid",
        default=False,
    )
    public_order_danger: bool = fact(
        "The UK national or the family member is a danger to public order (art. 20 Withdrawal "
        "Agreement)",
        "De VK-onderdaan of het familielid vormt een gevaar voor de openbare orde (art. 20 "
        "terugtrekkingsakkoord)",
        default=False,
    )
    family_relation_ended: bool = fact(
        "(Family member) the family relation with the UK national no longer exists",
        "(Familielid) de familierechtelijke relatie met de VK-onderdaan bestaat niet meer",
        default=False,
    )
    retained_under_directive: bool = fact(
        "A circumstance of art. 12-14 Directive 2004/38 (art. 8.15(2)-(5) Vb) applies and its "
        "conditions are met",
        "Een omstandigheid van art. 12-14 richtlijn 2004/38 (art. 8.15 lid 2-5 Vb) doet zich voor "
        "en aan de voorwaarden is voldaan",
        default=False,
    )


UK_TERMINATION = Rule(
    id="vc-b13-2.4-termination",
    citation=B13_24,
    title=Text(
        "VK-onderdanen: beëindiging van het verblijfsrecht",
        "UK nationals: ending the right of residence",
    ),
    facts=UkTerminationFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=(
                check(
                    "absent_on_or_after",
                    Fact("absence_last_day").otherwise(ON),
                    "Laatste dag van afwezigheid (of de peildatum als nog afwezig)",
                    "Last day absent (or the reference date if still absent)",
                    B13_24,
                    note=(
                        "Keten reads 'op of na 1 oktober 2023 niet in Nederland verblijft' as an "
                        "absence that lasts until that day or later."
                    ),
                ),
                check(
                    "absence_over_6_months",
                    ~Fact("important_reason")
                    & (Ref("absent_on_or_after") >= date(2023, 10, 1))
                    & (Fact("absence_months_in_year") > 6),
                    "Op of na 1 oktober 2023 meer dan zes maanden per jaar afwezig",
                    "Absent on or after 1 October 2023 for more than six months a year",
                    f"{B13_24}; Terugtrekkingsakkoord art. 15 lid 2",
                ),
                check(
                    "absence_over_12_months",
                    Fact("important_reason")
                    & (Ref("absent_on_or_after") >= date(2024, 4, 1))
                    & (Fact("absence_consecutive_months") > 12),
                    "Op of na 1 april 2024 om belangrijke redenen langer dan twaalf "
                    "achtereenvolgende maanden afwezig",
                    "Absent on or after 1 April 2024 for an important reason for more than twelve "
                    "consecutive months",
                    f"{B13_24}; Terugtrekkingsakkoord art. 15 lid 2",
                ),
            ),
            outputs=(
                decide(
                    "ground",
                    "Grond voor beëindiging",
                    "Ground for ending",
                    (
                        Fact("abuse_or_incorrect_information"),
                        "abuse_or_incorrect_information",
                        B13_24,
                    ),
                    (Fact("public_order_danger"), "public_order", B13_24),
                    (Ref("absence_over_6_months"), "absence_over_6_months", B13_24),
                    (Ref("absence_over_12_months"), "absence_over_12_months", B13_24),
                    (
                        Fact("family_relation_ended") & ~Fact("retained_under_directive"),
                        "family_relation_ended",
                        B13_24,
                    ),
                    otherwise=(None, B13_24),
                    values={
                        "abuse_or_incorrect_information": (
                            "rechtsmisbruik of verstrekking onjuiste gegevens",
                            "abuse of rights or incorrect information",
                        ),
                        "public_order": ("gevaar voor de openbare orde", "danger to public order"),
                        "absence_over_6_months": (
                            "afwezigheid uit Nederland langer dan 6 maanden",
                            "absence from the Netherlands over 6 months",
                        ),
                        "absence_over_12_months": (
                            "afwezigheid uit Nederland langer dan 12 maanden",
                            "absence from the Netherlands over 12 months",
                        ),
                        "family_relation_ended": (
                            "verbreking familierechtelijke relatie",
                            "family relationship ended",
                        ),
                    },
                ),
                *_termination_outputs(B13_24),
            ),
            quotes=(
                Quote(
                    "De IND beëindigt, op grond van artikel 15, lid 2, terugtrekkingsakkoord, het "
                    "verblijfsrecht als bedoeld in paragraaf B13/2.1 Vc als (het familielid van) "
                    "de "
                    "VK-onderdaan: op of na 1 oktober 2023 niet in Nederland verblijft en die "
                    "afwezigheid uit Nederland meer dan zes maanden per jaar bedraagt; of op of na "
                    "1 april 2024 niet in Nederland verblijft, als die afwezigheid uit Nederland "
                    "verband houdt met belangrijke redenen zoals zwangerschap en bevalling, "
                    "ernstige ziekte, studie of beroepsopleiding en langer dan twaalf "
                    "achtereenvolgende maanden bedraagt.",
                    WBV,
                    _where("N", "B13/2.4"),
                ),
                Quote(
                    "De IND beëindigt het verblijfsrecht van de VK-onderdaan en zijn familielid "
                    "als "
                    "de VK-onderdaan of het familielid een gevaar voor de openbare orde vormt als "
                    "bedoeld in artikel 20 van het terugtrekkingsakkoord.",
                    WBV,
                    _where("N", "B13/2.4"),
                ),
                Quote(
                    "Het verblijfsrecht (als bedoeld in paragraaf B13/2.1 Vc) van een familielid "
                    "van een VK-onderdaan eindigt als niet langer sprake is van een "
                    "familierechtelijke relatie als bedoeld in B13/1 Vc (onderdeel ‘Familieleden "
                    "van VK-onderdanen’).",
                    WBV,
                    _where("N", "B13/2.4"),
                ),
            ),
        ),
    ),
)

# -- B13/3.5 ending permanent residence ----------------------------------------------------------

B13_35 = "Vc 2000 B13/3.5"


class UkPermanentTerminationFacts(RuleFacts):
    article_20_ground: bool = fact(
        "A ground for ending of art. 20 Withdrawal Agreement applies",
        "Een beëindigingsgrond van art. 20 terugtrekkingsakkoord is van toepassing",
        default=False,
    )
    absent_since: date | None = fact(
        "First day of the current absence from the Netherlands",
        "Eerste dag van de huidige afwezigheid uit Nederland",
        default=None,
    )
    abuse_or_incorrect_information: bool = fact(
        "Abuse of rights, or incorrect information that would have led to refusal",
        "Rechtsmisbruik, of onjuiste gegevens die tot weigering zouden hebben geleid",
        default=False,
    )


UK_PERMANENT_TERMINATION = Rule(
    id="vc-b13-3.5-termination",
    citation=B13_35,
    title=Text(
        "VK-onderdanen: beëindiging van het duurzaam verblijfsrecht",
        "UK nationals: ending the permanent right of residence",
    ),
    facts=UkPermanentTerminationFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=(
                check(
                    "absent_more_than_5_years",
                    (Fact("absent_since").shifted(years=5) < ON).otherwise(False),
                    "Afwezig uit Nederland gedurende meer dan vijf jaar",
                    "Absent from the Netherlands for more than five years",
                    f"{B13_35}; Terugtrekkingsakkoord art. 15 lid 3",
                ),
            ),
            outputs=(
                decide(
                    "ground",
                    "Grond voor beëindiging",
                    "Ground for ending",
                    (
                        Fact("abuse_or_incorrect_information"),
                        "abuse_or_incorrect_information",
                        B13_35,
                    ),
                    (Fact("article_20_ground"), "article_20", B13_35),
                    (Ref("absent_more_than_5_years"), "absence_over_5_years", B13_35),
                    otherwise=(None, B13_35),
                    values={
                        "abuse_or_incorrect_information": (
                            "rechtsmisbruik of verstrekking onjuiste gegevens",
                            "abuse of rights or incorrect information",
                        ),
                        "article_20": (
                            "beëindigingsgronden van artikel 20 van het terugtrekkingsakkoord",
                            "grounds of Article 20 of the Withdrawal Agreement",
                        ),
                        "absence_over_5_years": (
                            "afwezigheid uit Nederland van meer dan vijf jaar",
                            "absence from the Netherlands over five years",
                        ),
                    },
                ),
                *_termination_outputs(B13_35),
            ),
            quotes=(
                Quote(
                    "De IND beëindigt het verblijfsrecht van de VK-onderdaan en zijn familielid "
                    "als "
                    "de beeindigingsgronden van artikel 20 van het terugtrekkingsakkoord van "
                    "toepassing zijn.",
                    WBV,
                    _where("P", "B13/3.5"),
                ),
                Quote(
                    "De IND beëindigt ook op grond van artikel 15, derde lid van het "
                    "terugtrekkingsakkoord het verblijfsrecht bij afwezigheid uit Nederland van "
                    "een "
                    "periode van meer dan vijf jaar.",
                    WBV,
                    _where("P", "B13/3.5"),
                ),
            ),
        ),
    ),
)

# -- B13/4.2 frontier workers ----------------------------------------------------------------

B13_42 = "Vc 2000 B13/4.2"


class FrontierWorkerFacts(RuleFacts):
    lawful_residence_country_of_residence: bool = fact(
        "Lawful residence in the country where the UK national lives",
        "Rechtmatig verblijf in het land waar de VK-onderdaan woont",
    )
    worked_in_nl_before_2021: bool = fact(
        "Did genuine and effective work in the Netherlands as a frontier worker before 1 January "
        "2021",
        "Verrichtte vóór 1 januari 2021 reële en daadwerkelijke arbeid als grensarbeider in "
        "Nederland",
    )
    status: Literal["working", "art_7_3_situation", "voluntarily_unemployed", "none"] = fact(
        "Situation now: still working, in a situation of art. 7(3)(a)-(d) Directive 2004/38, "
        "voluntarily unemployed, or none of these",
        "Situatie nu: werkt nog, verkeert in een situatie van art. 7 lid 3 onder a-d richtlijn "
        "2004/38, vrijwillig werkloos, of geen van deze",
        choices={
            "working": (
                "verricht reële en daadwerkelijke arbeid",
                "does genuine and effective work",
            ),
            "art_7_3_situation": (
                "situatie van artikel 7, derde lid, richtlijn 2004/38/EG",
                "situation of Article 7(3) Directive 2004/38/EC",
            ),
            "voluntarily_unemployed": ("vrijwillige werkloosheid", "voluntary unemployment"),
            "none": ("geen van deze", "none of these"),
        },
    )
    voluntary_unemployment_start: date | None = fact(
        "First day of the voluntary unemployment",
        "Begindatum van de vrijwillige werkloosheid",
        default=None,
    )


FRONTIER_WORKER = Rule(
    id="vc-b13-4.2-frontier-worker",
    citation=B13_42,
    title=Text(
        "VK-onderdanen: document ‘Grensarbeider’",
        "UK nationals: the 'frontier worker' document",
    ),
    facts=FrontierWorkerFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=(
                check(
                    "worker_status_kept",
                    if_(
                        Fact("status").eq("voluntarily_unemployed"),
                        Fact("voluntary_unemployment_start").shifted(months=6) >= ON,
                        Fact("status").isin(("working", "art_7_3_situation")),
                    ),
                    "Status van werknemer behouden (bij vrijwillige werkloosheid tot zes maanden)",
                    "Worker status kept (voluntary unemployment: up to six months)",
                    B13_42,
                ),
            ),
            outputs=(
                decide(
                    "eligible",
                    "Aanspraak op een document ‘Grensarbeider’",
                    "Entitled to a 'frontier worker' document",
                    (
                        Fact("lawful_residence_country_of_residence")
                        & Fact("worked_in_nl_before_2021")
                        & Ref("worker_status_kept").otherwise(False),
                        True,
                        f"{B13_42}; Terugtrekkingsakkoord art. 24-26",
                    ),
                    otherwise=(False, B13_42),
                ),
            ),
            quotes=(
                Quote(
                    "Om in aanmerking te komen voor een document ‘Grensarbeider’ moet de "
                    "VK-onderdaan rechtmatig verblijf hebben in het land waar hij woonachtig is.",
                    WBV,
                    _where("Q", "B13/4.2"),
                ),
                Quote(
                    "Tevens moet er sprake van zijn dat de VK-onderdaan vóór 1 januari 2021 als "
                    "grensarbeider in Nederland:",
                    WBV,
                    _where("Q", "B13/4.2"),
                ),
                Quote(
                    "De status van werknemer of zelfstandige blijft tot uiterlijk zes maanden na "
                    "de "
                    "begindatum van de vrijwillige werkloosheid behouden.",
                    WBV,
                    _where("Q", "B13/4.2"),
                ),
            ),
        ),
    ),
)

RULES = (
    CONTRA_2_2,
    UK_TERMINATION,
    CONTRA_3_2,
    UK_PERMANENT_TERMINATION,
    FRONTIER_WORKER,
    CONTRA_4_3,
)
