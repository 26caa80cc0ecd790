"""Render every bundled example payload in both themes, one HTML page per payload and theme.

python examples/render_examples.py [OUT_DIR]      # default: examples/out
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from candidate_cards import MAX_PROFILES, get_theme, load_candidates, render_cards

HERE = Path(__file__).parent
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="margin:0;padding:24px 12px;background:{canvas}">
<div style="max-width:600px;margin:0 auto">{cards}</div></body></html>
"""


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for payload_file in sorted(HERE.glob("*.json")):
        candidates = load_candidates(json.loads(payload_file.read_text())).candidates
        for theme in ("dark", "light"):
            result = render_cards(candidates[:MAX_PROFILES], theme)
            spaced = '<div style="height:16px"></div>'.join(c.html for c in result.cards)
            page = PAGE.format(
                title=f"{payload_file.stem} ({theme})",
                canvas=get_theme(theme).colors["canvas"],
                cards=spaced,
            )
            target = out_dir / f"{payload_file.stem}-{theme}.html"
            target.write_text(page, encoding="utf-8")
            print(f"{target}: {len(result.cards)} cards")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "out")
