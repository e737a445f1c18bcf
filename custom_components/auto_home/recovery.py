"""Recovery at load: state files that do not fit, and readings re-indexed.

Home Assistant's Store sets a file it cannot parse aside and raises a repair
issue of its own. A file that parses but is not the state it should be (say
`"data": []`) is set aside here the same way. Either way a health feature's
state is then re-indexed from the reading journals, which hold every reading,
so a damaged state file costs no history.
"""

from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime
import logging
import os
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .health.temperature import Site, TemperatureReading
from .health.weight import WeightTracker
from .history import ReadingHistory
from .weight_feature import RECENT_DAYS, WeightReading, _feed

_LOGGER = logging.getLogger(__name__)

# Sections of a store that must be objects (what is inside each item is the
# item's own business: a broken item does not fail its store).
_SECTIONS = {
    "household": ("chores", "reminders", "temperature", "weight"),
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
    kept = path.with_name(
        f"{path.name}.corrupt.{dt_util.utcnow().strftime('%Y-%m-%dT%H-%M-%S')}"
    )
    with suppress(FileNotFoundError):
        await hass.async_add_executor_job(os.replace, path, kept)
    _LOGGER.error(
        "The stored state %s does not fit what Auto Home stores; it is kept as %s "
        "and the %s state starts from what can be rebuilt",
        path,
        kept,
        kind,
    )
    return None, kept.name


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


def _at(timestamp: float) -> datetime:
    return dt_util.utc_from_timestamp(timestamp)


async def async_rebuild_temperature(
    hass: HomeAssistant, entry_id: str, members: Iterable[str]
) -> tuple[dict[str, Any], int]:
    """Return the temperature state rebuilt from the journals, and its count.

    Latest reading, count and months come back; an open fever episode does
    not (it starts again with the next fever reading).
    """
    data: dict[str, Any] = {}
    total = 0
    for member_id in members:
        index = await ReadingHistory(
            hass, entry_id, f"temperature.{member_id}"
        ).async_index(0)
        if not index.readings:
            continue
        timestamp, value, tag = index.recent[-1]
        site = Site(tag) if tag in Site else Site.ORAL
        latest = TemperatureReading(_at(timestamp), value, site)
        data[member_id] = {
            "latest": latest.as_dict(),
            "readings": index.readings,
            "months": index.months,
            # Catch-up takes what a linked thermometer reported after it.
            "source_at": latest.measured_at.isoformat(),
        }
        total += index.readings
    return data, total


async def async_rebuild_weight(
    hass: HomeAssistant, entry_id: str, members: Iterable[str]
) -> tuple[dict[str, Any], int]:
    """Return the weight state rebuilt from the journals, and its count.

    Recent readings, trend, count and each scale's catch-up point come back;
    shared-scale readings that waited for a member do not.
    """
    stored: dict[str, Any] = {}
    scales: dict[str, datetime] = {}
    total = 0
    for member_id in members:
        index = await ReadingHistory(hass, entry_id, f"weight.{member_id}").async_index(
            RECENT_DAYS * 86400
        )
        if not index.readings:
            continue
        recent = [
            WeightReading(_at(timestamp), kg, source=tag or None)
            for timestamp, kg, tag in index.recent
        ]
        tracker = WeightTracker()
        for position, reading in enumerate(recent):
            _feed(tracker, recent, position)
            if reading.source:
                scales[reading.source] = max(
                    reading.measured_at, scales.get(reading.source, reading.measured_at)
                )
        stored[member_id] = {
            "tracker": tracker.as_dict(),
            "recent": [reading.as_list() for reading in recent],
            "readings": index.readings,
        }
        total += index.readings
    data = {
        "members": stored,
        "scales": {scale: at.isoformat() for scale, at in scales.items()},
    }
    return data, total
