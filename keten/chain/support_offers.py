"""Return and reintegration support: the kinds of support offered and the programmes.

Seed 002 (national strategy, return): "Nederland biedt vreemdelingen terugkeerondersteuning aan,
bestaande uit informatie over zelfstandig vertrek, een vliegtuigticket, advies over het verkrijgen
van een reisdocument en een kleine financiële vergoeding voor eventuele noodzakelijke uitgaven
gedurende de reis. Deze terugkeerondersteuning wordt aangeboden door de Internationale Organisatie
voor Migratie (IOM) als onderdeel van het ‘Return and Emigration Assistance from the Netherlands’
(REAN) programma. Daarnaast kunnen sommige vreemdelingen, afhankelijk van hun nationaliteit,
herintegratieondersteuning krijgen via IOM, EU Reintegration Programme (EURP) vanuit Frontex en
verschillende NGO's die subsidie ontvangen van de DTenV."

Seed 004 (Vc A3/5.1): "De IOM verstrekt de vreemdeling zijn vliegticket en een eventuele eenmalige
financiële bijdrage op de luchthaven van vertrek."
"""

from __future__ import annotations

from keten.chain.kinds import SEED_004, Kind, _index

SEED_002 = "002_7c211f7c90b156ae.txt"

SUPPORT_KINDS = _index(
    Kind("flight_ticket", "Vliegticket", "Flight ticket", SEED_004),
    Kind(
        "cash_contribution",
        "Eenmalige financiële bijdrage",
        "One-off cash contribution",
        SEED_004,
    ),
    Kind(
        "travel_document_advice",
        "Advies over het verkrijgen van een reisdocument",
        "Advice on obtaining a travel document",
        SEED_002,
    ),
    Kind(
        "reintegration_in_kind",
        "Herintegratieondersteuning in natura",
        "Reintegration support in kind",
        SEED_002,
    ),
)

PROGRAMMES = _index(
    Kind(
        "rean",
        "REAN (Return and Emigration Assistance from the Netherlands)",
        "REAN (Return and Emigration Assistance from the Netherlands)",
        SEED_002,
    ),
    Kind(
        "eurp",
        "EU Reintegration Programme (Frontex)",
        "EU Reintegration Programme (Frontex)",
        SEED_002,
    ),
    Kind("ngo", "NGO met subsidie van de DTenV", "NGO subsidised by DTenV", SEED_002),
)

# The kinds that have a value in euros; a ticket's price and advice are not amounts offered.
WITH_AMOUNT = frozenset({"cash_contribution", "reintegration_in_kind"})

# No source gives an amount: seed 002 calls the contribution "een kleine financiële vergoeding".
# The bound only stops a typing error (an extra zero) from being stored as a support offer.
# uncertain: not a legal maximum; no amount is in the seeds.
MAX_AMOUNT_EUR = 10_000
