"""A non-editable install works from any directory: templates and themes ship in the wheel.

Runs offline inside a user's virtual environment: the wheel is built with the hatchling
the test extra installs (no build isolation, so nothing is downloaded), and the throw-away
environment sees this environment's dependencies, not the base interpreter's.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

from candidate_cards.i18n import LOCALES

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_renders_from_another_directory(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--quiet", "-w", tmp_path, ROOT],
        check=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("candidate_cards-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for bundled in ("card.html", "card.css"):
        assert f"candidate_cards/templates/{bundled}" in names
    for bundled in ("dark.toml", "light.toml"):
        assert f"candidate_cards/themes/{bundled}" in names
    assert "candidate_cards/py.typed" in names  # type checkers read our hints
    assert not any("screenshots" in name for name in names)  # test tooling stays out
    for code in LOCALES[1:]:  # compiled catalogs ship; their .po sources stay in the repo
        assert f"candidate_cards/locales/{code}/LC_MESSAGES/messages.mo" in names
    assert not [name for name in names if name.endswith((".po", ".pot"))]

    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    inner_site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # This environment's dependencies (jinja2, css-inline …) without its editable install:
    # a path a .pth file names is searched, but the .pth files inside it are not run.
    outer = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(inner_site) / "outer-dependencies.pth").write_text("\n".join(sorted(outer)) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--no-index", wheel],
        check=True,
    )  # fmt: skip
    script = (
        "import candidate_cards;"
        "r = candidate_cards.render_cards([{'profileId': 'p', 'name': 'Ada'}], 'light');"
        "s = candidate_cards.render_cards([{'profileId': 'p', 'name': 'Ada', 'matchScore': 87.5,"
        " 'skills': [str(i) for i in range(11)]}], 'light', locale='sk');"
        "print(candidate_cards.__file__, r.cards[0].profile_id, len(r.html) > 500,"
        " '87,5' in s.html and '+3&nbsp;ďalšie&nbsp;zručnosti' in s.html)"
    )
    out = subprocess.run(
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    installed_at, profile_id, rendered, slovak = out.stdout.split()
    assert Path(installed_at).is_relative_to(inner_site)  # the wheel, not this checkout
    assert (profile_id, rendered, slovak) == ("p", "True", "True")
