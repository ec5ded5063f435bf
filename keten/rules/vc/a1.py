"""Vc 2000 chapter A1: border and entry (A1/4.10, A1/7.3), as rewritten by WBV 2025/14."""

from __future__ import annotations

from datetime import date
from typing import Literal

from keten.rules.build import check, decide, value
from keten.rules.expr import ON, Fact, Param, Ref, age, any_of
from keten.rules.facts import RuleFacts, fact
from keten.rules.rule import Quote, Rule, RuleVersion, Text

WBV = "004_cbc7489b66a820d5.txt"
A1_410 = "Vc 2000 A1/4.10"
A1_73 = "Vc 2000 A1/7.3"
WHERE_B = "Artikel I, onderdeel B (A1/4.10)"
WHERE_C = "Artikel I, onderdeel C (A1/7.3)"
TEXT_SINCE_UNKNOWN = (
    "The sources give this paragraph as rewritten by WBV 2025/14; its explanatory note describes "
    "no change of outcome for it. Since when the rule applied is not in the sources."
)

# -- A1/4.10 visas for family members of EU/EEA/Swiss nationals --------------------------------


class EuFamilyVisaFacts(RuleFacts):
    relation: Literal["family_member", "unmarried_partner", "none"] = fact(
        "Relation to the EU/EEA/Swiss national: family or household member under art. 8.7(2)-(3) "
        "Vb, unmarried partner with a durable relationship under art. 8.7(4) Vb, or none",
        "Relatie tot de onderdaan van de EU/EER/Zwitserland: familie- of gezinslid (art. 8.7 "
        "lid 2-3 Vb), ongehuwde partner met duurzame relatie (art. 8.7 lid 4 Vb), of geen",
        choices={
            "family_member": ("familie- of gezinslid", "family or household member"),
            "unmarried_partner": (
                "ongehuwde partner met duurzame relatie",
                "unmarried partner in a durable relationship",
            ),
            "none": ("geen van beide", "neither"),
        },
    )
    shown_convincingly: bool = fact(
        "The relation is shown convincingly with evidence",
        "De relatie is met bewijsmiddelen overtuigend aangetoond",
    )
    relationship_existing: bool = fact(
        "The durable relationship exists already (for a partner)",
        "Het gaat om een bestaande duurzame relatie (bij een partner)",
        default=True,
    )
    public_order_threat: bool = fact(
        "Personal conduct is a present, genuine and serious threat (art. 8.8(1)(a) Vb)",
        "Persoonlijk gedrag vormt een actuele, werkelijke en ernstige bedreiging (art. 8.8 lid 1 "
        "onder a Vb)",
        default=False,
    )
    public_health_threat: bool = fact(
        "A disease as meant in art. 8.8(1)(b) Vb",
        "Een ziekte als bedoeld in art. 8.8 lid 1 onder b Vb",
        default=False,
    )
    abuse_or_fraud: bool = fact(
        "Abuse of rights or fraud, such as a marriage of convenience",
        "Rechtsmisbruik of fraude, zoals een schijnhuwelijk",
        default=False,
    )
    at_border: bool = fact(
        "Found at the border and asked to apply for a visa to accompany or join the national",
        "Aan de grens aangetroffen en verzocht een visum aan te vragen om de onderdaan te "
        "begeleiden of zich bij hem te voegen",
        default=False,
    )
    nationality: str | None = fact(
        "Nationality (ISO 3166-1 alpha-2 code; none if stateless or unknown): whether it needs a "
        "visa is read from the country register (Reg. (EU) 2018/1806)",
        "Nationaliteit (ISO 3166-1 alpha-2-code; leeg bij staatloos of onbekend): of zij "
        "visumplichtig is, wordt uit het landenregister gelezen (Verordening (EU) 2018/1806)",
        default=None,
        min_length=2,
        max_length=2,
    )
    removed_departure: date | None = fact(
        "Day of departure after an earlier removal on public order, security or health grounds",
        "Vertrekdatum na eerdere verwijdering om redenen van openbare orde, nationale veiligheid "
        "of volksgezondheid",
        default=None,
    )


