"""docs/policy.md is the policy table as enforced, not a copy that drifts."""

from __future__ import annotations

from keten.server.policy.render import POLICY_DOC, render
from keten.server.services.policy import policy


def test_policy_doc_is_rendered_from_the_table() -> None:
    assert POLICY_DOC.read_text(encoding="utf-8") == render()


def test_every_role_names_a_purpose_and_only_known_procedures() -> None:
    from keten.catalog.loader import load_catalog

    catalog = load_catalog()
    for role in policy().roles.values():
        assert role.purpose.startswith("urn:keten:verwerking:")
        assert role.procedures <= set(catalog), role.id
        if role.procedures:
            assert role.can("procedure", "write"), role.id
    assert set(policy().queues) == set(catalog)
