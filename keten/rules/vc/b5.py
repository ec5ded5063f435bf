"""Vc 2000 chapter B5: work in paid employment, evidence (B5/2.3), as checklists."""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide, item
from keten.rules.expr import ALWAYS, ON, Contains, Expr, Fact, Ref, any_of, eur
from keten.rules.facts import ChoiceLabels, Money, RuleFacts, fact
from keten.rules.rule import Checklist, Item, Quote, Rule, RuleVersion, Text, either
from keten.rules.vc.company_evidence import company_documents

WBV = "004_cbc7489b66a820d5.txt"
B5_23 = "Vc 2000 B5/2.3"
WHERE_I = "Artikel I, onderdeel I (B5/2.3)"
SINCE_UNKNOWN = (
    "WBV 2025/14 removed further requirements for the bank statement of religious "
    "organisations (ECLI:NL:RVS:2021:2161); the checklist is the same before and after. Since "
    "when the paragraph applied is not in the sources."
)

# -- work in paid employment: UWV advice and the evidence per situation --------------------------

Situation = Literal[
    "employment_goods_delivery",
    "employment_arts_top_segment",
    "employment_religious_minister",
    "employment_other",
    "recovery_seagoing_or_mining",
    "leave_seagoing",
    "leave_mining",
    "seeking_work_seagoing_or_mining",
    "international_trade",
    "intra_corporate_transfer",
    "seat_agreement",
]
# The headings of B5/2.3 under which the evidence per situation is listed.
SITUATION_LABELS: ChoiceLabels = {
    "employment_goods_delivery": (
        "goederen leveren door en aan buitenlands bedrijf",
        "delivery of goods by and to a foreign company",
    ),
    "employment_arts_top_segment": (
        "kunst en cultuur: musicus/artiest in topsegment",
        "arts and culture: musician/artist in the top segment",
    ),
    "employment_religious_minister": ("geestelijke bedienaar", "minister of religion"),
    "employment_other": ("arbeid in loondienst overig", "other paid employment"),
    "recovery_seagoing_or_mining": (
        "afwachten van herstel (Nederlands zeeschip of mijnbouwinstallatie)",
        "awaiting recovery (Dutch seagoing ship or mining installation)",
    ),
    "leave_seagoing": (
        "verlof: werkzaam aan boord van een Nederlands zeeschip",
        "leave: working on board a Dutch seagoing ship",
    ),
    "leave_mining": (
        "verlof: werkzaam op een mijnbouwinstallatie op het continentaal plat",
        "leave: working on a mining installation on the continental shelf",
    ),
    "seeking_work_seagoing_or_mining": (
        "zoeken van arbeid aan boord van een Nederlands zeeschip of op een mijnbouwinstallatie",
        "seeking work on board a Dutch seagoing ship or on a mining installation",
    ),
    "international_trade": (
        "Regeling internationaal handelsverkeer",
        "international trade scheme (Regeling internationaal handelsverkeer)",
    ),
    "intra_corporate_transfer": ("intra-concern uitzending", "intra-corporate transfer"),
    "seat_agreement": (
        "arbeid op grond van een zetelovereenkomst",
        "work under a seat agreement",
    ),
}