EU_FAMILY_VISA = Rule(
    id="vc-a1-4.10-eu-family-visa",
    citation=A1_410,
    title=Text(
        "Visum voor familieleden van onderdanen van de EU, de EER en Zwitserland",
        "Visas for family members of EU, EEA and Swiss nationals",
    ),
    facts=EuFamilyVisaFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=TEXT_SINCE_UNKNOWN,
            checks=(
                # "De visumplichtige vreemdeling": whether the nationality needs a visa is read
                # from the register (Annex II of Reg. 2018/1806 lists the exempt); a nationality
                # on neither annex, or none, is treated as needing one, as the paragraph does.
                check(
                    "visa_free",
                    Fact("nationality").is_given()
                    & Fact("nationality").isin(Param("countries.visa_free")),
                    "Nationaliteit vrijgesteld van de visumplicht (landenregister, bijlage II "
                    "Verordening (EU) 2018/1806)",
                    "Nationality exempt from the visa requirement (country register, Annex II "
                    "Reg. (EU) 2018/1806)",
                    f"{A1_410}; Verordening (EU) 2018/1806",
                ),
                check(
                    "favourable_category",
                    any_of(
                        Fact("relation").eq("family_member"),
                        Fact("relation").eq("unmarried_partner") & Fact("relationship_existing"),
                    ),
                    "Familie- of gezinslid, of ongehuwde partner met bestaande duurzame relatie",
                    "Family or household member, or unmarried partner in an existing durable "
                    "relationship",
                    f"{A1_410}; Vb art. 8.7 lid 2-4",
                ),
                check(
                    "favourable_rules_apply",
                    Ref("favourable_category") & Fact("shown_convincingly"),
                    "Overtuigend aangetoond: gunstigere regels",
                    "Shown convincingly: the more favourable rules apply",
                    A1_410,
                ),
                check(
                    "lifting_possible_from",
                    Fact("removed_departure").shifted(years=3),
                    "Opheffing van de eerdere verwijdering in ieder geval aan te vragen vanaf",
                    "Lifting of the earlier removal may in any case be requested from",
                    f"{A1_410}; Vb art. 8.8 lid 1 onder c",
                ),
            ),
            outputs=(
                decide(
                    "decision",
                    "Beslissing op het visum",
                    "Decision on the visa",
                    (Ref("visa_free"), "no_visa_needed", f"{A1_410}; Verordening (EU) 2018/1806"),
                    (~Ref("favourable_rules_apply"), "regular_visa_policy", A1_410),
                    (
                        Fact("public_order_threat"),
                        "refuse_8_8_1_a",
                        f"{A1_410}; Vb art. 8.8 lid 1 a",
                    ),
                    (
                        Fact("public_health_threat"),
                        "refuse_8_8_1_b",
                        f"{A1_410}; Vb art. 8.8 lid 1 b",
                    ),
                    (Fact("abuse_or_fraud"), "refuse_abuse_or_fraud", A1_410),
                    otherwise=("issue", A1_410),
                    values={
                        "no_visa_needed": (
                            "geen visum nodig: de nationaliteit is niet visumplichtig",
                            "no visa needed: the nationality is exempt",
                        ),
                        "regular_visa_policy": (
                            "het reguliere visumbeleid geldt",
                            "the regular visa policy applies",
                        ),
                        "refuse_8_8_1_a": (
                            "weigeren: artikel 8.8, eerste lid, onder a, Vb",
                            "refuse: Article 8.8(1)(a) Vb",
                        ),
                        "refuse_8_8_1_b": (
                            "weigeren: artikel 8.8, eerste lid, onder b, Vb",
                            "refuse: Article 8.8(1)(b) Vb",
                        ),
                        "refuse_abuse_or_fraud": (
                            "weigeren: rechtsmisbruik of fraude",
                            "refuse: abuse of rights or fraud",
                        ),
                        "issue": ("visum afgeven", "issue the visa"),
                    },
                ),
                decide(
                    "free_of_charge",
                    "Visum gratis",
                    "Visa free of charge",
                    (
                        ~Ref("visa_free")
                        & Ref("favourable_rules_apply")
                        & Fact("at_border")
                        & ~Fact("public_order_threat")
                        & ~Fact("public_health_threat")
                        & ~Fact("abuse_or_fraud"),
                        True,
                        A1_410,
                    ),
                    otherwise=(False, A1_410),
                ),
                decide(
                    "entry_refusal_form",
                    "Model bij toegangsweigering",
                    "Form when entry is refused",
                    (
                        Ref("favourable_rules_apply")
                        & (Fact("public_order_threat") | Fact("public_health_threat")),
                        "M18",
                        f"{A1_410}; Vw art. 3 lid 1 onder d jo. Vb art. 8.8",
                    ),
                    otherwise=(None, A1_410),
                    values={
                        "M18": ("model M18", "form M18"),
                    },
                ),
                decide(
                    "may_request_lifting",
                    "Opheffing eerdere verwijdering in ieder geval aan te vragen",
                    "Lifting of the earlier removal can in any case be requested",
                    (Ref("lifting_possible_from") <= ON, True, f"{A1_410}; Vb art. 8.8 lid 1 c"),
                    otherwise=(False, f"{A1_410}; Vb art. 8.8 lid 1 c"),
                ),
            ),
            quotes=(
                Quote(
                    "Als de vreemdeling niet overtuigend kan aantonen dat hij behoort tot de "
                    "hiervoor genoemde categorieën, dan geldt het reguliere visumbeleid.",
                    WBV,
                    WHERE_B,
                ),
                Quote(
                    "In alle gevallen dient het om een bestaande duurzame relatie te gaan.",
                    WBV,
                    WHERE_B,
                ),
                Quote(
                    "Wanneer de vreemdeling overtuigend heeft aangetoond dat de aanvrager een "
                    "familie- of een gezinslid is in de zin van artikel 8.7, tweede, derde of "
                    "vierde lid, Vb, mag de ambtenaar belast met de grensbewaking de afgifte van "
                    "een visum uitsluitend weigeren: op de gronden genoemd in artikel 8.8, eerste "
                    "lid onder a en b, Vb; als sprake is van rechtsmisbruik of fraude zoals "
                    "schijnhuwelijk.",
                    WBV,
                    WHERE_B,
                ),
                Quote(
                    "De ambtenaar belast met de grensbewaking verstrekt het visum gratis in het "
                    "geval dat hij een familie- of gezinslid als bedoeld in artikel 8.7, tweede, "
                    "derde of vierde lid, Vb aan de grens aantreft en hij de vreemdeling verzoekt "
                    "om een visum aan te vragen om de onderdaan van de EU, de EER en Zwitserland "
                    "te begeleiden of zich bij die onderdaan te voegen.",
                    WBV,
                    WHERE_B,
                ),
                Quote(
                    "De vreemdeling die eerder om redenen van de openbare orde, de nationale "
                    "veiligheid of de volksgezondheid is verwijderd mag na verloop van een "
                    "redelijke termijn, en in ieder geval na drie jaar gerekend vanaf zijn "
                    "vertrek, een aanvraag indienen om opheffing van het eerdere besluit om hem "
                    "uit Nederland te verwijderen.",
                    WBV,
                    WHERE_B,
                ),
                Quote(
                    "De ambtenaar belast met de grensbewaking weigert toegang aan de vreemdeling "
                    "op grond van artikel 3, eerste lid, onder d, Vw juncto artikel 8.8 Vb en "
                    "gebruikt hiervoor model M18.",
                    WBV,
                    WHERE_B,
                ),
            ),
        ),
    ),
)

