"""Lookups of the household's members and chores (its config subentries)."""

from collections.abc import Mapping
from datetime import date, datetime
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


class SubentryNames:
    """The household's members and chores by type and folded name.

    Built again only when the entry changed: Home Assistant replaces its
    subentries mapping on an add or a delete and stamps `modified_at` on every
    change, a rename included (it renames a subentry in place), so a call by
    name does not look through 310 subentries each time.
    """

    __slots__ = ("_by_name", "_modified_at", "_subentries")

    def __init__(self) -> None:
        """Start with nothing indexed."""
        self._subentries: Mapping[str, ConfigSubentry] | None = None
        self._modified_at: datetime | None = None
        self._by_name: dict[tuple[str, str], list[ConfigSubentry]] = {}

    def named(
        self, entry: ConfigEntry, subentry_type: str, name: str
    ) -> list[ConfigSubentry]:
        """Return the subentries of a type whose title folds to `name`'s."""
        if (
            self._subentries is not entry.subentries
            or self._modified_at != entry.modified_at
        ):
            self._subentries, self._modified_at = entry.subentries, entry.modified_at
            by_name: dict[tuple[str, str], list[ConfigSubentry]] = {}
            for subentry in entry.subentries.values():
                key = (subentry.subentry_type, subentry.title.casefold())
                by_name.setdefault(key, []).append(subentry)
            self._by_name = by_name
        return self._by_name.get((subentry_type, name.casefold()), [])

    def forget(self) -> None:
        """Build the index again on the next call (the entry was updated)."""
        self._subentries = None


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
