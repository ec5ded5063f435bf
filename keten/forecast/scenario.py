"""Forecast scenarios as YAML data: the policy levers, the starting state and their sources.

A scenario file may ``extends:`` another (a path relative to itself); mappings are merged key by
key and anything else (numbers, lists) is replaced. Validation errors name the field by its
path in the file (``ind.productivity_index[2].value``) and say what is wrong with it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from keten._data import data_dir

Share = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``problems`` lists ``(field, message)``."""

    def __init__(self, where: str, problems: list[tuple[str, str]]) -> None:
        self.where = where
        self.problems = problems
        lines = "\n".join(f"  {field}: {msg}" for field, msg in problems)
        super().__init__(f"scenario {where} is not valid:\n{lines}")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Label(_Model):
    nl: str
    en: str


class DatedPoint(_Model):
    """A value in force from a date until the next point (a step function)."""

    from_: date = Field(alias="from")
    value: NonNeg


class Band(_Model):
    """A yearly total with its uncertainty band: each replication-year draws from a triangle."""

    from_: date = Field(alias="from")
    low: NonNeg
    mid: NonNeg
    high: NonNeg

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if not self.low <= self.mid <= self.high:
            raise ValueError("band must have low <= mid <= high")
        return self


def _sorted_points(points: list[Any]) -> None:
    days = [p.from_ for p in points]
    if not days:
        raise ValueError("needs at least one dated value")
    if days != sorted(days) or len(set(days)) != len(days):
        raise ValueError("dates must be strictly increasing")


DatedPath = Annotated[list[DatedPoint], Field(min_length=1)]
BandPath = Annotated[list[Band], Field(min_length=1)]


class Group(_Model):
    """A nationality group: its share of first applications and how its cases end."""

    id: str
    label: Label
    share: Share
    recognition_rate: Share
    refugee_share: Share = Field(description="of grants; the rest get subsidiary protection")
    dublin_share: Share
    priority_share: Share = Field(description="minors and families (Pact prioritisation)")
    withdrawn_rate: Share

    @model_validator(mode="after")
    def _fits(self) -> Group:
        if self.recognition_rate + self.withdrawn_rate > 1.0:
            raise ValueError("recognition_rate + withdrawn_rate must not exceed 1")
        return self


class Inflow(_Model):
    first_applications: BandPath
    repeated_applications: BandPath
    resettlement_per_year: DatedPath

    @model_validator(mode="after")
    def _paths(self) -> Inflow:
        for p in (self.first_applications, self.repeated_applications):
            _sorted_points(p)
        _sorted_points(self.resettlement_per_year)
        return self


class Ind(_Model):
    asylum_staff_fte: DatedPath
    decisions_per_fte_year: Annotated[float, Field(gt=0)]
    productivity_index: DatedPath
    productivity_sd: Annotated[float, Field(ge=0, le=0.5)]
    nareis_decisions_per_year: DatedPath
    decision_term_months: Annotated[int, Field(ge=1, le=24)] = 6
    min_weeks: Annotated[int, Field(ge=0, le=52)] = Field(
        description="shortest time from lodging to decision (rest and preparation, hearings)"
    )
    pact_prioritisation_from: date | None
    extension_effort: Share

    @model_validator(mode="after")
    def _paths(self) -> Ind:
        for p in (self.asylum_staff_fte, self.productivity_index, self.nareis_decisions_per_year):
            _sorted_points(p)
        return self


class Dublin(_Model):
    claim_weeks: Annotated[int, Field(ge=1, le=26)]
    transfer_share: Share
    transfer_share_pact: Share
    abscond_share: Share
    transfer_weeks: Annotated[int, Field(ge=1)]
    abscond_weeks: Annotated[int, Field(ge=1)]
    reappear_share: Share

    @model_validator(mode="after")
    def _fits(self) -> Dublin:
        if max(self.transfer_share, self.transfer_share_pact) + self.abscond_share > 1.0:
            raise ValueError("transfer_share (and transfer_share_pact) + abscond_share exceed 1")
        return self


