"""Vc 2000 chapter B9: the Afsluitingsregeling (closing scheme of the Kinderpardon), B9/6.5."""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide
from keten.rules.expr import ON, Fact, Lit, Ref, age, if_
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Check, Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
B9_65 = "Vc 2000 B9/6.5"
WHERE_K = "Artikel I, onderdeel K (B9/6.5)"
# Dates written in the paragraph itself: the scheme is closed, they do not change.
PEILDATUM = Lit(date(2019, 1, 29))
AGE_WINDOW_START = Lit(date(2013, 2, 1))
SINCE_UNKNOWN = (
    "WBV 2025/14 made editorial corrections only (typing errors); since when the paragraph "
    "applied is not in the sources."
)


class AfsluitingsregelingFacts(RuleFacts):
    birth_date: date = fact("Date of birth", "Geboortedatum")
    original_application_date: date = fact(
        "Day of the original application", "Datum van de oorspronkelijke aanvraag"
    )
    asylum_application_date: date | None = fact(
        "Day the first asylum application by or for the person was lodged with the IND",
        "Datum waarop de eerste asielaanvraag door of namens de vreemdeling bij de IND is "
        "ingediend",
        default=None,
    )
    born_after_parent_applied: bool = fact(
        "Born after a parent's asylum procedure started (no own application needed)",
        "Geboren na de start van de asielprocedure van een ouder (eigen aanvraag niet nodig)",
        default=False,
    )
    last_known_before_peildatum: date | None = fact(
        "Last day on or before 29 January 2019 the person was known to IND, DTenV, COA or AVIM",
        "Laatste dag op of vóór 29 januari 2019 waarop de vreemdeling bekend was bij IND, DTenV, "
        "COA of AVIM",
        default=None,
    )
    concrete_indication_abroad: bool = fact(
        "Concrete indications that the person was outside the Netherlands on 29 January 2019",
        "Concrete indicaties dat de vreemdeling op 29 januari 2019 buiten Nederland verbleef",
        default=False,
    )
    presence_beyond_doubt: bool = fact(
        "IND data put presence in the Netherlands on 29 January 2019 beyond doubt",
        "Op basis van bij de IND bekende gegevens staat verblijf op de peildatum buiten twijfel",
        default=False,
    )
    longest_absence_from: date | None = fact(
        "First day of the longest continuous period out of sight of IND, DTenV, COA, AVIM or Nidos",
        "Eerste dag van de langste aaneengesloten periode uit beeld van IND, DTenV, COA, AVIM of "
        "Nidos",
        default=None,
    )
    longest_absence_until: date | None = fact(
        "Last day of that period", "Laatste dag van die periode", default=None
    )
    taken_over_by_other_member_state: bool = fact(
        "The person or a family member left for another member state that took over "
        "responsibility (e.g. under the Dublin Regulation)",
        "De vreemdeling of een gezinslid vertrok naar een andere lidstaat die de "
        "verantwoordelijkheid "
        "overnam (bijvoorbeeld ingevolge de Dublinverordening)",
        default=False,
    )
    main_residence_moved: bool = fact(
        "A circumstance of B1/6.2.1 (main residence moved) applies",
        "Een omstandigheid van B1/6.2.1 (verplaatsing hoofdverblijf) doet zich voor",
        default=False,
    )
    pending_procedures: bool = fact(
        "The person has pending procedures",
        "De vreemdeling heeft lopende procedures",
        default=False,
    )
    withdrawal_in_writing: bool = fact(
        "Stated in writing beforehand that pending procedures are withdrawn unconditionally on "
        "grant",
        "Heeft vooraf schriftelijk aangegeven lopende procedures onvoorwaardelijk in te trekken",
        default=False,
    )


