"""Typed input facts: one pydantic model per rule, read the same way for one case and a table.

A rule declares its facts as a :class:`RuleFacts` model. The model gives the JSON Schema
(``keten rules schema``), validates one case, and is introspected into :class:`FactSpec` rows
that drive the vectorised checks of a table. A missing or bad fact is a :class:`FactsError`
naming the field and the rule.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal, get_args, get_origin

import annotated_types
import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from keten.rules.errors import FactsError
from keten.rules.expr import Kind

__all__ = [
    "MONEY",
    "ChoiceLabel",
    "ChoiceLabels",
    "FactSpec",
    "FactsError",
    "Money",
    "MonthlyAmounts",
    "RuleFacts",
    "fact",
    "fact_specs",
    "prepare_table",
    "validate_case",
]


class _MoneyMarker:
    """Marks a Decimal field as an amount in euros (carried internally as cents)."""

    def __repr__(self) -> str:
        return "money"


MONEY = _MoneyMarker()

Money = Annotated[Decimal, Field(ge=0, decimal_places=2), MONEY]
"""An amount in euros with at most two decimals, e.g. ``2497.50``."""

TWELVE_MONTHS = 12
MonthlyAmounts = Annotated[list[Money], Field(min_length=TWELVE_MONTHS, max_length=TWELVE_MONTHS)]
"""Twelve monthly amounts in euros, oldest month first."""


ChoiceLabels = Mapping[str, tuple[str, str]]
"""The labels of a fact's choices: code to (Dutch, English)."""


class RuleFacts(BaseModel):
    """Base of every rule's facts: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def fact(
    en: str,
    nl: str,
    default: Any = ...,
    *,
    choices: ChoiceLabels | None = None,
    **constraints: Any,
) -> Any:
    """A fact field with its English and Dutch description.

    A fact with choices (a ``Literal``) labels every choice, Dutch first:
    ``choices={"59_1": ("artikel 59, eerste lid, Vw", "Article 59(1) Vw")}``. The case worker
    picks from these labels; the code stays what the rule sees.
    """
    extra: dict[str, Any] = {"description_nl": nl}
    if choices is not None:
        # In the JSON Schema too (``keten rules schema``), so a client can show the same labels.
        extra["choice_labels"] = {
            code: {"nl": nl_, "en": en_} for code, (nl_, en_) in choices.items()
        }
    return Field(default, description=en, json_schema_extra=extra, **constraints)


@dataclass(frozen=True)
class ChoiceLabel:
    """One allowed value of a fact with its Dutch and English label."""

    code: str
    nl: str
    en: str


@dataclass(frozen=True)
class FactSpec:
    name: str
    kind: Kind
    nullable: bool
    required: bool
    default: Any
    choices: tuple[str, ...] | None
    length: int | None
    minimum: float | None
    maximum: float | None
    description_en: str
    description_nl: str
    choice_labels: tuple[ChoiceLabel, ...] = ()  # one per choice, in the order of ``choices``


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _is_money(annotation: Any) -> bool:
    return get_origin(annotation) is Annotated and any(m is MONEY for m in get_args(annotation))


def _kind_of(
    annotation: Any, metadata: Sequence[Any], name: str
) -> tuple[Kind, tuple[str, ...] | None]:
    if any(m is MONEY for m in metadata) or _is_money(annotation):
        return "money", None
    base = get_args(annotation)[0] if get_origin(annotation) is Annotated else annotation
    if base is bool:
        return "bool", None
    if base is int:
        return "int", None
    if base is float:
        return "float", None
    if base is date:
        return "date", None
    if base is str:
        return "str", None
    if get_origin(base) is Literal:
        return "str", tuple(str(a) for a in get_args(base))
    if get_origin(base) is list:
        (item,) = get_args(base)
        if _is_money(item):
            return "list_money", None
        if get_origin(item) is Literal:
            return "list_str", tuple(str(a) for a in get_args(item))
        if item is str:
            return "list_str", None
    raise TypeError(f"fact {name}: unsupported type {annotation!r}")


@cache
def fact_specs(model: type[RuleFacts]) -> tuple[FactSpec, ...]:
    """The facts of a model in declaration order (cached: models do not change)."""
    specs = []
    for name, field in model.model_fields.items():
        annotation, nullable = _strip_optional(field.annotation)
        kind, choices = _kind_of(annotation, field.metadata, name)
        length = minimum = maximum = None
        for m in field.metadata:
            if isinstance(m, annotated_types.MinLen) and kind in ("list_str", "list_money"):
                length = m.min_length
            if isinstance(m, annotated_types.Ge):
                minimum = float(m.ge)  # type: ignore[arg-type]
            if isinstance(m, annotated_types.Le):
                maximum = float(m.le)  # type: ignore[arg-type]
        if kind == "list_money" and length is None:
            raise TypeError(f"fact {name}: a list of amounts needs a fixed length")
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        labels = _choice_labels(f"{model.__name__}.{name}", choices, extra.get("choice_labels"))
        specs.append(
            FactSpec(
                name=name,
                kind=kind,
                nullable=nullable,
                required=field.is_required(),
                default=None if field.is_required() else field.default,
                choices=choices,
                length=length,
                minimum=minimum,
                maximum=maximum,
                description_en=field.description or "",
                description_nl=str(extra.get("description_nl", "")),
                choice_labels=labels,
            )
        )
    return tuple(specs)


def _choice_labels(
    name: str, choices: tuple[str, ...] | None, given: Any
) -> tuple[ChoiceLabel, ...]:
    """The labels of a fact's choices, refused unless every choice has both and no more.

    Raised when the rule is defined (``Rule`` reads its facts), so a rule whose case worker
    would see a bare code never loads.
    """
    if choices is None:
        if given is not None:
            raise TypeError(f"fact {name}: labels choices but has none (not a Literal)")
        return ()
    if not isinstance(given, dict):
        raise TypeError(f"fact {name}: label its choices with fact(..., choices={{...}})")
    missing = [c for c in choices if c not in given]
    if missing:
        raise TypeError(f"fact {name}: no label for choices {missing}")
    extra = sorted(set(given) - set(choices))
    if extra:
        raise TypeError(f"fact {name}: labels {extra}, which are not among its choices")
    labels = []
    for code in choices:
        nl, en = str(given[code].get("nl", "")).strip(), str(given[code].get("en", "")).strip()
        if not nl or not en:
            raise TypeError(f"fact {name}: choice {code!r} needs a Dutch and an English label")
        labels.append(ChoiceLabel(code, nl, en))
    return tuple(labels)


def _internal(value: Any, kind: Kind) -> Any:
    """The value a rule expression sees: euros become whole cents."""
    if value is None:
        return None
    if kind == "money":
        return int(Decimal(value) * 100)
    if kind == "list_money":
        return [int(Decimal(v) * 100) for v in value]
    if kind == "list_str":
        return list(value)
    return value


def validate_case(
    rule_id: str, model: type[RuleFacts], data: Mapping[str, Any] | RuleFacts
) -> dict[str, Any]:
    """One case's facts, validated and converted to the values expressions work on."""
    if isinstance(data, RuleFacts):
        if not isinstance(data, model):
            raise FactsError(
                rule_id, [("*", f"expected {model.__name__}, got {type(data).__name__}")]
            )
        facts = data
    else:
        try:
            facts = model.model_validate(dict(data))
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"]) or "*"
                problems.append((loc, err["msg"]))
            raise FactsError(rule_id, problems) from None
    kinds = {spec.name: spec.kind for spec in fact_specs(model)}
    return {name: _internal(getattr(facts, name), kinds[name]) for name in kinds}


