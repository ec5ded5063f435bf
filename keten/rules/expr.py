"""The small expression language rules are written in.

A rule's checks are expressions over its facts, its dated parameters, the reference date and
earlier checks. Every node knows two ways to run: ``eval`` on one case (plain Python values)
and ``to_polars`` on a whole table (a polars expression). Both live side by side in the same
class so a reader can see that they compute the same thing, and a property test
(``tests/rules/test_rules_consistency.py``) checks it on many generated rows.

Missing values follow SQL/polars three-valued logic in both paths: a comparison or sum with a
missing operand is missing; ``False & missing`` is ``False``, ``True | missing`` is ``True``; a
decision branch whose condition is missing is not taken.

Money is carried as whole euro cents (``int``) in both paths, so sums and comparisons are exact.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Protocol

import polars as pl

from keten.rules.datemath import add_period, age_on, polars_offset

Kind = Literal[
    "bool", "int", "float", "money", "date", "str", "list_str", "list_money", "map_float"
]


class ScalarEnv(Protocol):
    """What a node needs to evaluate one case."""

    on: date

    def fact(self, name: str) -> Any: ...
    def param(self, name: str) -> Any: ...
    def param_on(self, name: str, day: date) -> Any: ...
    def check(self, name: str) -> Any: ...


class BulkEnv(Protocol):
    """What a node needs to build a polars expression for a table."""

    on: date

    def fact_column(self, name: str) -> pl.Expr: ...
    def param(self, name: str) -> Any: ...
    def param_on_column(self, name: str, day: Fact) -> pl.Expr: ...
    def check_column(self, name: str) -> pl.Expr: ...


class KindLookup(Protocol):
    def fact_kind(self, name: str) -> Kind: ...
    def param_kind(self, name: str) -> Kind: ...
    def check_kind(self, name: str) -> Kind: ...


def cents(euros: int | str | Decimal) -> int:
    """Whole cents of a euro amount given as text or a number (``"2497.50"`` -> 249750)."""
    value = Decimal(str(euros)) * 100
    if value != value.to_integral_value():
        raise ValueError(f"{euros!r} has more than two decimals")
    return int(value)


def polars_literal(value: Any) -> pl.Expr:
    if value is None:
        return pl.lit(None)
    if isinstance(value, bool):
        return pl.lit(value, dtype=pl.Boolean)
    if isinstance(value, int):
        return pl.lit(value, dtype=pl.Int64)
    if isinstance(value, float):
        return pl.lit(value, dtype=pl.Float64)
    if isinstance(value, date):
        return pl.lit(value, dtype=pl.Date)
    if isinstance(value, str):
        return pl.lit(value, dtype=pl.String)
    raise TypeError(f"no polars literal for {value!r}")


class Expr:
    """Base node. Subclasses implement ``eval``, ``to_polars``, ``text`` and ``children``."""

    def eval(self, env: ScalarEnv) -> Any:
        raise NotImplementedError

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        raise NotImplementedError

    def text(self) -> str:
        raise NotImplementedError

    def kind(self, names: KindLookup) -> Kind:
        raise NotImplementedError

    def children(self) -> Sequence[Expr]:
        return ()

    def walk(self) -> Iterable[Expr]:
        yield self
        for child in self.children():
            yield from child.walk()

    # -- sugar: comparisons and logic read like the paragraph they encode --------------
    def __lt__(self, other: object) -> Expr:
        return Compare("<", self, lift(other))

    def __le__(self, other: object) -> Expr:
        return Compare("<=", self, lift(other))

    def __gt__(self, other: object) -> Expr:
        return Compare(">", self, lift(other))

    def __ge__(self, other: object) -> Expr:
        return Compare(">=", self, lift(other))

    def eq(self, other: object) -> Expr:
        return Compare("==", self, lift(other))

    def ne(self, other: object) -> Expr:
        return Compare("!=", self, lift(other))

    def __and__(self, other: object) -> Expr:
        return And((self, lift(other)))

    def __or__(self, other: object) -> Expr:
        return Or((self, lift(other)))

    def __invert__(self) -> Expr:
        return Not(self)

    def __add__(self, other: object) -> Expr:
        return Arith("+", self, lift(other))

    def __sub__(self, other: object) -> Expr:
        return Arith("-", self, lift(other))

    def __mul__(self, other: object) -> Expr:
        return Arith("*", self, lift(other))

    def looked_up_in(self, table: Param) -> Expr:
        """This value's entry in a table parameter (a country's figure in a register)."""
        return Lookup(self, table)

    def isin(self, values: Sequence[str] | Expr) -> Expr:
        return IsIn(self, values if isinstance(values, Expr) else tuple(values))

    def is_missing(self) -> Expr:
        return IsMissing(self)

    def is_given(self) -> Expr:
        return Not(IsMissing(self))

    def shifted(self, *, years: int = 0, months: int = 0, weeks: int = 0, days: int = 0) -> Expr:
        return Shift(self, years, months, weeks, days)

    def otherwise(self, fallback: object) -> Expr:
        return Coalesce(self, lift(fallback))


def lift(value: object) -> Expr:
    if isinstance(value, Expr):
        return value
    if value is None or isinstance(value, bool | int | str | date):
        return Lit(value)
    raise TypeError(f"cannot use {value!r} in a rule expression")


# -- leaves -------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Lit(Expr):
    value: bool | int | str | date | None

    def eval(self, env: ScalarEnv) -> Any:
        return self.value

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return polars_literal(self.value)

    def text(self) -> str:
        if isinstance(self.value, date):
            return self.value.isoformat()
        return repr(self.value) if isinstance(self.value, str) else str(self.value)

    def kind(self, names: KindLookup) -> Kind:
        if isinstance(self.value, bool):
            return "bool"
        if isinstance(self.value, int):
            return "int"
        if isinstance(self.value, date):
            return "date"
        return "str"


@dataclass(frozen=True, eq=False)
class MoneyLit(Expr):
    """A fixed euro amount written in a rule (amounts that change over time are parameters)."""

    amount_cents: int

    def eval(self, env: ScalarEnv) -> Any:
        return self.amount_cents

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return pl.lit(self.amount_cents, dtype=pl.Int64)

    def text(self) -> str:
        return f"EUR {self.amount_cents / 100:,.2f}"

    def kind(self, names: KindLookup) -> Kind:
        return "money"


def eur(amount: int | str) -> MoneyLit:
    return MoneyLit(cents(amount))


@dataclass(frozen=True, eq=False)
class Fact(Expr):
    name: str

    def eval(self, env: ScalarEnv) -> Any:
        return env.fact(self.name)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return env.fact_column(self.name)

    def text(self) -> str:
        return self.name

    def kind(self, names: KindLookup) -> Kind:
        return names.fact_kind(self.name)


@dataclass(frozen=True, eq=False)
class Param(Expr):
    """A dated parameter, taken at the reference date of the evaluation."""

    name: str

    def eval(self, env: ScalarEnv) -> Any:
        return env.param(self.name)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        value = env.param(self.name)
        if isinstance(value, tuple | list):
            raise TypeError(f"parameter {self.name} is a list: use it with isin()")
        if isinstance(value, Mapping):
            raise TypeError(f"parameter {self.name} is a table: use it with looked_up_in()")
        return polars_literal(value)

    def text(self) -> str:
        return f"[{self.name}]"

    def kind(self, names: KindLookup) -> Kind:
        return names.param_kind(self.name)


@dataclass(frozen=True, eq=False)
class ParamOn(Expr):
    """A dated parameter taken on a day of the case rather than the reference date: the law
    fixes some amounts by when something happened (the salary criterion of the day the
    application was lodged, whenever it is decided). ``day`` is a fact."""

    name: str
    day: Fact

    def eval(self, env: ScalarEnv) -> Any:
        day = self.day.eval(env)
        return None if day is None else env.param_on(self.name, day)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return env.param_on_column(self.name, self.day)

    def text(self) -> str:
        return f"[{self.name} op {self.day.text()}]"

    def kind(self, names: KindLookup) -> Kind:
        return names.param_kind(self.name)

    def children(self) -> Sequence[Expr]:
        return (self.day,)


@dataclass(frozen=True, eq=False)
class Ref(Expr):
    """The value of an earlier check of the same rule."""

    name: str

    def eval(self, env: ScalarEnv) -> Any:
        return env.check(self.name)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return env.check_column(self.name)

    def text(self) -> str:
        return f"<{self.name}>"

    def kind(self, names: KindLookup) -> Kind:
        return names.check_kind(self.name)


@dataclass(frozen=True, eq=False)
class On(Expr):
    """The reference date of the evaluation."""

    def eval(self, env: ScalarEnv) -> Any:
        return env.on

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return pl.lit(env.on, dtype=pl.Date)

    def text(self) -> str:
        return "on"

    def kind(self, names: KindLookup) -> Kind:
        return "date"


ON = On()

# -- logic ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class And(Expr):
    parts: tuple[Expr, ...]

    def eval(self, env: ScalarEnv) -> Any:
        values = [p.eval(env) for p in self.parts]
        if any(v is False for v in values):
            return False
        if any(v is None for v in values):
            return None
        return True

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        out = self.parts[0].to_polars(env)
        for part in self.parts[1:]:
            out = out & part.to_polars(env)
        return out

    def text(self) -> str:
        return "(" + " and ".join(p.text() for p in self.parts) + ")"

    def kind(self, names: KindLookup) -> Kind:
        return "bool"

    def children(self) -> Sequence[Expr]:
        return self.parts

    def __and__(self, other: object) -> Expr:
        return And((*self.parts, lift(other)))


@dataclass(frozen=True, eq=False)
class Or(Expr):
    parts: tuple[Expr, ...]

    def eval(self, env: ScalarEnv) -> Any:
        values = [p.eval(env) for p in self.parts]
        if any(v is True for v in values):
            return True
        if any(v is None for v in values):
            return None
        return False

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        out = self.parts[0].to_polars(env)
        for part in self.parts[1:]:
            out = out | part.to_polars(env)
        return out

    def text(self) -> str:
        return "(" + " or ".join(p.text() for p in self.parts) + ")"

    def kind(self, names: KindLookup) -> Kind:
        return "bool"

    def children(self) -> Sequence[Expr]:
        return self.parts

    def __or__(self, other: object) -> Expr:
        return Or((*self.parts, lift(other)))


def all_of(*parts: Expr) -> Expr:
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def any_of(*parts: Expr) -> Expr:
    return parts[0] if len(parts) == 1 else Or(tuple(parts))


@dataclass(frozen=True, eq=False)
class Not(Expr):
    part: Expr

    def eval(self, env: ScalarEnv) -> Any:
        value = self.part.eval(env)
        return None if value is None else not value

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return self.part.to_polars(env).not_()

    def text(self) -> str:
        return f"not {self.part.text()}"

    def kind(self, names: KindLookup) -> Kind:
        return "bool"

    def children(self) -> Sequence[Expr]:
        return (self.part,)


@dataclass(frozen=True, eq=False)
class IsMissing(Expr):
    part: Expr

    def eval(self, env: ScalarEnv) -> Any:
        return self.part.eval(env) is None

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return self.part.to_polars(env).is_null()

    def text(self) -> str:
        return f"{self.part.text()} is missing"

    def kind(self, names: KindLookup) -> Kind:
        return "bool"

    def children(self) -> Sequence[Expr]:
        return (self.part,)


@dataclass(frozen=True, eq=False)
class If(Expr):
    """``then`` where ``cond`` holds, otherwise ``other`` (a missing condition does not hold)."""

    cond: Expr
    then: Expr
    other: Expr

    def eval(self, env: ScalarEnv) -> Any:
        return self.then.eval(env) if self.cond.eval(env) is True else self.other.eval(env)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return (
            pl.when(self.cond.to_polars(env))
            .then(self.then.to_polars(env))
            .otherwise(self.other.to_polars(env))
        )

    def text(self) -> str:
        return f"({self.then.text()} if {self.cond.text()} else {self.other.text()})"

    def kind(self, names: KindLookup) -> Kind:
        return self.then.kind(names)

    def children(self) -> Sequence[Expr]:
        return (self.cond, self.then, self.other)


def if_(cond: Expr, then: object, other: object) -> Expr:
    return If(cond, lift(then), lift(other))


@dataclass(frozen=True, eq=False)
class Coalesce(Expr):
    first: Expr
    fallback: Expr

    def eval(self, env: ScalarEnv) -> Any:
        value = self.first.eval(env)
        return self.fallback.eval(env) if value is None else value

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return pl.coalesce(self.first.to_polars(env), self.fallback.to_polars(env))

    def text(self) -> str:
        return f"({self.first.text()} or else {self.fallback.text()})"

    def kind(self, names: KindLookup) -> Kind:
        return self.first.kind(names)

    def children(self) -> Sequence[Expr]:
        return (self.first, self.fallback)


# -- comparison and arithmetic ---------------------------------------------------------------

_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True, eq=False)
class Compare(Expr):
    op: str
    left: Expr
    right: Expr

    def eval(self, env: ScalarEnv) -> Any:
        a, b = self.left.eval(env), self.right.eval(env)
        if a is None or b is None:
            return None
        return _COMPARE[self.op](a, b)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        a, b = self.left.to_polars(env), self.right.to_polars(env)
        result: pl.Expr = _COMPARE[self.op](a, b)  # type: ignore[assignment]
        return result

    def text(self) -> str:
        return f"{self.left.text()} {self.op} {self.right.text()}"

    def kind(self, names: KindLookup) -> Kind:
        return "bool"

    def children(self) -> Sequence[Expr]:
        return (self.left, self.right)


_ARITH: Mapping[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}


@dataclass(frozen=True, eq=False)
class Arith(Expr):
    """Integer and money arithmetic (no division: compare ``total >= 12 * norm`` instead)."""

    op: str
    left: Expr
    right: Expr

    def eval(self, env: ScalarEnv) -> Any:
        a, b = self.left.eval(env), self.right.eval(env)
        if a is None or b is None:
            return None
        return _ARITH[self.op](a, b)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        result: pl.Expr = _ARITH[self.op](self.left.to_polars(env), self.right.to_polars(env))
        return result

    def text(self) -> str:
        return f"({self.left.text()} {self.op} {self.right.text()})"

    def kind(self, names: KindLookup) -> Kind:
        left, right = self.left.kind(names), self.right.kind(names)
        return "money" if "money" in (left, right) else left

    def children(self) -> Sequence[Expr]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False)
class IsIn(Expr):
    part: Expr
    values: tuple[str, ...] | Expr  # a literal tuple or a list-valued parameter

    def _values(self, env: ScalarEnv | BulkEnv) -> tuple[str, ...]:
        if isinstance(self.values, tuple):
            return self.values
        if isinstance(self.values, Param):
            return tuple(env.param(self.values.name))
        raise TypeError("isin() takes a tuple of values or a list parameter")

    def eval(self, env: ScalarEnv) -> Any:
        value = self.part.eval(env)
        return None if value is None else value in self._values(env)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return self.part.to_polars(env).is_in(list(self._values(env)))

    def text(self) -> str:
        shown = self.values.text() if isinstance(self.values, Expr) else repr(list(self.values))
        return f"{self.part.text()} in {shown}"

    def kind(self, names: KindLookup) -> Kind:
        return "bool"

    def children(self) -> Sequence[Expr]:
        extra = (self.values,) if isinstance(self.values, Expr) else ()
        return (self.part, *extra)


@dataclass(frozen=True, eq=False)
class Lookup(Expr):
    """A key's number in a table parameter; missing when the key is missing or not in the
    table (a country the register has no figure for is unknown, never zero)."""

    part: Expr
    table: Param

    def _table(self, env: ScalarEnv | BulkEnv) -> Mapping[str, float]:
        found = env.param(self.table.name)
        if not isinstance(found, Mapping):
            raise TypeError(f"parameter {self.table.name} is not a table")
        return found

    def eval(self, env: ScalarEnv) -> Any:
        key = self.part.eval(env)
        return None if key is None else self._table(env).get(key)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        table = self._table(env)
        return self.part.to_polars(env).replace_strict(
            list(table), list(table.values()), default=None, return_dtype=pl.Float64
        )

    def text(self) -> str:
        return f"{self.table.text()}[{self.part.text()}]"

    def kind(self, names: KindLookup) -> Kind:
        return "float"

    def children(self) -> Sequence[Expr]:
        return (self.part, self.table)


# -- dates -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Shift(Expr):
    """A date moved by a calendar period (months clamp to the month's last day)."""

    part: Expr
    years: int
    months: int
    weeks: int
    days: int

    def eval(self, env: ScalarEnv) -> Any:
        value = self.part.eval(env)
        if value is None:
            return None
        return add_period(
            value, years=self.years, months=self.months, weeks=self.weeks, days=self.days
        )

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return self._shift(self.part.to_polars(env))

    def _shift(self, out: pl.Expr) -> pl.Expr:
        months = self.years * 12 + self.months
        days = self.weeks * 7 + self.days
        # Two steps so that months are applied before days, as add_period does.
        if months:
            out = out.dt.offset_by(polars_offset(months=months))
        if days:
            out = out.dt.offset_by(polars_offset(days=days))
        return out

    def text(self) -> str:
        parts = [
            f"{n:+d} {unit}"
            for n, unit in (
                (self.years, "years"),
                (self.months, "months"),
                (self.weeks, "weeks"),
                (self.days, "days"),
            )
            if n
        ]
        return f"({self.part.text()} {' '.join(parts)})"

    def kind(self, names: KindLookup) -> Kind:
        return "date"

    def children(self) -> Sequence[Expr]:
        return (self.part,)


@dataclass(frozen=True, eq=False)
class Age(Expr):
    """Completed years between a birth date and a day."""

    birth: Expr
    day: Expr

    def eval(self, env: ScalarEnv) -> Any:
        birth, day = self.birth.eval(env), self.day.eval(env)
        if birth is None or day is None:
            return None
        return age_on(birth, day)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        birth, day = self.birth.to_polars(env), self.day.to_polars(env)
        before_birthday = (day.dt.month().cast(pl.Int64) * 100 + day.dt.day().cast(pl.Int64)) < (
            birth.dt.month().cast(pl.Int64) * 100 + birth.dt.day().cast(pl.Int64)
        )
        return (
            day.dt.year().cast(pl.Int64)
            - birth.dt.year().cast(pl.Int64)
            - before_birthday.cast(pl.Int64)
        )

    def text(self) -> str:
        return f"age({self.birth.text()} on {self.day.text()})"

    def kind(self, names: KindLookup) -> Kind:
        return "int"

    def children(self) -> Sequence[Expr]:
        return (self.birth, self.day)


def age(birth: Expr, day: Expr = ON) -> Expr:
    return Age(birth, day)


@dataclass(frozen=True, eq=False)
class DaysBetween(Expr):
    """Whole days from ``start`` to ``end`` (negative when ``end`` is earlier)."""

    start: Expr
    end: Expr

    def eval(self, env: ScalarEnv) -> Any:
        a, b = self.start.eval(env), self.end.eval(env)
        if a is None or b is None:
            return None
        return (b - a).days

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return (self.end.to_polars(env) - self.start.to_polars(env)).dt.total_days()

    def text(self) -> str:
        return f"days({self.start.text()} -> {self.end.text()})"

    def kind(self, names: KindLookup) -> Kind:
        return "int"

    def children(self) -> Sequence[Expr]:
        return (self.start, self.end)


# -- lists -----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ListSum(Expr):
    part: Expr

    def eval(self, env: ScalarEnv) -> Any:
        value = self.part.eval(env)
        return None if value is None else sum(value)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        # Amount lists are fixed-width Arrays in bulk. Summing two lists item by item and then
        # adding up equals adding the two sums (whole cents), and avoids a temporary list.
        if isinstance(self.part, ListAdd):
            return ListSum(self.part.left).to_polars(env) + ListSum(self.part.right).to_polars(env)
        # Lists may be stored in 32 bits (facts.prepare_table guarantees their sums fit);
        # widen the sum before it meets other arithmetic.
        return self.part.to_polars(env).arr.sum().cast(pl.Int64)

    def text(self) -> str:
        return f"sum({self.part.text()})"

    def kind(self, names: KindLookup) -> Kind:
        return "money" if self.part.kind(names) == "list_money" else "int"

    def children(self) -> Sequence[Expr]:
        return (self.part,)


@dataclass(frozen=True, eq=False)
class CountAtLeast(Expr):
    """How many items of a fixed-length list are at least ``threshold``."""

    part: Expr
    threshold: Expr
    length: int

    def eval(self, env: ScalarEnv) -> Any:
        items, threshold = self.part.eval(env), self.threshold.eval(env)
        if items is None or threshold is None:
            return None
        return sum(1 for item in items if item >= threshold)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        items, threshold = self.part.to_polars(env), self.threshold.to_polars(env)
        # A per-row threshold cannot enter list.eval, so compare the fixed positions.
        hits = [(items.arr.get(i) >= threshold).cast(pl.Int64) for i in range(self.length)]
        return (
            pl.when(items.is_null() | threshold.is_null())
            .then(pl.lit(None, dtype=pl.Int64))
            .otherwise(pl.sum_horizontal(hits))
        )

    def text(self) -> str:
        return f"count({self.part.text()} >= {self.threshold.text()})"

    def kind(self, names: KindLookup) -> Kind:
        return "int"

    def children(self) -> Sequence[Expr]:
        return (self.part, self.threshold)


@dataclass(frozen=True, eq=False)
class Contains(Expr):
    part: Expr
    item: str

    def eval(self, env: ScalarEnv) -> Any:
        value = self.part.eval(env)
        return None if value is None else self.item in value

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return self.part.to_polars(env).list.contains(pl.lit(self.item))

    def text(self) -> str:
        return f"{self.item!r} in {self.part.text()}"

    def kind(self, names: KindLookup) -> Kind:
        return "bool"

    def children(self) -> Sequence[Expr]:
        return (self.part,)


def facts_used(expr: Expr) -> set[str]:
    return {node.name for node in expr.walk() if isinstance(node, Fact)}


def params_used(expr: Expr) -> set[str]:
    return {node.name for node in expr.walk() if isinstance(node, Param)}


def params_on_used(expr: Expr) -> set[str]:
    """Parameters taken on a day of the case (``ParamOn``), not on the reference date."""
    return {node.name for node in expr.walk() if isinstance(node, ParamOn)}


def refs_used(expr: Expr) -> set[str]:
    return {node.name for node in expr.walk() if isinstance(node, Ref)}


@dataclass(frozen=True, eq=False)
class ListAdd(Expr):
    """Two lists of equal length added item by item (monthly wages plus monthly benefits)."""

    left: Expr
    right: Expr

    def eval(self, env: ScalarEnv) -> Any:
        a, b = self.left.eval(env), self.right.eval(env)
        if a is None or b is None:
            return None
        return [x + y for x, y in zip(a, b, strict=True)]

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return self.left.to_polars(env) + self.right.to_polars(env)

    def text(self) -> str:
        return f"({self.left.text()} + {self.right.text()} month by month)"

    def kind(self, names: KindLookup) -> Kind:
        return self.left.kind(names)

    def children(self) -> Sequence[Expr]:
        return (self.left, self.right)


ALWAYS = Lit(True)
"""A condition that always holds (an item every applicant must hand in)."""


def first_of(*branches: tuple[Expr, object], otherwise: object) -> Expr:
    """The value of the first branch whose condition holds (nested ``If``), else ``otherwise``."""
    out: Expr = lift(otherwise)
    for cond, value in reversed(branches):
        out = If(cond, lift(value), out)
    return out


@dataclass(frozen=True, eq=False)
class ShiftByParam(Expr):
    """A date moved by a period whose length is a dated parameter (e.g. 12 weeks)."""

    part: Expr
    param: str
    unit: Literal["years", "months", "weeks", "days"]

    def _period(self, amount: int) -> dict[str, int]:
        return {self.unit: int(amount)}

    def eval(self, env: ScalarEnv) -> Any:
        value = self.part.eval(env)
        if value is None:
            return None
        return add_period(value, **self._period(env.param(self.param)))

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        period = self._period(env.param(self.param))
        return Shift(
            Lit(None),
            period.get("years", 0),
            period.get("months", 0),
            period.get("weeks", 0),
            period.get("days", 0),
        )._shift(self.part.to_polars(env))

    def text(self) -> str:
        return f"({self.part.text()} + [{self.param}] {self.unit})"

    def kind(self, names: KindLookup) -> Kind:
        return "date"

    def children(self) -> Sequence[Expr]:
        return (self.part, Param(self.param))


@dataclass(frozen=True, eq=False)
class ListLen(Expr):
    """How many items a list holds."""

    part: Expr

    def eval(self, env: ScalarEnv) -> Any:
        value = self.part.eval(env)
        return None if value is None else len(value)

    def to_polars(self, env: BulkEnv) -> pl.Expr:
        return self.part.to_polars(env).list.len().cast(pl.Int64)

    def text(self) -> str:
        return f"count({self.part.text()})"

    def kind(self, names: KindLookup) -> Kind:
        return "int"

    def children(self) -> Sequence[Expr]:
        return (self.part,)
