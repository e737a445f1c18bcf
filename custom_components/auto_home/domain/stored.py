"""Checks of stored values: a wrong type fails the load, not a later change.

A value that loads but is not what is stored (a null count, a time without
zone) would only fail when it is first used, outside the isolation of the
item it belongs to. These checks make the restore itself fail instead.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any


def integer(value: Any) -> int:
    """Return a stored count; raise TypeError for anything else (booleans too)."""
    if type(value) is not int:
        raise TypeError(f"not an integer: {value!r}")
    return value


def number(value: Any) -> float:
    """Return a stored number; raise TypeError for anything else (booleans too)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    return value


def flag(value: Any) -> bool:
    """Return a stored boolean; raise TypeError for anything else."""
    if not isinstance(value, bool):
        raise TypeError(f"not a boolean: {value!r}")
    return value


def text(value: Any) -> str:
    """Return a stored string; raise TypeError for anything else."""
    if not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value


def optional_text(value: Any) -> str | None:
    """Return a stored string or None."""
    return None if value is None else text(value)


def aware(value: Any) -> datetime:
    """Return a stored time; raise for one that is not ISO 8601 with its zone."""
    at = datetime.fromisoformat(text(value))
    if at.utcoffset() is None:
        raise ValueError(f"a time without zone: {value!r}")
    return at


def optional_aware(value: Any) -> datetime | None:
    """Return a stored time (with its zone) or None."""
    return None if value is None else aware(value)


def counts(value: Any) -> dict[str, int]:
    """Return stored counts by id."""
    if not isinstance(value, Mapping):
        raise TypeError(f"not an object: {value!r}")
    return {text(key): integer(count) for key, count in value.items()}
