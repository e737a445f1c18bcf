"""Versioned persistence of the household state."""

from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import STORAGE_DIR, Store

from .const import DOMAIN

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1
# Changes a person makes (a chore done, a setting) are written within seconds.
SAVE_DELAY = 10
# Readings are written at most this often: a thermometer that reports every
# minute would otherwise rewrite the household's files every minute, wearing
# out SD cards. A clean stop writes them at once; a power cut loses at most
# this much of Auto Home's own history (the recorder keeps the sensors').
READING_SAVE_DELAY = 3600


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