# -- A1/7.3 refusal of entry and where the person goes ------------------------------------------


class BorderRoutingFacts(RuleFacts):
    birth_date: date = fact("Date of birth", "Geboortedatum")
    travels_with_minor_child: bool = fact(
        "An adult who arrives together with a minor child",
        "Volwassene die samen met een minderjarig kind inreist",
        default=False,
    )
    travels_with_adult: bool = fact(
        "A minor who arrives together with an adult (who states a relation to the child)",
        "Minderjarige die samen met een volwassene inreist (die een relatie tot het kind stelt)",
        default=False,
    )
    wants_asylum: bool = fact(
        "States the wish to apply for an asylum residence permit",
        "Geeft te kennen een aanvraag asiel voor bepaalde tijd te willen indienen",
    )
    meets_entry_conditions: bool = fact(
        "Meets the conditions for entry", "Voldoet aan de toegangsvoorwaarden", default=False
    )
    risk_indications: bool = fact(
        "Indications of risks to the child's mental or physical welfare, or further investigation "
        "needed into the adult or the stated relation",
        "Indicaties van risico's voor het welzijn van het kind, of nader onderzoek nodig naar de "
        "volwassene of de gestelde relatie",
        default=False,
    )
    risk_established: bool = fact(
        "Risks to the child established and/or the relation not accepted",
        "Risico's voor het kind vastgesteld en/of de relatie niet aangenomen",
        default=False,
    )
    eu_eea_swiss_national: bool = fact(
        "Is or claims to be an EU, EEA or Swiss national",
        "Is onderdaan van de EU, EER of Zwitserland of stelt dit te zijn",
        default=False,
    )
    ind_contact_category: bool = fact(
        "Claims to be Dutch, a special status or long residence, holds a valid mvv, or is a "
        "foreign adoptive or foster child; or refusal would harm an essential humanitarian or "
        "Dutch interest",
        "Beroept zich op Nederlanderschap, bijzondere status of lang verblijf, heeft een geldige "
        "mvv, of is buitenlands adoptie- of pleegkind; of weigering schaadt een wezenlijk "
        "humanitair of Nederlands belang",
        default=False,
    )


