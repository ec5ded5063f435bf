"""Deadlines derived from events, one table row per rule, each quoting the text it tests.

Expected dates are worked out by hand from the quoted text (period arithmetic, then the weekend
and holiday rules); they are not produced by running Keten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from keten.catalog.derive import Event, FactValue, InputError, derive
from keten.catalog.loader import get_procedure

ON = date(2026, 11, 25)


@dataclass(frozen=True)
class Case:
    name: str
    procedure: str
    events: dict[str, date]
    deadline: str
    expected: date | None
    status: str
    source: str
    facts: dict[str, FactValue] = field(default_factory=dict)
    on: date = ON
    regime: str | None = None
    data: dict[str, dict[str, int]] = field(default_factory=dict)  # values an event carries


CASES = [
    Case(
        "asylum decision term",
        "asylum_first",
        {"lodged": date(2025, 3, 3)},
        "decision",
        date(2025, 9, 3),
        "overdue",
        "De beschikking op een aanvraag tot het verlenen of wijzigen van een verblijfsvergunning "
        "asiel voor bepaalde tijd wordt gegeven binnen zes maanden na ontvangst van de aanvraag.",
        regime="vw2000",
    ),
    Case(
        "asylum decision extended by nine months",
        "asylum_first",
        {"lodged": date(2025, 3, 3), "extended_9m": date(2025, 8, 1)},
        "decision",
        date(2026, 6, 3),
        "overdue",
        "Vw 2000 art. 42 lid 4: verlenging met ten hoogste negen maanden",
    ),
    Case(
        "last day under the old regime",
        "asylum_first",
        {"lodged": date(2026, 6, 11)},
        "decision",
        date(2026, 12, 11),
        "open",
        "alle ingediende asielaanvragen van vóór 12 juni 2026 nog onder reikwijdte van de "
        "Procedurerichtlijn vallen",
        regime="vw2000",
    ),
    Case(
        "first day under the Pact",
        "asylum_first",
        {"lodged": date(2026, 6, 12)},
        "decision",
        date(2026, 12, 14),
        "open",
        "alle asielaanvragen van na 12 juni 2026 vallen onder de reikwijdte van het "
        "Migratiepact (12 Dec 2026 is a Saturday: Reg. 1182/71 art. 3(4) moves it to Monday)",
        regime="pact",
    ),
    Case(
        "Pact registration within five days",
        "asylum_first",
        {"reported": date(2026, 7, 3)},
        "registration",
        date(2026, 7, 8),
        "open",
        "De registratie van een verzoek moet binnen 5 dagen na het indienen van de aanvraag "
        "plaatsvinden. (no lodging yet: the regime follows the day the application was made)",
        on=date(2026, 7, 4),
        regime="pact",
    ),
    Case(
        "Pact registration over Christmas",
        "asylum_first",
        {"reported": date(2026, 12, 21)},
        "registration",
        date(2026, 12, 28),
        "open",
        "De registratie van een verzoek moet binnen 5 dagen na het indienen van de aanvraag "
        "plaatsvinden. (ends Saturday 26 Dec -> Monday 28 Dec)",
        on=date(2026, 12, 22),
    ),
    Case(
        "hearing report response in the extended procedure",
        "asylum_first",
        {
            "lodged": date(2025, 3, 3),
            "referred_extended": date(2025, 3, 14),
            "hearing_report": date(2025, 5, 2),
        },
        "hearing_report_response",
        date(2025, 5, 16),
        "overdue",
        "De IND geeft de vreemdeling een termijn van twee weken om schriftelijk op het rapport "
        "van nader gehoor te reageren, als het nader gehoor is afgenomen in de verlengde "
        "asielprocedure.",
    ),
    Case(
        "Dublin transfer six months after acceptance",
        "dublin_outgoing",
        {
            "lodged": date(2025, 1, 6),
            "request_sent": date(2025, 2, 3),
            "accepted": date(2025, 3, 3),
        },
        "transfer",
        date(2025, 9, 3),
        "lapsed",
        "Vanaf de datum van het claimakkoord heeft Nederland zes maanden de tijd om die persoon "
        "over te dragen.",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "Dublin transfer extended to 18 months when absconded",
        "dublin_outgoing",
        {
            "lodged": date(2025, 1, 6),
            "request_sent": date(2025, 2, 3),
            "accepted": date(2025, 3, 3),
            "absconded": date(2025, 6, 1),
        },
        "transfer",
        date(2026, 9, 3),
        "lapsed",
        "De termijn kan tot maximaal 18 maanden worden verlengd indien een persoon met onbekende "
        "bestemming vertrekt; dit gebeurt veel.",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "Dublin acceptance by default",
        "dublin_outgoing",
        {"lodged": date(2025, 1, 6), "request_sent": date(2025, 2, 3)},
        "reply",
        date(2025, 4, 3),
        "lapsed",
        "Reg. 604/2013 art. 22(7): failure to act within the two-month period shall be "
        "tantamount to accepting the request",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "Dublin transfer runs from the tacit acceptance",
        "dublin_outgoing",
        {"lodged": date(2025, 1, 6), "request_sent": date(2025, 2, 3)},
        "transfer",
        date(2025, 10, 3),
        "lapsed",
        "Reg. 604/2013 art. 29(1): six months of the acceptance of the request",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "Pact transfer decision within two weeks",
        "dublin_outgoing",
        {
            "lodged": date(2026, 7, 1),
            "request_sent": date(2026, 7, 10),
            "accepted": date(2026, 8, 3),
        },
        "transfer_decision",
        date(2026, 8, 17),
        "overdue",
        "Voor beide procedures geldt dat, na bevestiging dan wel akkoord, de IND binnen twee "
        "weken een besluit moet nemen.",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "Pact appeal within one week",
        "dublin_outgoing",
        {
            "lodged": date(2026, 7, 1),
            "request_sent": date(2026, 7, 10),
            "accepted": date(2026, 8, 3),
            "transfer_decision": date(2026, 8, 12),
        },
        "appeal",
        date(2026, 8, 19),
        "overdue",
        "zal de vreemdeling (binnen een week) tegen het overdrachtsbesluit beroep moeten "
        "instellen en een voorlopige voorziening moeten aanvragen.",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "Pact appeal: the week runs from the notification of the transfer decision",
        "dublin_outgoing",
        {
            "lodged": date(2026, 7, 1),
            "request_sent": date(2026, 7, 10),
            "accepted": date(2026, 8, 3),
            "transfer_decision": date(2026, 8, 12),
            "transfer_decision_notified": date(2026, 8, 14),
        },
        "appeal",
        date(2026, 8, 21),
        "overdue",
        "Naast dat de IND het overdrachtsbesluit binnen twee weken bekend moet maken en het "
        "dossier aan DTenV zal moeten overdragen, zal de vreemdeling (binnen een week) tegen het "
        "overdrachtsbesluit beroep moeten instellen",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "Pact court within one month",
        "dublin_outgoing",
        {
            "lodged": date(2026, 7, 1),
            "request_sent": date(2026, 7, 10),
            "accepted": date(2026, 8, 3),
            "transfer_decision": date(2026, 8, 12),
            "appeal_lodged": date(2026, 8, 18),
        },
        "court",
        date(2026, 9, 18),
        "overdue",
        "De voorzieningenrechter van de rechtbank zal onder het Pact binnen een maand op het "
        "verzoek om voorlopige voorziening moeten beslissen.",
        facts={"request_type": "take_charge"},
    ),
    Case(
        "unaccompanied minor first encountered: four weeks",
        "detention",
        {"detained": date(2026, 11, 20)},
        "maximum",
        date(2026, 12, 18),
        "running",
        "Als de amv voor het eerst in het vreemdelingentoezicht wordt aangetroffen, geldt een "
        "termijn van vier weken waarbinnen het vertrek gerealiseerd moet worden.",
        facts={"group": "unaccompanied_minor", "first_encountered": True},
    ),
    Case(
        "unaccompanied minor known before: two weeks",
        "detention",
        {"detained": date(2026, 11, 20)},
        "maximum",
        date(2026, 12, 4),
        "running",
        "Het vertrek van de amv kan uiterlijk binnen twee weken gerealiseerd worden.",
        facts={"group": "unaccompanied_minor", "first_encountered": False},
    ),
    Case(
        "family: two weeks",
        "detention",
        {"detained": date(2026, 11, 20)},
        "maximum",
        date(2026, 12, 4),
        "running",
        "Bewaring wordt alleen proportioneel geacht als verwacht mag worden dat de uitzetting "
        "of overdracht binnen twee weken kan worden gerealiseerd.",
        facts={"group": "family"},
    ),
    Case(
        "adult: six months, Atw not applied",
        "detention",
        {"detained": date(2026, 6, 20)},
        "maximum",
        date(2026, 12, 20),
        "running",
        "Vreemdelingenbewaring duurt in beginsel maximaal een half jaar. (20 Dec 2026 is a "
        "Sunday; Atw art. 4 excludes periods longer than three months)",
        facts={"group": "adult"},
    ),
    Case(
        "placement in the closed family facility within five days",
        "detention",
        {"detained": date(2026, 11, 20)},
        "ggv_placement",
        date(2026, 11, 25),
        "open",
        "Ten aanzien van de plaatsing na inbewaringstelling van zowel alleenstaande "
        "minderjarigen als gezinnen met minderjarigen geldt dat zij uiterlijk binnen vijf dagen "
        "in de Gesloten Gezinsvoorziening geplaatst moeten worden.",
        facts={"group": "family"},
    ),
    Case(
        "family detention ends two weeks after removable",
        "detention",
        {"detained": date(2026, 11, 2), "removable": date(2026, 11, 16)},
        "after_removable",
        date(2026, 11, 30),
        "running",
        "kan de maatregel voortduren tot maximaal twee weken, na het moment dat het gezin "
        "verwijderbaar is geworden.",
        facts={"group": "family"},
    ),
    Case(
        "border procedure: administrative phase of 28 days",
        "border_procedure",
        {"made_at_border": date(2026, 3, 2), "lodged": date(2026, 3, 3)},
        "administrative_phase",
        date(2026, 3, 31),
        "lapsed",
        "De asielgrensprocedure bestaat uit een administratieve fase van maximaal 28 dagen.",
    ),
    Case(
        "Pact border procedure: 12 weeks including appeal",
        "border_procedure",
        {"made_at_border": date(2026, 9, 1), "registered": date(2026, 9, 3)},
        "border_maximum",
        date(2026, 11, 26),
        "running",
        "De maximale duur van de gehele asielgrensprocedure, inclusief beroep, wordt vastgesteld "
        "op 12 weken.",
    ),
    Case(
        "nareis: three months for favourable conditions, moved past a Saturday",
        "nareis",
        {"sponsor_permit_granted": date(2026, 1, 18)},
        "lodging",
        date(2026, 4, 20),
        "lapsed",
        "Daarom is een wetsvoorstel ingediend voor het verruimen van de indientermijn van 3 naar "
        "6 maanden (3 months is not longer than three months: Atw art. 1 applies)",
    ),
    Case(
        "nareis decision term of six months",
        "nareis",
        {"lodged": date(2026, 1, 5)},
        "decision",
        date(2026, 7, 5),
        "overdue",
        "De wettelijke beslistermijn van 6 maanden wordt veelvuldig overschreden.",
    ),
    Case(
        "objection term of four weeks",
        "objection",
        {"decision_notified": date(2026, 11, 2)},
        "filing",
        date(2026, 11, 30),
        "open",
        "In afwijking van artikel 6:7 van de Algemene wet bestuursrecht bedraagt de termijn voor "
        "het indienen van een bezwaar- of beroepschrift vier weken.",
    ),
    Case(
        "decision on objection: six weeks after the objection term",
        "objection",
        {"decision_notified": date(2026, 11, 2), "lodged": date(2026, 11, 20)},
        "decision",
        date(2027, 1, 11),
        "open",
        "Het bestuursorgaan beslist binnen zes weken ..., gerekend vanaf de dag na die waarop de "
        "termijn voor het indienen van het bezwaarschrift is verstreken.",
    ),
    Case(
        "decision on objection with a committee: twelve weeks",
        "objection",
        {"decision_notified": date(2026, 11, 2), "lodged": date(2026, 11, 20)},
        "decision",
        date(2027, 2, 22),
        "open",
        "indien een commissie als bedoeld in artikel 7:13 is ingesteld – binnen twaalf weken",
        facts={"advisory_committee": True},
    ),
    Case(
        "complaint handled within six weeks",
        "complaint",
        {"received": date(2026, 11, 25)},
        "handling",
        date(2027, 1, 6),
        "open",
        "Van de behandelde klachten is 83% binnen de wettelijke termijn van zes weken afgedaan.",
    ),
    Case(
        "taakstelling announced three months ahead",
        "taakstelling",
        {"period_start": date(2022, 1, 1), "announced": date(2021, 9, 28)},
        "announcement",
        date(2021, 10, 1),
        "met",
        "2022-I 1 oktober 2021 (De taakstelling dient uiterlijk 3 maanden voor het ingaan van de "
        "taakstellingsperiode bekend te worden gemaakt)",
        on=date(2021, 12, 1),
        data={"announced": {"quota": 40}},
    ),
    Case(
        "taakstelling runs for the calendar half-year",
        "taakstelling",
        {"period_start": date(2026, 7, 1), "announced": date(2026, 3, 30)},
        "period_end",
        date(2026, 12, 31),
        "running",
        "De taakstelling huisvesting vergunninghouders, die geldt voor een kalenderhalfjaar "
        "(the half-year from 1 July ends on 31 December, not on 1 January)",
        data={"announced": {"quota": 40}},
    ),
    Case(
        "taakstelling of the first half-year",
        "taakstelling",
        {"period_start": date(2027, 1, 1), "announced": date(2026, 9, 30)},
        "period_end",
        date(2027, 6, 30),
        "running",
        "De taakstelling huisvesting vergunninghouders, die geldt voor een kalenderhalfjaar "
        "(1 January - 30 June)",
        on=date(2027, 2, 1),
        data={"announced": {"quota": 40}},
    ),
    Case(
        "outflow phase 1: matching within two weeks",
        "permit_holder_outflow",
        {"permit_granted": date(2026, 1, 5)},
        "matching",
        date(2026, 1, 19),
        "overdue",
        "fase 1:koppeling door COA. ... Normtijd: twee weken",
    ),
    Case(
        "outflow norm of 14 weeks",
        "permit_holder_outflow",
        {"permit_granted": date(2026, 1, 5), "matched": date(2026, 1, 15)},
        "outflow",
        date(2026, 4, 13),
        "overdue",
        "Conform afspraken met ketenpartners heeft het verblijf van een vergunninghouder in de "
        "opvang een normtijd van 14 weken.",
    ),
    Case(
        "refusal of entry within two days, weekend not skipped",
        "refusal_of_entry",
        {"entry_postponed": date(2026, 11, 20), "detention_ground_lapsed": date(2026, 11, 27)},
        "after_ground_lapsed",
        date(2026, 11, 29),
        "open",
        "neemt de ambtenaar belast met de grensbewaking zo spoedig mogelijk, maar uiterlijk "
        "binnen twee dagen, een besluit omtrent weigering van de toegang",
        on=date(2026, 11, 27),
    ),
    Case(
        "administrative appeal within four weeks, over Christmas",
        "admin_appeal_refusal_of_entry",
        {"entry_refused": date(2026, 11, 27)},
        "filing",
        date(2026, 12, 28),
        "open",
        "De vreemdeling moet het administratief beroepschrift binnen vier weken indienen bij de "
        "IND.",
    ),
    Case(
        "Wobka fast track of two weeks",
        "wobka_adoption",
        {"lodged": date(2026, 11, 16)},
        "fast_track",
        date(2026, 11, 30),
        "open",
        "De IND handelt de aanvraag om verlening van een machtiging tot voorlopig verblijf ten "
        "behoeve van het adoptiekind versneld – binnen twee weken – af",
        facts={"via_intermediary": True},
    ),
    Case(
        "crisis reception at most seven days",
        "crisis_reception",
        {"placed": date(2026, 11, 20)},
        "maximum_stay",
        date(2026, 11, 27),
        "running",
        "crisisnoodopvang worden ingezet (max. 7 dagen opvang in bijv. lokale sporthallen).",
    ),
    Case(
        "suspension under Awb 4:15",
        "regular_residence",
        {
            "lodged": date(2026, 1, 5),
            "incomplete_notice": date(2026, 1, 10),
            "completed": date(2026, 1, 20),
        },
        "decision",
        date(2026, 4, 14),
        "overdue",
        "De termijn ... wordt opgeschort met ingang van de dag na die waarop het bestuursorgaan "
        "... uitnodigt de aanvraag aan te vullen, tot de dag waarop de aanvraag is aangevuld "
        "(11..19 Jan: 9 days; 5 Apr + 9 = 14 Apr)",
    ),
    Case(
        "decided in time",
        "regular_residence",
        {"lodged": date(2026, 1, 5), "decided": date(2026, 3, 1)},
        "decision",
        date(2026, 4, 7),
        "met",
        "Vw 2000 art. 25 lid 1: binnen negentig dagen (ends Easter Sunday 5 April; Easter "
        "Monday 6 April is a recognised holiday -> Tuesday 7 April)",
    ),
    Case(
        "screening inland: three days, at least two working days",
        "screening",
        {"application_made": date(2026, 12, 4), "started": date(2026, 12, 4)},
        "screening",
        date(2026, 12, 8),
        "open",
        "Vanaf 12 juni 2026 is de IND de screeningsautoriteit (Fri 4 Dec + 3 = Mon 7 Dec; Reg. "
        "1182/71 art. 3(5): a period of two days or more holds two working days -> Tue 8 Dec)",
        on=date(2026, 12, 4),
        regime="pact",
    ),
    Case(
        "screening at the external border: seven days",
        "screening",
        {"started": date(2026, 12, 1)},
        "screening",
        date(2026, 12, 8),
        "open",
        "met uitzondering van de asielzoekers die via de buitengrenzen Nederland binnen komen "
        "(Reg. 2024/1356 art. 8(3): seven days; Tue 1 Dec + 7 = Tue 8 Dec)",
        facts={"external_border": True},
        on=date(2026, 12, 4),
    ),
    Case(
        "screening completed in time",
        "screening",
        {"started": date(2026, 12, 1), "completed": date(2026, 12, 3)},
        "screening",
        date(2026, 12, 8),
        "met",
        "Reg. 2024/1356 art. 8(3): completed within seven days",
        facts={"external_border": True},
        on=date(2026, 12, 4),
    ),
    Case(
        "screening: registration within five days of the application",
        "screening",
        {"application_made": date(2026, 6, 12), "started": date(2026, 6, 12)},
        "registration",
        date(2026, 6, 17),
        "overdue",
        "De registratie van een verzoek moet binnen 5 dagen na het indienen van de aanvraag "
        "plaatsvinden. (Fri 12 June + 5 = Wed 17 June; the Pact's first day)",
        on=date(2026, 6, 18),
        regime="pact",
    ),
    Case(
        "screening: registration over Christmas",
        "screening",
        {"application_made": date(2026, 12, 21), "started": date(2026, 12, 21)},
        "registration",
        date(2026, 12, 28),
        "open",
        "De registratie van een verzoek moet binnen 5 dagen na het indienen van de aanvraag "
        "plaatsvinden. (ends Saturday 26 Dec -> Monday 28 Dec)",
        on=date(2026, 12, 22),
    ),
    Case(
        "screening: registered in time",
        "screening",
        {"application_made": date(2026, 12, 1), "registered": date(2026, 12, 4)},
        "registration",
        date(2026, 12, 7),
        "met",
        "De registratie van een verzoek moet binnen 5 dagen na het indienen van de aanvraag "
        "plaatsvinden. (Tue 1 Dec + 5 = Sun 6 Dec -> Mon 7 Dec)",
        on=date(2026, 12, 4),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_deadline(case: Case) -> None:
    assert case.source
    pt = get_procedure(case.procedure)
    events = [Event(kind, day, case.data.get(kind, {})) for kind, day in case.events.items()]
    state = derive(pt, events, facts=case.facts, on=case.on)
    result = state.deadline(case.deadline)
    assert (result.date, result.status) == (case.expected, case.status)
    if case.regime is not None:
        assert state.regime is not None and state.regime.id == case.regime


@pytest.mark.parametrize(
    ("facts", "authority", "days"),
    [
        ({"external_border": True}, "KMar", 7),
        ({"external_border": False}, "IND", 3),
        ({}, "IND", 3),
    ],
)
def test_the_screening_authority_follows_where_the_person_entered(
    facts: dict[str, FactValue], authority: str, days: int
) -> None:
    """Seed 002: "Vanaf 12 juni 2026 is de IND de screeningsautoriteit ... met uitzondering van
    de asielzoekers die via de buitengrenzen Nederland binnen komen": those the KMar screens at
    the border (seven days, Reg. 2024/1356 art. 8(3)); inland, and when not recorded, the IND."""
    state = derive(
        get_procedure("screening"), [Event("started", date(2026, 9, 1))], facts=facts, on=ON
    )
    result = state.deadline("screening")
    assert result.responsible == authority
    assert result.date == date(2026, 9, 1) + timedelta(days=days)


def test_no_screening_before_the_pact() -> None:
    """The IND is the screening authority "vanaf 12 juni 2026": a screening dated before is
    refused, not counted under a regime that did not exist."""
    with pytest.raises(InputError):
        derive(get_procedure("screening"), [Event("started", date(2026, 6, 11))], facts={}, on=ON)
