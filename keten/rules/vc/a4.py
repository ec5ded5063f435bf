"""Vc 2000 chapter A4: ongewenstverklaring of EU/EEA/Swiss nationals and family (A4/3.10)."""

from __future__ import annotations

from typing import Literal

from keten.rules.build import check, decide, item
from keten.rules.expr import Fact, Ref
from keten.rules.facts import ChoiceLabels, RuleFacts, fact
from keten.rules.rule import Checklist, Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
A4_310 = "Vc 2000 A4/3.10"
WHERE_E = "Artikel I, onderdeel E (A4/3.10)"

LIFTING_EVIDENCE = Literal[
    "places_stayed_with_proof",
    "travel_documents_copy",
    "material_change_evidence",
    "no_crimes_statements",
]
LIFTING_EVIDENCE_LABELS: ChoiceLabels = {
    "places_stayed_with_proof": (
        "overzicht van de verblijfplaatsen, met bewijsstukken",
        "overview of the places stayed, with proof",
    ),
    "travel_documents_copy": (
        "kopie van de documenten voor grensoverschrijding",
        "copy of the travel documents",
    ),
    "material_change_evidence": (
        "bewijs van een wijziging in materiële zin van de omstandigheden",
        "evidence of a material change in the circumstances",
    ),
    "no_crimes_statements": (
        "verklaringen: geen misdrijven, geen strafvervolging",
        "statements: no crimes, no prosecution",
    ),
}


class EuUndesirabilityFacts(RuleFacts):
    category: Literal[
        "eu_national",
        "swiss_national",
        "eea_national",
        "family_member_eu_eea_swiss",
        "turkish_worker_or_family_1_80",
        "other",
    ] = fact(
        "Who the person is",
        "Wie de vreemdeling is",
        choices={
            "eu_national": ("onderdaan van de EU", "EU national"),
            "swiss_national": ("onderdaan van Zwitserland", "Swiss national"),
            "eea_national": ("onderdaan van de EER", "EEA national"),
            "family_member_eu_eea_swiss": (
                "familielid van een onderdaan van de EU/EER of Zwitserland",
                "family member of an EU/EEA or Swiss national",
            ),
            "turkish_worker_or_family_1_80": (
                "Turkse werknemer of gezinslid (Besluit 1/80)",
                "Turkish worker or family member (Decision 1/80)",
            ),
            "other": ("andere vreemdeling", "another foreign national"),
        },
    )
    residence_ended_public_order: bool = fact(
        "Residence was denied or ended on grounds of public order and public security (B10/2.8.6)",
        "Het verblijf is ontzegd of beëindigd op grond van de openbare orde en openbare "
        "veiligheid (B10/2.8.6)",
    )
    lifting_application: bool = fact(
        "This is an application to lift the ongewenstverklaring",
        "Het gaat om een aanvraag tot opheffing van de ongewenstverklaring",
        default=False,
    )
    evidence_provided: list[LIFTING_EVIDENCE] = fact(
        "Evidence handed in with the application to lift",
        "Bewijsmiddelen overgelegd bij de aanvraag tot opheffing",
        default=[],
        choices=LIFTING_EVIDENCE_LABELS,
    )


EU_UNDESIRABILITY = Rule(
    id="vc-a4-3.10-eu-undesirability",
    citation=A4_310,
    title=Text(
        "Ongewenstverklaring van EU-, EER- en Zwitserse onderdanen en familieleden",
        "Ongewenstverklaring (exclusion order) of EU, EEA and Swiss nationals and family members",
    ),
    facts=EuUndesirabilityFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=(
                "WBV 2025/14 corrected the references to B10/2 after its renumbering by WBV "
                "2025/6; since when the paragraph applied is not in the sources."
            ),
            checks=(
                check(
                    "additional_rules_apply",
                    Fact("category").ne("other"),
                    "Aanvullende beleidsregels van A4/3.10 van toepassing",
                    "The additional policy rules of A4/3.10 apply",
                    A4_310,
                ),
            ),
            outputs=(
                decide(
                    "declare_undesirable",
                    "IND gaat over tot ongewenstverklaring",
                    "The IND declares the person undesirable",
                    (
                        Ref("additional_rules_apply") & Fact("residence_ended_public_order"),
                        True,
                        f"{A4_310}; Vw art. 67; Vb art. 8.18 onder b en 8.22",
                    ),
                    (Ref("additional_rules_apply"), False, A4_310),
                    otherwise=(None, A4_310),
                ),
                Checklist(
                    "lifting_evidence",
                    Text("Bewijsmiddelen bij opheffing", "Evidence for lifting"),
                    (
                        item(
                            "places_stayed_with_proof",
                            Fact("lifting_application"),
                            "Overzicht van de verblijfplaatsen sinds de ongewenstverklaring, met "
                            "bewijsstukken",
                            "Overview of the places stayed since the declaration, with proof",
                            f"{A4_310}; Vb art. 8.22",
                        ),
                        item(
                            "travel_documents_copy",
                            Fact("lifting_application"),
                            "Kopie van de documenten voor grensoverschrijding sinds de "
                            "ongewenstverklaring",
                            "Copy of the travel documents held since the declaration",
                            f"{A4_310}; Vb art. 8.22",
                        ),
                        item(
                            "material_change_evidence",
                            Fact("lifting_application"),
                            "Bewijs van een materiële wijziging van de omstandigheden",
                            "Evidence of a material change in the circumstances",
                            f"{A4_310}; Vb art. 8.22",
                        ),
                        item(
                            "no_crimes_statements",
                            Fact("lifting_application"),
                            "Verklaring van de vreemdeling en de autoriteiten: geen misdrijven, "
                            "geen strafvervolging",
                            "Statement of the person and the authorities: no crimes, no "
                            "prosecution",
                            f"{A4_310}; Vb art. 8.22",
                        ),
                    ),
                    provided="evidence_provided",
                    citation=A4_310,
                ),
            ),
            quotes=(
                Quote(
                    "Er gelden aanvullende beleidsregels voor de ongewenstverklaring van: "
                    "Onderdanen van de EU; Onderdanen van Zwitserland; Onderdanen van de EER; "
                    "Familieleden van onderdanen van de EU/EER en Zwitserland; of Turkse "
                    "werknemers en hun gezinsleden die een verblijfsrecht ontlenen aan Besluit "
                    "1/80.",
                    WBV,
                    WHERE_E,
                ),
                Quote(
                    "In aanvulling op artikel 67 Vw, artikel 8.18, onder b, Vb en artikel 8.22 Vb "
                    "gaat de IND over tot ongewenstverklaring van de vreemdeling als bedoeld in "
                    "deze paragraaf van wie het verblijf is ontzegd of beëindigd op grond van de "
                    "openbare orde en openbare veiligheid als bedoeld in paragraaf B10/2.8.6 Vc.",
                    WBV,
                    WHERE_E,
                ),
                Quote(
                    "In aanvulling op artikel 8.22 Vb geldt bij de beoordeling door de IND van de "
                    "aanvraag tot opheffing van de ongewenstverklaring als deugdelijk "
                    "bewijsmiddel:",
                    WBV,
                    WHERE_E,
                ),
            ),
        ),
    ),
)

RULES = (EU_UNDESIRABILITY,)
