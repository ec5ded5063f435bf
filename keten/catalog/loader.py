"""Loading the catalogue: one YAML file per procedure type in ``procedures/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from keten._yaml import YamlLoader
from keten.catalog.model import ProcedureType

PROCEDURES_DIR = Path(__file__).with_name("procedures")


class CatalogError(ValueError):
    """A procedure file that does not follow the schema, or an unknown procedure id."""


UNCERTAIN_NL = Path(__file__).with_name("uncertain_nl.yaml")


@cache
def uncertain_nl() -> dict[str, str]:
    """The Dutch of every "uncertain" note, by its English text (whitespace folded)."""
    table: dict[str, str] = yaml.safe_load(UNCERTAIN_NL.read_text(encoding="utf-8"))
    return {" ".join(en.split()): nl for en, nl in table.items()}


def _with_dutch_notes(raw: Any, name: str) -> None:
    """Give every source's ``uncertain`` its ``uncertain_nl``; a note without Dutch is an
    error of the catalogue, like any other."""
    if isinstance(raw, dict):
        note = raw.get("uncertain")
        if isinstance(note, str) and "uncertain_nl" not in raw:
            dutch = uncertain_nl().get(" ".join(note.split()))
            if dutch is None:
                raise CatalogError(
                    f"{name}: uncertain note {note!r} has no Dutch in {UNCERTAIN_NL.name}"
                )
            raw["uncertain_nl"] = dutch
        for value in raw.values():
            _with_dutch_notes(value, name)
    elif isinstance(raw, list):
        for value in raw:
            _with_dutch_notes(value, name)


def load_procedure(path: Path) -> ProcedureType:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=YamlLoader)
        _with_dutch_notes(raw, path.name)
        procedure = ProcedureType.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise CatalogError(f"{path.name}: {problems}") from exc
    if procedure.id != path.stem:
        raise CatalogError(f"{path.name}: id {procedure.id!r} must equal the file name")
    return procedure


@cache
def load_catalog() -> dict[str, ProcedureType]:
    """All procedure types by id, in file-name order."""
    return {p.stem: load_procedure(p) for p in sorted(PROCEDURES_DIR.glob("*.yaml"))}


def get_procedure(procedure_id: str) -> ProcedureType:
    catalog = load_catalog()
    if procedure_id not in catalog:
        raise CatalogError(
            f"procedure: unknown id {procedure_id!r}; `keten procedures` lists the "
            f"{len(catalog)} known types"
        )
    return catalog[procedure_id]
