"""Fixtures: one live server per test session (per xdist worker) on a fresh database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.server.live import Server, database_env, start
from tests.server.world import World, build


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0")


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp: Path = tmp_path_factory.mktemp("server")
    env = database_env(f"keten_test_{_worker()}", tmp)
    server = start(env)
    # The test process reads the same database (audit records, tokens) through Django.
    for key in ("KETEN_DATABASE_URL", "KETEN_SQLITE_PATH", "KETEN_VAR_DIR"):
        if key in env:
            os.environ[key] = env[key]
    from keten.server.setup import django_setup

    django_setup()
    from rest_framework.authtoken.models import Token

    server.tokens = {t.user.username: t.key for t in Token.objects.select_related("user")}
    yield server
    server.stop()


@pytest.fixture(scope="session")
def today() -> str:
    return date.today().isoformat()


@pytest.fixture(scope="session")
def world(live: Server) -> World:
    return build(live)
