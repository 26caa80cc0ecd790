"""A non-editable install works from any directory: templates and themes ship in the wheel."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_renders_from_another_directory(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", tmp_path, ROOT],
        check=True,
    )
    (wheel,) = tmp_path.glob("candidate_cards-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for bundled in ("card.html", "card.css"):
        assert f"candidate_cards/templates/{bundled}" in names
    for bundled in ("dark.toml", "light.toml"):
        assert f"candidate_cards/themes/{bundled}" in names

    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel],
        check=True,
    )
    script = (
        "import candidate_cards, pathlib;"
        "assert 'site-packages' in candidate_cards.__file__, candidate_cards.__file__;"
        "r = candidate_cards.render_cards([{'profileId': 'p', 'name': 'Ada'}], 'light');"
        "print(r.cards[0].profile_id, len(r.html) > 500)"
    )
    out = subprocess.run(
        [python, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["p", "True"]
