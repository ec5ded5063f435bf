"""Short constructors for writing rule modules that read close to the paragraph."""

from __future__ import annotations

from typing import Any

from keten.rules.expr import Expr
from keten.rules.rule import Branch, Check, Decide, Item, Text, Value, ValueLabels


def check(
    id: str,
    expr: Expr,
    nl: str,
    en: str,
    citation: str,
    *,
    only_if: Expr | None = None,
    note: str | None = None,
) -> Check:
    return Check(id, expr, Text(nl, en), citation, only_if=only_if, note=note)


def decide(
    name: str,
    nl: str,
    en: str,
    *branches: tuple[Expr, Any, str],
    otherwise: tuple[Any, str],
    values: ValueLabels | None = None,
) -> Decide:
    """An output: the value of the first branch whose condition holds, else ``otherwise``.

    ``values`` labels each string value, Dutch first: ``{"grant": ("inwilligen", "grant")}``.
    """
    return Decide(
        name,
        Text(nl, en),
        (
            *(Branch(cond, value, citation) for cond, value, citation in branches),
            Branch(None, otherwise[0], otherwise[1]),
        ),
        values if values is not None else {},
    )


def value(name: str, nl: str, en: str, expr: Expr, citation: str) -> Value:
    return Value(name, Text(nl, en), expr, citation)


def item(
    id: str, when: Expr, nl: str, en: str, citation: str, satisfied: Expr | None = None
) -> Item:
    return Item(id, when, Text(nl, en), citation, satisfied)
