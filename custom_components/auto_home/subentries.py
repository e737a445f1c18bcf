"""Lookups of the household's members and chores (its config subentries)."""

from collections.abc import Mapping
from datetime import date
import hashlib
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry

from .const import CONF_AGE_GROUP, CONF_BIRTH_DATE, CONF_HEIGHT_MEASURED_ON, CONF_SEX
from .domain.growth import Sex, months_old
from .domain.temperature import AgeGroup, age_group_for


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


def age_group_of(data: Mapping[str, Any], today: date) -> AgeGroup:
    """Return a member's age group today: from the birth date, else as set."""
    if birth := birth_date_of(data):
        return age_group_for(birth, today)
    return AgeGroup(data.get(CONF_AGE_GROUP, AgeGroup.ADULT))


def birth_date_of(data: Mapping[str, Any]) -> date | None:
    """Return a member's birth date, if set."""
    birth = data.get(CONF_BIRTH_DATE)
    return date.fromisoformat(birth) if birth else None


def height_measured_on_of(data: Mapping[str, Any]) -> date | None:
    """Return the day the member's height was measured, if given."""
    measured = data.get(CONF_HEIGHT_MEASURED_ON)
    return date.fromisoformat(measured) if measured else None


def months_of(data: Mapping[str, Any], today: date) -> int | None:
    """Return a member's age in completed months, None without a birth date."""
    birth = birth_date_of(data)
    return None if birth is None or birth > today else months_old(birth, today)


def sex_of(data: Mapping[str, Any]) -> Sex:
    """Return the sex the WHO tables are read with (NOT_GIVEN if unset)."""
    return Sex(data.get(CONF_SEX, Sex.NOT_GIVEN))
