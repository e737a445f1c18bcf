"""The household coordinator: owns the state, its persistence and its listeners."""

import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import SUBENTRY_CHORE, SUBENTRY_MEMBER
from .store import SAVE_DELAY, HouseholdData, HouseholdStore

_LOGGER = logging.getLogger(__name__)

type AutoHomeConfigEntry = ConfigEntry[AutoHomeCoordinator]


class AutoHomeCoordinator:
    """Single source of truth for one household.

    Entities subscribe to the key of what they show (a subentry id, or a
    household-wide key) so a change wakes only the entities it concerns.
    """

    def __init__(self, hass: HomeAssistant, entry: AutoHomeConfigEntry) -> None:
        """Initialize the coordinator."""
        self.hass = hass
        self.entry = entry
        self.store = HouseholdStore(hass, entry.entry_id)
        self.data: HouseholdData = {"members": {}, "chores": {}}
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}

    async def async_load(self) -> None:
        """Load the stored state and forget what belongs to removed subentries."""
        if stored := await self.store.async_load():
            self.data = stored
        for key, subentry_type in (
            ("members", SUBENTRY_MEMBER),
            ("chores", SUBENTRY_CHORE),
        ):
            current = {
                subentry_id
                for subentry_id, subentry in self.entry.subentries.items()
                if subentry.subentry_type == subentry_type
            }
            section: dict[str, dict[str, Any]] = self.data[key]  # type: ignore[literal-required]
            for subentry_id in set(section) - current:
                _LOGGER.debug("Dropping state of removed %s %s", key, subentry_id)
                del section[subentry_id]
            for subentry_id in current:
                section.setdefault(subentry_id, {})

    async def async_shutdown(self) -> None:
        """Write pending changes now instead of after the save delay."""
        await self.store.async_save(self.data)

    @callback
    def async_add_listener(self, key: str, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` whenever the state under `key` changes."""
        self._listeners.setdefault(key, []).append(update)

        def remove() -> None:
            self._listeners[key].remove(update)

        return remove

    @callback
    def async_changed(self, *keys: str) -> None:
        """Persist the state (debounced) and tell the listeners of `keys`."""
        self.store.async_delay_save(self._data_to_save, SAVE_DELAY)
        for key in keys:
            for update in list(self._listeners.get(key, ())):
                update()

    @callback
    def _data_to_save(self) -> HouseholdData:
        return self.data
