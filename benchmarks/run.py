"""Time the rendering paths side by side, print a table and each target's status.

    python benchmarks/run.py [--rounds 1000]

Every pipeline renders the same 10 realistic candidates (the first 10 of
examples/sourcing-results.json); they differ in what they start from and how the HTML gets
its styles:

* floor — a bare Jinja render of a *typical* class-styled card template,
  ``benchmarks/typical_card.html``: our card's markup and classes with ``card.css`` in a
  ``<style>`` block, written the usual way, its logic (slices, counts, truncation, score
  bands) in the template, Jinja's own filters and autoescaping. It renders pre-built data,
  the candidate dicts as parsed: no validation, no views, no break opportunities, no text
  checks. Not e-mail-safe;
* floor + premailer / + css-inline — that output inlined on every call, the usual way;
* render_cards — ours, from the API's JSON dicts: validation, views, the template inlined
  once per theme at load time;
* render_email — ours: the same 10 cards in the e-mail document (inlined once per theme
  by premailer) plus its plain-text part;
* render_cards in Slovak — ours, ``locale="sk"``: labels were looked up when the template
  was compiled and phrases are cached per count, so it should cost what English does
  (the line after the table compares the two).

Calls are interleaved (one of each per round, in a shuffled order) so machine noise and
cache effects hit all alike. Also prints import times (child CPU, over a bare interpreter):
``import candidate_cards`` alone, importing what a render needs, and, for reference, that
plus a first render (pydantic and Jinja load, the theme's template compiles: the price of
the first call) and the two libraries a render cannot do without.
Ends with one status line per target (met or missed, with the measured figure).
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
from targets import status  # noqa: E402 (beside this script)

from candidate_cards import get_theme, render_cards, render_email  # noqa: E402
from candidate_cards.cards import CARD_STYLESHEET  # noqa: E402
from candidate_cards.templates import themed_source  # noqa: E402
from candidate_cards.themes import Theme  # noqa: E402

if TYPE_CHECKING:
    from jinja2 import Template

logging.getLogger("CSSUTILS").setLevel(logging.CRITICAL)


#: The targets of issue 15: (pipeline, largest ratio to the floor).
TARGETS = {
    "render_cards (inlined at load)": 0.7,
    "render_email (+ document, text)": 1.1,
}
IMPORT_TARGET_MS = 120.0


#: The floor's template: typical_card.html, beside this script.
TYPICAL_TEMPLATE = "typical_card.html"


def typical_template(theme: Theme) -> Template:
    """A typical class-styled card template (``typical_card.html``) with ``card.css`` in a
    ``<style>`` block: plain autoescaping Jinja with its own filters, reading the API's
    candidate dict. Not e-mail-safe: the floor the benchmarks measure the real path against.
    """
    from jinja2 import Environment

    css = themed_source(CARD_STYLESHEET, theme)
    source = themed_source(TYPICAL_TEMPLATE, theme, overrides=str(ROOT / "benchmarks"))
    markup = re.sub(r">\s*\n\s*<", "><", source.strip())
    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return env.from_string(f"<style>{css}</style>{markup}")


Paths = dict[str, Callable[[], str]]


def pipelines(profiles: list[dict], theme_name: str) -> tuple[Paths, Paths]:
    """The paths the targets compare (floor first) and the per-call inliner references,
    each a function of no arguments returning HTML."""
    theme = get_theme(theme_name)
    floor_template = typical_template(theme)
    inliner = css_inline.CSSInliner(minify_css=True)

    def floor() -> str:  # from the dicts as parsed: nothing validated, no views
        return "\n".join(floor_template.render(cand=profile) for profile in profiles)

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

    compared = {
        "floor: bare Jinja, typical template": floor,
        "render_cards (inlined at load)": ours,
        "render_email (+ document, text)": ours_email,
        "render_cards, locale sk": ours_slovak,
    }
    references = {
        "floor + premailer per call": with_premailer,
        "floor + css-inline per call": with_css_inline,
    }
    return compared, references


def measure(paths: Paths, rounds: int) -> dict[str, list[float]]:
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
    "reference: that, then a first one-card render": (
        "from candidate_cards import render_cards; render_cards([{'profileId': 'p', 'name': 'N'}])"
    ),
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
    parser.add_argument("--reference-rounds", type=int, default=20)
    parser.add_argument("--theme", default="dark")
    args = parser.parse_args()

    payload = json.loads((ROOT / "examples" / "sourcing-results.json").read_text())
    profiles = payload["candidates"][:10]
    compared, references = pipelines(profiles, args.theme)
    # The inliners run in a pass of their own: their garbage would tax the compared paths.
    times = measure(compared, args.rounds) | measure(references, args.reference_rounds)
    python = sys.version.split()[0]
    print(
        f"10 cards, {args.theme} theme, {args.rounds} interleaved rounds "
        f"({args.reference_rounds} for the inliners), Python {python}"
    )
    print(table(times, next(iter(compared))))
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
    floor = statistics.median(times[next(iter(compared))])
    for name, limit in TARGETS.items():
        ratio = statistics.median(times[name]) / floor
        print(status(f"{name.split()[0]} ≤ {limit}× floor", ratio <= limit, f"{ratio:.2f}×"))
    render_import = imported["from candidate_cards import render_cards"]
    print(
        status(
            f"from candidate_cards import render_cards ≤ {IMPORT_TARGET_MS:.0f} ms",
            render_import <= IMPORT_TARGET_MS,
            f"{render_import:.0f} ms",
        )
    )


if __name__ == "__main__":
    main()