class Appeal(_Model):
    appeal_rate: Share
    court_decisions_per_year: DatedPath
    annulled_share: Share
    min_weeks: Annotated[int, Field(ge=0, le=104)]


class Nareis(_Model):
    per_refugee_grant: NonNeg
    per_subsidiary_grant: NonNeg
    lodge_weeks: Annotated[int, Field(ge=0)]
    grant_rate: Share
    travel_weeks: Annotated[int, Field(ge=0)]


class EmergencyMeasuresAct(_Model):
    """Asielnoodmaatregelenwet and the two-status system (seed 002, proposed law)."""

    in_force: date | None
    core_family_share: Share
    subsidiary_wait_years: Annotated[int, Field(ge=0, le=5)]
    subsidiary_conditions_met: Share
    permit_years: Annotated[int, Field(ge=1, le=10)]


class Returns(_Model):
    independent_per_year: Share
    unsupervised_per_year: Share
    forced_demand_per_year: Share


class Detention(_Model):
    places: DatedPath
    mean_stay_weeks: Annotated[float, Field(gt=0)]
    departure_share: Share


class InReception(_Model):
    asylum_waiting: Share
    court: Share
    dublin: Share
    permit_holders: Share
    departure_period: Share


class Reception(_Model):
    regular_capacity: DatedPath
    emergency_capacity: DatedPath
    in_reception: InReception


class Housing(_Model):
    housed_per_half_year: DatedPath
    min_weeks: Annotated[int, Field(ge=0, le=52)] = Field(
        description="fastest time from permit to a home: matching (2 weeks) plus the "
        "municipality's search; never less than the matching norm"
    )


class Dwangsom(_Model):
    share_pursued: Share
    start_weeks_after_term: Annotated[int, Field(ge=0)]
    eur_per_day: NonNeg
    max_eur: NonNeg


AgeBin = Annotated[list[float], Field(min_length=3, max_length=3)]


class Backlog(_Model):
    """A stock at the start with its age profile: ``[from_week, to_week, share]`` rows."""

    total: Annotated[int, Field(ge=0)]
    age_weeks: Annotated[list[AgeBin], Field(min_length=1)]

    @model_validator(mode="after")
    def _profile(self) -> Backlog:
        shares = [row[2] for row in self.age_weeks]
        if abs(sum(shares) - 1.0) > 1e-6:
            raise ValueError(f"age_weeks shares must sum to 1 (they sum to {sum(shares):.4f})")
        for lo, hi, share in self.age_weeks:
            if not 0 <= lo < hi or share < 0:
                raise ValueError("each age_weeks row is [from_week, to_week, share], from < to")
        return self


class InitialState(_Model):
    as_of: date
    ind_waiting: Backlog
    nareis_waiting: Backlog
    court_waiting: Backlog
    permit_holders_waiting: Backlog
    dublin_in_reception: Annotated[int, Field(ge=0)]
    return_caseload: Annotated[int, Field(ge=0)]


class Source(_Model):
    id: str
    figure: str
    source: str
    date: str
    # register: counted in Keten's own dossiers (keten/forecast/start_state.py)
    kind: Literal["seed", "published", "assumption", "register"]
    used_for: str


