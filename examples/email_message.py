"""Build a complete, sendable e-mail (text + HTML, Date, Message-ID) and save it as .eml.

    python examples/email_message.py examples/render-request.json -o shortlist.eml

Any payload ``load_candidates`` reads works, with 1 to 10 candidates (a message is one
shortlist: for more, write a report with ``candidate-cards report``). The cards use the
payload's theme, or ``--theme``. Open the .eml in a mail client, or send the message with
``smtplib.SMTP.send_message``. Bad input is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from email.message import EmailMessage
from pathlib import Path

from candidate_cards import CandidateCardsError, TooManyProfiles, load_candidates, render_email

MAX_CANDIDATES = 10


def build_message(
    payload: object, theme: str | None = None, *, sender: str, to: str
) -> EmailMessage:
    """A message whose text/plain and text/html parts show the same candidates.

    Refuses more than 10 candidates rather than silently sending the first 10.
    """
    loaded = load_candidates(payload)
    if len(loaded.candidates) > MAX_CANDIDATES:
        raise TooManyProfiles(
            f"{len(loaded.candidates)} candidates; one e-mail shows at most {MAX_CANDIDATES}. "
            "Pick the ones to send, or write a report of them all with: candidate-cards report"
        )
    document = render_email(loaded.candidates, theme or loaded.theme or "dark")
    return document.as_message(sender=sender, to=to)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("payload", type=Path, help="a JSON payload with 1 to 10 candidates")
    parser.add_argument("-o", "--output", type=Path, default=Path("shortlist.eml"))
    parser.add_argument("--theme", help="dark or light (default: the payload's, else dark)")
    parser.add_argument("--from", dest="sender", default="Sourcing <sourcing@example.com>")
    parser.add_argument("--to", default="Hiring team <hiring@example.com>")
    args = parser.parse_args()
    try:
        payload = json.loads(args.payload.read_text(encoding="utf-8"))
    except OSError as exc:
        sys.exit(f"error: {args.payload}: cannot be read ({exc.strerror})")
    except ValueError as exc:
        sys.exit(f"error: {args.payload}: not a JSON payload ({exc})")
    try:
        message = build_message(payload, args.theme, sender=args.sender, to=args.to)
    except CandidateCardsError as exc:
        sys.exit(f"error: {args.payload}: {exc.message}")
    try:
        args.output.write_bytes(bytes(message))
    except OSError as exc:
        sys.exit(f"error: {args.output}: cannot be written ({exc.strerror})")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
