"""``docs/procedures.md``: the catalogue as a document a lawyer can check, made from the files."""

from __future__ import annotations

from keten.catalog.loader import load_catalog
from keten.catalog.model import DeadlineSpec, ProcedureType

HEADER = """# Procedures and their deadlines

Generated from `keten/catalog/procedures/*.yaml` by `keten procedures --markdown`; do not edit by
hand (a test checks that this file matches the catalogue). Counting: `atw` = Algemene
termijnenwet, `eu_1182_71` = Regulation 1182/71, `none` = not moved for weekends or holidays.
Quotes are word for word from the seed documents in `data/seeds/`.
"""


def _deadline(d: DeadlineSpec) -> list[str]:
    regimes = f" — regime {', '.join(d.regimes)}" if d.regimes else ""
    start = d.start.event or d.start.deadline or "earliest/latest of several"
    lines = [
        f"- **{d.name.nl}** / {d.name.en} (`{d.id}`{regimes}): {d.length} "
        f"{'before' if d.backwards else 'from' if d.start_day_counts else 'after'} `{start}`"
        f"{' (its day included)' if d.start_day_counts else ''}, counting `{d.counting.value}`; "
        f"{d.source.citation}"
    ]
    for v in d.variants:
        lines.append(
            f"  - {v.length} when `{v.when.model_dump(exclude_none=True)}` — {v.source.citation}"
        )
    for e in d.extensions:
        lines.append(
            f"  - extension `{e.event}`: {e.length} (at most {e.max_times}x) — {e.source.citation}"
        )
    for s in d.suspensions:
        lines.append(f"  - suspended from `{s.start}` until `{s.end}` — {s.source.citation}")
    if d.maximum:
        lines.append(f"  - at most {d.maximum.length} in all — {d.maximum.source.citation}")
    if d.source.quote:
        where = f" ({d.source.document})" if d.source.document else ""
        lines.append(f"  - > {' '.join(d.source.quote.split())}{where}")
    if d.source.uncertain:
        lines.append(f"  - *Unverified:* {' '.join(d.source.uncertain.split())}")
    return lines


def _procedure(pt: ProcedureType) -> list[str]:
    lines = [f"## {pt.name.nl} / {pt.name.en} (`{pt.id}`)", ""]
    lines.append(
        f"Owner: {pt.owner}. In force from {pt.in_force_from.isoformat()}. Legal basis: "
        + "; ".join(b.citation for b in pt.legal_basis)
        + "."
    )
    if pt.regimes:
        lines.append("")
        lines.append(
            "Regimes: "
            + "; ".join(
                f"`{r.id}` {r.name.nl} ({r.valid_from.isoformat()}–"
                f"{r.valid_to.isoformat() if r.valid_to else ''})"
                for r in pt.regimes
            )
            + "."
        )
    carried = [(e, key, datum) for e in pt.events for key, datum in e.data.items()]
    if carried:
        lines.append("")
        lines.append(
            "Event values: "
            + "; ".join(
                f"`{e.kind}` carries `{key}` ({datum.type}"
                f"{'' if datum.required else ', optional'}): {datum.name.nl} / {datum.name.en}"
                for e, key, datum in carried
            )
            + "."
        )
    lines.append("")
    for d in pt.deadlines:
        lines.extend(_deadline(d))
    lines.append("")
    return lines


def render() -> str:
    lines = [HEADER]
    for pt in load_catalog().values():
        lines.extend(_procedure(pt))
    return "\n".join(lines).rstrip() + "\n"
