"""What the chain simulation records, with Dutch and English labels.

Flows are summed per month; stocks are the value at the end of the month. Ratios (lead time,
share on time) are derived from summed flows, so a year's ratio weighs every decision once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Metric:
    name: str
    kind: Literal["flow", "stock", "ratio"]
    nl: str
    en: str
    unit: str = "personen / persons"

    def label(self) -> str:
        return f"{self.nl} / {self.en}"


_FLOWS = [
    ("first_applications", "Eerste asielaanvragen", "First asylum applications"),
    ("repeated_applications", "Herhaalde aanvragen", "Repeated applications"),
    ("resettled", "Hervestiging", "Resettlement arrivals"),
    ("dublin_claims", "Dublinclaims", "Dublin claims"),
    ("ind_decisions", "IND-beslissingen eerste aanleg", "IND first-instance decisions"),
    ("ind_decisions_priority", "IND-beslissingen met voorrang", "IND decisions, priority cases"),
    ("decided_within_term", "Beslist binnen termijn", "Decided within the statutory term"),
    ("lead_time_weeks_sum", "Som doorlooptijd (weken)", "Sum of lead times (weeks)"),
    ("lead_time_weeks_sum_priority", "Som doorlooptijd voorrang", "Sum of lead times, priority"),
    ("grants_refugee", "Vergunningen vluchtelingenstatus", "Grants, refugee status"),
    ("grants_subsidiary", "Vergunningen subsidiaire bescherming", "Grants, subsidiary protection"),
    ("refusals", "Afwijzingen", "Refusals"),
    ("withdrawn", "Ingetrokken / buiten behandeling", "Withdrawn"),
    ("appeals", "Beroepen ingesteld", "Appeals lodged"),
    ("court_decisions", "Uitspraken rechtbank", "Court decisions"),
    ("court_annulled", "Beroep gegrond (nieuw besluit)", "Appeals upheld (new decision)"),
    ("dublin_transfers", "Dublinoverdrachten", "Dublin transfers"),
    ("dublin_absconded", "Dublinclaimanten met onbekende bestemming", "Dublin claimants absconded"),
    ("dublin_expired", "Dublin: termijn 6 maanden verlopen", "Dublin: 6-month limit expired"),
    (
        "dublin_reappeared",
        "Dublin: na 18 maanden teruggemeld",
        "Dublin: reappeared after 18 months",
    ),
    ("dublin_untraced", "Dublin: niet teruggemeld", "Dublin: not reappeared"),
    ("nareis_lodged", "Nareisaanvragen", "Nareis applications"),
    ("nareis_decisions", "Nareisbeslissingen", "Nareis decisions"),
    ("nareis_granted", "Nareis ingewilligd", "Nareis granted"),
    ("nareis_arrived", "Nareizigers ingereisd", "Nareis arrivals"),
    ("housed", "Gehuisvest in gemeente", "Housed in a municipality"),
    ("housed_within_norm", "Gehuisvest binnen 14 weken", "Housed within the 14-week norm"),
    ("departures_independent", "Zelfstandig vertrek", "Independent departures"),
    ("departures_forced", "Gedwongen vertrek", "Forced departures"),
    ("departures_unsupervised", "Vertrek zonder toezicht", "Departures without supervision"),
    ("extension_workload", "Verlengingen (werklast)", "Permit extensions (workload)"),
    ("inflow_total", "Instroom totaal", "Total inflow"),
    ("outflow_total", "Uitstroom totaal", "Total outflow"),
]
_STOCKS = [
    ("ind_backlog", "Voorraad IND eerste aanleg", "IND first-instance backlog"),
    ("ind_backlog_priority", "Voorraad met voorrang", "Backlog, priority cases"),
    ("ind_over_term", "Voorraad buiten termijn", "Backlog past the statutory term"),
    ("nareis_backlog", "Voorraad nareis", "Nareis backlog"),
    ("court_backlog", "Voorraad beroepen", "Appeals pending"),
    ("dublin_in_reception", "Dublinclaimanten in opvang", "Dublin claimants in reception"),
    ("permit_holders_waiting", "Vergunninghouders in opvang", "Permit holders in reception"),
    (
        "permit_holders_over_norm",
        "Vergunninghouders langer dan 14 weken",
        "Permit holders over 14 weeks",
    ),
    ("return_caseload", "Vertrekplichtigen in caseload", "Return caseload"),
    ("occupancy", "Bezetting COA", "COA occupancy"),
    ("occupancy_regular", "Bezetting reguliere opvang", "Occupancy, regular places"),
    ("occupancy_emergency", "Bezetting noodopvang", "Occupancy, emergency places"),
    ("occupancy_permit_holders", "Bezetting door vergunninghouders", "Occupancy, permit holders"),
    ("regular_capacity", "Reguliere capaciteit", "Regular capacity"),
    ("emergency_capacity", "Noodopvangcapaciteit", "Emergency capacity"),
    ("capacity_total", "Regulier + noodopvang", "Regular + emergency capacity"),
    ("emergency_needed", "Benodigde noodopvang", "Emergency places needed"),
    (
        "reception_shortage",
        "Tekort boven noodopvang (crisisnoodopvang)",
        "Shortage beyond emergency capacity",
    ),
    ("stock_total", "Personen in de keten", "Persons in the chain"),
]
_RATIOS = [
    ("lead_time_weeks", "Doorlooptijd IND (weken)", "IND lead time (weeks)", "weken / weeks"),
    ("lead_time_weeks_priority", "Doorlooptijd voorrang (weken)", "Lead time, priority (weeks)",
     "weken / weeks"),
    ("share_within_term", "Aandeel binnen termijn", "Share decided within term", "aandeel / share"),
    ("share_housed_within_norm", "Aandeel binnen 14 weken gehuisvest",
     "Share housed within 14 weeks", "aandeel / share"),
]  # fmt: skip

FLOWS = {n: Metric(n, "flow", nl, en) for n, nl, en in _FLOWS}
STOCKS = {n: Metric(n, "stock", nl, en) for n, nl, en in _STOCKS}
RATIOS = {n: Metric(n, "ratio", nl, en, unit) for n, nl, en, unit in _RATIOS}
FLOWS["dwangsom_eur"] = Metric("dwangsom_eur", "flow", "Dwangsommen", "Dwangsom cost", "EUR")
METRICS: dict[str, Metric] = {**FLOWS, **STOCKS, **RATIOS}

RATIO_PARTS: dict[str, tuple[str, str]] = {
    "lead_time_weeks": ("lead_time_weeks_sum", "ind_decisions"),
    "lead_time_weeks_priority": ("lead_time_weeks_sum_priority", "ind_decisions_priority"),
    "share_within_term": ("decided_within_term", "ind_decisions"),
    "share_housed_within_norm": ("housed_within_norm", "housed"),
}
