"""The rows a report counts over: the contract between whoever supplies them (the server's
database, a dossier export on disk, the sample generator) and the counting rules.

Four tables, as polars frames with exactly these columns and types. A supplier may give only
the rows a period needs (see each table); the counting rules never look past them.

- procedures: one row per procedure (the cache columns of ``keten.chain.summary``: the truth
  is its events, these are derived from them in the same transaction).
- events: standing (not withdrawn) procedure events.
- decisions: standing decisions, with the outcome.
- documents: residence documents issued.

On disk (``write``/``read``) each table is one Parquet file in a directory, with a
``manifest.json`` that says what was exported, from what and for which period.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

PROCEDURES: dict[str, Any] = {
    "procedure_id": pl.Int64,
    "person_id": pl.Int64,  # null: a procedure of no one person (taakstelling)
    "nationality": pl.Utf8,  # the person's, ICAO alpha-3; "" when there is no person
    "procedure_type": pl.Utf8,
    "organisation": pl.Utf8,  # the organisation kind whose queue holds it (policy.yaml queues)
    "team": pl.Utf8,
    "started_on": pl.Date,  # the first event's day
    "closed_on": pl.Date,  # the main deadline's stop event (decision, judgment, withdrawal)
    "due": pl.Date,  # the main deadline's due day, extensions included; kept once closed
    "status": pl.Utf8,  # open | suspended | not_started | closed
    "regime": pl.Utf8,
    "dwangsom_first_day": pl.Date,
    "dwangsom_last_day": pl.Date,
    "contests": pl.Int64,  # the decision_id an appeal contests, else null
}
EVENTS: dict[str, Any] = {
    "procedure_id": pl.Int64,
    "kind": pl.Utf8,
    "day": pl.Date,
}
DECISIONS: dict[str, Any] = {
    "decision_id": pl.Int64,
    "procedure_id": pl.Int64,
    "outcome": pl.Utf8,  # keten.chain.kinds.DECISION_OUTCOMES
    "decided_on": pl.Date,
}
DOCUMENTS: dict[str, Any] = {
    "person_id": pl.Int64,
    "kind": pl.Utf8,  # keten.chain.kinds document kinds (vvr_bepaald, w_document, ...)
    "issued": pl.Date,
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "procedures": PROCEDURES,
    "events": EVENTS,
    "decisions": DECISIONS,
    "documents": DOCUMENTS,
}


@dataclass(frozen=True)
class Frames:
    """The rows of one supply. ``source`` says where they came from (shown in every report);
    ``period`` the first and last day they were selected for, or None for everything."""

    procedures: pl.DataFrame
    events: pl.DataFrame
    decisions: pl.DataFrame
    documents: pl.DataFrame
    source: str
    period: tuple[date, date] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def procedures_by_type(self) -> dict[str, pl.DataFrame]:
        """The procedures split by type, once: a report asks for the procedures of some types
        some 80 times, and filtering a year's million rows each time was a third of the
        counting (docs/benchmarks.md, reports)."""
        return {
            str(key[0]): part
            for key, part in self.procedures.partition_by(
                "procedure_type", as_dict=True, maintain_order=True
            ).items()
        }

    def __post_init__(self) -> None:
        for name, schema in SCHEMAS.items():
            frame: pl.DataFrame = getattr(self, name)
            got = dict(frame.schema)
            if got != schema:
                raise ValueError(f"frames.{name}: columns {got} are not the contract {schema}")


def empty(name: str) -> pl.DataFrame:
    return pl.DataFrame(schema=SCHEMAS[name])


def conform(name: str, rows: Any) -> pl.DataFrame:
    """A frame of table ``name`` from rows (dicts, tuples in column order, or a frame), cast to
    the contract's types."""
    schema = SCHEMAS[name]
    if isinstance(rows, pl.DataFrame):
        frame = rows
    else:
        frame = pl.DataFrame(rows, schema=list(schema), orient="row", infer_schema_length=None)
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def write(frames: Frames, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name in SCHEMAS:
        getattr(frames, name).write_parquet(directory / f"{name}.parquet")
    manifest = {
        "source": frames.source,
        "period": [d.isoformat() for d in frames.period] if frames.period else None,
        "tables": {name: getattr(frames, name).height for name in SCHEMAS},
        **frames.extra,
    }
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))


def read(directory: Path) -> Frames:
    manifest = json.loads((directory / "manifest.json").read_text())
    tables = {
        name: conform(name, pl.read_parquet(directory / f"{name}.parquet")) for name in SCHEMAS
    }
    period = manifest.get("period")
    return Frames(
        **tables,
        source=f"{manifest['source']} (export {directory})",
        period=(date.fromisoformat(period[0]), date.fromisoformat(period[1])) if period else None,
        extra={k: v for k, v in manifest.items() if k not in {"source", "period", "tables"}},
    )
