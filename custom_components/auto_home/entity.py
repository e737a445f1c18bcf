"""Base entity: one device per member and per chore, named by its subentry."""

from collections.abc import Callable, Iterable
from typing import Protocol, override

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.translation import (
    async_get_cached_translations,
    async_get_translations,
)

from .const import DOMAIN
from .coordinator import AutoHomeCoordinator
from .domain.chore import HistoryEntry
from .domain.schedule import Occurrence
from .llm_api import async_keep_health_private
from .views import ChoreView, HouseholdView, MemberView, SubentryView


async def async_load_texts(hass: HomeAssistant) -> None:
    """Load the texts `device_model` and `chore_description` read."""
    for category in ("config_subentries", "common"):
        await async_get_translations(hass, hass.config.language, category, [DOMAIN])


def chore_description(
    hass: HomeAssistant,
    chore: ChoreView,
    occurrence: Occurrence,
    closed: HistoryEntry | None,
) -> str | None:
    """Return an occurrence's description: who did it or who is on, then the chore's.

    Only the pending occurrence has someone on: a later one's turn depends on
    who completes the ones before it.
    """
    return ChoreDescriptions(hass, chore).of(occurrence, closed)


class ChoreDescriptions:
    """The descriptions of a chore's occurrences, each text looked up once.

    A calendar of a year has a hundred occurrences of a daily chore: their
    descriptions differ only by who did each.
    """

    __slots__ = ("_chore", "_done_by", "_pending_day", "_texts")

    def __init__(self, hass: HomeAssistant, chore: ChoreView) -> None:
        """Describe the occurrences of `chore` in the server's language."""
        self._texts = async_get_cached_translations(
            hass, hass.config.language, "common", DOMAIN
        )
        self._chore = chore
        self._pending_day = chore.occurrence.day
        # The description of an occurrence closed by each member.
        self._done_by: dict[str | None, str | None] = {}

    def _with(self, key: str, name: str | None) -> str | None:
        """Return `key`'s text for a member named `name`, then the chore's."""
        who = None
        if name:
            who = self._texts.get(f"component.{DOMAIN}.common.{key}", "{member}")
            who = who.format(member=name)
        parts = [part for part in (who, self._chore.description) if part]
        return "\n\n".join(parts) or None

    def of(self, occurrence: Occurrence, closed: HistoryEntry | None) -> str | None:
        """Return the description of one occurrence of the chore."""
        chore = self._chore
        if closed is not None:
            if (by := closed.by) not in self._done_by:
                self._done_by[by] = self._with("chore_done_by", chore.member_title(by))
            return self._done_by[by]
        if occurrence.day == self._pending_day:
            return self._with("chore_on", chore.member_title(chore.assignee_id))
        if None not in self._done_by:
            self._done_by[None] = self._with("chore_on", None)
        return self._done_by[None]


class ChoreChanges(Protocol):
    """What tells which chores changed: a household's or a member's view."""

    @property
    def chores_generation(self) -> int:
        """A number that changes whenever any chore's lists or entities do."""

    def chores_changed_since(self, generation: int) -> Iterable[str]:
        """Yield the chores whose entities changed after `generation`."""


class _Built[T](dict[str, T]):
    """Built things by chore id; a missing one is built when looked up."""

    __slots__ = ("_build",)

    def __init__(self, build: Callable[[str], T]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, chore_id: str) -> T:
        built = self[chore_id] = self._build(chore_id)
        return built


class BuiltPerChore[T]:
    """What an entity built of each chore, rebuilt only for chores that changed.

    A change of one chore in a list of 300 then costs one build and one drop,
    not a walk of the 300: the list itself is put together in C.
    """

    __slots__ = ("_built", "_generation")

    def __init__(self, build: Callable[[str], T]) -> None:
        """Start with nothing built; `build` makes a chore's thing from its id."""
        self._built = _Built(build)
        self._generation: int | None = None

    def of(self, chore_ids: list[str], changes: ChoreChanges) -> list[T]:
        """Return what `build` makes of each chore, kept while the chore is unchanged."""
        generation = changes.chores_generation
        if self._generation is not None and generation != self._generation:
            for chore_id in changes.chores_changed_since(self._generation):
                self._built.pop(chore_id, None)
        self._generation = generation
        return list(map(self._built.__getitem__, chore_ids))


