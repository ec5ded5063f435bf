"""Reading fact tables and writing outcome tables (CSV or Parquet) for the bulk path.

CSV is read as text so that each fact column is parsed by its declared type
(:func:`keten.rules.facts.prepare_table`); lists in CSV are items separated by ``;``. Parquet
keeps its types. On writing, list columns go to CSV the same way.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from keten.rules.facts import LIST_SEPARATOR

SUFFIXES = (".csv", ".parquet")


def _suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValueError(f"{path}: expected a .csv or .parquet file")
    return suffix


def read_table(path: Path) -> pl.DataFrame:
    suffix = _suffix(path)
    if not path.is_file():
        raise FileNotFoundError(f"table not found: {path}")
    if suffix == ".csv":
        return pl.read_csv(path, infer_schema=False)
    return pl.read_parquet(path)


def write_table(frame: pl.DataFrame, path: Path) -> None:
    suffix = _suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".parquet":
        frame.write_parquet(path)
        return
    flat = frame.with_columns(
        pl.col(name).cast(pl.List(pl.String)).list.join(LIST_SEPARATOR)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.List | pl.Array)
    )
    flat.write_csv(path)