def _routing_version(
    starts: str | None, child_referral: str, label: Text, note: str
) -> RuleVersion:
    minor = age(Fact("birth_date")) < 18
    asylum = Fact("wants_asylum")
    return RuleVersion(
        starts=starts,
        label=label,
        note=note,
        checks=(
            check("age", age(Fact("birth_date")), "Leeftijd", "Age", A1_73),
            check("minor", minor, "Minderjarig", "Minor", A1_73),
            check(
                "unaccompanied_minor",
                minor & ~Fact("travels_with_adult"),
                "Alleenstaande minderjarige",
                "Unaccompanied minor",
                A1_73,
            ),
            check(
                "adult_with_child",
                ~minor & Fact("travels_with_minor_child"),
                "Volwassene samen met een minderjarig kind",
                "Adult together with a minor child",
                A1_73,
            ),
            check(
                "child_with_adult",
                minor & Fact("travels_with_adult"),
                "Minderjarig kind samen met een volwassene",
                "Minor child together with an adult",
                A1_73,
            ),
        ),
        outputs=(
            decide(
                "entry",
                "Toegang",
                "Entry",
                (asylum & Ref("unaccompanied_minor"), "granted", A1_73),
                (asylum & Ref("child_with_adult") & Fact("risk_established"), "granted", A1_73),
                (
                    asylum & Ref("child_with_adult") & Fact("risk_indications"),
                    "refusal_postponed",
                    A1_73,
                ),
                (asylum & Ref("child_with_adult"), "granted", A1_73),
                (
                    asylum & Ref("adult_with_child") & Fact("risk_established"),
                    "refusal_postponed",
                    A1_73,
                ),
                (
                    asylum & Ref("adult_with_child") & Fact("risk_indications"),
                    "refusal_postponed",
                    A1_73,
                ),
                (asylum & Ref("adult_with_child"), "granted", A1_73),
                (asylum, "refusal_postponed", A1_73),
                (Fact("meets_entry_conditions"), "granted", A1_73),
                (Fact("eu_eea_swiss_national"), "submit_to_ind", f"{A1_73}; Vb art. 8.8 lid 2"),
                (Fact("ind_contact_category"), "consult_ind", A1_73),
                otherwise=("refused", A1_73),
                values={
                    "granted": ("toegang verleend", "entry granted"),
                    "refusal_postponed": (
                        "toegangsweigering uitgesteld",
                        "refusal of entry postponed",
                    ),
                    "submit_to_ind": ("voorleggen aan de IND", "submit to the IND"),
                    "consult_ind": ("contact opnemen met de IND", "consult the IND"),
                    "refused": ("toegang geweigerd", "entry refused"),
                },
            ),
            decide(
                "form",
                "Model",
                "Form",
                (Ref("entry").eq("refusal_postponed"), "M18A", A1_73),
                (Ref("entry").eq("refused"), "M17", f"{A1_73}; SGC bijlage V deel B"),
                otherwise=(None, A1_73),
                values={
                    "M18A": ("model M18A", "form M18A"),
                    "M17": ("model M17", "form M17"),
                },
            ),
            decide(
                "detention",
                "Vrijheidsontnemende maatregel",
                "Detention measure",
                (Ref("entry").eq("refusal_postponed"), "M19/M19A (Vw art. 6 lid 3)", A1_73),
                otherwise=(None, A1_73),
                values={
                    "M19/M19A (Vw art. 6 lid 3)": (
                        "model M19 dan wel M19A (artikel 6, derde lid, Vw)",
                        "form M19 or M19A (Article 6(3) Vw)",
                    ),
                },
            ),
            decide(
                "destination",
                "Plaatsing of verwijzing",
                "Placement or referral",
                (asylum & Ref("unaccompanied_minor"), "AC Ter Apel", A1_73),
                (
                    asylum & Ref("child_with_adult") & Fact("risk_established"),
                    child_referral,
                    A1_73,
                ),
                (asylum & Ref("child_with_adult") & Fact("risk_indications"), "GGV Zeist", A1_73),
                (asylum & Ref("child_with_adult"), "AC Ter Apel", A1_73),
                (asylum & Ref("adult_with_child") & Fact("risk_established"), "AC Schiphol", A1_73),
                (asylum & Ref("adult_with_child") & Fact("risk_indications"), "GGV Zeist", A1_73),
                (asylum & Ref("adult_with_child"), "AC Ter Apel", A1_73),
                (asylum, "AC Schiphol", A1_73),
                (Ref("entry").eq("refused") & Ref("unaccompanied_minor"), "DTenV", A1_73),
                otherwise=(None, A1_73),
                values={
                    "AC Ter Apel": ("aanmeldcentrum Ter Apel", "application centre Ter Apel"),
                    "GGV Zeist": (
                        "Gesloten Gezinsvoorziening in Zeist",
                        "closed family facility in Zeist",
                    ),
                    child_referral: (
                        f"doorverwijzen naar de {child_referral}",
                        f"refer to {child_referral}",
                    ),
                    "AC Schiphol": ("aanmeldcentrum Schiphol", "application centre Schiphol"),
                    "DTenV": ("overdragen aan de DTenV", "hand over to the DTenV"),
                },
            ),
        ),
        quotes=(
            Quote(
                "De ambtenaar belast met de grensbewaking weigert de toegang aan iedere "
                "vreemdeling die niet aan de toegangsvoorwaarden voldoet.",
                WBV,
                WHERE_C,
            ),
            Quote(
                "legt een vrijheidsontnemende maatregel op grond van artikel 6, derde lid Vw op "
                "door middel van het model M19 dan wel M19A; en plaatst de vreemdeling ten "
                "spoedigste voor de behandeling van de aanvraag voor het verlenen van een "
                "verblijfsvergunning asiel voor bepaalde tijd in AC Schiphol.",
                WBV,
                WHERE_C,
            ),
            Quote(
                "Indien er indicaties zijn van mogelijke risico’s voor het geestelijk of "
                "lichamelijk welzijn van het minderjarige kind of indien nader onderzoek nodig is "
                "naar de volwassen vreemdeling of zijn gestelde relatie tot het minderjarige kind, "
                "dan kan de ambtenaar belast met de grensbewaking van deze regel afwijken.",
                WBV,
                WHERE_C,
            ),
            Quote(
                "verwijst het minderjarige kind voor het indienen van de aanvraag voor het "
                "verlenen van een verblijfsvergunning asiel voor bepaalde tijd, door naar de DISA",
                WBV,
                WHERE_C,
            ),
            Quote(
                "Als de ambtenaar belast met de grensbewaking aan een alleenreizende minderjarige "
                "vreemdeling de toegang tot Nederland weigert, draagt de ambtenaar de vreemdeling "
                "over aan de DTenV voor het terugbrengen van de vreemdeling naar een derde land "
                "waar zijn toelating is gewaarborgd.",
                WBV,
                WHERE_C,
            ),
            Quote(
                "Per 1 januari 2025 is Dienst Identificatie en Screening Asielzoekers "
                "eindverantwoordelijk voor het Identificatie en Registratieproces van "
                "asielzoekers.",
                WBV,
                "Toelichting, onder A, C–D, S",
            ),
        ),
    )