# -- tables --------------------------------------------------------------------------------

_TRUE = {"true", "1", "yes", "ja", "waar", "t", "y"}
_FALSE = {"false", "0", "no", "nee", "onwaar", "f", "n"}
LIST_SEPARATOR = ";"


def _first_bad_row(mask: pl.Series) -> int:
    """1-based number of the first data row where ``mask`` is true."""
    return int(mask.arg_true()[0]) + 1


def _coerce(rule_id: str, spec: FactSpec, column: pl.Series) -> pl.Series:
    def fail(mask: pl.Series, message: str) -> FactsError:
        return FactsError(rule_id, [(spec.name, f"row {_first_bad_row(mask)}: {message}")])

    name = spec.name
    if column.dtype == pl.Null:  # an all-empty column (e.g. a JSON null) has no type yet
        return pl.Series(name, [None] * column.len(), dtype=polars_dtype(spec.kind))
    if spec.kind in ("list_str", "list_money") and column.dtype == pl.List(pl.Null):
        column = column.cast(pl.List(pl.String if spec.kind == "list_str" else pl.Float64))
    dtype = column.dtype
    if spec.kind == "bool":
        if dtype == pl.Boolean:
            return column
        if dtype == pl.String:
            lowered = column.str.strip_chars().str.to_lowercase()
            bad = lowered.is_not_null() & (lowered != "") & ~lowered.is_in(sorted(_TRUE | _FALSE))
            if bad.any():
                raise fail(bad, f"not true/false: {column.filter(bad)[0]!r}")
            return pl.select(
                pl.when(lowered.is_in(sorted(_TRUE)))
                .then(True)
                .when(lowered.is_in(sorted(_FALSE)))
                .then(False)
                .otherwise(None)
                .alias(name)
            ).to_series()
        if dtype.is_integer():
            return column.cast(pl.Boolean)
    if spec.kind in ("int", "float"):
        target = pl.Int64 if spec.kind == "int" else pl.Float64
        if dtype == pl.String:
            column = column.str.strip_chars().replace("", None)
        cast = column.cast(target, strict=False)
        bad = cast.is_null() & column.is_not_null()
        if bad.any():
            raise fail(
                bad,
                f"not {'an integer' if spec.kind == 'int' else 'a number'}: "
                f"{column.filter(bad)[0]!r}",
            )
        return cast
    if spec.kind == "money":
        return _money_cents(rule_id, spec, column, fail)
    if spec.kind == "date":
        if dtype == pl.Date:
            return column
        if dtype == pl.Datetime:
            return column.dt.date()
        if dtype == pl.String:
            text = column.str.strip_chars().replace("", None)
            parsed = text.str.to_date("%Y-%m-%d", strict=False)
            bad = parsed.is_null() & text.is_not_null()
            if bad.any():
                raise fail(bad, f"not a date (YYYY-MM-DD): {text.filter(bad)[0]!r}")
            return parsed
    if spec.kind == "str":
        if dtype != pl.String:
            column = column.cast(pl.String)
        return column.str.strip_chars().replace("", None) if spec.nullable else column
    if spec.kind in ("list_str", "list_money"):
        if dtype == pl.String:
            text = column.str.strip_chars()
            column = pl.select(
                pl.when(text == "")
                .then(pl.lit([], dtype=pl.List(pl.String)))
                .otherwise(text.str.split(LIST_SEPARATOR).list.eval(pl.element().str.strip_chars()))
                .alias(name)
            ).to_series()
        if spec.kind == "list_money":
            assert spec.length is not None  # fact_specs insists on a fixed length
            column = _money_list_cents(column, spec.length, fail)
        return column
    raise FactsError(rule_id, [(name, f"column of type {dtype} cannot hold {spec.kind}")])


