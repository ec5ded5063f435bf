"""``python -m keten`` runs the ``keten`` command."""

from keten.cli import main

main()
