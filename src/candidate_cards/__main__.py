"""``python -m candidate_cards``."""

from .cli import main

main()