class Scenario(_Model):
    name: str
    title: Label
    description: str = ""
    description_nl: str = ""  # the description in Dutch, for the Dutch page
    start: date
    years: Annotated[int, Field(ge=1, le=30)]
    step_days: Literal[1, 7]
    seed: int
    groups: Annotated[list[Group], Field(min_length=1, max_length=12)]
    inflow: Inflow
    ind: Ind
    dublin: Dublin
    appeal: Appeal
    nareis: Nareis
    emergency_measures_act: EmergencyMeasuresAct
    permit_years: Annotated[int, Field(ge=1, le=10)]
    returns: Returns
    detention: Detention
    reception: Reception
    housing: Housing
    dwangsom: Dwangsom
    initial_state: InitialState
    sources: list[Source] = []

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        total = sum(g.share for g in self.groups)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"groups: shares must sum to 1 (they sum to {total:.4f})")
        ids = [g.id for g in self.groups]
        if len(set(ids)) != len(ids):
            raise ValueError("groups: ids must be unique")
        if self.initial_state.as_of != self.start:
            raise ValueError("initial_state.as_of must equal start: the forecast starts there")
        for path in (
            self.ind.asylum_staff_fte,
            self.ind.productivity_index,
            self.ind.nareis_decisions_per_year,
            self.appeal.court_decisions_per_year,
            self.detention.places,
            self.reception.regular_capacity,
            self.reception.emergency_capacity,
            self.housing.housed_per_half_year,
            self.inflow.resettlement_per_year,
        ):
            _sorted_points(path)
            if path[0].from_ > self.start:
                raise ValueError(
                    f"a dated path starts on {path[0].from_}, after the scenario start "
                    f"{self.start}: its value at the start would be unknown"
                )
        for bands in (self.inflow.first_applications, self.inflow.repeated_applications):
            if bands[0].from_ > self.start:
                raise ValueError("inflow bands must start on or before the scenario start")
        return self

    def label(self) -> str:
        return f"{self.title.nl} / {self.title.en}"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _raw(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    if path in seen:
        raise ScenarioError(str(path), [("extends", "circular extends")])
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(str(path), [("(file)", f"cannot read: {exc.strerror}")]) from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(str(path), [("(file)", f"not valid YAML: {exc}")]) from exc
    if not isinstance(raw, dict):
        raise ScenarioError(str(path), [("(file)", "must be a mapping of fields")])
    parent = raw.pop("extends", None)
    if parent is None:
        return raw
    if not isinstance(parent, str):
        raise ScenarioError(str(path), [("extends", "must be a file name")])
    return _merge(_raw((path.parent / parent).resolve(), (*seen, path)), raw)


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = "from" if part == "from_" else part
            out += f".{name}" if out else name
    return out or "(scenario)"


def parse_scenario(raw: dict[str, Any], where: str = "<dict>") -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [(_field_path(tuple(e["loc"])), e["msg"]) for e in exc.errors()]
        raise ScenarioError(where, problems) from None


def load_scenario(path: str | Path) -> Scenario:
    """Read, merge (``extends``) and validate a scenario file."""
    p = _locate(path)
    return parse_scenario(_raw(p), str(p))


def raw_scenario(path: str | Path) -> dict[str, Any]:
    """A scenario file's fields with ``extends`` merged, not yet validated: for writing a
    scenario derived from it."""
    return _raw(_locate(path))


def _locate(path: str | Path) -> Path:
    p = Path(path)
    if not p.exists() and not p.is_absolute():
        # A shipped scenario by file name or by name: "baseline.yaml" or "baseline".
        for shipped in (scenario_dir() / p, scenario_dir() / f"{p}.yaml"):
            if shipped.exists():
                p = shipped
                break
    return p.resolve()


def scenario_dir() -> Path:
    return data_dir() / "forecast"


def baseline_path() -> Path:
    return scenario_dir() / "baseline.yaml"


def value_at(path: list[DatedPoint], day: date) -> float:
    current = path[0].value
    for point in path:
        if point.from_ <= day:
            current = point.value
    return current


def band_at(path: list[Band], day: date) -> Band:
    current = path[0]
    for band in path:
        if band.from_ <= day:
            current = band
    return current


def with_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """A copy of ``scenario`` with dotted fields replaced: ``{"ind.min_weeks": 6}``.

    List items are addressed by index (``"groups.0.recognition_rate"``). The result is validated
    again, so an override that breaks a rule fails with the field's name.
    """
    raw = scenario.model_dump(by_alias=True, mode="json")
    for dotted, value in overrides.items():
        node: Any = raw
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.get(part)
            if node is None:
                raise ScenarioError(scenario.name, [(dotted, "no such field")])
        last = parts[-1]
        if isinstance(node, list):
            node[int(last)] = value
        elif last in node:
            node[last] = value
        else:
            raise ScenarioError(scenario.name, [(dotted, "no such field")])
    return parse_scenario(raw, f"{scenario.name} with {sorted(overrides)}")