def _main_checks() -> tuple[Check, ...]:
    application = if_(
        Fact("born_after_parent_applied"), Fact("birth_date"), Fact("asylum_application_date")
    )
    return (
        check(
            "known_within_3_months",
            (Fact("last_known_before_peildatum") >= PEILDATUM.shifted(months=-3))
            & (Fact("last_known_before_peildatum") <= PEILDATUM),
            "Bekend op de peildatum of uiterlijk drie maanden daarvoor",
            "Known on the reference date or at most three months before",
            B9_65,
        ),
        check(
            "present_on_peildatum",
            (Ref("known_within_3_months").otherwise(False) & ~Fact("concrete_indication_abroad"))
            | Fact("presence_beyond_doubt"),
            "In Nederland op de peildatum 29 januari 2019",
            "In the Netherlands on the reference date 29 January 2019",
            B9_65,
        ),
        check(
            "age_condition",
            (age(Fact("birth_date"), Fact("original_application_date")) < 19)
            | (age(Fact("birth_date"), AGE_WINDOW_START) < 19),
            "(a) Jonger dan 19 bij de oorspronkelijke aanvraag of ergens tussen 1 februari 2013 en "
            "29 januari 2019",
            "(a) Under 19 at the original application or at some moment between 1 February 2013 "
            "and 29 January 2019",
            f"{B9_65} onder a",
            note="Under 19 at some moment in the window is the same as under 19 on its first day.",
        ),
        check(
            "application_date",
            application,
            "Datum van de asielaanvraag (bij geboorte na de aanvraag van een ouder: geboortedatum)",
            "Date of the asylum application (born after a parent's application: date of birth)",
            f"{B9_65} onder b",
            note=(
                "For a person born after a parent's asylum procedure started, Keten counts the "
                "five years in the Netherlands from the date of birth."
            ),
        ),
        check(
            "applied_5_years_before_18",
            Ref("application_date") <= Fact("birth_date").shifted(years=13),
            "(b) Aanvraag ten minste vijf jaar vóór het bereiken van 18 jaar",
            "(b) Application at least five years before turning 18",
            f"{B9_65} onder b",
        ),
        check(
            "five_years_by_peildatum",
            Ref("application_date").shifted(years=5) <= PEILDATUM,
            "(b) Na de aanvraag uiterlijk op de peildatum ten minste vijf jaar in Nederland",
            "(b) At least five years in the Netherlands after the application by the reference "
            "date",
            f"{B9_65} onder b",
        ),
        check(
            "not_absconded",
            ~Fact("taken_over_by_other_member_state")
            & (
                Fact("longest_absence_from").is_missing()
                | (Fact("longest_absence_until") <= Fact("longest_absence_from").shifted(months=3))
            ),
            "(c) Niet langer dan drie maanden aaneengesloten uit beeld",
            "(c) Out of sight for no more than three consecutive months",
            f"{B9_65} onder c",
        ),
        check(
            "withdrawal_condition",
            ~Fact("pending_procedures") | Fact("withdrawal_in_writing"),
            "(d) Lopende procedures vooraf schriftelijk ingetrokken",
            "(d) Pending procedures withdrawn in writing beforehand",
            f"{B9_65} onder d",
        ),
    )


