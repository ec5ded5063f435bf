"""Vc 2000 chapter A3: departure (A3/5.1 departure with the help of the IOM, REAN)."""

from __future__ import annotations

from datetime import date

from keten.rules.build import check, decide
from keten.rules.expr import ON, Expr, Fact, Param, Ref, any_of
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
A3_51 = "Vc 2000 A3/5.1"
WHERE_D = "Artikel I, onderdeel D (A3/5.1)"


class ReanFacts(RuleFacts):
    applied_to_iom: bool = fact(
        "Lodged an application for voluntary departure with the IOM",
        "Heeft een aanvraag voor vrijwillig vertrek ingediend bij de IOM",
    )
    signed_consent: bool = fact(
        "Signed the application form consenting to the exchange of information and personal "
        "data between IOM, IND, DTenV and the other chain partners",
        "Heeft het aanvraagformulier ondertekend met de verklaring geen bezwaar te hebben tegen "
        "het uitwisselen van informatie en persoonsgegevens",
    )
    nationality: str = fact(
        "Nationality (ISO 3166-1 alpha-2 code, TW for Taiwan)",
        "Nationaliteit (ISO 3166-1 alpha-2-code, TW voor Taiwan)",
        min_length=2,
        max_length=2,
    )
    permit_country: str | None = fact(
        "Country that issued a valid (temporary) regular residence permit or a permanent asylum "
        "permit the person holds (ISO code), if any",
        "Land dat een geldige (tijdelijke) reguliere verblijfsvergunning of een asielvergunning "
        "voor onbepaalde tijd heeft afgegeven (ISO-code), indien aanwezig",
        default=None,
    )
    iom_application_date: date | None = fact(
        "Day of the application to the IOM (the five years are counted back from it; without it, "
        "from the reference date)",
        "Datum van de aanvraag bij de IOM (de vijf jaar worden daarvanaf teruggeteld; zonder "
        "datum vanaf de peildatum)",
        default=None,
    )
    last_supported_departure: date | None = fact(
        "Day the person last left the EU, independently or forced, with support of DTenV, Frontex "
        "or IOM",
        "Datum waarop de vreemdeling de EU het laatst verliet, zelfstandig of gedwongen, met "
        "ondersteuning van DTenV, Frontex of IOM",
        default=None,
    )
    trafficking_victim: bool = fact(
        "(Possible) victim of human trafficking",
        "(Mogelijk) slachtoffer van mensenhandel",
        default=False,
    )
    unaccompanied_minor: bool = fact(
        "Unaccompanied minor", "Alleenstaande minderjarige vreemdeling", default=False
    )
    distressing_case: bool = fact(
        "Another distressing case (schrijnend geval) in the IOM's view",
        "Ander schrijnend geval naar het oordeel van de IOM",
        default=False,
    )
    signalled_for_investigation: bool = fact(
        "Signalled (gesignaleerd) for criminal investigation",
        "Gesignaleerd vanwege opsporing",
        default=False,
    )
    planned_removal_or_transfer: bool = fact(
        "A removal or a transfer under Regulation (EU) 604/2013 is planned",
        "Een uitzetting of overdracht in het kader van Verordening (EU) 604/2013 is gepland",
        default=False,
    )
    dtenv_started_and_objects: bool = fact(
        "DTenV had already started departure actions and decided to object to departure via IOM",
        "De DTenV was al gestart met vertrekhandelingen en heeft besloten bezwaar te maken tegen "
        "vertrek via de IOM",
        default=False,
    )


# The World Bank's top 35 is read from the country register by nationality, never asked: the
# parameter's version in the trail names the register's version and the World Bank edition.
TOP35 = Param("countries.world_bank_top35_income")


def _excluded_country(code: Expr) -> Expr:
    return any_of(
        code.isin(Param("countries.eu_member_states")),
        code.isin(Param("countries.eea_efta_non_eu")),
        code.isin(Param("countries.european_microstates")),
        code.isin(TOP35),
        code.eq("TW"),  # "inclusief Taiwan"
    )


