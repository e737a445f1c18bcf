"""The household coordinator: owns the state, its persistence and its listeners."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
import logging
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.storage import STORAGE_DIR

from .away_feature import AwayFeature
from .chore_feature import CHORES, ChoreFeature, assignee_key
from .const import AGE_GOVERNED, DOMAIN, SUBENTRY_CHORE, SUBENTRY_MEMBER
from .dose_feature import DoseFeature
from .feature import HouseholdFeature
from .growth_feature import GrowthFeature
from .history import ReadingHistory, async_report_damage, repair_torn_journals
from .options import HouseholdOptions
from .recovery import async_load_fitting, async_rebuild, async_report_store_damaged
from .reminders import ReminderFeature
from .signals import Signals
from .store import FeatureStore, HouseholdStore, JsonParts, StoreWriter
from .subentries import SubentryNames, subentries_of
from .temperature_feature import TemperatureFeature
from .weight_feature import WeightFeature, weight_key

_LOGGER = logging.getLogger(__name__)

type AutoHomeConfigEntry = ConfigEntry[AutoHomeCoordinator]
# A platform's entities of one member or chore (none for the other kind).
type EntityFactory = Callable[[AutoHomeCoordinator, ConfigSubentry], list[Entity]]


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
        self.options = HouseholdOptions.from_options(entry.options)
        # What makes changes (timers, bus listeners): stopped before the last writes.
        self._on_shutdown: list[CALLBACK_TYPE] = []
        # How the features tell each other what happened (never the bus).
        self.signals = Signals(hass, entry)
        self.temperature = TemperatureFeature(self, entry)
        self.reminders = ReminderFeature(self, entry)
        # Chores start last: the events they catch up on reach the reminders.
        self.chores = ChoreFeature(self, entry)
        self.weight = WeightFeature(self, entry)
        # Stores nothing: not one of `features`, loaded and started on its own.
        self.growth = GrowthFeature(self, entry)
        # Loaded before the chores: their turns pass over who is away.
        self.away = AwayFeature(self, entry)
        # After the temperature: a dose reminder asks whether the fever persists.
        self.doses = DoseFeature(self, entry)
        self.features: dict[str, HouseholdFeature] = {
            feature.key: feature
            for feature in (
                self.away,
                self.temperature,
                self.weight,
                self.reminders,
                self.chores,
                self.doses,
            )
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
        # The chores in the household file: {"data": {"chores": {id: ...}}}.
        self._chores_json = JsonParts(depth=3)
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}
        # Told the keys of every change (the card's subscriptions).
        self._change_listeners: list[Callable[[tuple[str, ...]], None]] = []
        # The subentries and options as last applied, to tell what an update changed.
        self._seen = _Seen.of(entry)
        self._applying = asyncio.Lock()
        self._platforms: list[_Platform] = []
        # Members and chores by name, for the actions called by name.
        self.names = SubentryNames()

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
                # Written from the feature from here on: the loaded section
                # (the chores' histories, megabytes) is not kept beside it.
                feature.load(self._stored.pop(key, {}))
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
        await self.growth.async_load_tables()

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
        await self.growth.async_start()
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
    def async_add_change_listener(
        self, update: Callable[[tuple[str, ...]], None]
    ) -> CALLBACK_TYPE:
        """Call `update` with the keys of every change (none: a write only)."""
        self._change_listeners.append(update)
        return lambda: self._change_listeners.remove(update)

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
        for changed in list(self._change_listeners):
            changed(keys)

    @callback
    def _household_data(self) -> dict[str, Any]:
        # Sections of no feature (a newer version's) are kept, never dropped.
        chores = self.chores.key
        data = self._stored | {
            key: feature.as_dict()
            for key, feature in self.features.items()
            if key not in self.writers and key != chores
        }
        data[chores] = self._chores_json.of(self.chores.stored_parts())
        return data

    @callback
    def async_add_entity_factory(
        self,
        domain: str,
        add_entities: AddConfigEntryEntitiesCallback,
        factory: EntityFactory,
    ) -> None:
        """Add a platform's entities of every member and chore, now and later.

        A member or chore added while the household runs gets its entities at
        once; one whose settings change gets the entities it now has (its BMI
        once it has a height) and loses those it no longer has.
        """
        platform = _Platform(domain, add_entities, factory)
        self._platforms.append(platform)
        for subentry in self.entry.subentries.values():
            platform.async_add(self, subentry)

    async def async_entry_updated(self) -> None:
        """Apply what an update of the entry changed: only that, without a reload.

        Home Assistant calls the update listeners of every change of the entry
        (a subentry added, changed or deleted, the options, the title); each
        change is applied once, in order, to the features and entities it concerns.
        """
        self.names.forget()
        async with self._applying:
            seen, self._seen = self._seen, _Seen.of(self.entry)
            if seen.data != self._seen.data:
                # Nothing of the household reads it: a title change is the
                # entry's own. Anything else new is safest with a reload.
                self.hass.config_entries.async_schedule_reload(self.entry.entry_id)
                return
            # The snapshot, not the live entry: a change landing while this
            # one awaits is the next call's to apply, and is applied once.
            for subentry_id, (subentry_type, _, _) in seen.subentries.items():
                if subentry_id not in self._seen.subentries:
                    await self._async_removed(subentry_id, subentry_type)
            for subentry_id, now in self._seen.subentries.items():
                if (subentry := self.entry.subentries.get(subentry_id)) is None:
                    # Deleted meanwhile: the next call removes it.
                    continue
                if (before := seen.subentries.get(subentry_id)) is None:
                    await self._async_added(subentry)
                elif before != now:
                    await self._async_changed(subentry, before)
            if seen.options != self._seen.options:
                before_options, self.options = (
                    self.options,
                    HouseholdOptions.from_options(self.entry.options),
                )
                for feature in self._in_order():
                    await feature.async_options_changed(before_options)

    def _in_order(self) -> list[HouseholdFeature]:
        """Return the features in the order a new member or chore reaches them.

        Reminders come after the chores: a new chore's reminder needs its plan.
        """
        return [
            self.away,
            self.temperature,
            self.weight,
            self.growth,
            self.chores,
            self.reminders,
            self.doses,
        ]

    async def _async_added(self, subentry: ConfigSubentry) -> None:
        for feature in self._in_order():
            await feature.async_subentry_added(subentry)
        for platform in self._platforms:
            platform.async_add(self, subentry)

    async def _async_changed(
        self, subentry: ConfigSubentry, seen: tuple[str, str, dict[str, Any]]
    ) -> None:
        _, title, before = seen
        for feature in self._in_order():
            await feature.async_subentry_changed(subentry, before)
        for platform in self._platforms:
            platform.async_refresh(self, subentry)
        device_registry = dr.async_get(self.hass)
        if (
            device := device_registry.async_get_device_by_identifier(
                (DOMAIN, subentry.subentry_id), self.entry.entry_id
            )
        ) is not None and device.name != subentry.title:
            device_registry.async_update_device(device.id, name=subentry.title)
        keys = _keys_of(subentry)
        if subentry.subentry_type == SUBENTRY_CHORE:
            self.chores.touch(subentry.subentry_id)
        elif title != subentry.title:
            # The chores name their assignee and who completed them.
            self.chores.touch()
            keys += [CHORES, *self.chores.chores]
        self.async_changed(*keys, store=None)

    @callback
    def async_age_stepped(self, member_id: str) -> None:
        """Give a member whose age reached a step the entities of their new age.

        At 3 months, 2, 10 and 18 years: which entities they have, which are on
        by default and whether their BMI has the adult classes.
        """
        subentry = self.entry.subentries[member_id]
        for platform in self._platforms:
            platform.async_refresh(self, subentry)
        self.async_changed(*_keys_of(subentry), store=None)

    async def _async_removed(self, subentry_id: str, subentry_type: str) -> None:
        # Home Assistant deletes the device and entities of a deleted subentry.
        for platform in self._platforms:
            platform.unique_ids.pop(subentry_id, None)
        for feature in reversed(self._in_order()):
            await feature.async_subentry_removed(subentry_id, subentry_type)


def _keys_of(subentry: ConfigSubentry) -> list[str]:
    """Return the listener keys of a member's or chore's own entities."""

    subentry_id = subentry.subentry_id
    if subentry.subentry_type == SUBENTRY_MEMBER:
        return [subentry_id, weight_key(subentry_id), assignee_key(subentry_id)]
    if subentry.subentry_type == SUBENTRY_CHORE:
        return [subentry_id, CHORES]
    # A medicine has no entities: the doses feature wakes those it concerns.
    return []


@dataclass(frozen=True, slots=True)
class _Seen:
    """What of the entry the household last applied."""

    data: dict[str, Any]
    options: dict[str, Any]
    # Subentry id -> (type, title, data).
    subentries: dict[str, tuple[str, str, dict[str, Any]]]

    @classmethod
    def of(cls, entry: ConfigEntry) -> _Seen:
        return cls(
            dict(entry.data),
            dict(entry.options),
            {
                subentry_id: (
                    subentry.subentry_type,
                    subentry.title,
                    dict(subentry.data),
                )
                for subentry_id, subentry in entry.subentries.items()
            },
        )


# The registry option of an age-governed entity: the default last applied.
ENABLED_DEFAULT = "enabled_default"


@dataclass(slots=True)
class _Platform:
    """A platform's way to make the entities of a member or chore."""

    domain: str
    add_entities: AddConfigEntryEntitiesCallback
    factory: EntityFactory
    # Subentry id -> the unique ids of its entities -> whether on by default.
    unique_ids: dict[str, dict[str, bool]] = field(default_factory=dict)

    @callback
    def async_add(
        self, coordinator: AutoHomeCoordinator, subentry: ConfigSubentry
    ) -> None:
        """Add the entities of a member or chore."""
        self._async_add_new(coordinator, subentry, {})

    @callback
    def async_refresh(
        self, coordinator: AutoHomeCoordinator, subentry: ConfigSubentry
    ) -> None:
        """Add the entities a changed member or chore gained, remove those it lost."""
        had = self.unique_ids.get(subentry.subentry_id, {})
        has = self._async_add_new(coordinator, subentry, had)
        registry = er.async_get(coordinator.hass)
        for unique_id in had.keys() - has.keys():
            if entity_id := registry.async_get_entity_id(
                self.domain, DOMAIN, unique_id
            ):
                registry.async_remove(entity_id)

    def _async_add_new(
        self,
        coordinator: AutoHomeCoordinator,
        subentry: ConfigSubentry,
        had: dict[str, bool],
    ) -> dict[str, bool]:
        entities = self.factory(coordinator, subentry)
        has = {
            str(entity.unique_id): entity.entity_registry_enabled_default
            for entity in entities
        }
        self.unique_ids[subentry.subentry_id] = has
        registry = er.async_get(coordinator.hass)
        prefix = f"{subentry.subentry_id}_"
        if new := [
            entity
            for entity in entities
            if (
                str(entity.unique_id).removeprefix(prefix) in AGE_GOVERNED
                and self._async_follow_default(
                    coordinator, registry, entity, had.get(str(entity.unique_id))
                )
            )
            or entity.unique_id not in had
        ]:
            self.add_entities(new, config_subentry_id=subentry.subentry_id)
        return has

    def _async_follow_default(
        self,
        coordinator: AutoHomeCoordinator,
        registry: er.EntityRegistry,
        entity: Entity,
        had: bool | None,
    ) -> bool:
        """Enable or disable an entity whose default changed (its age stepped on).

        The default last applied is kept in the entity's registry options, so
        a change is told across restarts (a child turned 2 while Home Assistant
        was off) and a setting never mistaken for one. One the integration
        disabled is enabled when its default turns on, unless new entities of
        the household are to stay off (the user's "Enable newly added
        entities"); one shown is disabled when its default turns off (a birth
        date set). What the user chose stays. Returns whether it was enabled,
        so it is added now (Home Assistant reloads the household 30 s later,
        as after any enabling).
        """
        entity_id = registry.async_get_entity_id(
            self.domain, DOMAIN, str(entity.unique_id)
        )
        if entity_id is None or (entry := registry.async_get(entity_id)) is None:
            # New: Home Assistant applies its default and the user's setting.
            return False
        now = entity.entity_registry_enabled_default
        options: dict[str, Any] = dict(entry.options.get(DOMAIN, {}))
        before: bool | None = options.get(ENABLED_DEFAULT, had)
        if before != now:
            registry.async_update_entity_options(
                entity_id, DOMAIN, options | {ENABLED_DEFAULT: now}
            )
        if now:
            # Never recorded (made before the record was kept, or since this
            # start): only its default can have disabled it by integration.
            if (
                before is not True
                and entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
                and not coordinator.entry.pref_disable_new_entities
            ):
                registry.async_update_entity(entity_id, disabled_by=None)
                return True
        elif before and entry.disabled_by is None:
            registry.async_update_entity(
                entity_id, disabled_by=er.RegistryEntryDisabler.INTEGRATION
            )
        return False