EmploymentEvidence = Literal[
    "annex_workplace_with_contract",
    "annex_previous_stay_and_address",
    "annex_goods_delivery",
    "annex_musician_artist_top_segment",
    "annex_religious_minister",
    "annex_vacancy",
    "tax_payment_statement",
    "audited_annual_accounts",
    "accountant_report",
    "bank_statement",
    "employment_contract",
    "employer_statement",
    "zw_award_decision",
    "seaman_book_copy",
    "ww_award_decision",
    "uwv_decision_international_trade",
    "uwv_registration_proof",
    "uwv_advice",
    "buza_statement",
]
EMPLOYMENT_EVIDENCE_LABELS: ChoiceLabels = {
    "annex_workplace_with_contract": (
        "bijlage Gegevens arbeidsplaats, met arbeidsovereenkomst",
        "annex workplace details, with employment contract",
    ),
    "annex_previous_stay_and_address": (
        "bijlage Gegevens eerder verblijf en toekomstig woonadres",
        "annex previous stay and future address",
    ),
    "annex_goods_delivery": ("bijlage Gegevens levering goederen", "annex delivery of goods"),
    "annex_musician_artist_top_segment": (
        "bijlage Gegevens musicus/artiest in topsegment",
        "annex musician/artist in the top segment",
    ),
    "annex_religious_minister": (
        "bijlage Gegevens geestelijke bedienaar",
        "annex minister of religion",
    ),
    "annex_vacancy": ("bijlage Gegevens vacaturevoorziening", "annex filling of the vacancy"),
    "employment_contract": ("arbeidsovereenkomst", "employment contract"),
    "employer_statement": ("werkgeversverklaring", "employer's statement"),
    "zw_award_decision": (
        "toekenningsbeschikking ZW",
        "award decision for sickness benefit (ZW)",
    ),
    "seaman_book_copy": ("kopie van het monsterboekje", "copy of the seaman's book"),
    "ww_award_decision": (
        "toekenningsbeschikking WW",
        "award decision for unemployment benefit (WW)",
    ),
    "uwv_decision_international_trade": (
        "beschikking UWV: Regeling internationaal handelsverkeer",
        "UWV decision: international trade scheme",
    ),
    "uwv_registration_proof": (
        "bewijs van aanmelding bij het UWV",
        "proof of notification to the UWV",
    ),
    "uwv_advice": ("advies van het UWV", "advice of the UWV"),
    "buza_statement": (
        "verklaring van het Ministerie van BuZa",
        "statement of the Ministry of Foreign Affairs",
    ),
    **company_documents(
        "tax_payment_statement", "audited_annual_accounts", "accountant_report", "bank_statement"
    ),
}


class EmploymentEvidenceFacts(RuleFacts):
    situation: Situation = fact(
        "The situation applied for",
        "De situatie waarvoor wordt aangevraagd",
        choices=SITUATION_LABELS,
    )
    service_years: int | None = fact(
        "Years of work on board a Dutch seagoing ship or on a mining installation",
        "Jaren arbeidsverleden aan boord van een Nederlands zeeschip of op een mijnbouwinstallatie",
        default=None,
        ge=0,
    )
    interruption_months: int | None = fact(
        "Total months of interruptions in that work",
        "Totale duur in maanden van de onderbrekingen van die arbeid",
        default=None,
        ge=0,
    )
    job_months_remaining: int | None = fact(
        "Months the job on board or on the installation still lasts from the application",
        "Aantal maanden dat de arbeidsplaats vanaf de aanvraag nog beschikbaar is",
        default=None,
        ge=0,
    )
    evidence_provided: list[EmploymentEvidence] = fact(
        "Evidence handed in",
        "Overgelegde bewijsmiddelen",
        default=[],
        choices=EMPLOYMENT_EVIDENCE_LABELS,
    )


def _is(*situations: str) -> Expr:
    return Fact("situation").isin(situations)


EMPLOYMENT = (
    "employment_goods_delivery",
    "employment_arts_top_segment",
    "employment_religious_minister",
    "employment_other",
)
CONTRACT_AND_STATEMENT = (
    "recovery_seagoing_or_mining",
    "leave_seagoing",
    "leave_mining",
    "seeking_work_seagoing_or_mining",
)


