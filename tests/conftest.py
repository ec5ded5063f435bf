"""Shared test helpers."""

from __future__ import annotations

import os
import re
import time
from functools import cache
from pathlib import Path

# The server's day is the Netherlands' (settings.TIME_ZONE; Django sets the process's TZ when
# it loads them). The tests compute "today" too, some at import: they must count in the same
# zone, or for an hour after midnight in Amsterdam the two disagree by a day.
os.environ["TZ"] = "Europe/Amsterdam"
time.tzset()

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "data" / "seeds"


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed_texts(name: str) -> tuple[str, str]:
    """A seed document, whitespace-normalised, as printed and with line-end hyphens joined."""
    raw = (SEEDS / name).read_text(encoding="utf-8")
    return normalise(raw), normalise(re.sub(r"-\s*\n\s*", "", raw))


def in_seed(name: str, quote: str) -> bool:
    q = normalise(quote)
    return any(q in text for text in seed_texts(name))


# -- In CI a skipped test is a test that did not run: CI starts every service, so none may skip.
import pytest  # noqa: E402

_unexpected_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and os.environ.get("CI") == "true":
        reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
        _unexpected_skips.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _unexpected_skips and not hasattr(session.config, "workerinput"):
        print("\nCI=true: these tests were skipped and so did not prove anything:")
        for line in _unexpected_skips[:20]:
            print(f"  {line}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The API contract run's figures (``tests/server/test_contract.py``), one line per
    account, in every run's output: CI's log shows what the run covered, not only that it
    passed. Here, not in ``tests/server``: under xdist only this conftest is loaded by the
    process that writes the summary; the figures come to it with each test's report."""
    lines = {
        str(value)
        for reports in terminalreporter.stats.values()
        for report in reports
        if isinstance(report, pytest.TestReport)
        for name, value in report.user_properties
        if name == "contract"
    }
    if lines:
        terminalreporter.write_sep("=", "API contract (schemathesis)")
        for line in sorted(lines):
            terminalreporter.write_line(line)
