"""Versioned persistence of the household state."""

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import STORAGE_DIR, Store

from .const import DOMAIN

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1
# Readings arrive in bursts (a thermometer reports every minute); one write
# per burst keeps SD cards alive.
SAVE_DELAY = 10


class HouseholdStore(Store[dict[str, Any]]):
    """The household's state: one section per feature, keyed by subentry id."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Initialize the store for one household entry."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
        )


async def async_remove_files(hass: HomeAssistant, prefix: str) -> None:
    """Delete every store file whose key starts with `prefix`."""
    storage_dir = Path(hass.config.path(STORAGE_DIR))

    def _unlink() -> None:
        for path in storage_dir.glob(f"{prefix}*"):
            path.unlink(missing_ok=True)

    await hass.async_add_executor_job(_unlink)
