"""The national strategy in the model of Implementing Decision (EU) 2025/503: the model's
sections and components as data (``data/reports/strategy_2025_503.yaml``, from seed 002), the
Dutch strategy's passages beside what each component asks, and the live indicators Keten
computes beside the components they belong to. Rendered as HTML (``render``); the server and
the CLI supply the indicator figures (``keten.reports.strategy_counts`` counts them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from keten.reports.document_figures import Figure
from keten.reports.document_html import esc, figure_table, page, title_page

DATA = Path(__file__).resolve().parents[2] / "data" / "reports" / "strategy_2025_503.yaml"
SEED = "002_7c211f7c90b156ae.txt"


@dataclass(frozen=True)
class Passage:
    quote: str
    line: int  # the seed line the quote starts on


@dataclass(frozen=True)
class Component:
    number: str
    asks: str
    strategy: tuple[Passage, ...]
    indicators: tuple[str, ...]
    uncertain: str | None


@dataclass(frozen=True)
class Section:
    number: str
    title_nl: str
    title_en: str
    asks: str | None
    strategy: tuple[Passage, ...]
    indicators: tuple[str, ...]
    components: tuple[Component, ...]


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    name_nl: str
    name_en: str
    quote: str
    note: str | None


@dataclass(frozen=True)
class Model:
    title_nl: str
    title_en: str
    citation: str
    taken: date
    indicators: dict[str, IndicatorSpec]
    sections: tuple[Section, ...]

    def indicator_ids(self) -> list[str]:
        return list(self.indicators)


def _passages(raw: list[dict[str, Any]] | None) -> tuple[Passage, ...]:
    return tuple(Passage(str(p["quote"]), int(p["line"])) for p in raw or [])


@cache
def load(path: Path = DATA) -> Model:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc = raw["document"]
    specs = {
        key: IndicatorSpec(
            key, v["name"]["nl"], v["name"]["en"], v["source"]["quote"], v.get("note")
        )
        for key, v in raw["indicators"].items()
    }
    sections = []
    for s in raw["sections"]:
        components = tuple(
            Component(
                str(c["number"]),
                str(c["asks"]),
                _passages(c.get("strategy")),
                tuple(c.get("indicators") or ()),
                c.get("uncertain"),
            )
            for c in s.get("components") or []
        )
        sections.append(
            Section(
                str(s["number"]),
                s["title"]["nl"],
                s["title"]["en"],
                s.get("asks"),
                _passages(s.get("strategy")),
                tuple(s.get("indicators") or ()),
                components,
            )
        )
    for sec in sections:  # an indicator id the table lacks is a typing error in the data
        named = set(sec.indicators).union(*(c.indicators for c in sec.components))
        unknown = named - set(specs)
        if unknown:
            raise ValueError(f"section {sec.number}: unknown indicators {sorted(unknown)}")
    return Model(
        doc["title"]["nl"],
        doc["title"]["en"],
        doc["source"]["citation"],
        date.fromisoformat(str(doc["taken"])),
        specs,
        tuple(sections),
    )


def to_json(model: Model, figures: dict[str, Figure]) -> dict[str, Any]:
    """The document as data: sections, components, passages and the figures beside them."""

    def passages(ps: tuple[Passage, ...]) -> list[dict[str, Any]]:
        return [{"quote": p.quote, "seed": SEED, "line": p.line} for p in ps]

    return {
        "title": {"nl": model.title_nl, "en": model.title_en},
        "source": {"document": SEED, "citation": model.citation},
        "indicators": {
            key: {
                "name": {"nl": spec.name_nl, "en": spec.name_en},
                "source": {"document": SEED, "quote": spec.quote},
                "note": spec.note,
                **(figures[key].to_json() if key in figures else {}),
            }
            for key, spec in model.indicators.items()
        },
        "sections": [
            {
                "number": s.number,
                "title": {"nl": s.title_nl, "en": s.title_en},
                "asks": s.asks,
                "strategy": passages(s.strategy),
                "indicators": list(s.indicators),
                "components": [
                    {
                        "number": c.number,
                        "asks": c.asks,
                        "strategy": passages(c.strategy),
                        "indicators": list(c.indicators),
                        "uncertain": c.uncertain,
                    }
                    for c in s.components
                ],
            }
            for s in model.sections
        ],
    }


def _passages_html(ps: tuple[Passage, ...]) -> str:
    return "".join(
        f'<blockquote>{esc(p.quote)} <span class="line">(seed 002, regel {p.line})</span>'
        "</blockquote>"
        for p in ps
    )


def _indicators_html(ids: tuple[str, ...], model: Model, figures: dict[str, Figure]) -> str:
    out = []
    for key in ids:
        spec = model.indicators[key]
        fig = figures.get(key)
        body = figure_table(fig) if fig is not None else ""
        definition = f'<p class="muted">{esc(fig.definition_nl)}</p>' if fig else ""
        note = f'<p class="muted">{esc(spec.note)}</p>' if spec.note else ""
        out.append(
            f'<div class="indicator" data-indicator="{esc(key)}">'
            f"<strong>Keten-indicator: {esc(spec.name_nl)}</strong>{body}{definition}"
            f'<p class="muted">Bron: seed 002, “{esc(spec.quote)}”</p>{note}</div>'
        )
    return "".join(out)


def body(model: Model, figures: dict[str, Figure], made_on: date, source: str, span: str) -> str:
    """The document's HTML body (an ``<article>``): title page, then every section."""
    parts = [
        '<article class="keten-document">',
        title_page(
            model.title_nl,
            f"Met de indicatoren die Keten uit de keten berekent ({span}).",
            made_on,
            source,
            [
                f"Seed 002 ({SEED}): {model.citation}",
                "Indicatoren: keten/reports/strategy_counts.py over de dossiers van de keten",
            ],
        ),
    ]
    for s in model.sections:
        level = "h2" if s.number.count(".") < 2 else "h3"
        parts.append(
            f'<section id="s{esc(s.number)}"><{level}>{esc(s.number)}. {esc(s.title_nl)}</{level}>'
        )
        if s.asks:
            parts.append(f'<p class="asks">Het model vraagt: “{esc(s.asks)}”</p>')
        parts.append(_passages_html(s.strategy))
        parts.append(_indicators_html(s.indicators, model, figures))
        for c in s.components:
            parts.append(
                f'<div class="component"><h4>{esc(c.number)}</h4>'
                f'<p class="asks">Het model vraagt: “{esc(c.asks)}”</p>'
            )
            if c.strategy:
                parts.append("<p>Nederlandse strategie:</p>" + _passages_html(c.strategy))
            elif c.uncertain:
                parts.append(f'<p class="muted">{esc(c.uncertain)}</p>')
            parts.append(_indicators_html(c.indicators, model, figures) + "</div>")
        parts.append("</section>")
    parts.append("</article>")
    return "".join(parts)


def render(model: Model, figures: dict[str, Figure], made_on: date, source: str, span: str) -> str:
    """The standalone HTML document."""
    return page(body(model, figures, made_on, source, span), model.title_nl)