BORDER_ROUTING = Rule(
    id="vc-a1-7.3-border-routing",
    citation=A1_73,
    title=Text(
        "Weigeren van toegang: welk model en waar de vreemdeling heen gaat",
        "Refusal of entry: which form and where the person goes",
    ),
    facts=BorderRoutingFacts,
    versions=(
        _routing_version(
            None,
            "AVIM",
            Text(
                "vóór WBV 2025/14 (verwijzing naar de AVIM)",
                "before WBV 2025/14 (referral to AVIM)",
            ),
            "The explanatory note of WBV 2025/14 says A1/7.3 was adapted because DISA took over "
            "powers of the AVIM on 1 January 2025; Keten reads the earlier text as referring the "
            "child to the AVIM. Since when that text applied is not in the sources.",
        ),
        _routing_version(
            "wbv_2025_14",
            "DISA",
            Text(
                "na WBV 2025/14 (verwijzing naar de DISA)", "after WBV 2025/14 (referral to DISA)"
            ),
            "",
        ),
    ),
)

# -- A1/7.3 refusal of entry after the border procedure: form and two-day limit ----------------


class RefusalAfterBorderFacts(RuleFacts):
    event: Literal["detention_grounds_ended", "asylum_decided_no_stay", "asylum_withdrawn"] = fact(
        "What ended the border procedure: the situations of art. 6(3) Vw no longer apply; the "
        "asylum decision, where the person may not await interim relief in the Netherlands; or "
        "the asylum application was withdrawn",
        "Wat de grensprocedure beëindigde: de situaties van art. 6 lid 3 Vw zijn niet langer van "
        "toepassing; het besluit op de asielaanvraag, waarbij de voorlopige voorziening niet hier "
        "te lande mag worden afgewacht; of de intrekking van de asielaanvraag",
        choices={
            "detention_grounds_ended": (
                "situaties van artikel 6, derde lid, Vw niet langer van toepassing",
                "the situations of Article 6(3) Vw no longer apply",
            ),
            "asylum_decided_no_stay": (
                "besluit op de asielaanvraag; voorlopige voorziening niet hier te lande af te "
                "wachten",
                "asylum decision; interim relief may not be awaited in the Netherlands",
            ),
            "asylum_withdrawn": (
                "intrekking van de asielaanvraag",
                "asylum application withdrawn",
            ),
        },
    )
    event_date: date = fact("Day of that event", "Datum van die gebeurtenis")
    refusal_decided_on: date | None = fact(
        "Day the decision on refusal of entry was taken, if taken",
        "Datum van het besluit omtrent weigering van de toegang, als genomen",
        default=None,
    )


