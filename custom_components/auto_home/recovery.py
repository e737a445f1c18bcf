"""Recovery at load: state files that do not fit, and readings re-indexed.

Home Assistant's Store sets a file it cannot parse aside and raises a repair
issue of its own. A file that parses but is not the state it should be (say
`"data": []`) is set aside here the same way. Either way a health feature's
state is then re-indexed from the reading journals, which hold every reading,
so a damaged state file costs no history.
"""

from collections.abc import Iterable
from contextlib import suppress
import logging
import os
from pathlib import Path
from typing import Any, Protocol

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .history import HistoryIndex, ReadingHistory, aside_path

_LOGGER = logging.getLogger(__name__)

# Sections of a store that must be objects. Only their shape is checked
# here, not the items inside them: those are the features' to load.
_SECTIONS = {
    "household": ("chores", "reminders", "temperature", "weight", "doses"),
    "temperature": (),
    "weight": ("members", "unassigned", "scales"),
}


def fits(kind: str, data: Any) -> bool:
    """Return whether `data` has the shape of a `kind` store's state."""
    return isinstance(data, dict) and all(
        isinstance(data.get(section, {}), dict) for section in _SECTIONS[kind]
    )


async def async_load_fitting(
    hass: HomeAssistant, store: Store[dict[str, Any]], kind: str
) -> tuple[dict[str, Any] | None, str | None]:
    """Load a store; one that does not fit is set aside and reported.

    Return the data (None when there is none to use) and, when the file was
    set aside, the name it was kept under.
    """
    try:
        data = await store.async_load()
    except HomeAssistantError as err:
        if isinstance(err.__cause__, OSError):
            # Unreadable, not damaged (a disk not mounted yet): try again later.
            raise err.__cause__ from err
        raise
    except KeyError, TypeError, ValueError:
        # Parsed, but not even a store's envelope (`{"version": ..., "data": ...}`).
        pass
    else:
        if data is None or fits(kind, data):
            return data, None
    path = Path(store.path)
    kept = await hass.async_add_executor_job(_set_aside, path)
    _LOGGER.error(
        "The stored state %s does not fit what Auto Home stores; it is kept as %s "
        "and the %s state starts from what can be rebuilt",
        path,
        kept,
        kind,
    )
    return None, kept.name


def _set_aside(path: Path) -> Path:
    """Move a file that does not fit aside (runs in the executor)."""
    kept = aside_path(path)
    with suppress(FileNotFoundError):
        os.replace(path, kept)
    return kept


@callback
def async_report_store_damaged(
    hass: HomeAssistant,
    store: Store[dict[str, Any]],
    kept: str,
    translation_key: str,
    **placeholders: str,
) -> None:
    """Raise the repair issue of a state file that was set aside."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"store_damaged_{store.key}",
        is_fixable=False,
        is_persistent=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key=translation_key,
        translation_placeholders={"file": store.key, "kept": kept, **placeholders},
    )


class Rebuildable(Protocol):
    """A health feature whose state can be rebuilt from its journals."""

    key: str
    INDEX_RECENT: float

    @staticmethod
    def stored_from_indexes(indexes: dict[str, HistoryIndex]) -> dict[str, Any]:
        """Return the state the feature loads, from the members' indexes."""


async def async_rebuild(
    hass: HomeAssistant,
    entry_id: str,
    feature: Rebuildable,
    members: Iterable[str],
) -> tuple[dict[str, Any], int]:
    """Return a health feature's state rebuilt from the journals, and its count."""
    indexes: dict[str, HistoryIndex] = {}
    for member_id in members:
        index = await ReadingHistory(
            hass, entry_id, f"{feature.key}.{member_id}"
        ).async_index(feature.INDEX_RECENT)
        if index.readings:
            indexes[member_id] = index
    return (
        feature.stored_from_indexes(indexes),
        sum(index.readings for index in indexes.values()),
    )
