"""A missing optional extra ends in one line naming what to install, never a traceback.

Each case runs the real CLI in a subprocess where the extra's module cannot be imported
(``sys.modules[name] = None``, as if it were not installed).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import FIXTURES

BLOCKED_CLI = (
    "import sys; sys.modules[{module!r}] = None; sys.argv[0] = 'candidate-cards';"
    "from candidate_cards.cli import main; main()"
)


@pytest.mark.parametrize(
    "module, extra, args",
    [
        ("anyio", "serve", ["serve", "--no-auth", "--port", "0"]),
        ("uvicorn", "serve", ["serve", "--no-auth", "--port", "0"]),
        ("starlette", "serve", ["serve", "--no-auth", "--port", "0"]),
        ("watchfiles", "serve", ["preview", "--port", "0"]),
        ("uvicorn", "serve", ["preview", "--port", "0"]),
        ("playwright", "browser", ["report", "sourcing-completed.json", "--pdf", "{tmp}/r.pdf"]),
        ("playwright", "browser", ["render", "render-request.json", "--png", "{tmp}/png"]),
    ],
)
def test_a_missing_extra_is_one_line_naming_it(tmp_path, module, extra, args):
    argv = [arg.format(tmp=tmp_path) for arg in args]
    done = subprocess.run(
        [sys.executable, "-c", BLOCKED_CLI.format(module=module), *argv],
        cwd=FIXTURES,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: The {extra} extra is not installed (no module named {module!r}): "
        f"pip install 'candidate-cards[{extra}]'."
    ]
    assert list(tmp_path.iterdir()) == []  # nothing half-written


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("anyio", "create_app"),
        ("starlette", "create_app"),
        ("orjson", "create_app"),
        ("uvicorn", "serve"),
    ],
)
def test_the_library_raises_missing_extra_naming_it(module, name):
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "from candidate_cards.errors import MissingExtra\n"
        "try:\n"
        f"    from candidate_cards.service import {name}\n"
        "except MissingExtra as exc:\n"
        "    print(exc.extra, exc.message)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == (
        f"serve The serve extra is not installed (no module named {module!r}): "
        "pip install 'candidate-cards[serve]'."
    )
