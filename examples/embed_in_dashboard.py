"""Embed cards in an existing page: they carry their own styles and need none from the host.

python examples/embed_in_dashboard.py > dashboard.html
"""

from __future__ import annotations

import json
from pathlib import Path

from candidate_cards import render_cards

payload = json.loads((Path(__file__).parent / "render-request.json").read_text())
result = render_cards(payload["profiles"], theme="light")

print(f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shortlist — Senior Backend Engineer</title>
  <style>
    /* The host's own styles: they shape the page around the cards, not the cards. */
    body {{ font: 16px/1.6 Georgia, serif; margin: 2rem; background: #fafafa; }}
    .shortlist {{ display: grid; gap: 16px; max-width: 600px; }}
  </style>
</head>
<body>
  <h1>Shortlist</h1>
  <div class="shortlist">
    {"".join(f"<div>{card.html}</div>" for card in result.cards)}
  </div>
</body>
</html>""")