def _money_list_cents(column: pl.Series, length: int, fail: Any) -> pl.Series:
    """Fixed-length lists of euro amounts to an ``Array`` of cents.

    The bulk path keeps such lists as polars ``Array`` columns (fixed width, contiguous), which
    sums and compares much faster than variable ``List`` columns. The checks run on the flat
    values; a bad value is reported with the row that holds it.
    """
    if isinstance(column.dtype, pl.Array):
        column = column.cast(pl.List(column.dtype.inner))
    bad = (column.list.len() != length).fill_null(False)
    if bad.any():
        raise fail(bad, f"needs exactly {length} amounts")
    null_rows = column.is_null()
    has_null_rows = bool(null_rows.any())
    whole = column
    if has_null_rows:  # a placeholder keeps every row exactly `length` items long
        placeholder = pl.lit([0] * length, dtype=pl.List(pl.Int64)).cast(column.dtype)
        whole = pl.select(
            pl.when(null_rows).then(placeholder).otherwise(column).alias(column.name)
        ).to_series()
    flat = whole.explode()

    def fail_item(mask: pl.Series, message: str) -> FactsError:
        row_mask = pl.Series([False] * len(column))
        row_mask[int(mask.arg_true()[0]) // length] = True
        return fail(row_mask, message)  # type: ignore[no-any-return]

    if flat.dtype == pl.String:
        text = flat.str.strip_chars()
        parsed = text.cast(pl.Float64, strict=False)
        bad = parsed.is_null() & text.is_not_null()
        if bad.any():
            raise fail_item(bad, f"not an amount in euros: {text.filter(bad)[0]!r}")
        flat = parsed
    euros = flat.cast(pl.Float64)
    if euros.null_count():
        raise fail_item(euros.is_null(), "an amount is missing")
    # The flat values hold no nulls now: check and convert them in numpy, one pass each.
    values = euros.to_numpy()
    negative = values < 0
    if negative.any():
        raise fail_item(pl.Series(negative), "a negative amount")
    scaled = values * 100
    rounded = np.rint(scaled)
    fraction = np.abs(scaled - rounded) > 1e-6
    if fraction.any():
        raise fail_item(pl.Series(fraction), "an amount has more than two decimals")
    cents = pl.Series(column.name, rounded.astype(np.int64)).reshape((-1, length))
    if not has_null_rows:
        return cents
    return pl.select(pl.when(null_rows).then(None).otherwise(cents).alias(column.name)).to_series()


def _money_cents(rule_id: str, spec: FactSpec, column: pl.Series, fail: Any) -> pl.Series:
    if column.dtype == pl.String:
        column = column.str.strip_chars().replace("", None)
    euros = column.cast(pl.Float64, strict=False)
    bad = euros.is_null() & column.is_not_null()
    if bad.any():
        raise fail(bad, f"not an amount in euros: {column.filter(bad)[0]!r}")
    scaled = euros * 100
    rounded = scaled.round(0)
    bad = ((scaled - rounded).abs() > 1e-6).fill_null(False)
    if bad.any():
        raise fail(bad, f"more than two decimals: {column.filter(bad)[0]!r}")
    bad = (euros < 0).fill_null(False)
    if bad.any():
        raise fail(bad, f"negative amount: {column.filter(bad)[0]!r}")
    return rounded.cast(pl.Int64)


def prepare_table(rule_id: str, model: type[RuleFacts], table: pl.DataFrame) -> pl.DataFrame:
    """The fact columns of ``table`` checked and converted for the bulk path.

    Extra columns are ignored (a case number may ride along); a missing column is an error
    unless the fact has a default.
    """
    specs = fact_specs(model)
    columns: list[pl.Series] = []
    height = table.height
    for spec in specs:
        if spec.name not in table.columns:
            if spec.required:
                raise FactsError(rule_id, [(spec.name, "column missing from the table")])
            default = _internal(spec.default, spec.kind)
            columns.append(pl.Series(spec.name, [default] * height, dtype=column_dtype(spec)))
            continue
        column = _coerce(rule_id, spec, table.get_column(spec.name)).alias(spec.name)
        if not spec.nullable:
            missing = column.is_null()
            if missing.any():
                if spec.required:
                    raise FactsError(
                        rule_id, [(spec.name, f"row {_first_bad_row(missing)}: value missing")]
                    )
                column = column.fill_null(_internal(spec.default, spec.kind))
        _check_values(rule_id, spec, column)
        columns.append(_narrowest(spec, column.cast(column_dtype(spec))))
    return pl.DataFrame(columns, height=height)


# Sums of an amount list are taken in the list's own integer width and widened afterwards (see
# ``ListSum``); a list may be stored in 32 bits when even four lists' worth of its largest
# amount fits, which keeps every sum and item-by-item addition of such lists exact.
_INT32_HEADROOM = 4


def _narrowest(spec: FactSpec, column: pl.Series) -> pl.Series:
    """Fixed-length amount lists in 32-bit cents when the data allows it exactly: half the
    bytes to read for every sum over twelve months (the income rule's whole cost)."""
    if not (spec.kind == "list_money" and spec.length is not None) or column.len() == 0:
        return column
    largest = column.arr.max().max()
    if largest is None:
        return column
    if int(largest) * spec.length * _INT32_HEADROOM < 2**31 - 1:  # type: ignore[arg-type]
        return column.cast(pl.Array(pl.Int32, spec.length))
    return column


def _check_values(rule_id: str, spec: FactSpec, column: pl.Series) -> None:
    def fail(mask: pl.Series, message: str) -> None:
        raise FactsError(rule_id, [(spec.name, f"row {_first_bad_row(mask)}: {message}")])

    if spec.choices is not None and spec.kind == "str":
        bad = (~column.is_in(list(spec.choices))).fill_null(False)
        if bad.any():
            fail(bad, f"{column.filter(bad)[0]!r} is not one of {list(spec.choices)}")
    if spec.choices is not None and spec.kind == "list_str":
        bad = (~column.list.eval(pl.element().is_in(list(spec.choices))).list.all()).fill_null(
            False
        )
        if bad.any():
            fail(bad, f"{column.filter(bad)[0].to_list()!r} has items outside {list(spec.choices)}")
    if spec.length is not None and spec.kind == "list_str":
        bad = (column.list.len() != spec.length).fill_null(False)
        if bad.any():
            fail(bad, f"needs exactly {spec.length} items")
    if spec.kind in ("int", "float"):
        if spec.minimum is not None:
            bad = (column < spec.minimum).fill_null(False)
            if bad.any():
                fail(bad, f"{column.filter(bad)[0]} is below {spec.minimum:g}")
        if spec.maximum is not None:
            bad = (column > spec.maximum).fill_null(False)
            if bad.any():
                fail(bad, f"{column.filter(bad)[0]} is above {spec.maximum:g}")


def column_dtype(spec: FactSpec) -> pl.DataType:
    """The bulk column type of a fact: fixed-length amounts are an ``Array``."""
    if spec.kind == "list_money" and spec.length is not None:
        return pl.Array(pl.Int64, spec.length)
    return polars_dtype(spec.kind)


def polars_dtype(kind: Kind) -> pl.DataType:
    mapping: dict[str, pl.DataType] = {
        "bool": pl.Boolean(),
        "int": pl.Int64(),
        "float": pl.Float64(),
        "money": pl.Int64(),
        "date": pl.Date(),
        "str": pl.String(),
        "list_str": pl.List(pl.String),
        "list_money": pl.List(pl.Int64),
    }
    return mapping[kind]