def _employment_items() -> tuple[Item, ...]:
    return (
        item("annex_workplace_with_contract", _is(*EMPLOYMENT),
             "Bijlage Gegevens arbeidsplaats, met arbeidsovereenkomst",
             "Annex workplace details, with employment contract", B5_23),
        item("annex_previous_stay_and_address", _is(*EMPLOYMENT),
             "Bijlage Gegevens eerder verblijf en toekomstig woonadres",
             "Annex previous stay and future address", B5_23),
        item("annex_goods_delivery", _is("employment_goods_delivery"),
             "Bijlage Gegevens levering goederen", "Annex delivery of goods", B5_23),
        item("annex_musician_artist_top_segment", _is("employment_arts_top_segment"),
             "Bijlage Gegevens musicus/artiest in topsegment",
             "Annex musician/artist in the top segment", B5_23),
        item("annex_religious_minister", _is("employment_religious_minister"),
             "Bijlage Gegevens geestelijke bedienaar", "Annex minister of religion", B5_23),
        item("annex_vacancy", _is("employment_other"),
             "Bijlage Gegevens vacaturevoorziening", "Annex filling of the vacancy", B5_23),
        item("tax_payment_statement", _is("employment_religious_minister"),
             "Verklaring betalingsgedrag Belastingdienst",
             "Tax authority statement on payment behaviour", B5_23),
        item("continuity_financial_evidence", _is("employment_religious_minister"),
             "Goedgekeurde jaarrekening, of rapport van bevindingen, of bankverklaring",
             "Audited annual accounts, or accountant's report, or bank statement", B5_23,
             satisfied=either("audited_annual_accounts", "accountant_report", "bank_statement")),
        item("employment_contract", _is(*CONTRACT_AND_STATEMENT),
             "Arbeidsovereenkomst", "Employment contract", B5_23),
        item("employer_statement", _is(*CONTRACT_AND_STATEMENT),
             "Werkgeversverklaring", "Employer's statement", B5_23),
        item("zw_award_decision", _is("recovery_seagoing_or_mining"),
             "Toekenningsbeschikking ZW", "Sickness benefit (ZW) award", B5_23),
        item("seaman_book_copy", _is("leave_seagoing"),
             "Kopie van het monsterboekje", "Copy of the seaman's book", B5_23),
        item("ww_award_decision", _is("seeking_work_seagoing_or_mining"),
             "Toekenningsbeschikking WW", "Unemployment benefit (WW) award", B5_23),
        item("uwv_decision_international_trade", _is("international_trade"),
             "Beschikking UWV: traject voldoet aan de Regeling internationaal handelsverkeer",
             "UWV decision: the scheme of international trade is met", B5_23),
        item("uwv_registration_proof", _is("international_trade"),
             "Bewijs van aanmelding bij het UWV", "Proof of notification to the UWV", B5_23),
        item("uwv_advice", _is("intra_corporate_transfer"),
             "Advies van het UWV", "Advice of the UWV", B5_23),
        item("buza_statement", _is("seat_agreement"),
             "Verklaring van het Ministerie van BuZa", "Statement of the Foreign Ministry", B5_23),
    )  # fmt: skip


