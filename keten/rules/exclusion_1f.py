"""Article 1F Refugee Convention: exclusion before inclusion (seed 001, par. 3.1)."""

from __future__ import annotations

from typing import Literal

from keten.rules.build import check, decide
from keten.rules.expr import Fact, Ref
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

BRIEFING = "001_7423ba70eed50d30.txt"
WHERE = "Introductiedossier Migratie, par. 3.1 1F-beleid"
ART_1F = "Vluchtelingenverdrag art. 1F"


class ExclusionFacts(RuleFacts):
    evidence_level: Literal["none", "simple_suspicion", "serious_reasons"] = fact(
        "What the IND can show about crimes against peace, war crimes, crimes against humanity, "
        "serious non-political crimes or acts contrary to the UN's purposes",
        "Wat de IND kan aantonen over misdrijven tegen de vrede, oorlogsmisdrijven, misdrijven "
        "tegen de menselijkheid, ernstige niet-politieke misdrijven of handelingen in strijd met "
        "de doelstellingen van de VN",
        choices={
            "none": ("geen verdenking", "no suspicion"),
            "simple_suspicion": ("eenvoudige verdenking", "simple suspicion"),
            "serious_reasons": (
                "ernstige redenen om te veronderstellen",
                "serious reasons for considering",
            ),
        },
    )
    knowing_and_personal_participation: bool = fact(
        "The person knew of the crimes and can be held personally (co-)responsible",
        "De vreemdeling had weet van de misdrijven en is er persoonlijk (mede)verantwoordelijk "
        "voor",
        default=False,
    )
    convicted: bool = fact(
        "Convicted in criminal proceedings for the acts (not required for 1F)",
        "Strafrechtelijk veroordeeld voor de daden (niet vereist voor 1F)",
        default=False,
    )
    qualifies_for_asylum: bool | None = fact(
        "Outcome of the assessment of the asylum grounds, if made",
        "Uitkomst van de beoordeling van de asielgronden, als die wordt gemaakt",
        default=None,
    )
    real_risk_article_3: bool = fact(
        "On return the person runs a real risk of treatment contrary to art. 3 ECHR",
        "Bij terugkeer loopt de vreemdeling een reëel risico op schending van art. 3 EVRM",
        default=False,
    )


EXCLUSION_1F = Rule(
    id="1f-exclusion-before-inclusion",
    citation=ART_1F,
    title=Text(
        "Artikel 1F: eerst uitsluiting, dan pas insluiting",
        "Article 1F: exclusion before inclusion",
    ),
    facts=ExclusionFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("1F-beleid (2021)", "1F policy (2021)"),
            note=(
                "As the ministry briefing (late 2021) describes the policy; since when it applies "
                "is not in the sources. The bar of proof is a legal threshold, not a number."
            ),
            checks=(
                check(
                    "serious_reasons",
                    Fact("evidence_level").eq("serious_reasons"),
                    "Ernstige redenen (een eenvoudige verdenking is niet voldoende)",
                    "Serious reasons (a simple suspicion is not enough)",
                    ART_1F,
                ),
                check(
                    "article_1f_applies",
                    Ref("serious_reasons") & Fact("knowing_and_personal_participation"),
                    "1F tegengeworpen: weet van de misdrijven en persoonlijk verantwoordelijk",
                    "1F held against the person: knowledge and personal participation",
                    ART_1F,
                    note="A criminal conviction is not required.",
                ),
                check(
                    "inclusion",
                    Fact("qualifies_for_asylum"),
                    "Insluiting: komt in aanmerking voor een asielvergunning",
                    "Inclusion: qualifies for an asylum permit",
                    "Vw art. 29",
                    only_if=~Ref("article_1f_applies"),
                ),
            ),
            outputs=(
                decide(
                    "asylum",
                    "Asielaanvraag",
                    "Asylum application",
                    (Ref("article_1f_applies"), "excluded_1f", ART_1F),
                    (Ref("inclusion").is_missing(), "assess_inclusion", "Vw art. 29"),
                    (Ref("inclusion"), "grant", "Vw art. 29"),
                    otherwise=("refuse", "Vw art. 29"),
                    values={
                        "excluded_1f": (
                            "artikel 1F tegengeworpen",
                            "Article 1F held against the applicant",
                        ),
                        "assess_inclusion": (
                            "beoordelen of hij in aanmerking komt voor een asielvergunning",
                            "assess whether the applicant qualifies for an asylum permit",
                        ),
                        "grant": ("asielvergunning verlenen", "grant the asylum permit"),
                        "refuse": ("asielaanvraag afwijzen", "refuse the asylum application"),
                    },
                ),
                decide(
                    "forced_removal_possible",
                    "Gedwongen uitzetting mogelijk",
                    "Forced removal possible",
                    (
                        Ref("asylum").eq("excluded_1f") & Fact("real_risk_article_3"),
                        False,
                        "EVRM art. 3",
                    ),
                    (Ref("asylum").eq("excluded_1f"), True, ART_1F),
                    otherwise=(None, ART_1F),
                ),
                decide(
                    "departure_obligation",
                    "Vertrekplicht",
                    "Obligation to leave",
                    (Ref("asylum").isin(("excluded_1f", "refuse")), True, "Vw art. 61"),
                    (Ref("asylum").eq("grant"), False, "Vw art. 61"),
                    otherwise=(None, "Vw art. 61"),
                ),
            ),
            quotes=(
                Quote(
                    "Een eenvoudige verdenking is niet voldoende om 1F tegen te werpen, er moet "
                    "sprake zijn van ‘ernstige redenen’ die moeten worden onderbouwd en zorgvuldig "
                    "gemotiveerd,",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Artikel 1F Vlv. wordt tegengeworpen als kan worden aangetoond dat een "
                    "vreemdeling weet heeft gehad van de genoemde misdrijven en daar persoonlijk "
                    "(mede)verantwoordelijk voor kan worden gehouden",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Dat de persoon in kwestie niet strafrechtelijk is veroordeeld voor de daden, "
                    "betekent niet dat 1F Vlv niet kan worden tegengeworpen.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "De IND beziet eerst of artikel 1F van toepassing is op de vreemdeling. Als de "
                    "IND artikel 1F tegenwerpt, is dat het einde van de asielprocedure. Er wordt "
                    "in "
                    "dat geval dus niet beoordeeld of de vreemdeling in aanmerking komt voor een "
                    "asielvergunning (“exclusion before inclusion”).",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Wel wordt er bezien of de vreemdeling bij terugkeer naar het land van "
                    "herkomst "
                    "een reëel risico loopt op schending van artikel 3 EVRM. In dat geval kan de "
                    "vreemdeling niet gedwongen worden uitgezet, maar blijft op hem nog steeds een "
                    "vertrekplicht rusten om Nederland te verlaten.",
                    BRIEFING,
                    WHERE,
                ),
            ),
        ),
    ),
)

RULES = (EXCLUSION_1F,)
