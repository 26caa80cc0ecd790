"""Cards inside an MJML e-mail: your Jinja environment fills shortlist.mjml, MJML compiles it.

    python examples/mjml_shortlist.py examples/render-request.json > shortlist.mjml
    npx mjml shortlist.mjml -o shortlist.html

``candidate_cards.jinja.install`` adds the ``cards`` filter; each card goes into an
``<mj-raw>`` row, which MJML copies untouched, so the cards keep their inline styles.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from candidate_cards import get_theme, load_candidates
from candidate_cards.jinja import install

HERE = Path(__file__).parent


def shortlist_mjml(payload: object, theme: str = "light", intro: str = "") -> str:
    """The MJML source of an e-mail with one card per candidate (at most 10)."""
    env = install(Environment(loader=FileSystemLoader(HERE), autoescape=True))
    loaded = load_candidates(payload)
    colors = get_theme(theme).colors
    return env.get_template("shortlist.mjml").render(
        subject="Your shortlist",
        intro=intro or f"{len(loaded.candidates[:10])} candidates to look at this week.",
        candidates=loaded.candidates[:10],
        theme=theme,
        canvas=colors["canvas"],
        text=colors["text"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payload", type=Path, help="any payload load_candidates reads")
    parser.add_argument("--theme", default="light", help="dark, light or a .toml theme file")
    args = parser.parse_args()
    print(shortlist_mjml(json.loads(args.payload.read_text(encoding="utf-8")), args.theme))


if __name__ == "__main__":
    main()