EMPLOYMENT_EVIDENCE = Rule(
    id="vc-b5-2.3-employment-evidence",
    citation=B5_23,
    title=Text(
        "Bewijsmiddelen bij arbeid in loondienst, per situatie",
        "Evidence for work in paid employment, per situation",
    ),
    facts=EmploymentEvidenceFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=SINCE_UNKNOWN,
            checks=(
                check(
                    "seven_years_on_board",
                    Fact("service_years") >= 7,
                    "Arbeidsverleden van ten minste zeven jaar",
                    "At least seven years of work",
                    B5_23,
                ),
                check(
                    "interruptions_within_18_months",
                    Fact("interruption_months") <= 18,
                    "Onderbrekingen in totaal niet langer dan achttien maanden",
                    "Interruptions no longer than eighteen months in total",
                    B5_23,
                ),
                check(
                    "job_one_more_year",
                    Fact("job_months_remaining") >= 12,
                    "Arbeidsplaats nog ten minste één jaar",
                    "Job for at least one more year",
                    B5_23,
                ),
            ),
            outputs=(
                decide(
                    "conditions_shown",
                    "Inhoudelijke voorwaarden van de situatie",
                    "Substantive conditions of the situation",
                    (
                        _is("leave_seagoing"),
                        Ref("seven_years_on_board")
                        & Ref("interruptions_within_18_months")
                        & Ref("job_one_more_year"),
                        B5_23,
                    ),
                    (_is("leave_mining"), Ref("job_one_more_year"), B5_23),
                    (
                        _is("seeking_work_seagoing_or_mining"),
                        Ref("seven_years_on_board") & Fact("interruption_months").eq(0),
                        B5_23,
                    ),
                    otherwise=(None, B5_23),
                ),
                Checklist(
                    "required_evidence",
                    Text("Vereiste bewijsmiddelen", "Required evidence"),
                    _employment_items(),
                    provided="evidence_provided",
                    citation=B5_23,
                ),
            ),
            quotes=(
                Quote(
                    "De IND beschouwt als bewijsmiddel voor de adviesaanvraag bij het UWV in ieder "
                    "geval: de bijlage Gegevens arbeidsplaats, inclusief een arbeidsovereenkomst; "
                    "de bijlage Gegevens eerder verblijf en toekomstig woonadres in Nederland.",
                    WBV,
                    WHERE_I,
                ),
                Quote(
                    "In de hieronder genoemde specifieke gevallen beschouwt de IND verder als "
                    "bewijsmiddel: Goederen leveren door en aan buitenlands bedrijf: de bijlage "
                    "Gegevens levering goederen.",
                    WBV,
                    WHERE_I,
                ),
                Quote(
                    "een arbeidsverleden aan boord van een Nederlands zeeschip heeft van ten "
                    "minste zeven jaar, waarin de totale duur van de onderbrekingen van de arbeid "
                    "niet langer is dan achttien maanden;",
                    WBV,
                    WHERE_I,
                ),
                Quote(
                    "De IND beschouwt als bewijsmiddel waaruit moet blijken dat de vreemdeling een "
                    "ononderbroken arbeidsverleden van ten minste zeven jaar aan boord van een "
                    "Nederlands zeeschip of op een mijnbouwinstallatie op het continentaal plat "
                    "heeft: een arbeidsovereenkomst; en een werkgeversverklaring.",
                    WBV,
                    WHERE_I,
                ),
                Quote(
                    "De IND beschouwt een verklaring van het Ministerie van BuZa als bewijsmiddel "
                    "waaruit moet blijken dat de vreemdeling onder de werking valt van de "
                    "Zetelovereenkomst tussen het Internationaal Strafhof en het Gastland",
                    WBV,
                    WHERE_I,
                ),
            ),
        ),
    ),
)

# -- pilot 'work as essential start-up staff' ---------------------------------------------------

StartupEvidence = Literal[
    "employment_contract_nature_and_salary",
    "participation_agreement_signed",
    "payroll_extract",
    "articles_of_association",
    "shareholders_agreement",
    "shareholders_register",
    "option_agreement",
    "articles_of_stak",
    "stak_administration_conditions",
    "certificate_holders_register",
    "partnership_agreement",
    "cvs_founders_and_staff",
    "diplomas_and_references",
    "trade_register_registration",
    "business_documentation_growth",
    "growth_role_of_staff_member",
    "annual_accounts",
    "financing_agreements_or_prognoses",
    "tax_returns",
    "financing_agreement_100k",
]
STARTUP_EVIDENCE_LABELS: ChoiceLabels = {
    "employment_contract_nature_and_salary": (
        "arbeidsovereenkomst met aard van de werkzaamheden en salaris",
        "employment contract showing the work and the salary",
    ),
    "participation_agreement_signed": (
        "ondertekende overeenkomst medewerkersparticipatie en participatieregeling",
        "signed employee participation agreement and scheme",
    ),
    "articles_of_association": ("statuten van de vennootschap", "articles of association"),
    "shareholders_agreement": ("aandeelhoudersovereenkomst", "shareholders' agreement"),
    "shareholders_register": ("aandeelhoudersregister", "register of shareholders"),
    "option_agreement": ("optieovereenkomst", "option agreement"),
    "articles_of_stak": (
        "statuten van de Stichting Administratiekantoor",
        "articles of the STAK (Stichting Administratiekantoor)",
    ),
    "stak_administration_conditions": (
        "administratievoorwaarden van de Stichting Administratiekantoor",
        "administration conditions of the STAK",
    ),
    "certificate_holders_register": (
        "register van certificaathouders",
        "register of depositary receipt holders",
    ),
    "partnership_agreement": ("vennootschapsovereenkomst", "partnership agreement"),
    "cvs_founders_and_staff": (
        "cv's van oprichters, directie en essentieel personeel",
        "CVs of founders, management and essential staff",
    ),
    "diplomas_and_references": ("diploma's en referenties", "diplomas and references"),
    "trade_register_registration": (
        "bewijs van inschrijving in het Handelsregister",
        "proof of registration in the trade register",
    ),
    "business_documentation_growth": (
        "bedrijfsdocumentatie: innovatief, schaalbaar, stappen naar groei",
        "business documentation: innovative, scalable, steps to growth",
    ),
    "growth_role_of_staff_member": (
        "essentiële rol van het personeelslid bij de groei",
        "essential role of the staff member in the growth",
    ),
    "annual_accounts": ("recente jaarrekeningen", "recent annual accounts"),
    "financing_agreements_or_prognoses": (
        "financieringsovereenkomsten, garanties of onderbouwde prognoses",
        "financing agreements, guarantees or substantiated forecasts",
    ),
    "tax_returns": (
        "BTW-, VPB- en IB-aangiftes en beschikkingen",
        "VAT, corporate and income tax returns and assessments",
    ),
    "financing_agreement_100k": (
        "financieringsovereenkomst van minimaal € 100.000",
        "financing agreement of at least EUR 100,000",
    ),
    **company_documents("payroll_extract"),
}


