"""Time the rendering paths side by side and print a table.

    python benchmarks/run.py [--rounds 1000]

Every pipeline renders the same 10 realistic candidates (the first 10 of
examples/sourcing-results.json) from the API's JSON dicts, so each includes validation and
view building; they differ only in how the HTML gets its styles:

* floor — the card markup with classes and a <style> block, rendered by Jinja: the
  cheapest way to produce this markup at all (not e-mail-safe);
* floor + premailer / + css-inline — that output inlined on every call, the usual way;
* render_cards — ours: the template was inlined once per theme, at load time;
* render_email — ours: the same 10 cards in the e-mail document (inlined once per theme
  by premailer) plus its plain-text part;
* render_cards in Slovak — ours, ``locale="sk"``: labels were looked up when the template
  was compiled and phrases are cached per count, so it should cost what English does
  (the line after the table compares the two).

Calls are interleaved (one of each per round, in a shuffled order) so machine noise and
cache effects hit all alike. Also prints import times (child CPU, over a bare interpreter):
``import candidate_cards`` alone, importing what a render needs, and, for reference, the
two libraries a render cannot do without (pydantic for the models, Jinja for templates).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import css_inline  # noqa: E402
import premailer  # noqa: E402

from candidate_cards import get_theme, render_cards, render_email  # noqa: E402
from candidate_cards.cards import CARD_STYLESHEET, CARD_TEMPLATE, validate_profiles  # noqa: E402
from candidate_cards.templates import render_env, themed_source  # noqa: E402
from candidate_cards.themes import Theme  # noqa: E402
from candidate_cards.view import card_view  # noqa: E402

if TYPE_CHECKING:
    from jinja2 import Template

logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)


def compile_with_stylesheet(name: str, css_name: str, theme: Theme) -> Template:
    """The card markup with classes and a ``<style>`` block, not inlined.

    Not e-mail-safe: it is the floor the benchmarks measure the inlined path against.
    """
    css = themed_source(css_name, theme)
    markup = re.sub(r">\s*\n\s*<", "><", themed_source(name, theme).strip())
    return render_env().from_string(f"<style>{css}</style>{markup}")


def pipelines(profiles: list[dict], theme_name: str) -> dict[str, Callable[[], str]]:
    """The rendering paths to compare, each a function of no arguments returning HTML."""
    theme = get_theme(theme_name)
    floor_template = compile_with_stylesheet(CARD_TEMPLATE, CARD_STYLESHEET, theme)
    inliner = css_inline.CSSInliner(minify_css=True)

    def floor() -> str:
        views = [card_view(c) for c in validate_profiles(profiles)]
        return "\n".join(floor_template.render(card=view) for view in views)

    def with_premailer() -> str:
        return premailer.transform(floor(), allow_network=False, disable_validation=True)

    def with_css_inline() -> str:
        return inliner.inline_fragment(floor(), "")

    def ours() -> str:
        return render_cards(profiles, theme).html

    def ours_email() -> str:
        return render_email(profiles, theme).html

    def ours_slovak() -> str:
        return render_cards(profiles, theme, locale="sk").html

    return {
        "floor: Jinja, class-based markup": floor,
        "floor + premailer per call": with_premailer,
        "floor + css-inline per call": with_css_inline,
        "render_cards (inlined at load)": ours,
        "render_email (+ document, text)": ours_email,
        "render_cards, locale sk": ours_slovak,
    }


def measure(paths: dict[str, Callable[[], str]], rounds: int) -> dict[str, list[float]]:
    """Milliseconds per call for each path, interleaved round by round in a shuffled order.

    Shuffling matters: a call that follows premailer or css-inline runs with cold caches
    and pending garbage collection, so a fixed order would tax whichever path comes next.
    """
    for path in paths.values():
        path()
    times: dict[str, list[float]] = {name: [] for name in paths}
    order = list(paths.items())
    shuffle = random.Random(8).shuffle
    for _ in range(rounds):
        shuffle(order)
        for name, path in order:
            start = time.perf_counter()
            path()
            times[name].append((time.perf_counter() - start) * 1000)
    return times


#: What the import benchmark runs, each in a fresh interpreter.
IMPORTS = {
    "import candidate_cards": "import candidate_cards",
    "from candidate_cards import render_cards": "from candidate_cards import render_cards",
    "reference: from pydantic import BaseModel": "from pydantic import BaseModel",
    "reference: import jinja2": "import jinja2",
}


def import_time(runs: int = 21) -> tuple[dict[str, float], float]:
    """Median CPU milliseconds of each of ``IMPORTS`` over a bare interpreter, and the bare one.

    Each round starts a bare interpreter and then one per import, back to back, and the
    difference is taken within the round, so drift in the machine's load cancels out.
    """

    def cpu_ms(code: str) -> float:
        child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT / "src")
        _, status, usage = os.wait4(child.pid, 0)
        if status:
            sys.exit(f"{code!r} failed")
        return (usage.ru_utime + usage.ru_stime) * 1000

    bare_samples: list[float] = []
    extra: dict[str, list[float]] = {label: [] for label in IMPORTS}
    for _ in range(runs):
        bare = cpu_ms("pass")
        bare_samples.append(bare)
        for label, code in IMPORTS.items():
            extra[label].append(cpu_ms(code) - bare)
    medians = {label: statistics.median(samples) for label, samples in extra.items()}
    return medians, statistics.median(bare_samples)


def table(times: dict[str, list[float]], floor_name: str) -> str:
    floor = statistics.median(times[floor_name])
    lines = [f"{'pipeline':<34} {'median ms':>10} {'p95 ms':>8} {'× floor':>8}"]
    for name, samples in times.items():
        median = statistics.median(samples)
        p95 = statistics.quantiles(samples, n=20)[-1]
        lines.append(f"{name:<34} {median:>10.3f} {p95:>8.3f} {median / floor:>8.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--theme", default="dark")
    args = parser.parse_args()

    payload = json.loads((ROOT / "examples" / "sourcing-results.json").read_text())
    profiles = payload["candidates"][:10]
    paths = pipelines(profiles, args.theme)
    times = measure(paths, args.rounds)
    python = sys.version.split()[0]
    print(f"10 cards, {args.theme} theme, {args.rounds} interleaved rounds, Python {python}")
    print(table(times, next(iter(paths))))
    premailer_ms = statistics.median(times["floor + premailer per call"])
    for name in ("render_cards (inlined at load)", "render_email (+ document, text)"):
        ours = statistics.median(times[name])
        print(
            f"{name.split()[0]} is {premailer_ms / ours:.0f}× faster than premailer per call; "
            f"{1000 / ours:,.0f} ten-card renders/s on one core"
        )
    english = statistics.median(times["render_cards (inlined at load)"])
    slovak = statistics.median(times["render_cards, locale sk"])
    print(
        f"render_cards in sk costs {slovak / english:.2f}× en "
        f"({slovak:.3f} ms vs {english:.3f} ms per ten cards)"
    )
    imported, bare = import_time()
    for label, ms in imported.items():
        print(f"{label}: {ms:.0f} ms CPU (bare interpreter start {bare:.0f} ms)")


if __name__ == "__main__":
    main()
