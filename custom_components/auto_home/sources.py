"""Readings from entities Home Assistant already knows (thermometers, scales)."""

import asyncio
from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime, timedelta
from functools import partial
import logging
from typing import Any

from homeassistant.components.recorder import history
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    ATTR_UNIT_OF_MEASUREMENT,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.recorder import get_instance
from homeassistant.util import dt as dt_util

_LOGGER = logging.getLogger(__name__)

# A source repeating its value within this window is one reading.
DUPLICATE_WINDOW = timedelta(seconds=60)
# The recorder keeps 10 days by default; older catch-up is not attempted.
CATCH_UP_LIMIT = timedelta(days=10)

# Readings taken from the recorder are fed this many at a time between yields
# to the event loop.
CATCH_UP_CHUNK = 100

# on_reading(entity_id, value, unit, at, show): `show` is False for readings
# caught up from the recorder but the newest, so entities are written once.
type SourceReading = Callable[
    [str, float, str | None, datetime, bool], Coroutine[Any, Any, None]
]


class _NewReadings:
    """Tells new measurements from repeats and from states that are no number."""

    def __init__(self) -> None:
        self._last: dict[str, tuple[float, datetime]] = {}

    def value(self, state: State) -> float | None:
        """Return the reading a state is, or None when it is none or a repeat."""
        if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return None
        try:
            value = float(state.state)
        except ValueError:
            return None
        at = state.last_updated
        previous = self._last.get(state.entity_id)
        if previous and previous[0] == value and at - previous[1] < DUPLICATE_WINDOW:
            return None
        self._last[state.entity_id] = (value, at)
        return value


@callback
def async_track_sources(
    hass: HomeAssistant,
    entry: ConfigEntry,
    entity_ids: list[str],
    on_reading: SourceReading,
    *,
    caught_up_to: Mapping[str, datetime | None],
) -> CALLBACK_TYPE:
    """Call `on_reading(entity_id, value, unit, at)` for each new numeric state.

    `unknown`, `unavailable` and non-numeric states are ignored, and so is the
    same value again from the same entity within DUPLICATE_WINDOW (an attribute
    change or a re-sent value is not a new measurement).

    `caught_up_to` holds, per entity, the time of its last reading Auto Home
    stored. What the recorder holds after it (readings of a batch a power cut
    kept from being written, or reported while the household was disabled) is
    taken first, in the background.
    """
    readings = _NewReadings()
    started = dt_util.utcnow()

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is None or (value := readings.value(new)) is None:
            return
        hass.async_create_task(
            on_reading(
                new.entity_id,
                value,
                new.attributes.get(ATTR_UNIT_OF_MEASUREMENT),
                new.last_updated,
                True,
            ),
            eager_start=True,
        )

    since = {
        entity_id: max(at, started - CATCH_UP_LIMIT)
        for entity_id in entity_ids
        if (at := caught_up_to.get(entity_id)) is not None
    }
    if since and "recorder" in hass.config.components:
        entry.async_create_background_task(
            hass,
            _async_catch_up(hass, since, started, on_reading),
            "auto_home source catch-up",
        )
    return async_track_state_change_event(hass, entity_ids, _changed)


async def _async_catch_up(
    hass: HomeAssistant,
    since: dict[str, datetime],
    until: datetime,
    on_reading: SourceReading,
) -> None:
    """Feed what the recorder holds between `since` and `until`, oldest first."""
    readings = _NewReadings()
    for entity_id, start in since.items():
        states = await get_instance(hass).async_add_executor_job(
            partial(
                history.state_changes_during_period,
                hass,
                start,
                until,
                entity_id,
                include_start_time_state=False,
            )
        )
        missed = [
            (value, state)
            for state in states.get(entity_id, [])
            if state.last_updated > start
            and (value := readings.value(state)) is not None
        ]
        for index, (value, state) in enumerate(missed, 1):
            await on_reading(
                entity_id,
                value,
                state.attributes.get(ATTR_UNIT_OF_MEASUREMENT),
                state.last_updated,
                index == len(missed),
            )
            # Days of a thermometer are thousands of readings: let others run.
            if index % CATCH_UP_CHUNK == 0:
                await asyncio.sleep(0)
        if missed:
            _LOGGER.info(
                "Took %s readings of %s from the recorder that were not stored",
                len(missed),
                entity_id,
            )