AFSLUITINGSREGELING = Rule(
    id="vc-b9-6.5-afsluitingsregeling",
    citation=B9_65,
    title=Text(
        "Afsluitingsregeling: verblijfsvergunning voor de hoofdpersoon",
        "Closing scheme (Afsluitingsregeling): residence permit for the main applicant",
    ),
    facts=AfsluitingsregelingFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=_main_checks(),
            outputs=(
                decide(
                    "decision",
                    "Beslissing",
                    "Decision",
                    (~Ref("present_on_peildatum"), "refuse_not_present_on_peildatum", B9_65),
                    (~Ref("age_condition"), "refuse_age", f"{B9_65} onder a"),
                    (
                        ~(Ref("applied_5_years_before_18") & Ref("five_years_by_peildatum"))
                        | Fact("main_residence_moved"),
                        "refuse_application_or_stay",
                        f"{B9_65} onder b",
                    ),
                    (~Ref("not_absconded"), "refuse_absconded", f"{B9_65} onder c"),
                    (~Ref("withdrawal_condition"), "refuse_no_withdrawal", f"{B9_65} onder d"),
                    otherwise=("grant", B9_65),
                    values={
                        "refuse_not_present_on_peildatum": (
                            "weigeren: niet in Nederland op de peildatum",
                            "refuse: not in the Netherlands on the reference date",
                        ),
                        "refuse_age": (
                            "weigeren: leeftijdsvoorwaarde (onder a)",
                            "refuse: age condition (under a)",
                        ),
                        "refuse_application_or_stay": (
                            "weigeren: aanvraag of verblijf van vijf jaar (onder b)",
                            "refuse: application or five years' stay (under b)",
                        ),
                        "refuse_absconded": (
                            "weigeren: onttrokken aan het toezicht (onder c)",
                            "refuse: absconded from supervision (under c)",
                        ),
                        "refuse_no_withdrawal": (
                            "weigeren: procedures niet ingetrokken (onder d)",
                            "refuse: pending procedures not withdrawn (under d)",
                        ),
                        "grant": ("vergunning verlenen", "grant the permit"),
                    },
                ),
            ),
            quotes=(
                Quote(
                    "De IND beoordeelt in alle gevallen of de vreemdeling zich op de peildatum van "
                    "29 januari 2019 in Nederland bevond.",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "De IND neemt verblijf op de peildatum in beginsel aan indien de vreemdeling "
                    "op "
                    "die datum dan wel op enig moment in de periode van uiterlijk drie maanden "
                    "daarvoor bekend was bij de IND, DTenV, COA, of AVIM.",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "die jonger is dan 19 jaar op het moment van de oorspronkelijke aanvraag, dan "
                    "wel op enig moment tussen 1 februari 2013 en 29 januari 2019;",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "die zelf, dan wel ten behoeve van wie, ten minste vijf jaar voor het bereiken "
                    "van de leeftijd van 18 jaar een aanvraag voor een verblijfsvergunning asiel "
                    "voor bepaalde tijd heeft, dan wel is, ingediend bij de IND en na die aanvraag "
                    "uiterlijk op de peildatum (29 januari 2019) ten minste vijf jaar in Nederland "
                    "heeft verbleven;",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "die zich gedurende de periode van verblijf in Nederland niet langer dan een "
                    "aaneengesloten periode van drie maanden heeft onttrokken aan het toezicht van "
                    "IND, DTenV, COA of AVIM (in het kader van de meldplicht), of in het geval van "
                    "alleenstaande minderjarige vreemdelingen, van voogdijinstelling Nidos;",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "Als de vreemdeling of een gezinslid naar een andere Europese lidstaat is "
                    "vertrokken en deze lidstaat de verantwoordelijkheid voor de vreemdeling of "
                    "het "
                    "gezinslid overneemt, bijvoorbeeld ingevolge de Dublinverordening, dan neemt "
                    "de "
                    "IND aan dat sprake is van langdurig onttrekken aan het toezicht ongeacht de "
                    "termijn van drie maanden.",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "De IND werpt niet tegen dat door of namens de vreemdeling geen asielaanvraag "
                    "is ingediend als een ouder van de vreemdeling een asielaanvraag heeft "
                    "ingediend en de vreemdeling na de start van de asielprocedure is geboren.",
                    WBV,
                    WHERE_K,
                ),
            ),
        ),
    ),
)

# -- family members ---------------------------------------------------------------------------


