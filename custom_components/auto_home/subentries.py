"""Lookups of the household's members and chores (its config subentries)."""

from homeassistant.config_entries import ConfigEntry, ConfigSubentry


def subentries_of(entry: ConfigEntry, subentry_type: str) -> dict[str, ConfigSubentry]:
    """Return the entry's subentries of one type (member or chore), by id."""
    return {
        subentry_id: subentry
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == subentry_type
    }
