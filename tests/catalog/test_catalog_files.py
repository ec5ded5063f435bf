"""The catalogue files: complete, cited, and quoting their seeds word for word."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from keten.catalog.loader import PROCEDURES_DIR, CatalogError, load_catalog, load_procedure
from tests.conftest import SEEDS, in_seed

ISSUE_PROCEDURES = [
    "asylum_first",
    "asylum_subsequent",
    "border_procedure",
    "dublin_outgoing",
    "nareis",
    "regular_residence",
    "mvv",
    "wobka_adoption",
    "naturalisation",
    "recognised_sponsor",
    "objection",
    "appeal",
    "interim_relief",
    "admin_appeal_refusal_of_entry",
    "refusal_of_entry",
    "detention",
    "permit_holder_outflow",
    "complaint",
    "taakstelling",
]


def test_at_least_twenty_types_each_cited() -> None:
    catalog = load_catalog()
    assert len(catalog) >= 20
    for pt in catalog.values():
        assert pt.legal_basis and all(b.citation for b in pt.legal_basis)
        assert pt.deadlines, pt.id
        for d in pt.deadlines:
            assert d.source.citation, (pt.id, d.id)


def test_every_procedure_the_issue_names_is_there() -> None:
    assert set(ISSUE_PROCEDURES) <= set(load_catalog())


def _quotes(node: Any, path: str = "") -> list[tuple[str, str, str]]:
    found = []
    if isinstance(node, dict):
        if node.get("quote") and str(node.get("document", "")).endswith(".txt"):
            found.append((path, node["document"], node["quote"]))
        for key, value in node.items():
            found += _quotes(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _quotes(value, f"{path}[{i}]")
    return found


QUOTES = [
    (f"{p.stem}{path}", doc, quote)
    for p in sorted(PROCEDURES_DIR.glob("*.yaml"))
    for path, doc, quote in _quotes(yaml.safe_load(p.read_text(encoding="utf-8")))
]


def test_there_are_seed_quotes() -> None:
    assert len(QUOTES) >= 30


@pytest.mark.parametrize(("where", "document", "quote"), QUOTES, ids=[q[0] for q in QUOTES])
def test_seed_quotes_are_verbatim(where: str, document: str, quote: str) -> None:
    assert (SEEDS / document).is_file(), f"{where}: unknown seed {document}"
    assert in_seed(document, quote), f"{where}: quote not found in {document}"


def test_a_broken_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    text = (PROCEDURES_DIR / "complaint.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "complaint.yaml"
    broken.write_text(text.replace("length: 6 weeks", "length: six weeks"), encoding="utf-8")
    with pytest.raises(CatalogError, match=r"complaint\.yaml: deadlines\.0\.length"):
        load_procedure(broken)


def test_unknown_event_in_a_deadline_is_rejected(tmp_path: Path) -> None:
    text = (PROCEDURES_DIR / "complaint.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "complaint.yaml"
    broken.write_text(text.replace("stop: [handled, withdrawn]", "stop: [answered]"), "utf-8")
    with pytest.raises(CatalogError, match="uses event 'answered' not in events"):
        load_procedure(broken)
