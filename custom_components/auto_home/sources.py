"""Readings from entities Home Assistant already knows (thermometers, scales)."""

from collections.abc import Callable, Coroutine
from datetime import datetime, timedelta
from typing import Any

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
    callback,
)
from homeassistant.helpers.event import async_track_state_change_event

# A source repeating its value within this window is one reading.
DUPLICATE_WINDOW = timedelta(seconds=60)

type SourceReading = Callable[
    [str, float, str | None, datetime], Coroutine[Any, Any, None]
]


@callback
def async_track_sources(
    hass: HomeAssistant, entity_ids: list[str], on_reading: SourceReading
) -> CALLBACK_TYPE:
    """Call `on_reading(entity_id, value, unit, at)` for each new numeric state.

    `unknown`, `unavailable` and non-numeric states are ignored, and so is the
    same value again from the same entity within DUPLICATE_WINDOW (an attribute
    change or a re-sent value is not a new measurement).
    """
    last: dict[str, tuple[float, datetime]] = {}

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is None or new.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
            return
        try:
            value = float(new.state)
        except ValueError:
            return
        entity_id, at = event.data["entity_id"], new.last_updated
        previous = last.get(entity_id)
        if previous and previous[0] == value and at - previous[1] < DUPLICATE_WINDOW:
            return
        last[entity_id] = (value, at)
        hass.async_create_task(
            on_reading(
                entity_id, value, new.attributes.get(ATTR_UNIT_OF_MEASUREMENT), at
            ),
            eager_start=True,
        )

    return async_track_state_change_event(hass, entity_ids, _changed)