REFUSAL_AFTER_BORDER = Rule(
    id="vc-a1-7.3-refusal-after-border-procedure",
    citation=A1_73,
    title=Text(
        "Toegangsweigering na de grensprocedure: model en uiterlijk binnen twee dagen",
        "Refusal of entry after the border procedure: form and at the latest within two days",
    ),
    facts=RefusalAfterBorderFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=TEXT_SINCE_UNKNOWN,
            checks=(
                check(
                    "latest_day",
                    Fact("event_date").shifted(days=2),
                    "Uiterlijk op (twee dagen na de gebeurtenis)",
                    "At the latest on (two days after the event)",
                    A1_73,
                    note="A period set by policy: not moved for weekends or holidays.",
                ),
            ),
            outputs=(
                decide(
                    "form",
                    "Model",
                    "Form",
                    (Fact("event").eq("asylum_withdrawn"), "M17", f"{A1_73}; SGC art. 14 jo. 6"),
                    otherwise=("M17A", f"{A1_73}; SGC art. 14"),
                    values={
                        "M17": ("model M17", "form M17"),
                        "M17A": ("model M17A", "form M17A"),
                    },
                ),
                decide(
                    "new_detention_measure",
                    "Nieuwe vrijheidsontnemende maatregel",
                    "New detention measure",
                    (
                        Fact("event").eq("asylum_withdrawn"),
                        "Vw art. 6 lid 1 en 2 of art. 6a lid 1",
                        A1_73,
                    ),
                    otherwise=(None, A1_73),
                    values={
                        "Vw art. 6 lid 1 en 2 of art. 6a lid 1": (
                            "artikel 6, eerste en tweede lid, Vw of artikel 6a, eerste lid, Vw",
                            "Article 6(1) and (2) Vw or Article 6a(1) Vw",
                        ),
                    },
                ),
                value("decide_by", "Uiterlijk beslissen op", "Decide by", Ref("latest_day"), A1_73),
                decide(
                    "in_time",
                    "Tijdig beslist",
                    "Decided in time",
                    (Fact("refusal_decided_on").is_missing(), None, A1_73),
                    (Fact("refusal_decided_on") <= Ref("latest_day"), True, A1_73),
                    otherwise=(False, A1_73),
                ),
            ),
            quotes=(
                Quote(
                    "Wanneer de daar genoemde situaties niet langer van toepassing zijn, neemt de "
                    "ambtenaar belast met de grensbewaking zo spoedig mogelijk, maar uiterlijk "
                    "binnen twee dagen, een besluit omtrent weigering van de toegang als bedoeld "
                    "in artikel 14 SGC middels het model M17A.",
                    WBV,
                    WHERE_C,
                ),
                Quote(
                    "Het nemen van een besluit omtrent de weigering van toegang en het opleggen "
                    "van een nieuwe vrijheidsontnemende maatregel dient zo spoedig mogelijk "
                    "plaats te vinden, maar uiterlijk binnen twee dagen na intrekking van de "
                    "asielaanvraag.",
                    WBV,
                    WHERE_C,
                ),
            ),
        ),
    ),
)

