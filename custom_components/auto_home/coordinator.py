"""The household coordinator: owns the state, its persistence and its listeners."""

from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .chore_feature import ChoreFeature
from .reminders import ReminderFeature
from .store import SAVE_DELAY, HouseholdStore
from .temperature_feature import TemperatureFeature
from .weight_feature import WeightFeature

type AutoHomeConfigEntry = ConfigEntry[AutoHomeCoordinator]


class Feature(Protocol):
    """One part of the household state (temperature, weight, chores).

    A feature owns the section of the store named by `key`; the coordinator
    loads, saves and starts it.
    """

    key: str

    def load(self, data: dict[str, Any]) -> None:
        """Restore the feature from its stored section (empty on first start)."""

    def as_dict(self) -> dict[str, Any]:
        """Return the feature's section for the store."""

    async def async_start(self) -> None:
        """Start listening to sources and timers."""

    async def async_stop(self) -> None:
        """Write what is pending outside the household store."""


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
        self.temperature = TemperatureFeature(self, entry)
        self.reminders = ReminderFeature(self, entry)
        # Chores start last: the events they catch up on reach the reminders.
        self.chores = ChoreFeature(self, entry)
        self.weight = WeightFeature(self, entry)
        self.features: dict[str, Feature] = {
            feature.key: feature
            for feature in (self.temperature, self.weight, self.reminders, self.chores)
        }
        self._stored: dict[str, Any] = {}
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        # Event-loop time of the pending write, None when there is none.
        self._save_at: float | None = None

    async def async_load(self) -> None:
        """Load the stored state into every feature."""
        self._stored = await self.store.async_load() or {}
        for key, feature in self.features.items():
            feature.load(self._stored.get(key, {}))

    async def async_start(self) -> None:
        """Start the features once the entities exist."""
        for feature in self.features.values():
            await feature.async_start()
        # Chore reminders follow the chores' own catch-up after a restart.
        await self.reminders.async_start_chores()

    async def async_shutdown(self) -> None:
        """Write pending changes now instead of after the save delay."""
        for feature in self.features.values():
            await feature.async_stop()
        await self.store.async_save(self._data_to_save())

    @callback
    def async_add_listener(self, key: str, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` whenever the state under `key` changes."""
        self._listeners.setdefault(key, []).append(update)

        def remove() -> None:
            self._listeners[key].remove(update)

        return remove

    @callback
    def async_changed(self, *keys: str, save_delay: float = SAVE_DELAY) -> None:
        """Persist the state within `save_delay` s and tell the listeners of `keys`.

        A pending write that is due sooner stays as it is: a stream of changes
        never postpones it (Store alone would move it after the last change).
        """
        when = self.hass.loop.time() + save_delay
        if self._save_at is None or when < self._save_at:
            self._save_at = when
            self.store.async_delay_save(self._data_to_save, save_delay)
        for key in keys:
            for update in list(self._listeners.get(key, ())):
                update()

    @callback
    def _data_to_save(self) -> dict[str, Any]:
        # Called as the store writes: later changes need a write of their own.
        self._save_at = None
        # Sections of features that are not loaded are kept, never dropped.
        return self._stored | {
            key: feature.as_dict() for key, feature in self.features.items()
        }
