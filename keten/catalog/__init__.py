"""Procedure types as data, and the deadlines derived from a procedure's events.

The bulk path (``keten.catalog.bulk``) is imported on its own: it pulls in polars, which the
scalar path and the command line do not need.
"""

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
    "derive",
    "get_procedure",
    "load_catalog",
]
