"""Repairs: a member's or chore's stored state that cannot be used, and its reset.

One damaged item never fails the household: its entities are unavailable, its
stored section is kept as it was (and logged), and a repair issue offers to
start that item afresh.
"""

from collections.abc import Callable
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .const import DOMAIN
from .subentries import anonymize

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry

_LOGGER = logging.getLogger(__name__)

ISSUE_PREFIX = "damaged_"


def issue_id(entry_id: str, feature: str, item_id: str) -> str:
    """Return the id of the repair issue of a damaged item.

    Hashed: issue ids show in every diagnostics download.
    """
    return f"{ISSUE_PREFIX}{feature}_{anonymize(entry_id, item_id)}"


def parse_each[T](items: Any, parse: Callable[[Any], T], what: str) -> dict[str, T]:
    """Return each stored item parsed; one that cannot be is dropped and logged.

    Items that are not even a mapping are all dropped, and logged.
    """
    parsed: dict[str, T] = {}
    dropped: dict[str, Any] = {}
    if not isinstance(items, dict):
        _LOGGER.warning("Dropped stored %s that cannot be used: %r", what, items)
        return parsed
    for key, item in items.items():
        try:
            parsed[key] = parse(item)
        except AttributeError, LookupError, TypeError, ValueError:
            dropped[key] = item
    if dropped:
        _LOGGER.warning(
            "Dropped %s stored %s that cannot be used: %r", len(dropped), what, dropped
        )
    return parsed


class DamagedItems:
    """The members or chores of one feature whose stored state cannot be used."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: AutoHomeConfigEntry,
        feature: str,
        save: Callable[[], None],
        listener_key: Callable[[str], str] = str,
    ) -> None:
        """Initialize for one feature.

        `save` schedules the write of the feature's store; `listener_key` maps
        an item to the listener key of its entities.
        """
        self.hass = hass
        self.entry = entry
        self.feature = feature
        self._save = save
        self._listener_key = listener_key
        # Item id -> its section as stored, written back until the user resets it.
        self.sections: dict[str, Any] = {}
        self.keys: set[str] = set()

    def attempt[T](
        self,
        item_id: str,
        section: Any,
        use: Callable[[], T],
        settings: Callable[[], object] | None = None,
    ) -> T | None:
        """Return `use()`, or None after noting the item as damaged.

        When `use()` fails, `settings` tells why: settings that cannot be used
        are not fixed by a reset, so they get an issue asking to reconfigure
        the item, and its stored section is kept as it is. (Checked only then:
        a start builds each item once.)
        """
        name = self.entry.subentries[item_id].title
        try:
            return use()
        except Exception:
            fixable = True
            if settings is not None:
                try:
                    settings()
                except Exception:  # noqa: BLE001 - logged below, with the state
                    fixable = False
            # Logged once per start, with the section: nothing is lost unseen.
            _LOGGER.exception(
                "The %s of %s cannot be used; its entities are unavailable until "
                "it is %s. Stored: %r",
                f"stored {self.feature} state" if fixable else "settings",
                name,
                "reset in Settings > Repairs" if fixable else "reconfigured",
                section,
            )
        if section is not None:
            self.sections[item_id] = section
        self.keys.add(self._listener_key(item_id))
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id(self.entry.entry_id, self.feature, item_id),
            data={
                "entry_id": self.entry.entry_id,
                "feature": self.feature,
                "item_id": item_id,
            },
            is_fixable=fixable,
            severity=ir.IssueSeverity.ERROR,
            translation_key=f"{self.feature}_{'damaged' if fixable else 'unusable'}",
            translation_placeholders={"name": name},
        )
        return None

    @callback
    def async_drop_stale_issues(self) -> None:
        """Delete the issues of items that are no longer damaged (or gone)."""
        stale = [
            issue.issue_id
            for (domain, _), issue in ir.async_get(self.hass).issues.items()
            if domain == DOMAIN
            and issue.issue_id.startswith(ISSUE_PREFIX)
            and issue.data is not None
            and issue.data["entry_id"] == self.entry.entry_id
            and issue.data["feature"] == self.feature
            and issue.data["item_id"] not in self
        ]
        for stale_id in stale:
            ir.async_delete_issue(self.hass, DOMAIN, stale_id)

    def __contains__(self, item_id: object) -> bool:
        """Return whether the item's state or settings cannot be used."""
        return isinstance(item_id, str) and self._listener_key(item_id) in self.keys

    @callback
    def async_forget(self, item_id: str) -> None:
        """Forget a deleted item, or one whose changed settings are tried again."""
        self.sections.pop(item_id, None)
        self.keys.discard(self._listener_key(item_id))
        ir.async_delete_issue(
            self.hass, DOMAIN, issue_id(self.entry.entry_id, self.feature, item_id)
        )

    def reset(self, item_id: str) -> None:
        """Forget the damaged section: the item's new state is written instead."""
        self.sections.pop(item_id, None)
        self.keys.discard(self._listener_key(item_id))
        # Written by the unload of the reload that follows at the latest.
        self._save()


class ResetItemFlow(RepairsFlow):
    """Confirm, then start a damaged member's or chore's state afresh."""

    def __init__(self, data: dict[str, Any]) -> None:
        """Initialize with the issue's data: entry, feature and item."""
        self._data = data

    async def async_step_init(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Ask for confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, str] | None = None
    ) -> RepairsFlowResult:
        """Reset the item's state, then reload the household to start it."""
        entry: AutoHomeConfigEntry | None = self.hass.config_entries.async_get_entry(
            self._data["entry_id"]
        )
        item_id = self._data["item_id"]
        if (
            entry is None
            or entry.state is not ConfigEntryState.LOADED
            or item_id not in entry.subentries
        ):
            return self.async_abort(reason="household_not_loaded")
        if user_input is None:
            return self.async_show_form(
                step_id="confirm",
                description_placeholders={"name": entry.subentries[item_id].title},
            )
        feature = self._data["feature"]
        entry.runtime_data.isolated[feature].damaged.reset(item_id)
        await self.hass.config_entries.async_reload(entry.entry_id)
        if (
            entry.state is ConfigEntryState.LOADED
            and item_id in entry.runtime_data.isolated[feature].damaged
        ):
            # Still damaged after its reset: the reload raised its issue again.
            return self.async_abort(reason="still_damaged")
        return self.async_create_entry(data={})


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, Any] | None
) -> RepairsFlow:
    """Return the flow that fixes a damaged item's issue."""
    return ResetItemFlow(data or {})
