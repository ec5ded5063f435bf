"""How a person left: the kinds of departure, the event each is recorded as, and its data.

The ``departure`` procedure (``keten/catalog/procedures/departure.yaml``) ends with one of its
departure events; the event's data says how and to where:

========================  ==========================  =========================================
kind                      event                       data
========================  ==========================  =========================================
independent               departed_independently      support: none; destination (optional)
independent_iom           departed_independently      support: iom_rean; destination
forced                    removed                     escorted: true/false; destination
dublin_transfer           transferred_dublin          destination (a state applying Reg. 604/2013)
absconded                 absconded                   none: the destination is unknown ("mob")
========================  ==========================  =========================================

Why a Dublin transfer is an event of the departure procedure and not (only) of
``dublin_outgoing``: the IND's Dublin procedure decides the claim, DTenV carries the transfer out
("Na het nemen van het Dublinbesluit door de IND komt de Dublinclaimant in de caseload van
DT&V", seed 001 par. 1.3), and seed 004 (A3/5.1) names it beside removal as DTenV's own
departure: "een geplande uitzetting of overdracht in het kader van de verordening (EU) nr.
604/2013". One procedure then holds every way a person left, and the statistics count them from
one place.

Pure: checked here, refused by the service layer with the field and the rule in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from keten.catalog.derive import InputError
from keten.chain.countries import country
from keten.chain.kinds import SEED_001, SEED_004, Kind, _index

SEED_002 = "002_7c211f7c90b156ae.txt"
NETHERLANDS = "NLD"

DEPARTURE_KINDS = _index(
    Kind(
        "independent",
        "Zelfstandig vertrokken zonder ondersteuning",
        "Left independently without support",
        SEED_002,
    ),
    Kind(
        "independent_iom",
        "Zelfstandig vertrokken met ondersteuning van de IOM (REAN)",
        "Left independently with IOM support (REAN)",
        SEED_004,
    ),
    Kind("forced", "Gedwongen vertrokken (uitgezet)", "Forcibly removed", SEED_002),
    Kind(
        "dublin_transfer",
        "Overgedragen aan een andere lidstaat (Dublin)",
        "Transferred to another member state (Dublin)",
        SEED_004,
    ),
    Kind(
        "absconded",
        "Vertrokken met onbekende bestemming (mob)",
        "Left for an unknown destination (absconded)",
        SEED_001,
    ),
)

# The procedure's event for each kind of departure.
EVENT_OF = {
    "independent": "departed_independently",
    "independent_iom": "departed_independently",
    "forced": "removed",
    "dublin_transfer": "transferred_dublin",
    "absconded": "absconded",
}
DEPARTURE_EVENTS = frozenset(EVENT_OF.values())
SUPPORT = {"none": ("geen", "none"), "iom_rean": ("IOM (REAN)", "IOM (REAN)")}

# The states that apply the Dublin Regulation: the EU member states and Iceland, Norway,
# Switzerland and Liechtenstein (by agreement), read on the day from the rules' dated country
# groups (keten/rules/params/countries.yaml).
DUBLIN_GROUPS = ("countries.eu_member_states", "countries.eea_efta_non_eu")


class DepartureError(InputError):
    """Departure data that cannot be stored: the field, the rule, and the rule in Dutch."""

    def __init__(self, field: str, rule: str, rule_nl: str) -> None:
        super().__init__(field, rule)
        self.rule_nl = rule_nl


def kind_of(event_kind: str, data: Mapping[str, Any]) -> str | None:
    """The kind of departure an event records (None for an event that is no departure). An
    independent departure recorded before its support was (``support`` absent) counts as one
    without support: no support was recorded."""
    if event_kind == "departed_independently":
        return "independent_iom" if data.get("support") == "iom_rean" else "independent"
    return {
        "removed": "forced",
        "transferred_dublin": "dublin_transfer",
        "absconded": "absconded",
    }.get(event_kind)


def dublin_states(day: date) -> frozenset[str] | None:
    """Alpha-2 codes of the states applying Reg. 604/2013 on ``day``; None on a day the
    country groups do not cover (then the destination is not checked against them)."""
    from keten.rules.parameters import default_parameters  # local: the rules load their files
    from keten.time.dated import NoValueError

    params = default_parameters()
    try:
        return frozenset(code for name in DUBLIN_GROUPS for code in params.value_at(name, day))
    except NoValueError:
        return None


def _destination(data: Mapping[str, Any], required: bool) -> str | None:
    value = data.get("destination")
    if value in (None, ""):
        if required:
            raise DepartureError(
                "data.destination",
                "is required: the country the person left for (ISO alpha-3, e.g. MAR)",
                "is verplicht: het land waarheen de vreemdeling vertrok (ISO alpha-3, bijv. MAR)",
            )
        return None
    named = country(value) if isinstance(value, str) else None
    if named is None or named.alpha_2 is None:
        raise DepartureError(
            "data.destination",
            f"must be a country's ISO 3166-1 alpha-3 code (e.g. MAR); got {value!r}",
            f"moet de ISO 3166-1 alpha-3-code van een land zijn (bijv. MAR); gekregen {value!r}",
        )
    if value == NETHERLANDS:
        raise DepartureError(
            "data.destination",
            "must be a country other than the Netherlands: a departure leaves it",
            "moet een ander land dan Nederland zijn: bij vertrek verlaat de vreemdeling Nederland",
        )
    return str(value)


def _allowed(event_kind: str, data: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    for key in data:
        if key not in keys:
            carries = ", ".join(keys) or "nothing"
            carries_nl = ", ".join(keys) or "niets"
            raise DepartureError(
                f"data.{key}",
                f"{event_kind} carries {carries}; {key!r} is not one of them",
                f"{event_kind} bevat {carries_nl}; {key!r} hoort daar niet bij",
            )


def check(event_kind: str, data: Mapping[str, Any], day: date) -> None:
    """Refuse departure data that does not say how and where the person left (the other events
    of the procedure are not checked here)."""
    if event_kind == "departed_independently":
        _allowed(event_kind, data, ("support", "destination"))
        support = data.get("support")
        if support not in SUPPORT:
            raise DepartureError(
                "data.support",
                "must be none or iom_rean (departure with IOM support under REAN)",
                "moet none of iom_rean zijn (vertrek met ondersteuning van de IOM via REAN)",
            )
        # IOM books the flight, so it knows where to: seed 004, "De IOM verstrekt de
        # vreemdeling zijn vliegticket".
        _destination(data, required=support == "iom_rean")
    elif event_kind == "removed":
        _allowed(event_kind, data, ("escorted", "destination"))
        if not isinstance(data.get("escorted"), bool):
            raise DepartureError(
                "data.escorted",
                "must be true or false: was the removal escorted?",
                "moet true of false zijn: vond de uitzetting onder begeleiding plaats?",
            )
        _destination(data, required=True)
    elif event_kind == "transferred_dublin":
        _allowed(event_kind, data, ("destination",))
        dest = _destination(data, required=True)
        named = country(dest) if dest else None
        states = dublin_states(day)
        if named is not None and states is not None and named.alpha_2 not in states:
            raise DepartureError(
                "data.destination",
                f"{dest} does not apply the Dublin Regulation (EU) 604/2013 on {day.isoformat()}: "
                "a transfer goes to an EU member state, Iceland, Norway, Switzerland or "
                "Liechtenstein",
                f"{dest} past de Dublinverordening (EU) 604/2013 niet toe op {day.isoformat()}: "
                "een overdracht gaat naar een EU-lidstaat, IJsland, Noorwegen, Zwitserland of "
                "Liechtenstein",
            )
    elif event_kind == "absconded":
        _allowed(event_kind, data, ())


def event_for(
    kind: str, escorted: bool | None, destination: str | None
) -> tuple[str, dict[str, Any]]:
    """The event kind and data that record a departure of ``kind`` (checked by ``check``)."""
    if kind not in EVENT_OF:
        raise DepartureError(
            "how",
            f"must be one of {', '.join(DEPARTURE_KINDS)}",
            f"moet een van {', '.join(DEPARTURE_KINDS)} zijn",
        )
    data: dict[str, Any] = {}
    if kind in ("independent", "independent_iom"):
        data["support"] = "iom_rean" if kind == "independent_iom" else "none"
    if kind == "forced":
        data["escorted"] = escorted
    if destination:  # for an absconding too, so that ``check`` refuses it rather than drop it
        data["destination"] = destination
    return EVENT_OF[kind], data
