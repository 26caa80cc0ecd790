"""Find the bundled ``templates/`` and ``themes/`` folders.

In a wheel they sit inside the package; in a source checkout (and an editable install)
they sit at the repository's top level, two folders above this file.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """The folder holding the bundled ``templates`` or ``themes``."""
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"candidate-cards is installed without its {name}/ folder")
