"""Versioned persistence of the household state."""

from typing import Any, TypedDict

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1
# Readings arrive in bursts (a thermometer reports every minute); one write
# per burst keeps SD cards alive.
SAVE_DELAY = 10


class HouseholdData(TypedDict):
    """What is persisted: per-member and per-chore state, keyed by subentry id."""

    members: dict[str, dict[str, Any]]
    chores: dict[str, dict[str, Any]]


def empty_household() -> HouseholdData:
    """Return the state of a household that has recorded nothing yet."""
    return {"members": {}, "chores": {}}


class HouseholdStore(Store[HouseholdData]):
    """Store with migrations for older layouts of the household state."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Initialize the store for one household entry."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
        )

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> HouseholdData:
        """Bring data written by an older version up to date."""
        # Version 1 is the first layout; later versions add their steps here.
        data = empty_household()
        data.update(old_data)
        return data