# -- A1/7.3 remedies against refusal of entry ---------------------------------------------------


class RemedyFacts(RuleFacts):
    form: Literal["M17", "M17A", "M18"] = fact(
        "Form of the written refusal of entry",
        "Model van de schriftelijke toegangsweigering",
        choices={
            "M17": (
                "model M17 (standaardformulier bijlage V, deel B, SGC)",
                "form M17 (standard form, Annex V Part B Schengen Borders Code)",
            ),
            "M17A": (
                "model M17A (toegangsweigering na de grensprocedure)",
                "form M17A (refusal of entry after the border procedure)",
            ),
            "M18": (
                "model M18 (toegangsweigering op grond van artikel 8.8 Vb)",
                "form M18 (refusal of entry under Article 8.8 Vb)",
            ),
        },
    )
    notice_date: date = fact("Day the refusal was handed over", "Datum van uitreiking")
    detention_with_refusal: bool = fact(
        "A detention measure under art. 6(1)-(2) or 6a(1) Vw was imposed with the refusal (for "
        "M17A: after it)",
        "Een vrijheidsontnemende maatregel (art. 6 lid 1-2 of 6a lid 1 Vw) is (vrijwel) "
        "gelijktijdig opgelegd (bij M17A: daarna)",
        default=False,
    )
    detention_appealed: bool = fact(
        "An appeal was lodged against that detention measure",
        "Tegen die maatregel is beroep ingesteld",
        default=False,
    )
    first_interim_relief_request: bool = fact(
        "A first request for interim relief was made",
        "Er is een eerste verzoek om een voorlopige voorziening gedaan",
        default=False,
    )


