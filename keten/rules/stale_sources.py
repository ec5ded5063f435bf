"""The law watch for rules: a rule that quotes an older document than one in ``data/`` that
covers the same paragraph or law (``data/sources/documents.yaml``).

A rule version quotes its sources (``Quote.source``, a seed file). When a newer document in the
manifest covers a citation of the rule (the rule's own citation or a check's) and no version
of the rule quotes that newer document, the rule may no longer say what the law says: it is
listed until someone re-reads the new text and adds a version (or records in the manifest that
the new document leaves the paragraph as it was).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import yaml

from keten._data import data_path
from keten.rules.rule import Rule

MANIFEST = ("sources", "documents.yaml")


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    published: date
    covers: tuple[str, ...]
    approximate: bool = False


@dataclass(frozen=True)
class StaleRule:
    rule: str
    citation: str
    quotes: tuple[str, ...]  # the documents the rule quotes
    newer: Document  # the newer document covering one of its citations

    def said(self) -> str:
        return (
            f"{self.rule}: quotes {', '.join(self.quotes)} but {self.newer.id} "
            f"({self.newer.title}, {self.newer.published.isoformat()}) also covers "
            f"'{self.citation}'"
        )


def parse(raw: Mapping[str, Any]) -> dict[str, Document]:
    out = {}
    for doc_id, spec in raw.items():
        published = spec["published"]
        if not isinstance(published, date):
            raise ValueError(f"{doc_id}: published must be a day (YYYY-MM-DD)")
        out[str(doc_id)] = Document(
            str(doc_id),
            str(spec["title"]),
            published,
            tuple(str(c) for c in spec.get("covers") or ()),
            bool(spec.get("approximate", False)),
        )
    return out


@cache
def documents() -> dict[str, Document]:
    return parse(yaml.safe_load(data_path(*MANIFEST).read_text(encoding="utf-8")) or {})


def _citations(rule: Rule) -> set[str]:
    found = {rule.citation}
    for version in rule.versions:
        found |= {check.citation for check in version.checks}
    # A citation may name several texts ("Vb art. 3.30a; Introductiedossier ..."): each counts.
    return {part.strip() for c in found for part in c.split(";") if part.strip()}


def _covered(citation: str, prefixes: Iterable[str]) -> bool:
    return any(citation.startswith(prefix) for prefix in prefixes)


def stale_rules(rules: Iterable[Rule], docs: Mapping[str, Document]) -> list[StaleRule]:
    found = []
    for rule in rules:
        quoted = sorted({q.source for v in rule.versions for q in v.quotes})
        known = [docs[q] for q in quoted if q in docs]
        if not known:
            continue
        newest_quoted = max(d.published for d in known)
        for citation in sorted(_citations(rule)):
            newer = [
                d
                for d in docs.values()
                if d.published > newest_quoted
                and d.id not in quoted
                and _covered(citation, d.covers)
            ]
            if newer:
                latest = max(newer, key=lambda d: d.published)
                found.append(StaleRule(rule.id, citation, tuple(quoted), latest))
                break
    return found
