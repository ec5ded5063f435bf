"""Vc 2000 chapter B1: regular residence, general conditions (B1/4.3.3.1, B1/8.2.2)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide, item
from keten.rules.expr import ON, Contains, CountAtLeast, Fact, ListAdd, ListSum, Ref
from keten.rules.facts import ChoiceLabels, Money, MonthlyAmounts, RuleFacts, fact
from keten.rules.rule import (
    Branch,
    Check,
    Checklist,
    Decide,
    Quote,
    Rule,
    RuleVersion,
    Text,
    either,
)
from keten.rules.vc.company_evidence import company_documents

WBV = "004_cbc7489b66a820d5.txt"
B1_4331 = "Vc 2000 B1/4.3.3.1"
NOTE_G = "WBV 2025/14, toelichting onder G"

ZERO_MONTHS = [0] * 12

# -- B1/4.3.3.1 income from employment ---------------------------------------------------------


class IncomeFacts(RuleFacts):
    monthly_income: MonthlyAmounts = fact(
        "Gross income from employment in each of the twelve months directly before the "
        "application (or before the decision), fixed plus irregular (overtime, weekend "
        "allowances), oldest month first, in euros; without WW/ZW benefits",
        "Bruto inkomen uit arbeid in loondienst in elk van de twaalf maanden direct voorafgaand "
        "aan de aanvraag (of het moment van beschikken), vast plus onregelmatig (overwerk, "
        "toelage weekenddiensten), oudste maand eerst, in euro; zonder WW/ZW-uitkering",
    )
    monthly_ww_zw_benefit: MonthlyAmounts = fact(
        "Unemployment (WW) and sickness (ZW) benefit received in each of the same twelve months, "
        "in euros",
        "Werkloosheids- (WW) en ziektewetuitkering (ZW) ontvangen in elk van dezelfde twaalf "
        "maanden, in euro",
        default=ZERO_MONTHS,
    )
    ww_zw_benefit_weeks: int = fact(
        "Total number of weeks the WW/ZW benefits were received",
        "Totaal aantal weken dat WW/ZW-uitkering is ontvangen",
        default=0,
        ge=0,
    )
    monthly_norm: Money = fact(
        "The income norm per month the IND applies to this application, in euros",
        "De norm die de IND per maand hanteert voor deze aanvraag, in euro",
    )


INCOME_TITLE = Text(
    nl="Inkomen uit arbeid in loondienst: voldoende over twaalf maanden",
    en="Income from employment: sufficient over twelve months",
)

_total_checks = (
    Check(
        "income_12_months",
        ListSum(Fact("monthly_income")),
        Text("Inkomen uit loondienst over twaalf maanden", "Income from employment, twelve months"),
        f"{B1_4331}.6",
    ),
)

INCOME_BEFORE = RuleVersion(
    starts=None,
    label=Text("vóór WBV 2025/14 (11-uit-12-regel)", "before WBV 2025/14 (11-of-12 rule)"),
    note=(
        "The sources give this version only through the explanatory note of WBV 2025/14: Keten "
        "reads the 11-of-12 rule as 'the income meets the monthly norm in at least 11 of the 12 "
        "months' and WW/ZW benefits as counting only when received for no more than 26 weeks in "
        "total. Since when this version applied is not in the sources."
    ),
    checks=(
        *_total_checks,
        Check(
            "benefit_within_26_weeks",
            Fact("ww_zw_benefit_weeks") <= 26,
            Text(
                "WW/ZW-uitkering in totaal niet langer dan 26 weken ontvangen",
                "WW/ZW benefit received for no more than 26 weeks in total",
            ),
            NOTE_G,
        ),
        Check(
            "counted_per_month",
            ListAdd(Fact("monthly_income"), Fact("monthly_ww_zw_benefit")),
            Text("Meegeteld inkomen per maand", "Income counted per month"),
            NOTE_G,
            only_if=Ref("benefit_within_26_weeks"),
        ),
        Check(
            "months_at_norm",
            CountAtLeast(
                Ref("counted_per_month").otherwise(Fact("monthly_income")), Fact("monthly_norm"), 12
            ),
            Text(
                "Maanden waarin het inkomen de norm haalt", "Months in which income meets the norm"
            ),
            f"{NOTE_G} (11-uit-12-regel)",
            note="Reading of the 11-of-12 rule from its name in the explanatory note.",
        ),
        Check(
            "sufficient",
            Ref("months_at_norm") >= 11,
            Text(
                "In ten minste 11 van de 12 maanden voldoende",
                "Sufficient in at least 11 of 12 months",
            ),
            f"{NOTE_G} (11-uit-12-regel)",
        ),
    ),
    outputs=(
        Decide(
            "income_sufficient",
            Text("Inkomen voldoende", "Income sufficient"),
            (
                Branch(Ref("sufficient"), True, f"{NOTE_G} (11-uit-12-regel)"),
                Branch(None, False, f"{NOTE_G} (11-uit-12-regel)"),
            ),
        ),
    ),
    quotes=(
        Quote(
            "In paragraaf B1/4.3.3.1 Vc worden werkloosheids- en ziektewetuitkeringen echter nog "
            "gelijkgesteld met inkomen uit arbeid in loondienst, zolang deze uitkeringen in totaal "
            "niet langer dan 26 weken zijn ontvangen.",
            WBV,
            "Toelichting, onder G",
        ),
        Quote(
            "In de praktijk blijkt de 11-uit-12-regel complex te zijn in de uitvoering.",
            WBV,
            "Toelichting, onder G",
        ),
    ),
)

INCOME_AFTER = RuleVersion(
    starts="wbv_2025_14",
    label=Text(
        "na WBV 2025/14 (gemiddelde over 12 maanden)", "after WBV 2025/14 (12-month average)"
    ),
    checks=(
        *_total_checks,
        Check(
            "total_12_months",
            ListSum(ListAdd(Fact("monthly_income"), Fact("monthly_ww_zw_benefit"))),
            Text(
                "Totaal van vaste en onregelmatige inkomsten over twaalf maanden, "
                "met WW/ZW-uitkering",
                "Total of fixed and irregular income over twelve months, with WW/ZW benefit",
            ),
            f"{B1_4331}.6; {NOTE_G} (ECLI:NL:RVS:2020:1306)",
        ),
        Check(
            "norm_12_months",
            Fact("monthly_norm") * 12,
            Text("Twaalf keer de maandnorm", "Twelve times the monthly norm"),
            f"{B1_4331}.6",
        ),
        Check(
            "sufficient",
            Ref("total_12_months") >= Ref("norm_12_months"),
            Text(
                "Totaal gedeeld door twaalf haalt de maandnorm",
                "Total divided by twelve meets the monthly norm",
            ),
            f"{B1_4331}.6",
        ),
    ),
    outputs=(
        Decide(
            "income_sufficient",
            Text("Inkomen voldoende", "Income sufficient"),
            (Branch(Ref("sufficient"), True, f"{B1_4331}.6"), Branch(None, False, f"{B1_4331}.6")),
        ),
    ),
    quotes=(
        Quote(
            "De IND toetst of het totaal aan inkomsten, dat wil zeggen, de vaste maandelijkse "
            "inkomsten plus de onregelmatige inkomsten, in de twaalf maanden direct voorafgaand "
            "aan de aanvraag of op het moment van beschikken, gedeeld door twaalf, uitkomt op een "
            "bedrag dat voldoet aan de norm die de IND per maand hanteert.",
            WBV,
            "Artikel I, onderdeel G (B1/4.3.3.1.6)",
        ),
        Quote(
            "Daarom worden werkloosheids- en ziektewetuitkeringen bij toepassing van artikel "
            "3.24b VV aangemerkt als middelen verkregen uit arbeid in loondienst.",
            WBV,
            "Toelichting, onder G",
        ),
        Quote(
            "Daarom is hij vervangen door een regel die kijkt naar het gemiddelde van de "
            "afgelopen 12 maanden.",
            WBV,
            "Toelichting, onder G",
        ),
    ),
)

INCOME = Rule(
    id="vc-b1-4.3.3.1-income",
    citation=B1_4331,
    title=INCOME_TITLE,
    facts=IncomeFacts,
    versions=(INCOME_BEFORE, INCOME_AFTER),
)

# -- B1/4.3.3.1 allowances, flexible work and sustainability --------------------------------------

B1_4331_NOTE = (
    "The sources give B1/4.3.3.1 as rewritten by WBV 2025/14; for these sub-paragraphs its "
    "explanatory note describes only their numbering. Since when they applied is not in the "
    "sources."
)


class EmploymentMeansFacts(RuleFacts):
    has_allowances: bool = fact(
        "Income includes allowances or reimbursements (toeslagen en vergoedingen)",
        "Het inkomen omvat toeslagen en vergoedingen",
        default=False,
    )
    allowances_in_contract: bool = fact(
        "The allowances are laid down in the contract",
        "De toeslagen en vergoedingen zijn contractueel vastgelegd",
        default=False,
    )
    allowances_taxed: bool = fact(
        "The required taxes and premiums are paid over the allowances",
        "Over de toeslagen en vergoedingen worden de vereiste belastingen en premies afgedragen",
        default=False,
    )
    temp_agency_work: bool = fact(
        "Income from work for a temporary employment agency (uitzendbureau)",
        "Inkomsten uit arbeid voor een uitzendbureau",
        default=False,
    )
    evidence_expressly_otherwise: bool = fact(
        "The evidence handed in shows expressly that it is not flexible work",
        "Uit de overgelegde bewijsmiddelen blijkt uitdrukkelijk dat het geen flexibele arbeid is",
        default=False,
    )
    stay_from: date = fact("First day of the intended stay", "Eerste dag van het beoogde verblijf")
    stay_until: date = fact("Last day of the intended stay", "Laatste dag van het beoogde verblijf")
    means_available_whole_stay: bool = fact(
        "The means are available during the whole intended stay",
        "De middelen van bestaan zijn gedurende het hele beoogde verblijf beschikbaar",
    )
    general_means_benefit_in_period: bool = fact(
        "During the reference period (three years, art. 3.75(3) Vb, or one year, art. 3.24b VV) a "
        "(supplementary) benefit from general means without premiums was received",
        "Tijdens de referteperiode (drie jaar, art. 3.75 lid 3 Vb, of een jaar, art. 3.24b VV) is "
        "een (aanvullende) uitkering uit de algemene middelen ontvangen waarvoor geen premie is "
        "afgedragen",
        default=False,
    )


EMPLOYMENT_MEANS = Rule(
    id="vc-b1-4.3.3.1-means",
    citation=B1_4331,
    title=Text(
        "Middelen uit arbeid in loondienst: toeslagen, flexibele arbeid en duurzaamheid",
        "Means from employment: allowances, flexible work and sustainability",
    ),
    facts=EmploymentMeansFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=B1_4331_NOTE,
            checks=(
                check(
                    "short_stay",
                    Fact("stay_until") < Fact("stay_from").shifted(years=1),
                    "Verblijf van minder dan één jaar",
                    "Stay of less than one year",
                    f"{B1_4331}; Vb art. 3.75 lid 1",
                ),
                check(
                    "flexible_work",
                    Fact("temp_agency_work") & ~Fact("evidence_expressly_otherwise"),
                    "Flexibele arbeid (uitzendbureau)",
                    "Flexible work (temporary employment agency)",
                    f"{B1_4331}.1",
                ),
            ),
            outputs=(
                decide(
                    "allowances_count",
                    "Toeslagen en vergoedingen tellen als zelfstandige middelen",
                    "Allowances count as independent means",
                    (~Fact("has_allowances"), None, B1_4331),
                    (Fact("allowances_in_contract") & Fact("allowances_taxed"), True, B1_4331),
                    otherwise=(False, B1_4331),
                ),
                decide(
                    "sustainable",
                    "Duurzaamheid van de middelen",
                    "Sustainability of the means",
                    (
                        Ref("short_stay") & Fact("means_available_whole_stay"),
                        "sustainable_short_stay",
                        f"{B1_4331}; Vb art. 3.75 lid 1",
                    ),
                    (
                        Ref("flexible_work") & Fact("general_means_benefit_in_period"),
                        "not_sustainable",
                        f"{B1_4331}.4",
                    ),
                    (
                        Ref("flexible_work"),
                        "assess_flexible_work",
                        f"{B1_4331}.1; Vb art. 3.75 lid 3",
                    ),
                    otherwise=("assess_employment", B1_4331),
                    values={
                        "sustainable_short_stay": (
                            "duurzaam: verblijf korter dan één jaar",
                            "sustainable: stay of less than one year",
                        ),
                        "not_sustainable": (
                            "in ieder geval niet duurzaam",
                            "in any case not sustainable",
                        ),
                        "assess_flexible_work": (
                            "beoordelen als flexibele arbeid",
                            "assess as flexible work",
                        ),
                        "assess_employment": (
                            "beoordelen als arbeid in loondienst",
                            "assess as employment",
                        ),
                    },
                ),
            ),
            quotes=(
                Quote(
                    "De IND merkt toeslagen en vergoedingen verworven uit arbeid in loondienst als "
                    "zelfstandige middelen van bestaan in de zin van artikel 3.73, eerste lid, Vb "
                    "aan als wordt voldaan aan de volgende voorwaarden: de toeslagen en "
                    "vergoedingen "
                    "zijn contractueel vastgelegd; en over de toeslagen en de vergoedingen worden "
                    "de "
                    "vereiste belastingen en premies afgedragen.",
                    WBV,
                    "Artikel I, onderdeel G (B1/4.3.3.1)",
                ),
                Quote(
                    "Op grond van artikel 3.75, eerste lid, Vb beoordeelt de IND de middelen van "
                    "bestaan uit arbeid in loondienst als duurzaam, wanneer de vreemdeling voor "
                    "een "
                    "periode van minder dan één jaar in Nederland wil verblijven en de middelen "
                    "van "
                    "bestaan gedurende deze periode beschikbaar zijn.",
                    WBV,
                    "Artikel I, onderdeel G (B1/4.3.3.1)",
                ),
                Quote(
                    "De IND merkt inkomsten uit arbeid voor een uitzendbureau aan als flexibele "
                    "arbeid als bedoeld in artikel 3.75, derde lid, Vb en artikel 3.24b VV, tenzij "
                    "uit de overgelegde bewijsmiddelen uitdrukkelijk anders blijkt.",
                    WBV,
                    "Artikel I, onderdeel G (B1/4.3.3.1.1)",
                ),
                Quote(
                    "Als tijdens de periode van drie jaar als bedoeld in artikel 3.75, derde lid, "
                    "Vb "
                    "een bepaalde periode een (aanvullende) uitkering uit de algemene middelen is "
                    "ontvangen waarvoor geen premie is afgedragen, dan zijn de middelen in ieder "
                    "geval niet duurzaam als bedoeld in artikel 3.75, derde lid, Vb.",
                    WBV,
                    "Artikel I, onderdeel G (B1/4.3.3.1.4)",
                ),
            ),
        ),
    ),
)

# -- B1/8.2.2 evidence for recognition as sponsor -------------------------------------------------

B1_822 = "Vc 2000 B1/8.2.2"
WHERE_H = "Artikel I, onderdeel H (B1/8.2.2)"

SponsorEvidence = Literal[
    "trade_register_extract",
    "court_ruling_insolvency",
    "trade_register_extract_cultural_objective",
    "state_secretary_exchange_approval",
    "register_normering_arbeid",
    "payroll_extract",
    "nfia_statement",
    "trade_register_extract_2a_vw",
    "umbrella_organisation_documents",
    "tax_payment_statement",
    "audited_annual_accounts",
    "accountant_report",
    "bank_statement",
    "business_plan",
]
SPONSOR_EVIDENCE_LABELS: ChoiceLabels = {
    "trade_register_extract": ("uittreksel uit het handelsregister", "trade register extract"),
    "court_ruling_insolvency": (
        "uitspraak van de rechtbank (surseance van betaling of faillissement)",
        "court ruling (suspension of payments or bankruptcy)",
    ),
    "trade_register_extract_cultural_objective": (
        "uittreksel handelsregister: culturele doelstelling",
        "trade register extract: cultural objective",
    ),
    "state_secretary_exchange_approval": (
        "goedkeuring van de Staatssecretaris voor het uitwisselingsprogramma",
        "approval of the State Secretary for the exchange programme",
    ),
    "register_normering_arbeid": (
        "bewijs van inschrijving in het Register normering arbeid",
        "proof of registration in the Register normering arbeid",
    ),
    "nfia_statement": (
        "verklaring van bekendheid van de NFIA",
        "statement of acquaintance of the NFIA",
    ),
    "trade_register_extract_2a_vw": (
        "uittreksel handelsregister (artikel 2a Vw)",
        "trade register extract (Article 2a Vw)",
    ),
    "umbrella_organisation_documents": (
        "bescheiden: onderdeel van de koepelorganisatie",
        "documents: part of the umbrella organisation",
    ),
    "business_plan": ("ondernemingsplan", "business plan"),
    **company_documents(
        "payroll_extract",
        "tax_payment_statement",
        "audited_annual_accounts",
        "accountant_report",
        "bank_statement",
    ),
}


class SponsorEvidenceFacts(RuleFacts):
    must_register: bool = fact(
        "The sponsor is obliged to register in the trade register (Handelsregisterwet 2007)",
        "De referent is inschrijvingsplichtig in het handelsregister (Handelsregisterwet 2007)",
    )
    au_pair_agency_other_member_state: bool = fact(
        "An au pair agency registered in another EU or EEA member state",
        "Een au-pairbureau ingeschreven in een andere lidstaat van de EU of EER",
        default=False,
    )
    exchange_esc: bool = fact(
        "Sponsor for exchange youths volunteering in the European Solidarity Corps",
        "Referent voor uitwisselingsjongeren in het kader van het European Solidarity Corps",
        default=False,
    )
    labour_provider: bool = fact(
        "Makes workers available or does payrolling",
        "Houdt zich bezig met het beschikbaar stellen van arbeidskrachten of payrolling",
        default=False,
    )
    at_most_50_staff: bool = fact(
        "Relies on being a company (or part of a group) with at most 50 staff (art. 1.11(2)(b) VV)",
        "Beroept zich op ten hoogste 50 medewerkers (art. 1.11 lid 2 onder b VV)",
        default=False,
    )
    payroll_extract_date: date | None = fact(
        "Date of the anonymised payroll extract (verzamelloonstaat)",
        "Datum van de geanonimiseerde uitdraai van de verzamelloonstaat",
        default=None,
    )
    starting_branch_foreign_company: bool = fact(
        "A starting branch of a foreign company",
        "Een startende vestiging van een buitenlands bedrijf",
        default=False,
    )
    religious_organisation: bool = fact(
        "A religious or philosophical organisation",
        "Een religieuze of levensbeschouwelijke organisatie",
        default=False,
    )
    part_of_umbrella: bool = fact(
        "An independent part of a church that belongs to an umbrella organisation with legal "
        "personality",
        "Zelfstandig onderdeel van een kerkgenootschap dat deel uitmaakt van een "
        "koepelorganisatie met rechtspersoonlijkheid",
        default=False,
    )
    starting_company: bool = fact(
        "A starting company or legal person (art. 1.13(2) VV)",
        "Een startende onderneming of rechtspersoon (art. 1.13 lid 2 VV)",
        default=False,
    )
    business_plan_exception: bool = fact(
        "One of the exceptions of art. 1.13(2)(a)-(e) VV applies",
        "Een uitzonderingssituatie van art. 1.13 lid 2 onder a t/m e VV doet zich voor",
        default=False,
    )
    evidence_provided: list[SponsorEvidence] = fact(
        "Evidence handed in",
        "Overgelegde bewijsmiddelen",
        default=[],
        choices=SPONSOR_EVIDENCE_LABELS,
    )


def _provided(evidence: str) -> Contains:
    return Contains(Fact("evidence_provided"), evidence)


SPONSOR_EVIDENCE = Rule(
    id="vc-b1-8.2.2-sponsor-evidence",
    citation=B1_822,
    title=Text(
        "Bewijsmiddelen voor erkenning als referent",
        "Evidence for recognition as a sponsor",
    ),
    facts=SponsorEvidenceFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=(
                "WBV 2025/14 removed further requirements for the bank statement of religious "
                "organisations (ABRvS 29 September 2021, ECLI:NL:RVS:2021:2161); Keten does not "
                "model a bank statement with extra requirements, so both versions give the same "
                "checklist. Since when the paragraph applied is not in the sources."
            ),
            checks=(
                check(
                    "payroll_extract_fresh",
                    Fact("payroll_extract_date") >= ON.shifted(months=-3),
                    "Uitdraai verzamelloonstaat niet ouder dan drie maanden",
                    "Payroll extract not older than three months",
                    B1_822,
                ),
            ),
            outputs=(
                Checklist(
                    "required_evidence",
                    Text("Vereiste bewijsmiddelen", "Required evidence"),
                    (
                        item(
                            "trade_register_extract",
                            Fact("must_register"),
                            "Uittreksel handelsregister (inschrijving; faillissement of surseance)",
                            "Trade register extract (registration; bankruptcy or suspension)",
                            B1_822,
                        ),
                        item(
                            "court_ruling_insolvency",
                            ~Fact("must_register") | Fact("au_pair_agency_other_member_state"),
                            "Uitspraak van de rechtbank over surseance of faillissement",
                            "Court ruling on suspension of payments or bankruptcy",
                            B1_822,
                        ),
                        item(
                            "trade_register_extract_cultural_objective",
                            Fact("exchange_esc"),
                            "Uittreksel handelsregister: culturele doelstelling",
                            "Trade register extract: cultural objective",
                            B1_822,
                        ),
                        item(
                            "state_secretary_exchange_approval",
                            Fact("exchange_esc"),
                            "Goedkeuring van de Staatssecretaris voor het uitwisselingsprogramma",
                            "Approval of the State Secretary for the exchange programme",
                            B1_822,
                        ),
                        item(
                            "register_normering_arbeid",
                            Fact("labour_provider"),
                            "Bewijs van inschrijving in het Register normering arbeid",
                            "Proof of registration in the Register normering arbeid",
                            B1_822,
                        ),
                        item(
                            "payroll_extract",
                            Fact("at_most_50_staff"),
                            "Geanonimiseerde verzamelloonstaat, niet ouder dan drie maanden",
                            "Anonymised payroll extract, not older than three months",
                            f"{B1_822}; VV art. 1.11 lid 2 onder b",
                            satisfied=_provided("payroll_extract") & Ref("payroll_extract_fresh"),
                        ),
                        item(
                            "nfia_statement",
                            Fact("starting_branch_foreign_company"),
                            "Verklaring van bekendheid van de NFIA",
                            "Statement of acquaintance of the NFIA",
                            B1_822,
                        ),
                        item(
                            "trade_register_extract_2a_vw",
                            Fact("religious_organisation"),
                            "Uittreksel handelsregister (art. 2a Vw): rechtspersoonlijkheid",
                            "Trade register extract (art. 2a Vw): legal personality",
                            B1_822,
                        ),
                        item(
                            "umbrella_organisation_documents",
                            Fact("religious_organisation") & Fact("part_of_umbrella"),
                            "Bescheiden: onderdeel van de koepelorganisatie",
                            "Documents: part of the umbrella organisation",
                            B1_822,
                        ),
                        item(
                            "tax_payment_statement",
                            Fact("religious_organisation"),
                            "Verklaring betalingsgedrag Belastingdienst",
                            "Tax authority statement on payment behaviour",
                            B1_822,
                        ),
                        item(
                            "continuity_financial_evidence",
                            Fact("religious_organisation"),
                            "Goedgekeurde jaarrekening, of rapport van bevindingen van een "
                            "accountant, of bankverklaring",
                            "Audited annual accounts, or an accountant's report, or a bank "
                            "statement",
                            B1_822,
                            satisfied=either(
                                "audited_annual_accounts", "accountant_report", "bank_statement"
                            ),
                        ),
                        item(
                            "business_plan",
                            Fact("starting_company") & ~Fact("business_plan_exception"),
                            "Ondernemingsplan",
                            "Business plan",
                            f"{B1_822}; VV art. 1.13 lid 2",
                        ),
                    ),
                    provided="evidence_provided",
                    citation=B1_822,
                ),
            ),
            quotes=(
                Quote(
                    "De IND beschouwt een uittreksel uit het handelsregister als bewijsmiddel: van "
                    "inschrijving in het handelsregister van de rechtspersoon/onderneming van de "
                    "referent die om erkenning verzoekt; en dat sprake is van een faillissement of "
                    "surseance van betaling ten aanzien van de referent die om erkenning verzoekt.",
                    WBV,
                    WHERE_H,
                ),
                Quote(
                    "De IND beschouwt een uitspraak van de rechtbank als bewijsmiddel van het in "
                    "surseance van betaling zijn of het in faillissement verkeren van een referent "
                    "die om erkenning verzoekt in de volgende twee gevallen: de referent die om "
                    "erkenning verzoekt is niet inschrijvingsplichtig in het handelsregister op "
                    "grond van de Handelsregisterwet 2007; een au-pairbureau dat ingeschreven "
                    "staat "
                    "in een andere lidstaat van de EU of EER.",
                    WBV,
                    WHERE_H,
                ),
                Quote(
                    "De IND beschouwt als bewijsmiddel waaruit blijkt dat de erkend referent een "
                    "onderneming is met ten hoogste 50 medewerkers, ofwel een onderneming van een "
                    "concern met ten hoogste 50 medewerkers, als bedoeld in artikel 1.11, tweede "
                    "lid, onder b, VV: een geanonimiseerde uitdraai van de verzamelloonstaat die "
                    "op het moment van het beoordelen van de aanvraag niet ouder is dan drie "
                    "maanden.",
                    WBV,
                    WHERE_H,
                ),
                Quote(
                    "De IND beschouwt als bewijsmiddel voor de waarborging van de continuïteit en "
                    "solvabiliteit van een religieuze of levensbeschouwelijke organisatie: een "
                    "verklaring over het betalingsgedrag door de Belastingdienst; en een door een "
                    "accountant goedgekeurde jaarrekening van het afgesloten boekjaar; of een "
                    "rapport van bevindingen van een accountant over de continuïteit en "
                    "solvabiliteit van de organisatie; of een bankverklaring waaruit blijkt dat de "
                    "continuïteit en solvabiliteit van de religieuze of levensbeschouwelijke "
                    "organisatie in Nederland voldoende zijn gewaarborgd.",
                    WBV,
                    WHERE_H,
                ),
                Quote(
                    "De IND verlangt als bewijsmiddel van de continuïteit en solvabiliteit van een "
                    "startende onderneming of rechtspersoon als bedoeld in artikel 1.13, tweede "
                    "lid, VV: een ondernemingsplan.",
                    WBV,
                    WHERE_H,
                ),
            ),
        ),
    ),
)

RULES = (INCOME, EMPLOYMENT_MEANS, SPONSOR_EVIDENCE)