REMEDY = Rule(
    id="vc-a1-7.3-remedy",
    citation=A1_73,
    title=Text(
        "Rechtsmiddel tegen de toegangsweigering en termijn",
        "Remedy against refusal of entry and its time limit",
    ),
    facts=RemedyFacts,
    versions=(
        RuleVersion(
            starts=None,
            label=Text("tekst WBV 2025/14", "text of WBV 2025/14"),
            note=TEXT_SINCE_UNKNOWN,
            checks=(
                check(
                    "appeal_covers_refusal",
                    Fact("detention_with_refusal") & Fact("detention_appealed"),
                    "Beroep tegen de bewaring omvat de toegangsweigering",
                    "The appeal against detention covers the refusal of entry",
                    f"{A1_73}; Vw art. 94 lid 2",
                ),
            ),
            outputs=(
                decide(
                    "remedy",
                    "Rechtsmiddel",
                    "Remedy",
                    (Ref("appeal_covers_refusal"), "beroep", f"{A1_73}; Vw art. 94 lid 2"),
                    otherwise=("administratief_beroep_ind", f"{A1_73}; Vw art. 77 lid 1"),
                    values={
                        "beroep": (
                            "beroep (tegen de vrijheidsontnemende maatregel)",
                            "appeal (against the detention measure)",
                        ),
                        "administratief_beroep_ind": (
                            "administratief beroep bij de IND",
                            "administrative appeal to the IND",
                        ),
                    },
                ),
                decide(
                    "lodge_by",
                    "Administratief beroep uiterlijk indienen op",
                    "Lodge the administrative appeal by",
                    (
                        Ref("remedy").eq("administratief_beroep_ind"),
                        Fact("notice_date").shifted(weeks=4),
                        A1_73,
                    ),
                    otherwise=(None, A1_73),
                ),
                decide(
                    "must_leave_immediately",
                    "Moet Nederland onmiddellijk verlaten",
                    "Must leave the Netherlands immediately",
                    (Fact("first_interim_relief_request"), False, f"{A1_73}; Vw art. 5 lid 1"),
                    otherwise=(True, f"{A1_73}; Vw art. 5 lid 1"),
                ),
            ),
            quotes=(
                Quote(
                    "De vreemdeling moet het administratief beroepschrift binnen vier weken "
                    "indienen bij de IND.",
                    WBV,
                    WHERE_C,
                ),
                Quote(
                    "Indien na de toegangsweigering (vrijwel) gelijktijdig een "
                    "vrijheidsontnemende maatregel op grond van artikel 6, eerste en tweede lid, "
                    "Vw of artikel 6a, eerste lid, Vw wordt opgelegd en men tegen deze "
                    "vrijheidsontnemende maatregel beroep instelt, dan dient het rechtsmiddel "
                    "tegen de toegangsweigering eveneens beroep te zijn, in plaats van "
                    "administratief beroep.",
                    WBV,
                    WHERE_C,
                ),
                Quote(
                    "Een beroep tegen deze vrijheidsontnemende maatregel omvat gelet op het "
                    "bepaalde in artikel 94, tweede lid, Vw van rechtswege een beroep tegen het "
                    "besluit tot toegangsweigering dat is genomen middels het model M17A.",
                    WBV,
                    WHERE_C,
                ),
                Quote(
                    "De vreemdeling moet Nederland op grond van artikel 5, eerste lid, Vw "
                    "onmiddellijk verlaten, tenzij er sprake is van een eerste verzoek om een "
                    "voorlopige voorziening.",
                    WBV,
                    WHERE_C,
                ),
            ),
        ),
    ),
)

RULES = (EU_FAMILY_VISA, BORDER_ROUTING, REFUSAL_AFTER_BORDER, REMEDY)
