"""The status line each benchmark prints per target of issue 15."""


def status(target: str, met: bool, measured: str) -> str:
    """One target's status line: ``target …: MET (measured)`` or ``MISSED``."""
    return f"target {target}: {'MET' if met else 'MISSED'} ({measured})"