class StartupEvidenceFacts(RuleFacts):
    participation_form: Literal[
        "shares", "options", "certificates", "limited_partnership_profit"
    ] = fact(
        "Form of the employee participation",
        "Vorm van de medewerkersparticipatie",
        choices={
            "shares": ("aandelen", "shares"),
            "options": ("opties op aandelen", "options on shares"),
            "certificates": (
                "certificaten van aandelen (Stichting Administratiekantoor)",
                "depositary receipts for shares (STAK)",
            ),
            "limited_partnership_profit": (
                "aandeel in de winst van een commanditaire vennootschap",
                "share in the profit of a limited partnership",
            ),
        },
    )
    employees: int = fact(
        "Number of workers working for the company on an employment contract",
        "Aantal werknemers dat op basis van een arbeidsovereenkomst arbeid verricht",
        ge=0,
    )
    payroll_extract_date: date | None = fact(
        "Date of the anonymised payroll extract",
        "Datum van de uitdraai verzamelloonstaat",
        default=None,
    )
    facilitator_agreement: Literal["none", "current", "ended"] = fact(
        "Guidance agreement with a facilitator for a start-up permit: none, current, or ended",
        "Begeleidingsovereenkomst met een facilitator voor een startup-verblijfsvergunning: geen, "
        "lopend of beëindigd",
        default="none",
        choices={
            "none": ("geen begeleidingsovereenkomst", "no facilitator agreement"),
            "current": ("lopende begeleidingsovereenkomst", "current facilitator agreement"),
            "ended": ("begeleidingsovereenkomst beëindigd", "facilitator agreement ended"),
        },
    )
    facilitator_agreement_ended_on: date | None = fact(
        "Day the facilitator agreement ended",
        "Einddatum van de begeleidingsovereenkomst",
        default=None,
    )
    facilitator_still_involved: bool = fact(
        "The facilitator is still demonstrably and actively involved",
        "De facilitator is nog aantoonbaar en actief betrokken",
        default=False,
    )
    application_date: date = fact("Day the application was lodged", "Datum van de aanvraag")
    financing_agreement_eur: Money | None = fact(
        "Amount of a financing agreement with a venture capitalist or a Dutch bank, in euros",
        "Bedrag van een financieringsovereenkomst met een durfinvesteerder of Nederlandse bank, in "
        "euro",
        default=None,
    )
    evidence_provided: list[StartupEvidence] = fact(
        "Evidence handed in",
        "Overgelegde bewijsmiddelen",
        default=[],
        choices=STARTUP_EVIDENCE_LABELS,
    )


def _provided(evidence: str) -> Expr:
    return Contains(Fact("evidence_provided"), evidence)


