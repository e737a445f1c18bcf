"""The household coordinator: owns the state, its persistence and its listeners."""

from functools import partial
import logging
from pathlib import Path
from typing import Any, Protocol

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.storage import STORAGE_DIR

from .chore_feature import ChoreFeature
from .const import DOMAIN, SUBENTRY_MEMBER
from .history import ReadingHistory, async_report_damage, repair_torn_journals
from .recovery import async_load_fitting, async_rebuild, async_report_store_damaged
from .reminders import ReminderFeature
from .signals import Signals
from .store import FeatureStore, HouseholdStore, StoreWriter
from .subentries import subentries_of
from .temperature_feature import TemperatureFeature
from .weight_feature import WeightFeature

_LOGGER = logging.getLogger(__name__)

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


HOUSEHOLD = "household"


def _histories(
    feature: TemperatureFeature | WeightFeature,
) -> dict[str, ReadingHistory]:
    """Return the reading histories of a health feature's members."""
    return {member_id: state.history for member_id, state in feature.members.items()}


class AutoHomeCoordinator:
    """Single source of truth for one household.

    Entities subscribe to the key of what they show (a subentry id, or a
    household-wide key) so a change wakes only the entities it concerns.
    """

    def __init__(self, hass: HomeAssistant, entry: AutoHomeConfigEntry) -> None:
        """Initialize the coordinator."""
        self.hass = hass
        self.entry = entry
        # How the features tell each other what happened (never the bus).
        self.signals = Signals(hass, entry)
        self.temperature = TemperatureFeature(self, entry)
        self.reminders = ReminderFeature(self, entry)
        # Chores start last: the events they catch up on reach the reminders.
        self.chores = ChoreFeature(self, entry)
        self.weight = WeightFeature(self, entry)
        self.features: dict[str, Feature] = {
            feature.key: feature
            for feature in (self.temperature, self.weight, self.reminders, self.chores)
        }
        # The features whose members or chores are isolated when damaged.
        self.isolated: dict[str, TemperatureFeature | WeightFeature | ChoreFeature] = {
            feature.key: feature
            for feature in (self.temperature, self.weight, self.chores)
        }
        self.store = HouseholdStore(hass, entry.entry_id)
        self.writers: dict[str, StoreWriter] = {
            HOUSEHOLD: StoreWriter(hass, entry, self.store, self._household_data)
        }
        # The health features have a store of their own: a reading rewrites a
        # small file, not the household's chores.
        for feature in (self.temperature, self.weight):
            self.writers[feature.key] = StoreWriter(
                hass,
                entry,
                FeatureStore(hass, entry.entry_id, feature.key),
                feature.as_dict,
                partial(_histories, feature),
                # The weight's members are a part of its data; temperature's
                # are all of it.
                members="members" if feature is self.weight else None,
            )
        self._rebuildable = {
            feature.key: feature for feature in (self.temperature, self.weight)
        }
        self._stored: dict[str, Any] = {}
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        # What makes changes (timers, bus listeners): stopped before the last writes.
        self._on_shutdown: list[CALLBACK_TYPE] = []

    async def async_load(self) -> None:
        """Load the stored state into every feature; recover what is damaged."""
        hass = self.hass
        entry_id = self.entry.entry_id
        for damage in await hass.async_add_executor_job(
            repair_torn_journals,
            Path(hass.config.path(STORAGE_DIR)),
            f"{DOMAIN}.{entry_id}.",
        ):
            async_report_damage(hass, entry_id, damage)
        stored, kept = await async_load_fitting(hass, self.store, HOUSEHOLD)
        if kept:
            # Chores' state is in no other file: they start fresh.
            async_report_store_damaged(
                hass, self.store, kept, "household_store_damaged"
            )
        self._stored = stored or {}
        for key, feature in self.features.items():
            if (writer := self.writers.get(key)) is None:
                feature.load(self._stored.get(key, {}))
                continue
            data, kept = await async_load_fitting(hass, writer.store, key)
            if data is None and key in self._stored:
                # Versions before 0.2 kept it in the household store: move it
                # to its own file first, then drop it from the household's.
                data = self._stored[key]
                await writer.store.async_save(data)
            elif data is None:
                # First start, or the file was damaged: the journals tell.
                data, readings = await async_rebuild(
                    hass,
                    entry_id,
                    self._rebuildable[key],
                    subentries_of(self.entry, SUBENTRY_MEMBER),
                )
                if readings:
                    _LOGGER.warning(
                        "Re-indexed %s %s readings from the journals: %s was "
                        "missing or damaged",
                        readings,
                        key,
                        writer.store.key,
                    )
                    writer.async_schedule()
                if kept:
                    async_report_store_damaged(
                        hass,
                        writer.store,
                        kept,
                        "history_store_damaged",
                        readings=str(readings),
                    )
            self._stored.pop(key, None)
            writer.saved = data
            feature.load(data)
        for health in (self.temperature, self.weight):
            await self._async_rebuild_damaged(health)

    async def _async_rebuild_damaged(
        self, feature: TemperatureFeature | WeightFeature
    ) -> None:
        """Start a health feature's damaged members from their journals.

        Not from nothing: the journals hold every reading, so the latest one,
        the count and the trend are back, and a reset keeps them.
        """
        members = subentries_of(self.entry, SUBENTRY_MEMBER)
        if damaged := [
            member_id for member_id in members if member_id in feature.damaged
        ]:
            data, _ = await async_rebuild(
                self.hass, self.entry.entry_id, feature, damaged
            )
            feature.load_rebuilt(data)

    async def async_start(self) -> None:
        """Start the features once the entities exist."""
        for writer in self.writers.values():
            self.entry.async_on_unload(writer.async_write_at_final_write())
        # A set-up that fails after this point never reaches async_shutdown.
        self.entry.async_on_unload(self._async_stop_changes)
        for feature in self.features.values():
            await feature.async_start()
        # Chore reminders follow the chores' own catch-up after a restart.
        await self.reminders.async_start_chores()

    async def async_shutdown(self) -> None:
        """Write the stores with changes now instead of after their delay.

        Timers and listeners stop first: a change they made while the writers
        close would stay in memory only (a phone's "Done" lost, a reminder
        sent again after a reload). Writes in flight finish, and none is tried
        again afterwards: a reload's new coordinator owns the files from here on.
        """
        self._async_stop_changes()
        await self.temperature.async_finish_compaction()
        for writer in self.writers.values():
            await writer.async_close()

    @callback
    def async_on_shutdown(self, func: CALLBACK_TYPE) -> None:
        """Call `func` at shutdown, before the last writes (a timer, a listener)."""
        self._on_shutdown.append(func)

    @callback
    def _async_stop_changes(self) -> None:
        while self._on_shutdown:
            self._on_shutdown.pop()()

    async def async_write_now(self, store: str = HOUSEHOLD) -> None:
        """Write `store` now: what was sent is on disk before it is sent."""
        await self.writers[store].async_write_now()

    @callback
    def async_add_listener(self, key: str, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` whenever the state under `key` changes."""
        self._listeners.setdefault(key, []).append(update)

        def remove() -> None:
            self._listeners[key].remove(update)

        return remove

    @callback
    def async_changed(
        self, *keys: str, store: str | None = HOUSEHOLD, batched: bool = False
    ) -> None:
        """Persist the change to `store` and tell the listeners of `keys`.

        `batched` readings are written with the next batch (StoreWriter);
        `store` None: the change was just written.
        """
        if store is not None:
            self.writers[store].async_schedule(batched=batched)
        for key in keys:
            for update in list(self._listeners.get(key, ())):
                update()

    @callback
    def _household_data(self) -> dict[str, Any]:
        # Sections of features that are not loaded are kept, never dropped.
        return self._stored | {
            key: feature.as_dict()
            for key, feature in self.features.items()
            if key not in self.writers
        }
