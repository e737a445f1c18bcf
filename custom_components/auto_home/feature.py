"""What every feature of the household repeats: timers, subentries, files, life cycle."""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import DOMAIN, SUBENTRY_MEMBER
from .store import async_remove_files
from .subentries import subentries_of

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
    from .options import HouseholdOptions


class KeyedTimers:
    """At most one timer (or listener) per key, cancelled by key or all at once.

    Once closed (the household stops) a timer set by work still finishing,
    such as a reminder being sent, is cancelled at once: none outlives it.
    """

    def __init__(self) -> None:
        """Initialize with no timer."""
        self._cancels: dict[str, CALLBACK_TYPE] = {}
        self._closed = False

    def __contains__(self, key: object) -> bool:
        """Return whether a timer runs for `key`."""
        return key in self._cancels

    def __iter__(self) -> Iterator[str]:
        """Iterate over the keys with a timer."""
        return iter(self._cancels)

    @callback
    def set(self, key: str, cancel: CALLBACK_TYPE) -> None:
        """Keep the timer of `key`, cancelling the one it replaces."""
        self.cancel(key)
        if self._closed:
            cancel()
            return
        self._cancels[key] = cancel

    @callback
    def fired(self, key: str) -> None:
        """Forget the timer of `key`, which just fired."""
        self._cancels.pop(key, None)

    @callback
    def cancel(self, key: str) -> bool:
        """Cancel the timer of `key`; return whether there was one."""
        if (cancel := self._cancels.pop(key, None)) is None:
            return False
        cancel()
        return True

    @callback
    def close(self) -> None:
        """Cancel every timer, and those set from now on."""
        self._closed = True
        while self._cancels:
            self._cancels.popitem()[1]()


class HouseholdFeature:
    """One part of the household state (temperature, weight, chores, reminders).

    A feature owns the section of the store named by `key`; the coordinator
    loads, saves and starts it, and tells it of a member or chore added,
    changed or deleted while the household runs (no reload: nothing else of the
    household changes). Its timers stop before the household's last writes.
    """

    key: str
    # The kind of subentry whose items the feature keeps.
    subentry_type: ClassVar[str] = SUBENTRY_MEMBER

    def __init__(
        self, coordinator: AutoHomeCoordinator, entry: AutoHomeConfigEntry
    ) -> None:
        """Initialize for the household."""
        self.hass: HomeAssistant = coordinator.hass
        self.coordinator = coordinator
        self.entry = entry
        self.timers = KeyedTimers()
        coordinator.async_on_shutdown(self.timers.close)

    @property
    def options(self) -> HouseholdOptions:
        """The household's options, parsed once."""
        return self.coordinator.options

    def subentries(self) -> dict[str, ConfigSubentry]:
        """Return the subentries whose items the feature keeps, by id."""
        return subentries_of(self.entry, self.subentry_type)

    def title(self, subentry_id: str | None) -> str | None:
        """Return a member's or chore's name (None if unknown, or deleted)."""
        subentry = self.entry.subentries.get(subentry_id or "")
        return subentry.title if subentry else None

    async def async_remove_files(self, item_id: str) -> None:
        """Delete the files the feature keeps of a deleted member or chore."""
        await async_remove_files(
            self.hass, f"{DOMAIN}.{self.entry.entry_id}.{self.key}.{item_id}."
        )

    def load(self, data: dict[str, Any]) -> None:
        """Restore the feature from its stored section (empty on first start)."""
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:
        """Return the feature's section for the store."""
        raise NotImplementedError

    async def async_start(self) -> None:
        """Start listening to sources and timers."""

    async def async_subentry_added(self, subentry: ConfigSubentry) -> None:
        """Take a member or chore added while the household runs."""

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Apply a member's or chore's new settings (`before`: its old data)."""

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Forget a deleted member or chore: its timers, state and files."""

    async def async_options_changed(self, before: HouseholdOptions) -> None:
        """Apply the household's new options (`before`: the old ones)."""
