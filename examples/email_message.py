"""Build a multipart/alternative e-mail (text + HTML) from a payload and save it as .eml.

    python examples/email_message.py examples/render-request.json -o shortlist.eml

Any payload ``load_candidates`` reads works; the first 10 candidates are rendered in the
payload's theme (or ``--theme``). Open the .eml in a mail client, or send it with smtplib.
"""

from __future__ import annotations

import argparse
import json
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from candidate_cards import load_candidates, render_email


def build_message(
    payload: object, theme: str | None = None, *, sender: str, to: str
) -> EmailMessage:
    """A message whose text/plain and text/html parts show the same candidates."""
    loaded = load_candidates(payload)
    request_theme = payload.get("theme") if isinstance(payload, dict) else None
    document = render_email(loaded.candidates[:10], theme or request_theme or "dark")
    message = EmailMessage()
    message["Subject"] = document.subject
    message["From"] = sender
    message["To"] = to
    message.set_content(document.text)
    message.add_alternative(document.html, subtype="html")
    return message


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payload", type=Path, help="a JSON payload with candidates")
    parser.add_argument("-o", "--output", type=Path, default=Path("shortlist.eml"))
    parser.add_argument("--theme", help="dark or light (default: the payload's, else dark)")
    parser.add_argument("--from", dest="sender", default="Sourcing <sourcing@example.com>")
    parser.add_argument("--to", default="Hiring team <hiring@example.com>")
    args = parser.parse_args()
    payload = json.loads(args.payload.read_text(encoding="utf-8"))
    message = build_message(payload, args.theme, sender=args.sender, to=args.to)
    args.output.write_bytes(message.as_bytes(policy=SMTP))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
