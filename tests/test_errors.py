"""Every error a user can catch: one module, one code each, public, documented."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import candidate_cards
from candidate_cards import errors


def _all_error_classes() -> list[type[errors.CandidateCardsError]]:
    """Every subclass of CandidateCardsError, after importing every module of the package."""
    for module in pkgutil.walk_packages(candidate_cards.__path__, "candidate_cards."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: list[type[errors.CandidateCardsError]] = [errors.CandidateCardsError]
    for cls in found:
        found.extend(cls.__subclasses__())
    return found


def test_every_error_class_lives_in_errors_and_is_exported():
    for cls in _all_error_classes():
        assert cls.__module__ == "candidate_cards.errors", cls
        assert cls.__name__ in candidate_cards.__all__, cls
        assert getattr(candidate_cards, cls.__name__) is cls


def test_no_two_errors_share_a_code():
    codes = [cls.code for cls in _all_error_classes()]
    assert len(codes) == len(set(codes)), sorted(code for code in codes if codes.count(code) > 1)


def test_the_documented_tree_gives_each_class_its_code_and_status():
    rows = {
        name: (code, int(status))
        for name, code, status in re.findall(
            r"(\w+)\s+([A-Z_]{4,})\s+\(?(\d{3})\)?", inspect.getdoc(errors) or ""
        )
    }
    for cls in _all_error_classes():
        assert rows.get(cls.__name__) == (cls.code, cls.status_code), cls


def test_an_unreadable_input_has_a_code_of_its_own(tmp_path):
    from candidate_cards.inputs import open_input

    try:
        with open_input(str(tmp_path / "nope.json")):
            pass
    except errors.CandidateCardsError as exc:
        assert (exc.code, exc.message) == (
            "INPUT_UNREADABLE",
            f"{tmp_path / 'nope.json'}: no such file",
        )
    else:
        raise AssertionError("a missing input was opened")
