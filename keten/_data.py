"""Where the data files shipped with Keten live.

In a checkout (and an editable install) they are the repository's ``data/`` folder; in a wheel
they are copied to ``keten/_data`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
Provenance of every file is in ``data/README.md``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "data", here / "_data"):
        if (candidate / "README.md").is_file():
            return candidate
    raise FileNotFoundError(
        "Keten's data folder is missing: expected data/README.md next to the keten package "
        "(checkout) or keten/_data (wheel)"
    )


def data_path(*parts: str) -> Path:
    path = data_dir().joinpath(*parts)
    if not path.is_file():
        raise FileNotFoundError(f"data file not found: {path}")
    return path
