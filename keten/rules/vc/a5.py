"""Vc 2000 chapter A5: detention of unaccompanied minors and families with minors (A5/2.4)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide
from keten.rules.expr import Fact, Ref, if_
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
A5_24 = "Vc 2000 A5/2.4"
WHERE_F = "Artikel I, onderdeel F (A5/2.4)"
SINCE_UNKNOWN = (
    "The sources give this paragraph as rewritten by WBV 2025/14 (its explanatory note adds the "
    "transfer file to DTenV for minors who are not detained); since when the detention rules "
    "applied is not in the sources."
)

# -- unaccompanied minors ----------------------------------------------------------------------


class AmvDetentionFacts(RuleFacts):
    detention_start: date = fact("First day of detention", "Eerste dag van de bewaring")
    suspected_or_convicted: bool = fact(
        "(a) Suspected of or convicted for a crime",
        "(a) Verdacht van of veroordeeld voor een misdrijf",
        default=False,
    )
    absconded_or_breached: bool = fact(
        "(b) Earlier left reception for an unknown destination, or did not keep to a reporting "
        "duty or restriction measure",
        "(b) Eerder met onbekende bestemming vertrokken uit de opvang, of meldplicht of "
        "vrijheidsbeperkende maatregel niet nageleefd",
        default=False,
    )
    first_encountered_in_supervision: bool = fact(
        "Encountered in supervision of aliens for the first time",
        "Voor het eerst in het vreemdelingentoezicht aangetroffen",
        default=False,
    )
    departure_within_days: int | None = fact(
        "Days within which removal or transfer can reasonably be expected (empty: not foreseeable)",
        "Aantal dagen waarbinnen uitzetting of overdracht redelijkerwijs kan worden verwacht "
        "(leeg: niet te voorzien)",
        default=None,
        ge=0,
    )
    resistance: bool = fact("(Physical) resistance", "(Fysiek) verzet", default=False)
    unfounded_late_procedures: bool = fact(
        "Started procedures without good reason for not starting them earlier",
        "Procedures gestart zonder gegronde reden om die niet eerder te starten",
        default=False,
    )
    asylum_application_pending: bool = fact(
        "A procedure on an asylum application of the minor is (being) started",
        "Er is een (gestarte) procedure op een asielaanvraag van de amv",
        default=False,
    )


AMV_DETENTION = Rule(
    id="vc-a5-2.4-detention-amv",
    citation=A5_24,
    title=Text(
        "Bewaring van alleenstaande minderjarige vreemdelingen",
        "Detention of unaccompanied minors",
    ),
    facts=AmvDetentionFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=(
                check(
                    "window_days",
                    if_(Fact("first_encountered_in_supervision"), 28, 14),
                    "Termijn voor vertrek (twee weken; vier weken als voor het eerst aangetroffen)",
                    "Window for departure (two weeks; four weeks if encountered for the first "
                    "time)",
                    f"{A5_24} onder c",
                ),
                check(
                    "ground_c",
                    Fact("departure_within_days") <= Ref("window_days"),
                    "Vertrek binnen de termijn te realiseren",
                    "Departure can be realised within the window",
                    f"{A5_24} onder c",
                ),
                check(
                    "serious_interests",
                    Fact("suspected_or_convicted")
                    | Fact("absconded_or_breached")
                    | Ref("ground_c").otherwise(False),
                    "Zwaarwegende belangen (a, b of c)",
                    "Serious interests (a, b or c)",
                    A5_24,
                ),
                check(
                    "statutory_terms",
                    Fact("suspected_or_convicted")
                    | Fact("absconded_or_breached")
                    | Fact("resistance")
                    | Fact("unfounded_late_procedures"),
                    "Wettelijke termijnen van art. 59, 59a en 59b Vw gelden",
                    "The statutory terms of art. 59, 59a and 59b Vw apply",
                    f"{A5_24} ad a en b; ad c",
                ),
            ),
            outputs=(
                decide(
                    "detention_permitted",
                    "Bewaring mogelijk",
                    "Detention possible",
                    (Ref("serious_interests"), True, A5_24),
                    otherwise=(False, A5_24),
                ),
                decide(
                    "maximum",
                    "Duur van de bewaring",
                    "Length of detention",
                    (~Ref("detention_permitted"), None, A5_24),
                    (Ref("statutory_terms"), "statutory_terms_59_59a_59b", f"{A5_24} ad a en b"),
                    (Ref("window_days").eq(28), "4_weeks", f"{A5_24} ad c"),
                    otherwise=("2_weeks", f"{A5_24} ad c"),
                    values={
                        "statutory_terms_59_59a_59b": (
                            "wettelijke termijnen van artikel 59, 59a en 59b Vw",
                            "statutory terms of Articles 59, 59a and 59b Vw",
                        ),
                        "4_weeks": ("vier weken", "four weeks"),
                        "2_weeks": ("twee weken", "two weeks"),
                    },
                ),
                decide(
                    "ends_by",
                    "Bewaring in beginsel uiterlijk tot",
                    "Detention in principle at the latest until",
                    (Ref("maximum").eq("4_weeks"), Fact("detention_start").shifted(weeks=4), A5_24),
                    (Ref("maximum").eq("2_weeks"), Fact("detention_start").shifted(weeks=2), A5_24),
                    otherwise=(None, A5_24),
                ),
                decide(
                    "measure",
                    "Grondslag",
                    "Legal basis",
                    (
                        Ref("detention_permitted") & Fact("asylum_application_pending"),
                        "Vw art. 59b",
                        A5_24,
                    ),
                    otherwise=(None, A5_24),
                    values={
                        "Vw art. 59b": ("artikel 59b Vw", "Article 59b Vw"),
                    },
                ),
                decide(
                    "placed_in_ggv_by",
                    "Uiterlijk geplaatst in de Gesloten Gezinsvoorziening op",
                    "Placed in the closed family facility at the latest on",
                    (Ref("detention_permitted"), Fact("detention_start").shifted(days=5), A5_24),
                    otherwise=(None, A5_24),
                ),
            ),
            quotes=(
                Quote(
                    "Van zwaarwegende belangen is uitsluitend sprake in de volgende situaties: a. "
                    "De amv is verdacht van of veroordeeld voor een misdrijf; b. De amv is eerder "
                    "met onbekende bestemming vertrokken uit de opvang of heeft zich niet gehouden "
                    "aan een opgelegde meldplicht of vrijheidsbeperkende maatregel; of c. Het "
                    "vertrek van de amv kan uiterlijk binnen twee weken gerealiseerd worden.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "Als de amv voor het eerst in het vreemdelingentoezicht wordt aangetroffen, "
                    "geldt een termijn van vier weken waarbinnen het vertrek gerealiseerd moet "
                    "worden.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "De bewaring duurt in deze gevallen in beginsel niet langer dan deze twee of "
                    "vier weken.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "De bewaring van een amv mag in deze gevallen uitsluitend langer dan twee of "
                    "vier weken duren als de uitzetting of overdracht niet kan plaats vinden door "
                    "tenminste één van de volgende omstandigheden: (fysiek) verzet; of het feit "
                    "dat "
                    "de amv één of meerdere procedures is gaan voeren terwijl er geen gegronde "
                    "reden was om die procedures niet reeds in een eerder stadium te starten.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "Ten aanzien van de plaatsing na inbewaringstelling van zowel alleenstaande "
                    "minderjarigen als gezinnen met minderjarigen geldt dat zij uiterlijk binnen "
                    "vijf dagen in de Gesloten Gezinsvoorziening geplaatst moeten worden.",
                    WBV,
                    WHERE_F,
                ),
            ),
        ),
    ),
)

# -- families with minors ---------------------------------------------------------------------


class FamilyDetentionFacts(RuleFacts):
    ground: Literal["59_1", "59_2", "59a", "59b"] = fact(
        "Legal basis of the detention (Vw art. 59(1), 59(2), 59a or 59b)",
        "Grondslag van de bewaring (Vw art. 59 lid 1, 59 lid 2, 59a of 59b)",
        choices={
            "59_1": ("artikel 59, eerste lid, Vw", "Article 59(1) Vw"),
            "59_2": ("artikel 59, tweede lid, Vw", "Article 59(2) Vw"),
            "59a": ("artikel 59a Vw", "Article 59a Vw"),
            "59b": ("artikel 59b Vw", "Article 59b Vw"),
        },
    )
    detention_start: date = fact("First day of detention", "Eerste dag van de bewaring")
    legal_conditions_all_members: bool = fact(
        "The statutory conditions of art. 5.1a and 5.1b Vb are met for every family member",
        "Bij alle gezinsleden is voldaan aan de voorwaarden van art. 5.1a en 5.1b Vb",
    )
    no_cooperation: bool = fact(
        "Acts, omissions or statements of a family member show no cooperation with departure, so "
        "that departure was avoided or hampered or there is a significant absconding risk",
        "Uit nalaten, handelen of uitlatingen van een gezinslid blijkt dat geen medewerking is "
        "verleend, waardoor het vertrek is vermeden of belemmerd of een (significant) risico op "
        "onttrekking bestaat",
        default=False,
    )
    departure_within_days: int | None = fact(
        "Days within which removal or transfer can be expected (empty: not foreseeable)",
        "Aantal dagen waarbinnen uitzetting of overdracht kan worden verwacht (leeg: niet te "
        "voorzien)",
        default=None,
        ge=0,
    )
    resistance: bool = fact(
        "(Physical) resistance of a family member",
        "(Fysiek) verzet van een gezinslid",
        default=False,
    )
    late_procedure_removable_on: date | None = fact(
        "A family member started a procedure after detention without good reason: the day the "
        "family became removable again",
        "Een gezinslid is na de bewaring zonder gegronde reden een procedure gaan voeren: de dag "
        "waarop het gezin weer verwijderbaar werd",
        default=None,
    )
    interim_relief_ruling_on: date | None = fact(
        "Day of the ruling on a request for interim relief that may be awaited in the Netherlands",
        "Dagtekening van de uitspraak op een verzoek om een voorlopige voorziening dat hier te "
        "lande mag worden afgewacht",
        default=None,
    )


FAMILY_DETENTION = Rule(
    id="vc-a5-2.4-detention-family",
    citation=A5_24,
    title=Text("Bewaring van gezinnen met minderjarigen", "Detention of families with minors"),
    facts=FamilyDetentionFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=(
                check(
                    "conditions",
                    Fact("legal_conditions_all_members")
                    & (Fact("ground").eq("59b") | Fact("no_cooperation")),
                    "Voorwaarden 5.1a/5.1b Vb; bij 59 en 59a ook geen medewerking",
                    "Conditions of art. 5.1a/5.1b Vb; for 59 and 59a also no cooperation",
                    A5_24,
                ),
                check(
                    "proportional",
                    Fact("departure_within_days") <= 14,
                    "Uitzetting of overdracht binnen twee weken te verwachten",
                    "Removal or transfer expected within two weeks",
                    f"{A5_24} (termijn)",
                ),
            ),
            outputs=(
                decide(
                    "detention_permitted",
                    "Bewaring mogelijk",
                    "Detention possible",
                    (Ref("conditions") & Ref("proportional"), True, A5_24),
                    otherwise=(False, A5_24),
                ),
                decide(
                    "longest_until",
                    "Bewaring uiterlijk tot",
                    "Detention at the latest until",
                    (~Ref("detention_permitted"), None, A5_24),
                    (
                        Fact("interim_relief_ruling_on").is_given(),
                        Fact("interim_relief_ruling_on").shifted(weeks=2),
                        A5_24,
                    ),
                    (
                        Fact("late_procedure_removable_on").is_given(),
                        Fact("late_procedure_removable_on").shifted(weeks=2),
                        A5_24,
                    ),
                    (Fact("resistance"), None, A5_24),
                    otherwise=(Fact("detention_start").shifted(weeks=2), A5_24),
                ),
                decide(
                    "placed_in_ggv_by",
                    "Uiterlijk geplaatst in de Gesloten Gezinsvoorziening op",
                    "Placed in the closed family facility at the latest on",
                    (Ref("detention_permitted"), Fact("detention_start").shifted(days=5), A5_24),
                    otherwise=(None, A5_24),
                ),
            ),
            quotes=(
                Quote(
                    "In aanvulling daarop geldt bij bewaring op grond van artikel 59, eerste lid, "
                    "artikel 59, tweede lid, en artikel 59a, Vw, dat uit nalaten, handelen, of "
                    "uitlatingen van (één van) de gezinsleden moet blijken dat geen medewerking is "
                    "verleend aan de vertrekprocedure, waardoor: de vertrekprocedure is vermeden; "
                    "de vertrekprocedure is belemmerd; of het (significante) risico bestaat op "
                    "onttrekking aan het toezicht.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "Bewaring wordt alleen proportioneel geacht als verwacht mag worden dat de "
                    "uitzetting of overdracht binnen twee weken kan worden gerealiseerd.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "Als sprake is van een gestarte procedure zoals in de hierboven bedoelde zin, "
                    "kan de maatregel voortduren tot maximaal twee weken, na het moment dat het "
                    "gezin verwijderbaar is geworden.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "Als er een verzoek om een voorlopige voorziening is ingediend door de "
                    "vreemdeling waarvan de behandeling in Nederland mag worden afgewacht betekent "
                    "dit dat de vrijheidsontnemende maatregel mag voortduren tot uiterlijk twee "
                    "weken na dagtekening van de uitspraak van de voorzieningenrechter op het "
                    "verzoek om een voorlopige voorziening.",
                    WBV,
                    WHERE_F,
                ),
                Quote(
                    "Ten aanzien van de plaatsing na inbewaringstelling van zowel alleenstaande "
                    "minderjarigen als gezinnen met minderjarigen geldt dat zij uiterlijk binnen "
                    "vijf dagen in de Gesloten Gezinsvoorziening geplaatst moeten worden.",
                    WBV,
                    WHERE_F,
                ),
            ),
        ),
    ),
)

RULES = (AMV_DETENTION, FAMILY_DETENTION)
