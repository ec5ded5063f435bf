"""Values that change over time: each version has a validity interval and a citation.

Asking for a date no version covers is an error that names the parameter and the date, never a
silent default. The rule framework's parameters build on this too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def as_date(value: Any) -> date:
    """A date from a data file: YAML gives ``date`` objects for unquoted ISO dates, text else."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_optional_date(value: Any) -> date | None:
    """:func:`as_date`, with ``None`` (an open end) kept."""
    return None if value is None else as_date(value)


class NoValueError(LookupError):
    """No version of a dated value is in force on the requested date.

    ``message_nl`` says the same in Dutch; ``last`` is the latest version before the date, if
    any, so that whoever asked can be told which value was last known and from when, and
    decide nothing on it (a value that lapsed is not carried forward silently)."""

    def __init__(self, message: str, message_nl: str = "", last: Version[Any] | None = None):
        super().__init__(message)
        self.message_nl = message_nl or message
        self.last = last


@dataclass(frozen=True)
class Version(Generic[T]):
    value: T
    valid_from: date
    valid_to: date | None  # inclusive; None = open-ended
    citation: str
    source: str | None = None  # seed document or publication the value was taken from
    quote: str | None = None
    note: str | None = None
    # Where a value was published when that is not a seed (a Staatscourant notice, a firm's
    # summary of it) and on which day, so an explanation can say how current and how sure it is.
    publication: str | None = None
    published: date | None = None
    verified: bool = True

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class DatedValue(Generic[T]):
    """A named value with non-overlapping, dated versions."""

    def __init__(self, name: str, versions: Iterable[Version[T]]) -> None:
        self.name = name
        self.versions = sorted(versions, key=lambda v: v.valid_from)
        for earlier, later in zip(self.versions, self.versions[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise ValueError(
                    f"{name}: versions from {earlier.valid_from} and {later.valid_from} overlap"
                )

    def version_at(self, day: date) -> Version[T]:
        for version in self.versions:
            if version.covers(day):
                return version
        spans = ", ".join(
            f"{v.valid_from.isoformat()}..{v.valid_to.isoformat() if v.valid_to else ''}"
            for v in self.versions
        )
        earlier = [v for v in self.versions if v.valid_from <= day]
        last = earlier[-1] if earlier else None
        en = f"{self.name} has no value in force on {day.isoformat()} ({spans})"
        nl = f"{self.name} heeft geen waarde die geldt op {day.isoformat()} ({spans})"
        if last is not None:
            until = last.valid_to.isoformat() if last.valid_to else ""
            en += (
                f"; the last known value is {last.value} ({last.valid_from.isoformat()}.."
                f"{until}, {last.citation}): not applied, the value in force is to be added"
            )
            nl += (
                f"; de laatst bekende waarde is {last.value} ({last.valid_from.isoformat()}.."
                f"{until}, {last.citation}): niet toegepast, de geldende waarde moet worden "
                "toegevoegd"
            )
        raise NoValueError(en, nl, last)

    def at(self, day: date) -> T:
        return self.version_at(day).value

    def __iter__(self) -> Iterator[Version[T]]:
        return iter(self.versions)
