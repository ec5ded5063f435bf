"""The Django server: dossiers, organisations, audit, work queues, UI and API.

It imports the library (``keten.time``, ``keten.catalog``, ``keten.rules`` …); the library never
imports it (import-linter contract in ``pyproject.toml``).
"""