def device_model(hass: HomeAssistant, subentry_type: str) -> str:
    """Return "Member" or "Chore" in the server's language.

    A device's model is plain text (only its name has a translation key), so it
    is written in the language entity names follow.
    """
    key = f"component.{DOMAIN}.config_subentries.{subentry_type}.entry_type"
    cached = async_get_cached_translations(
        hass, hass.config.language, "config_subentries", DOMAIN
    )
    return cached.get(key, subentry_type.capitalize())


class AutoHomeEntity[ViewT: SubentryView](Entity):
    """An entity of a member's or a chore's device, updated by the coordinator."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    # What the entity reads its member or chore through.
    _view_type: type[ViewT]

    def __init__(
        self,
        coordinator: AutoHomeCoordinator,
        subentry: ConfigSubentry,
        description: EntityDescription,
    ) -> None:
        """Initialize the entity for one subentry."""
        self.coordinator = coordinator
        self.subentry_id = subentry.subentry_id
        self.entity_description = description
        self._attr_unique_id = f"{subentry.subentry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(
            identifiers={(DOMAIN, subentry.subentry_id)},
            name=subentry.title,
            manufacturer="Auto Home",
            model=device_model(coordinator.hass, subentry.subentry_type),
            # Stable across languages, for the actions' device filters.
            model_id=subentry.subentry_type,
        )

    @property
    def view(self) -> ViewT:
        """Return the view of the entity's member or chore."""
        return self._view_type(self.coordinator, self.subentry_id)

    @property
    def listener_key(self) -> str:
        """Return the coordinator key whose changes the entity shows."""
        return self.subentry_id

    @property
    @override
    def available(self) -> bool:
        """Return False while the state it shows is damaged (until reset)."""
        return not HouseholdView(self.coordinator).damaged(self.listener_key)

    # What `_shown` gave at the last write.
    _last_shown: object = None

    def _shown(self) -> object:
        """Return what the entity shows, if cheaper to compare than to write.

        None (the default): every change is written.
        """
        return None

    @callback
    def _async_changed(self) -> None:
        """Write the state, unless what it shows is as last written."""
        if (shown := self._shown()) is not None and shown == self._last_shown:
            return
        self._last_shown = shown
        self._async_write(shown)

    @callback
    def _async_write(self, shown: object) -> None:
        """Write the state; `shown` is what `_shown` just gave."""
        del shown
        self.async_write_ha_state()

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the coordinator's changes to this subentry."""
        # Home Assistant writes the state it is added with.
        self._last_shown = self._shown()
        self.async_on_remove(
            self.coordinator.async_add_listener(self.listener_key, self._async_changed)
        )


class MemberEntity(AutoHomeEntity[MemberView]):
    """An entity of a member's device; its health data stays private by default."""

    _view_type = MemberView

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the member; keep a health entity from Assist unless exposed."""
        await super().async_added_to_hass()
        if self.registry_entry is not None:
            async_keep_health_private(self.hass, self.registry_entry)


class ChoreEntity(AutoHomeEntity[ChoreView]):
    """An entity of a chore's device."""

    _view_type = ChoreView


class AutoHomeHouseholdEntity(Entity):
    """An entity of the whole household (no device), updated by the coordinator."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, coordinator: AutoHomeCoordinator, key: str) -> None:
        """Initialize the entity that follows the coordinator's `key`."""
        self.coordinator = coordinator
        self._key = key
        self._attr_translation_key = key
        self._attr_unique_id = f"{coordinator.entry.entry_id}_{key}"

    @property
    def view(self) -> HouseholdView:
        """Return the view of the household's chores."""
        return HouseholdView(self.coordinator)

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the coordinator's changes under the key."""
        self.async_on_remove(
            self.coordinator.async_add_listener(self._key, self.async_write_ha_state)
        )
