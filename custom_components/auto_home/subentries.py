"""Lookups of the household's members and chores (its config subentries)."""

import hashlib

from homeassistant.config_entries import ConfigEntry, ConfigSubentry


def subentries_of(entry: ConfigEntry, subentry_type: str) -> dict[str, ConfigSubentry]:
    """Return the entry's subentries of one type (member or chore), by id."""
    return {
        subentry_id: subentry
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == subentry_type
    }


def anonymize(*parts: str) -> str:
    """Return a stable short hash of an entry's subentry id (or a file name).

    Diagnostics and repair issue ids, which every diagnostics download shows,
    carry it instead of the id itself.
    """
    return hashlib.sha256("".join(parts).encode()).hexdigest()[:8]
