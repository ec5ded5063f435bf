"""Return: the "stoplights" that must all be green before a person can depart (seed 001, par. 5)."""

from __future__ import annotations

from keten.chain.return_cooperation import NO_PROSPECT
from keten.rules.build import check, decide, item
from keten.rules.expr import Fact, ListLen, Param, Ref, all_of
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Checklist, Quote, Rule, RuleVersion, Text

BRIEFING = "001_7423ba70eed50d30.txt"
WHERE = "Introductiedossier Migratie, par. 5 Terugkeer"
CITATION = "Introductiedossier Migratie (2021), par. 5 (stoplichten)"


class StoplightFacts(RuleFacts):
    no_procedure_blocks_departure: bool = fact(
        "No procedure or request stands in the way of departure, such as a request to postpone "
        "departure on medical grounds (art. 64 Vw)",
        "Geen procedure of verzoek staat vertrek in de weg, zoals een verzoek om uitstel van "
        "vertrek om medische redenen (art. 64 Vw)",
    )
    whereabouts_known: bool = fact(
        "DTenV knows where the person stays", "De DTenV weet waar de vreemdeling verblijft"
    )
    absconding_or_no_cooperation: bool = fact(
        "The person will abscond or does not cooperate with return",
        "De vreemdeling zal zich aan het toezicht onttrekken of werkt niet mee aan terugkeer",
        default=False,
    )
    lighter_measure_ineffective: bool = fact(
        "A lighter measure is not effective", "Een lichter middel is niet effectief", default=False
    )
    not_disproportionate: bool = fact(
        "Detention would not be disproportionately burdensome",
        "De bewaring is niet onevenredig belastend",
        default=False,
    )
    prospect_of_removal: bool = fact(
        "There is sufficient prospect of removal (for this person; the country's cooperation "
        "is read from the return register by nationality)",
        "Er is voldoende zicht op uitzetting (voor deze persoon; de medewerking van het land "
        "leest de regel uit het terugkeerregister bij de nationaliteit)",
        default=False,
    )
    nationality: str | None = fact(
        "Nationality (ISO 3166-1 alpha-2 code; none for a stateless person or unknown)",
        "Nationaliteit (ISO 3166-1 alpha-2-code; leeg bij staatloos of onbekend)",
        default=None,
        min_length=2,
        max_length=2,
    )
    valid_travel_document: bool = fact(
        "The person has a valid travel document (or a laissez-passer)",
        "De vreemdeling heeft een geldig reisdocument (of laissez-passer)",
    )
    travel_possible: bool = fact(
        "No travel obstacles, flights not suspended, and the person cooperates with the COVID-19 "
        "test requirements of the destination",
        "Geen reisbelemmeringen, vliegverbindingen niet gestaakt, en de vreemdeling werkt mee aan "
        "de coronatesteisen van het land van bestemming",
        default=True,
    )


STOPLIGHTS = Rule(
    id="return-stoplights",
    citation=CITATION,
    title=Text("Terugkeer: de stoplichten voor vertrek", "Return: the stoplights for departure"),
    facts=StoplightFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("stoplichten (2021)", "stoplights (2021)"),
            note=(
                "The seed holds odd pages only: the first stoplight's heading is on a missing "
                "page; "
                "Keten names it from the sub-item that survives (requests to postpone departure "
                "on medical grounds, art. 64 Vw). The fifth stoplight is temporary and dated."
            ),
            checks=(
                # The country's side of "zicht op uitzetting", from the dated return register
                # (data/return/cooperation.csv): the parameter's version in the trail names the
                # register entries it was built from. A country without an entry is unknown,
                # and then the person-level fact decides alone.
                check(
                    "register_no_prospect",
                    Fact("nationality").is_given() & Fact("nationality").isin(Param(NO_PROSPECT)),
                    "Terugkeerregister: geen zicht op uitzetting naar het land van nationaliteit",
                    "Return register: no prospect of removal to the country of nationality",
                    CITATION,
                ),
                check(
                    "detention_possible",
                    all_of(
                        Fact("absconding_or_no_cooperation"),
                        Fact("lighter_measure_ineffective"),
                        Fact("not_disproportionate"),
                        Fact("prospect_of_removal"),
                        ~Ref("register_no_prospect"),
                    ),
                    "De vreemdeling kan in bewaring gesteld worden",
                    "The person can be detained",
                    CITATION,
                ),
                check(
                    "fifth_light_applies",
                    Param("return.temporary_travel_stoplight"),
                    "Tijdelijk vijfde stoplicht van toepassing",
                    "The temporary fifth stoplight applies",
                    CITATION,
                ),
            ),
            outputs=(
                Checklist(
                    "red_lights",
                    Text("Rode stoplichten", "Red stoplights"),
                    (
                        item(
                            "procedure_blocks_departure",
                            ~Fact("no_procedure_blocks_departure"),
                            "Een procedure of verzoek staat vertrek in de weg",
                            "A procedure or request stands in the way of departure",
                            CITATION,
                        ),
                        item(
                            "not_available_for_departure",
                            ~Fact("whereabouts_known"),
                            "Niet beschikbaar voor vertrek",
                            "Not available for departure",
                            CITATION,
                        ),
                        item(
                            "cannot_be_detained",
                            ~Ref("detention_possible"),
                            "Kan niet in bewaring gesteld worden",
                            "Cannot be detained",
                            CITATION,
                        ),
                        item(
                            "no_travel_document",
                            ~Fact("valid_travel_document"),
                            "Geen geldig reisdocument",
                            "No valid travel document",
                            CITATION,
                        ),
                        item(
                            "travel_obstacles",
                            Ref("fifth_light_applies") & ~Fact("travel_possible"),
                            "Reisbelemmeringen of geen medewerking aan testeisen",
                            "Travel obstacles or no cooperation with test requirements",
                            CITATION,
                        ),
                    ),
                    citation=CITATION,
                ),
                decide(
                    "ready_for_departure",
                    "Vertrekklaar (alle stoplichten groen)",
                    "Ready for departure (all stoplights green)",
                    (ListLen(Ref("red_lights")).eq(0), True, CITATION),
                    otherwise=(False, CITATION),
                ),
            ),
            quotes=(
                Quote(
                    "De vreemdeling is beschikbaar voor vertrek als de DT&V weet waar hij "
                    "verblijft.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Vreemdelingenbewaring is de meest vergaande maatregel om vreemdelingen "
                    "beschikbaar te houden voor vertrek. Tot inbewaringstelling kan pas worden "
                    "overgegaan als lichtere toezichtsmaatregelen niet (meer) doeltreffend zijn.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Na april 2021 is het aantal bewaringen van Marokkanen sterk gedaald door "
                    "ontbreken zicht op uitzetting",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Voor terugkeer hebben vreemdelingen een geldig reisdocument nodig.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "En ‘tijdelijk’ is er een vijfde stoplicht: Er moeten geen reisbelemmeringen "
                    "zijn/ vliegverbindingen niet zijn gestaakt, en de vreemdeling moet meewerken "
                    "aan de Corona test-eisen van het land van bestemming.",
                    BRIEFING,
                    WHERE,
                ),
                Quote(
                    "Vaak wordt niet aan alle voorwaarden tegelijk voldaan. De organisaties in de "
                    "migratieketen werken er hard aan om op alle punten te zorgen dat de "
                    "vreemdeling vertrek klaar is.",
                    BRIEFING,
                    WHERE,
                ),
            ),
        ),
    ),
)

RULES = (STOPLIGHTS,)