class AfsluitingsregelingFamilyFacts(RuleFacts):
    main_person_granted: bool = fact(
        "A permit is granted to the main person under the scheme",
        "Aan de hoofdpersoon wordt een vergunning verleend op grond van de regeling",
    )
    relation: Literal["parent", "sibling", "partner", "child"] = fact(
        "Relation to the main person",
        "Relatie tot de hoofdpersoon",
        choices={
            "parent": ("ouder", "parent"),
            "sibling": ("broer of zus", "brother or sister"),
            "partner": ("partner van de hoofdpersoon", "partner of the main person"),
            "child": ("kind van de hoofdpersoon", "child of the main person"),
        },
    )
    birth_date: date = fact("Date of birth of the family member", "Geboortedatum van het gezinslid")
    part_of_family_on_peildatum: bool = fact(
        "Part of the main person's family on 29 January 2019",
        "Maakte op 29 januari 2019 deel uit van het gezin van de hoofdpersoon",
    )
    family_bond_broken_now: bool = fact(
        "The actual family bond is broken at the time of assessment",
        "Op het moment van beoordeling is de feitelijke gezinsband verbroken",
        default=False,
    )
    bond_with_parents_siblings_broken: bool = fact(
        "The main person's actual family bond with parents and siblings is broken",
        "De feitelijke gezinsband van de hoofdpersoon met ouders en broers of zussen is verbroken",
        default=False,
    )
    durable_relationship_on_peildatum: bool = fact(
        "(Partner) a durable and exclusive relationship, a valid marriage or a registered "
        "partnership with the main person on 29 January 2019",
        "(Partner) op de peildatum een duurzame en exclusieve relatie, geldig huwelijk of "
        "geregistreerd partnerschap met de hoofdpersoon",
        default=False,
    )
    family_life_on_peildatum: bool = fact(
        "(Child of the main person) family life actually exercised on 29 January 2019",
        "(Kind van de hoofdpersoon) op de peildatum feitelijke invulling aan het gezinsleven",
        default=False,
    )


FAMILY = Rule(
    id="vc-b9-6.5-family-member",
    citation=B9_65,
    title=Text(
        "Afsluitingsregeling: verblijfsvergunning voor gezinsleden",
        "Closing scheme (Afsluitingsregeling): residence permit for family members",
    ),
    facts=AfsluitingsregelingFamilyFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=(
                check(
                    "age_on_peildatum",
                    age(Fact("birth_date"), PEILDATUM),
                    "Leeftijd op 29 januari 2019",
                    "Age on 29 January 2019",
                    B9_65,
                ),
                check(
                    "family_member",
                    if_(
                        Fact("relation").isin(("parent", "sibling")),
                        Fact("part_of_family_on_peildatum"),
                        if_(
                            Fact("relation").eq("partner"),
                            Fact("bond_with_parents_siblings_broken")
                            & (Ref("age_on_peildatum") >= 18)
                            & Fact("durable_relationship_on_peildatum"),
                            Fact("bond_with_parents_siblings_broken")
                            & (age(Fact("birth_date"), ON) < 18)
                            & Fact("family_life_on_peildatum"),
                        ),
                    ),
                    "Gezinslid in de zin van de regeling",
                    "Family member within the meaning of the scheme",
                    f"{B9_65} (gezinsleden)",
                ),
            ),
            outputs=(
                decide(
                    "grant",
                    "Vergunning voor het gezinslid",
                    "Permit for the family member",
                    (
                        Fact("main_person_granted")
                        & Ref("family_member")
                        & ~Fact("family_bond_broken_now"),
                        True,
                        B9_65,
                    ),
                    otherwise=(False, B9_65),
                ),
            ),
            quotes=(
                Quote(
                    "De IND verleent ook een vergunning aan gezinsleden die op de peildatum van 29 "
                    "januari 2019 deel uitmaken van het gezin van de vreemdeling aan wie een "
                    "vergunning wordt verleend, tenzij op het moment van beoordeling de feitelijke "
                    "gezinsband inmiddels is verbroken.",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "Onder gezinsleden verstaat de IND: ouders; minderjarige broer(s)of zus(sen) "
                    "die minderjarig waren op de peildatum; meerderjarige broer(s)of zus(sen) die "
                    "op de peildatum nog onderdeel vormen van het gezin.",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "de vreemdeling van achttien jaar of ouder die op de peildatum een duurzame en "
                    "exclusieve relatie onderhoudt met de hoofdpersoon",
                    WBV,
                    WHERE_K,
                ),
                Quote(
                    "het minderjarige kind van wie de hoofdpersoon de biologische of juridische "
                    "ouder is, mits er op de peildatum feitelijke invulling aan het gezinsleven "
                    "wordt gegeven.",
                    WBV,
                    WHERE_K,
                ),
            ),
        ),
    ),
)

RULES = (AFSLUITINGSREGELING, FAMILY)
