"""Vc 2000 chapter B7: family members, adoption under the Wobka (B7/3.6.2)."""

from __future__ import annotations

from datetime import date

from keten.rules.build import check, decide
from keten.rules.expr import ON, Fact, Ref, all_of
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
B7_362 = "Vc 2000 B7/3.6.2"
WHERE_J = "Artikel I, onderdeel J (B7/3.6.2)"


class WobkaFacts(RuleFacts):
    principle_consent: bool = fact(
        "The State Secretary (Legal Protection) gave a beginseltoestemming (art. 2 Wobka)",
        "De Staatssecretaris (Rechtsbescherming) heeft een beginseltoestemming afgegeven (art. 2 "
        "Wobka)",
    )
    placement_consent: bool = fact(
        "The State Secretary consented to placing the child in the family",
        "De Staatssecretaris heeft ingestemd met de opneming van het kind in het gezin",
    )
    medical_statement: bool = fact(
        "A medical statement shows the child has no dangerous contagious or long-term physical or "
        "mental disease (art. 8(b) Wobka)",
        "Een medische verklaring toont dat het kind niet lijdt aan een gevaarlijke besmettelijke "
        "of "
        "langdurige lichamelijke of geestelijke ziekte (art. 8 onder b Wobka)",
    )
    relinquishment_arranged: bool = fact(
        "The biological parents' relinquishment is properly arranged (art. 8(d) Wobka)",
        "De afstand door de biologische ouder(s) is naar behoren geregeld (art. 8 onder d Wobka)",
    )
    origin_authorities_consent: bool = fact(
        "The authorities of the country of origin consent to the placement (art. 8(e) Wobka)",
        "De autoriteiten van het land van herkomst stemmen in met de opneming (art. 8 onder e "
        "Wobka)",
    )
    valid_travel_document: bool = fact(
        "The child has a valid travel document",
        "Het kind heeft een geldig document voor grensoverschrijding",
    )
    identity_shown_otherwise: bool = fact(
        "Without a travel document: the child's identity is shown in another way",
        "Zonder document: de identiteit van het kind is op een andere manier aangetoond",
        default=False,
    )
    mvv_application_received: date | None = fact(
        "Day the IND received the application for a provisional residence permit (mvv)",
        "Datum waarop de IND de aanvraag om een mvv ontving",
        default=None,
    )
    lodged_by_licensed_intermediary: bool = fact(
        "The mvv application was lodged by the licensed intermediary on behalf of the prospective "
        "adoptive parents",
        "De mvv-aanvraag is ingediend door de bemiddelende, vergunninghoudende instantie namens de "
        "aspirant-adoptiefouders",
        default=False,
    )
    medical_statement_date: date | None = fact(
        "Date of the medical statement handed in at the Dutch representation",
        "Datum van de medische verklaring overgelegd bij de Nederlandse vertegenwoordiging",
        default=None,
    )


WOBKA = Rule(
    id="vc-b7-3.6.2-wobka",
    citation=B7_362,
    title=Text(
        "Verblijf van een buitenlands adoptiekind (Wobka) en de versnelde mvv-procedure",
        "Residence of a foreign adoptive child (Wobka) and the fast-track mvv procedure",
    ),
    facts=WobkaFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=(
                "WBV 2025/14 replaced the Minister for Legal Protection by the State Secretary of "
                "Justice and Security (Legal Protection); the requirements are unchanged. Since "
                "when the paragraph applied is not in the sources."
            ),
            checks=(
                check(
                    "wobka_requirements",
                    all_of(
                        Fact("principle_consent"),
                        Fact("placement_consent"),
                        Fact("medical_statement"),
                        Fact("relinquishment_arranged"),
                        Fact("origin_authorities_consent"),
                    ),
                    "Aan alle vereisten van de Wobka voldaan",
                    "All requirements of the Wobka met",
                    f"{B7_362}; Vb art. 3.26 lid 1",
                ),
                check(
                    "identity_established",
                    Fact("valid_travel_document") | Fact("identity_shown_otherwise"),
                    "Identiteit van het kind aangetoond",
                    "Identity of the child established",
                    B7_362,
                ),
                check(
                    "fast_track",
                    Fact("mvv_application_received").is_given()
                    & Fact("lodged_by_licensed_intermediary"),
                    "Versnelde procedure (vergunninghoudende instantie)",
                    "Fast track (licensed intermediary)",
                    B7_362,
                ),
                check(
                    "medical_statement_recent",
                    Fact("medical_statement_date") >= ON.shifted(months=-6),
                    "Medische verklaring niet ouder dan zes maanden",
                    "Medical statement not older than six months",
                    B7_362,
                ),
            ),
            outputs=(
                decide(
                    "decision",
                    "Beslissing op de verblijfsvergunning",
                    "Decision on the residence permit",
                    (~Ref("identity_established"), "refuse_identity_not_shown", B7_362),
                    (Ref("wobka_requirements"), "grant", B7_362),
                    otherwise=("refuse_requirements_not_met", B7_362),
                    values={
                        "refuse_identity_not_shown": (
                            "afwijzen: identiteit van het adoptiekind niet aangetoond",
                            "refuse: identity of the adopted child not shown",
                        ),
                        "grant": ("verblijfsvergunning verlenen", "grant the residence permit"),
                        "refuse_requirements_not_met": (
                            "afwijzen: niet aan de vereisten van de Wobka voldaan",
                            "refuse: the Wobka requirements are not met",
                        ),
                    },
                ),
                decide(
                    "decide_mvv_by",
                    "Mvv-aanvraag afgehandeld uiterlijk op",
                    "Decide on the mvv application by",
                    (Ref("fast_track"), Fact("mvv_application_received").shifted(weeks=2), B7_362),
                    otherwise=(None, B7_362),
                ),
            ),
            quotes=(
                Quote(
                    "De IND verleent de verblijfsvergunning regulier onder de beperking familie- "
                    "of "
                    "gezinslid als aan alle volgende vereisten van de Wobka als bedoeld in artikel "
                    "3.26, eerste lid, Vb is voldaan:",
                    WBV,
                    WHERE_J,
                ),
                Quote(
                    "De IND wijst de aanvraag af als bij het ontbreken van een geldig document "
                    "voor "
                    "grensoverschrijding de identiteit van het buitenlandse adoptiekind niet op "
                    "een "
                    "andere manier is aangetoond.",
                    WBV,
                    WHERE_J,
                ),
                Quote(
                    "De IND handelt de aanvraag om verlening van een machtiging tot voorlopig "
                    "verblijf ten behoeve van het adoptiekind versneld – binnen twee weken – af "
                    "als "
                    "deze wordt ingediend door de bemiddelende, vergunninghoudende instantie "
                    "namens "
                    "de aspirant-adoptiefouders.",
                    WBV,
                    WHERE_J,
                ),
                Quote(
                    "de medische verklaring, niet ouder dan zes maanden, waaruit moet blijken dat "
                    "in redelijkheid kan worden aangenomen dat het adoptiekind niet lijdt aan een "
                    "gevaarlijke of besmettelijke of langdurige lichamelijke of geestelijke "
                    "ziekte.",
                    WBV,
                    WHERE_J,
                ),
            ),
        ),
    ),
)

RULES = (WOBKA,)