def _startup_items() -> tuple[Item, ...]:
    full = ~Ref("reduced_evidence")
    form = Fact("participation_form")
    financing = full & ~Ref("financing_at_least_100k")
    return (
        item("employment_contract_nature_and_salary", ALWAYS,
             "Arbeidsovereenkomst met aard van de werkzaamheden en salaris",
             "Employment contract showing the work and the salary", B5_23),
        item("participation_agreement_signed", ALWAYS,
             "Door beide partijen ondertekende participatieovereenkomst en -regeling",
             "Participation agreement and scheme signed by both parties", B5_23),
        item("payroll_extract", ALWAYS,
             "Geanonimiseerde verzamelloonstaat, niet ouder dan drie maanden",
             "Anonymised payroll extract, not older than three months", B5_23,
             satisfied=_provided("payroll_extract") & Ref("payroll_extract_fresh")),
        item("articles_of_association", form.isin(("shares", "options", "certificates")),
             "Statuten van de vennootschap", "Articles of association", B5_23),
        item("shareholders_agreement", form.eq("shares"),
             "Aandeelhoudersovereenkomst", "Shareholders' agreement", B5_23),
        item("shareholders_register", form.eq("shares"),
             "Aandeelhoudersregister", "Register of shareholders", B5_23),
        item("option_agreement", form.eq("options"),
             "Optieovereenkomst", "Option agreement", B5_23),
        item("articles_of_stak", form.eq("certificates"),
             "Statuten van de Stichting Administratiekantoor", "Articles of the STAK", B5_23),
        item("stak_administration_conditions", form.eq("certificates"),
             "Administratievoorwaarden", "Administration conditions", B5_23),
        item("certificate_holders_register", form.eq("certificates"),
             "Register van certificaathouders", "Register of certificate holders", B5_23),
        item("partnership_agreement", form.eq("limited_partnership_profit"),
             "Vennootschapsovereenkomst", "Partnership agreement", B5_23),
        item("cvs_founders_and_staff", full, "CV's van oprichters, directie en personeel",
             "CVs of founders, management and staff", f"{B5_23} onder a"),
        item("diplomas_and_references", full, "Diploma's en referenties",
             "Diplomas and references", f"{B5_23} onder a"),
        item("trade_register_registration", full, "Inschrijving in het Handelsregister",
             "Registration in the trade register", f"{B5_23} onder a"),
        item("business_documentation_growth", full,
             "Bedrijfsdocumentatie: innovatief, schaalbaar, stappen naar groei (i, ii)",
             "Business documentation: innovative, scalable, steps to growth (i, ii)",
             f"{B5_23} onder b"),
        item("growth_role_of_staff_member", ALWAYS,
             "Essentiële rol van het personeelslid bij de groei (iii)",
             "Essential role of the staff member in the growth (iii)", f"{B5_23} onder b iii"),
        item("annual_accounts", financing, "Recente jaarrekeningen", "Recent annual accounts",
             f"{B5_23} onder c"),
        item("financing_agreements_or_prognoses", financing,
             "Financieringsovereenkomsten, garanties of onderbouwde prognoses",
             "Financing agreements, guarantees or substantiated forecasts", f"{B5_23} onder c"),
        item("tax_returns", financing, "BTW-, VPB- en IB-aangiftes en beschikkingen",
             "VAT, corporate and income tax returns and assessments", f"{B5_23} onder c"),
        item("financing_agreement_100k", full & Ref("financing_at_least_100k"),
             "Financieringsovereenkomst van minimaal € 100.000",
             "Financing agreement of at least EUR 100,000", f"{B5_23} ad c"),
    )  # fmt: skip


