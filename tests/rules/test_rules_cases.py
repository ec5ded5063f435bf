"""The YAML case files: every case, per case and in bulk, against what the source text says.

Expectations in ``tests/rules/cases/*.yaml`` are written from the quoted sentences, never by
running the code. Each case quotes the sentence it tests; the quote must occur in the seed, or,
for an amount published after the seeds, in the publication the parameter file names.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from keten.rules.cases import Case, check_case, check_case_in_bulk, load_case_file
from keten.rules.parameters import default_parameters
from keten.rules.registry import all_rules
from tests.rules.rules_support import CASES_DIR, SEED_NAME, quote_in_seed

CASE_FILES = sorted(CASES_DIR.glob("*.yaml"))
CASES: list[Case] = [case for path in CASE_FILES for case in load_case_file(path)]


def test_every_rule_has_a_case_file_with_three_cases_and_a_boundary() -> None:
    by_rule: dict[str, list[Case]] = {}
    for case in CASES:
        by_rule.setdefault(case.rule_id, []).append(case)
    problems = []
    for rule_id in all_rules():
        cases = by_rule.get(rule_id, [])
        if len(cases) < 3:
            problems.append(f"{rule_id}: {len(cases)} cases, need at least 3")
        if not any(case.boundary for case in cases):
            problems.append(f"{rule_id}: no case marked as a boundary case")
    unknown = sorted(set(by_rule) - set(all_rules()))
    assert not unknown, f"case files for unknown rules: {unknown}"
    assert not problems, "\n".join(problems)


def test_case_files_are_named_after_their_rule() -> None:
    for path in CASE_FILES:
        rule_ids = {case.rule_id for case in load_case_file(path)}
        assert rule_ids == {path.stem}, f"{path.name} holds cases of {rule_ids}"


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_case_quotes_its_source(case: Case) -> None:
    assert len(case.quote) > 20, "quote the sentence the case tests"
    if case.source.startswith("https://"):
        # A yearly amount published outside the seeds: the case quotes the publication as the
        # parameter file records it (tests/rules/test_rules_sources.py holds those to account).
        assert case.quote in published_quotes(case.source), (
            f"no parameter version quotes {case.quote!r} from {case.source}"
        )
        return
    assert SEED_NAME.match(case.source), f"source must be a seed file name: {case.source}"
    assert quote_in_seed(case.quote, case.source), f"quote not found in {case.source}: {case.quote}"


def published_quotes(source: str) -> set[str]:
    return {v.quote or "" for p in default_parameters() for v in p.versions if v.source == source}


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_case_per_case(case: Case) -> None:
    problems = check_case(case)
    assert not problems, f"{Path(case.file).name} / {case.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("case", [c for c in CASES if c.expect is not None],
                         ids=[c.label for c in CASES if c.expect is not None])  # fmt: skip
def test_case_in_bulk(case: Case) -> None:
    problems = check_case_in_bulk(case)
    assert not problems, f"{Path(case.file).name} / {case.name}:\n" + "\n".join(problems)