REAN = Rule(
    id="vc-a3-5.1-rean",
    citation=A3_51,
    title=Text(
        "Vertrek met behulp van de IOM: REAN-programma en bezwaren van IND en DTenV",
        "Departure with the help of the IOM: the REAN programme and IND and DTenV objections",
    ),
    facts=ReanFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=(
                "The sources give this paragraph as rewritten by WBV 2025/14 (DT&V renamed DTenV, "
                "DISA added to the chain partners); since when it applied is not in the sources."
            ),
            checks=(
                check(
                    "actions_done",
                    Fact("applied_to_iom") & Fact("signed_consent"),
                    "Aanvraag bij de IOM ingediend en aanvraagformulier ondertekend",
                    "Applied to the IOM and signed the application form",
                    A3_51,
                ),
                check(
                    "nationality_top35",
                    Fact("nationality").isin(TOP35),
                    "Land van nationaliteit hoort tot de top 35 van inkomens per hoofd "
                    "(Wereldbank, landenregister)",
                    "Country of nationality among the top 35 incomes per head (World Bank, "
                    "country register)",
                    A3_51,
                ),
                check(
                    "nationality_excluded",
                    _excluded_country(Fact("nationality")),
                    "Nationaliteit van een uitgesloten land",
                    "Nationality of an excluded country",
                    A3_51,
                ),
                check(
                    "permit_excluded",
                    Fact("permit_country").is_given() & _excluded_country(Fact("permit_country")),
                    "Verblijfsvergunning van een uitgesloten land",
                    "Residence permit of an excluded country",
                    A3_51,
                ),
                check(
                    "supported_departure_within_5_years",
                    Fact("last_supported_departure").is_given()
                    & (
                        Fact("last_supported_departure")
                        > Fact("iom_application_date").otherwise(ON).shifted(years=-5)
                    ),
                    "De afgelopen vijf jaar met ondersteuning de EU verlaten",
                    "Left the EU with support in the past five years",
                    A3_51,
                    note=(
                        "Keten reads 'de afgelopen vijf jaar' as the five years ending on the day "
                        "of the application to the IOM (the reference date when that day is not "
                        "given): a departure exactly five years earlier falls outside."
                    ),
                ),
                check(
                    "exception",
                    Fact("trafficking_victim")
                    | Fact("unaccompanied_minor")
                    | Fact("distressing_case"),
                    "Slachtoffer mensenhandel, amv of ander schrijnend geval",
                    "Trafficking victim, unaccompanied minor or other distressing case",
                    A3_51,
                ),
                check(
                    "ind_objection",
                    Fact("signalled_for_investigation"),
                    "Bezwaar IND: gesignaleerd vanwege opsporing",
                    "IND objection: signalled for investigation",
                    A3_51,
                ),
                check(
                    "dtenv_objection",
                    Fact("planned_removal_or_transfer") | Fact("dtenv_started_and_objects"),
                    "Bezwaar DTenV: geplande uitzetting of overdracht",
                    "DTenV objection: planned removal or transfer",
                    A3_51,
                ),
            ),
            outputs=(
                decide(
                    "eligibility",
                    "In aanmerking voor het REAN-programma",
                    "Eligible for the REAN programme",
                    (~Ref("actions_done"), "incomplete_application", A3_51),
                    (
                        Ref("nationality_excluded")
                        | Ref("permit_excluded")
                        | Ref("supported_departure_within_5_years"),
                        "not_eligible",
                        A3_51,
                    ),
                    otherwise=("eligible", A3_51),
                    values={
                        "incomplete_application": (
                            "niet alle handelingen verricht",
                            "not all required actions taken",
                        ),
                        "not_eligible": ("komt niet in aanmerking", "not eligible"),
                        "eligible": ("komt in aanmerking", "eligible"),
                    },
                ),
                decide(
                    "iom_may_assist_by_exception",
                    "IOM kan in afwijking assistentie verlenen",
                    "IOM may assist by way of exception",
                    (
                        Ref("eligibility").eq("not_eligible") & Ref("exception"),
                        True,
                        A3_51,
                    ),
                    otherwise=(False, A3_51),
                ),
                decide(
                    "objection",
                    "Bezwaar tegen vertrek via de IOM",
                    "Objection to departure via the IOM",
                    (Ref("ind_objection"), "ind", A3_51),
                    (Ref("dtenv_objection"), "dtenv", A3_51),
                    otherwise=("none", A3_51),
                    values={
                        "ind": ("de IND heeft bezwaar", "the IND objects"),
                        "dtenv": ("de DTenV heeft bezwaar", "the DTenV objects"),
                        "none": ("geen bezwaar", "no objection"),
                    },
                ),
                decide(
                    "departure",
                    "Vertrek",
                    "Departure",
                    (Ref("objection").ne("none"), "via_dtenv", A3_51),
                    (Ref("eligibility").eq("eligible"), "via_iom_rean", A3_51),
                    (Ref("iom_may_assist_by_exception"), "via_iom_by_exception", A3_51),
                    otherwise=("not_via_iom", A3_51),
                    values={
                        "via_dtenv": (
                            "het vertrek vindt via de DTenV plaats",
                            "departure via the DTenV",
                        ),
                        "via_iom_rean": ("via het REAN-programma", "via the REAN programme"),
                        "via_iom_by_exception": (
                            "IOM verleent in afwijking assistentie",
                            "IOM assists by way of exception",
                        ),
                        "not_via_iom": ("niet via de IOM", "not via the IOM"),
                    },
                ),
            ),
            quotes=(
                Quote(
                    "Om in aanmerking te komen voor het REAN-programma moet een vreemdeling alle "
                    "volgende handelingen verrichten: een aanvraag voor vrijwillig vertrek "
                    "indienen "
                    "bij de IOM; een aanvraagformulier ondertekenen waarin de vreemdeling "
                    "verklaart "
                    "geen bezwaar te hebben tegen:",
                    WBV,
                    WHERE_D,
                ),
                Quote(
                    "Een vreemdeling komt niet in aanmerking voor het REAN-programma als hij de "
                    "nationaliteit heeft van, of in het bezit is van een geldig (tijdelijke) "
                    "reguliere verblijfsvergunning, of een asielvergunning voor onbepaalde tijd, "
                    "van: een lidstaat van de EU; landen die deel uitmaken van de EER en/of EVA; "
                    "een van de Europese microstaten (Andorra, Liechtenstein, Monaco, San Marino "
                    "en "
                    "Vaticaanstad); een land dat behoort tot de top 35 van de hoogste inkomens per "
                    "hoofd van de bevolking volgens de Wereldbank, inclusief Taiwan.",
                    WBV,
                    WHERE_D,
                ),
                Quote(
                    "Een vreemdeling komt ook niet in aanmerking voor het REAN-programma als hij "
                    "de "
                    "afgelopen vijf jaar de EU heeft verlaten, zelfstandig of gedwongen, met "
                    "ondersteuning van de DTenV, Frontex, of de IOM.",
                    WBV,
                    WHERE_D,
                ),
                Quote(
                    "De IOM kan in afwijking van het voorgaande (mogelijke) slachtoffers van "
                    "mensenhandel en alleenstaande minderjarige vreemdelingen, of in andere "
                    "schrijnende gevallen, ongeacht de nationaliteit of land van bestemming van de "
                    "vreemdeling, assistentie verlenen bij het vertrek.",
                    WBV,
                    WHERE_D,
                ),
                Quote(
                    "De IND heeft bezwaar tegen vertrek via de IOM, als de vreemdeling "
                    "gesignaleerd "
                    "staat vanwege opsporing.",
                    WBV,
                    WHERE_D,
                ),
                Quote(
                    "De DTenV heeft bezwaar tegen vertrek via de IOM van een vreemdeling vanwege "
                    "een "
                    "geplande uitzetting of overdracht in het kader van de verordening (EU) nr. "
                    "604/2013.",
                    WBV,
                    WHERE_D,
                ),
                Quote(
                    "Als er geen bezwaar is tegen het vrijwillig vertrek zal de vreemdeling door "
                    "de "
                    "IOM worden geïnformeerd dat hij via het REAN-programma mag vertrekken.",
                    WBV,
                    WHERE_D,
                ),
            ),
        ),
    ),
)

RULES = (REAN,)
