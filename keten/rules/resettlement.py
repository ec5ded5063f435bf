"""Resettlement: the national quota, counted on arrivals (seed 001, par. 1.2)."""

from __future__ import annotations

from keten.rules.build import check, decide, value
from keten.rules.expr import Fact, Param, Ref, if_
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

BRIEFING = "001_7423ba70eed50d30.txt"
WHERE = "Introductiedossier Migratie, par. 1.2 Hervestiging"
CITATION = "Meerjarig beleidskader hervestiging; Introductiedossier Migratie (2021), par. 1.2"


class ResettlementFacts(RuleFacts):
    resettled_arrivals: int = fact(
        "Resettled refugees who arrived in the Netherlands in the year",
        "In het jaar in Nederland aangekomen hervestigde vluchtelingen",
        ge=0,
    )
    family_arrivals: int = fact(
        "Family members of (ever) resettled refugees who arrived in the year",
        "In het jaar aangekomen familieleden van (ooit) hervestigde vluchtelingen",
        default=0,
        ge=0,
    )
    selections: int = fact(
        "Refugees selected for resettlement in the year (the count before 2020)",
        "In het jaar geselecteerde vluchtelingen (de telling vóór 2020)",
        default=0,
        ge=0,
    )


QUOTA = Rule(
    id="resettlement-quota",
    citation=CITATION,
    title=Text(
        "Hervestiging: nationaal quotum, geteld op aankomsten",
        "Resettlement: national quota, counted on arrivals",
    ),
    facts=ResettlementFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("nationaal quotum", "national quota"),
            note=(
                "The quota is 'about 500' a year; what is counted is a dated parameter "
                "(selections until 2019, arrivals from 1 January 2020). The reference date gives "
                "the year counted."
            ),
            checks=(
                check(
                    "counted_in_year",
                    if_(
                        Param("resettlement.counting_basis").eq("arrivals"),
                        Fact("resettled_arrivals") + Fact("family_arrivals"),
                        Fact("selections"),
                    ),
                    "Meegeteld voor het quotum",
                    "Counted towards the quota",
                    CITATION,
                ),
            ),
            outputs=(
                value("counted", "Meegeteld", "Counted", Ref("counted_in_year"), CITATION),
                decide(
                    "within_quota",
                    "Binnen het jaarquotum",
                    "Within the annual quota",
                    (
                        Ref("counted_in_year") <= Param("resettlement.national_quota_per_year"),
                        True,
                        CITATION,
                    ),
                    otherwise=(False, CITATION),
                ),
                value(
                    "remaining",
                    "Resterend in het jaar (negatief: boven quotum)",
                    "Remaining in the year (negative: above the quota)",
                    Param("resettlement.national_quota_per_year") - Ref("counted_in_year"),
                    CITATION,
                ),
            ),
            quotes=(
                Quote(
                    "Het NQ (500) wordt berekend op basis van het aantal in een jaar in NL "
                    "aangekomen hervestigde vluchtelingen plus het aantal familieleden van (ooit) "
                    "hervestigde vluchtelingen dat in dat jaar in NL is aangekomen",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Om meer duidelijkheid te scheppen over het daadwerkelijke aantal "
                    "vluchtelingen dat in Nederland wordt hervestigd is per 1 januari 2020 het "
                    "rekenmodel aangepast naar een model op basis van aankomsten (in plaats van "
                    "selecties).",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "In EU en internationaal verband wordt uitsluitend gerekend met het aantal "
                    "aankomsten van hervestigde vluchtelingen in een jaar in een land.",
                    BRIEFING,
                    WHERE,
                ),
            ),
        ),
    ),
)

RULES = (QUOTA,)
