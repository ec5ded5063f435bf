"""Vc 2000 chapter B10: Decision 1/80 of the EEC-Turkey Association Council (B10/4.4.2)."""

from __future__ import annotations

from datetime import date

from keten.rules.build import check, decide
from keten.rules.expr import ON, Fact, Ref
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
B10_442 = "Vc 2000 B10/4.4.2"
WHERE_L = "Artikel I, onderdeel L (B10/4.4.2)"


class Decision180Facts(RuleFacts):
    incorrect_or_withheld_information: bool = fact(
        "The permit was granted on incorrect information or with information withheld",
        "De verblijfsvergunning is verleend op grond van onjuiste gegevens of het achterhouden van "
        "gegevens",
    )
    information_decisive: bool = fact(
        "The correct information would lead or have led to refusal of the original application to "
        "grant or extend the permit",
        "De juiste gegevens zouden leiden of hebben geleid tot afwijzing van de oorspronkelijke "
        "aanvraag tot verlening of verlenging",
    )
    abuse_of_rights: bool = fact(
        "Abuse of rights (rechtsmisbruik)", "Rechtsmisbruik", default=False
    )
    rights_acquired_on: date = fact(
        "Day the rights under art. 6(1) or 7 of Decision 1/80 were acquired",
        "Datum waarop de rechten op grond van art. 6 lid 1 of 7 Besluit 1/80 zijn verkregen",
    )


DECISION_1_80 = Rule(
    id="vc-b10-4.4.2-decision-1-80",
    citation=B10_442,
    title=Text(
        "Ontzegging van het recht op arbeid en verblijf onder Besluit 1/80 bij fraude of "
        "rechtsmisbruik",
        "Denial of the right to work and reside under Decision 1/80 for fraud or abuse",
    ),
    facts=Decision180Facts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=(
                "WBV 2025/14 corrected the references to B10/2 after its renumbering; since when "
                "the paragraph applied is not in the sources."
            ),
            checks=(
                check(
                    "fraud",
                    Fact("incorrect_or_withheld_information") & Fact("information_decisive"),
                    "Fraude: onjuiste of achtergehouden gegevens die tot afwijzing zouden leiden",
                    "Fraud: incorrect or withheld information that would lead to refusal",
                    B10_442,
                ),
                check(
                    "deny",
                    Ref("fraud") | Fact("abuse_of_rights"),
                    "Fraude of rechtsmisbruik",
                    "Fraud or abuse of rights",
                    B10_442,
                ),
            ),
            outputs=(
                decide(
                    "deny_rights",
                    "Recht op arbeid en verblijf ontzegd",
                    "Right to work and reside denied",
                    (Ref("deny"), True, f"{B10_442}; Besluit 1/80 art. 6 lid 1 en 7"),
                    otherwise=(False, B10_442),
                ),
                decide(
                    "denied_from",
                    "Ontzegd met ingang van (terugwerkende kracht)",
                    "Denied with effect from (retroactively)",
                    (Ref("deny"), Fact("rights_acquired_on"), B10_442),
                    otherwise=(None, B10_442),
                ),
                decide(
                    "retroactive",
                    "Met terugwerkende kracht",
                    "Retroactively",
                    (Ref("deny") & (Fact("rights_acquired_on") < ON), True, B10_442),
                    (Ref("deny"), False, B10_442),
                    otherwise=(None, B10_442),
                ),
            ),
            quotes=(
                Quote(
                    "De IND ontzegt het recht op arbeid en daarmee op verblijf op grond van "
                    "artikel "
                    "6, eerste lid, en op grond van artikel 7, Besluit 1/80, als: de "
                    "verblijfsvergunning is verleend op grond van het verstrekken van onjuiste "
                    "gegevens of het achterhouden van gegevens, terwijl die gegevens zouden leiden "
                    "of hebben geleid tot afwijzing van de oorspronkelijke aanvraag tot het "
                    "verlenen of verlengen van de verblijfsvergunning (fraude); of sprake is van "
                    "rechtsmisbruik.",
                    WBV,
                    WHERE_L,
                ),
                Quote(
                    "De IND ontzegt de rechten op grond van artikel 6, eerste lid, of artikel 7, "
                    "Besluit 1/80, met terugwerkende kracht, als zij zijn verkregen op grond van "
                    "fraude of rechtsmisbruik.",
                    WBV,
                    WHERE_L,
                ),
            ),
        ),
    ),
)

RULES = (DECISION_1_80,)
