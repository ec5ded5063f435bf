"""Procedure types as data, and the deadlines derived from a procedure's events."""

from keten.catalog.bulk import bulk_deadline, bulk_table
from keten.catalog.derive import DeadlineResult, Event, InputError, ProcedureState, derive
from keten.catalog.loader import CatalogError, get_procedure, load_catalog
from keten.catalog.model import DeadlineKind, DeadlineSpec, ProcedureType

__all__ = [
    "CatalogError",
    "DeadlineKind",
    "DeadlineResult",
    "DeadlineSpec",
    "Event",
    "InputError",
    "ProcedureState",
    "ProcedureType",
    "bulk_deadline",
    "bulk_table",
    "derive",
    "get_procedure",
    "load_catalog",
]
