"""Keten: the Dutch asylum and migration chain as open software.

The library (everything except ``keten.server``) is pure Python and never imports the web
server; the boundary is checked by import-linter (see ``pyproject.toml``).
"""

__version__ = "0.1.0"