STARTUP_EVIDENCE = Rule(
    id="vc-b5-2.3-startup-pilot-evidence",
    citation=B5_23,
    title=Text(
        "Bewijsmiddelen pilot ‘Arbeid als essentieel startup personeel’",
        "Evidence for the pilot 'work as essential start-up staff'",
    ),
    facts=StartupEvidenceFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=(
                "Text as rewritten by WBV 2025/14. The pilot started on 1 June 2021 for four years "
                "(seed 001); that WBV 2025/14 still lists its evidence suggests an extension the "
                "sources do not give."
            ),
            checks=(
                check(
                    "employee_limit_met",
                    Fact("employees") <= 15,
                    "Niet meer dan vijftien werknemers",
                    "No more than fifteen workers",
                    B5_23,
                ),
                check(
                    "payroll_extract_fresh",
                    Fact("payroll_extract_date") >= ON.shifted(months=-3),
                    "Uitdraai verzamelloonstaat niet ouder dan drie maanden",
                    "Payroll extract not older than three months",
                    B5_23,
                ),
                check(
                    "facilitator_within_18_months",
                    Fact("application_date")
                    <= Fact("facilitator_agreement_ended_on").shifted(months=18),
                    "Aanvraag maximaal 18 maanden na afloop van de begeleidingsovereenkomst",
                    "Application at most 18 months after the facilitator agreement ended",
                    f"{B5_23} ad b",
                ),
                check(
                    "reduced_evidence",
                    any_of(
                        Fact("facilitator_agreement").eq("current"),
                        Fact("facilitator_agreement").eq("ended")
                        & Ref("facilitator_within_18_months").otherwise(False)
                        & Fact("facilitator_still_involved"),
                    ),
                    "Facilitatorroute: alleen bewijs over de groei onder iii",
                    "Facilitator route: only the growth evidence under iii",
                    f"{B5_23} ad b",
                ),
                check(
                    "financing_at_least_100k",
                    (Fact("financing_agreement_eur") >= eur(100_000)).otherwise(False),
                    "Financieringsovereenkomst van minimaal € 100.000",
                    "Financing agreement of at least EUR 100,000",
                    f"{B5_23} ad c",
                ),
            ),
            outputs=(
                decide(
                    "employee_limit",
                    "Werknemersgrens",
                    "Employee limit",
                    (Ref("employee_limit_met"), True, B5_23),
                    otherwise=(False, B5_23),
                ),
                Checklist(
                    "required_evidence",
                    Text("Vereiste bewijsmiddelen", "Required evidence"),
                    _startup_items(),
                    provided="evidence_provided",
                    citation=B5_23,
                ),
            ),
            quotes=(
                Quote(
                    "De IND beschouwt als bewijsmiddel waaruit blijkt dat de onderneming door niet "
                    "meer dan vijftien werknemers arbeid laat verrichten op basis van een "
                    "arbeidsovereenkomst: een geanonimiseerde uitdraai van de verzamelloonstaat "
                    "die "
                    "op het moment van het beoordelen van de aanvraag niet ouder is dan drie "
                    "maanden.",
                    WBV,
                    WHERE_I,
                ),
                Quote(
                    "Als de startup onderneming ten tijde van de aanvraag een "
                    "begeleidingsovereenkomst voor een startup verblijfsvergunning heeft of heeft "
                    "gehad met een facilitator, dan overlegt deze onderneming ten behoeve van de "
                    "adviesaanvraag bij het Ministerie van EZ voor de beoordeling of de "
                    "onderneming "
                    "startend en innovatief is, enkel de bewijsmiddelen ten aanzien van de groei "
                    "onder iii.",
                    WBV,
                    WHERE_I,
                ),
                Quote(
                    "Als er geen lopende overeenkomst meer is met de facilitator, dan moet de "
                    "aanvraag voor het essentiële personeelslid maximaal 18 maanden na afloop van "
                    "de begeleidingsovereenkomst ingediend zijn.",
                    WBV,
                    WHERE_I,
                ),
                Quote(
                    "Als de startup onderneming kan aantonen dat zij een financieringsovereenkomst "
                    "van minimaal € 100.000 met een durfinvesteerder of een Nederlands bank heeft, "
                    "dan hoeven overige bewijsmiddelen ten aanzien van de financiering van de "
                    "onderneming niet overgelegd te worden.",
                    WBV,
                    WHERE_I,
                ),
            ),
        ),
    ),
)

RULES = (EMPLOYMENT_EVIDENCE, STARTUP_EVIDENCE)
