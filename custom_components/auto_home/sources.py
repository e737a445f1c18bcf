"""Readings from entities Home Assistant already knows (thermometers, scales)."""

import asyncio
from bisect import bisect_right
from collections.abc import (
    Awaitable,
    Callable,
    Collection,
    Coroutine,
    Mapping,
    MutableMapping,
)
from datetime import datetime, timedelta
from functools import partial
import logging
from typing import Any

from homeassistant.components.recorder import history
from homeassistant.components.recorder.db_schema import RecorderRuns
from homeassistant.components.recorder.models import process_timestamp
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import (
    ATTR_RESTORED,
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
from homeassistant.helpers import restore_state
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.recorder import get_instance, session_scope
from homeassistant.util import dt as dt_util
from sqlalchemy import select

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
# on_restored(entity_id, at): the state at `at` was the previous run's, written
# anew; the catch-up need not look at it again.
type SourceRestored = Callable[[str, datetime], None]


def _number(state: State) -> float | None:
    """Return the number a state is, if it is one."""
    if state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
        return None
    try:
        return float(state.state)
    except ValueError:
        return None


class _NewReadings:
    """Tells new measurements from repeats, re-writes and states that are no number.

    A reading is identified by its source and time: nothing at or before
    `after` (the last reading stored, or where live tracking starts) is taken.
    An entity that restores its state writes the previous run's value anew as
    it is added at start: that is no measurement. It is its first number of
    the run and equals the state the restore cache kept from the previous run.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        after: Mapping[str, datetime],
        on_restored: SourceRestored,
    ) -> None:
        """Take readings newer than `after` (per entity) only."""
        self._after = after
        self._on_restored = on_restored
        self._last: dict[str, tuple[float, datetime]] = {}
        # The sources' states when the previous run last saw them.
        self._previous_run = restore_state.async_get(hass).last_states

    def value(self, state: State, *, first_of_run: bool) -> float | None:
        """Return the reading `state` is, or None when it is none or a repeat.

        `first_of_run`: whether it is the entity's first number since Home
        Assistant started.
        """
        if state.attributes.get(ATTR_RESTORED) or (value := _number(state)) is None:
            return None
        entity_id, at = state.entity_id, state.last_updated
        if (after := self._after.get(entity_id)) is not None and at <= after:
            return None
        if (
            first_of_run
            and (stored := self._previous_run.get(entity_id)) is not None
            and stored.state.state == state.state
        ):
            self._on_restored(entity_id, at)
            return None
        last = self._last.get(entity_id)
        if last and last[0] == value and at - last[1] < DUPLICATE_WINDOW:
            return None
        self._last[entity_id] = (value, at)
        return value


def advance(
    points: MutableMapping[str, datetime], entity_id: str, at: datetime
) -> None:
    """Move a source's catch-up point on to `at`, never back."""
    points[entity_id] = max(at, points.get(entity_id, at))


def restored_handler(
    points: MutableMapping[str, datetime], changed: Callable[[], None]
) -> SourceRestored:
    """Return the `on_restored` that moves a source's point past a restored state."""

    @callback
    def _restored(entity_id: str, at: datetime) -> None:
        advance(points, entity_id, at)
        # Soon, or the next start finds it again, in a run of its own.
        changed()

    return _restored


async def async_link(
    points: MutableMapping[str, datetime],
    linked: Collection[str],
    write_now: Callable[[], Awaitable[None]],
) -> None:
    """Keep the catch-up points of the linked sources only; give a new one now.

    A source unlinked and linked again is new: what it measured meanwhile is
    no member's. A new link is caught up from now on, even if its first
    readings are lost to a cut before their batch is written.
    """
    stale = [entity_id for entity_id in points if entity_id not in linked]
    fresh = [entity_id for entity_id in linked if entity_id not in points]
    for entity_id in stale:
        del points[entity_id]
    points.update(dict.fromkeys(fresh, dt_util.utcnow()))
    if stale or fresh:
        await write_now()


@callback
def async_track_sources(
    hass: HomeAssistant,
    entry: ConfigEntry,
    entity_ids: list[str],
    on_reading: SourceReading,
    on_restored: SourceRestored,
    *,
    caught_up_to: Mapping[str, datetime | None],
) -> CALLBACK_TYPE:
    """Call `on_reading(entity_id, value, unit, at)` for each new numeric state.

    `unknown`, `unavailable` and non-numeric states are ignored, and so are
    states that are no new measurement (see `_NewReadings`) and the same value
    again from the same entity within DUPLICATE_WINDOW.

    `caught_up_to` holds, per entity, the time up to which its states were
    taken or found to be no reading. What the recorder holds after it
    (readings of a batch a power cut kept from being written, or reported
    while the household was disabled) is taken first, in the background.
    """
    started = dt_util.utcnow()
    # The catch-up takes what the recorder holds from before `started`, live
    # tracking what comes from `started` on (times are whole microseconds).
    readings = _NewReadings(
        hass,
        dict.fromkeys(entity_ids, started - timedelta(microseconds=1)),
        on_restored,
    )

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        # An entity with no state yet, or the placeholder Home Assistant shows
        # until it is set up, has just been added. A live state with the value
        # of the one before is an attribute change (some thermometers tell each
        # measurement's time so), not a re-write.
        added = old is None or bool(old.attributes.get(ATTR_RESTORED))
        if new is None or (value := readings.value(new, first_of_run=added)) is None:
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
            _async_catch_up(hass, since, started, on_reading, on_restored),
            "auto_home source catch-up",
        )
    return async_track_state_change_event(hass, entity_ids, _changed)


async def _async_catch_up(
    hass: HomeAssistant,
    since: dict[str, datetime],
    until: datetime,
    on_reading: SourceReading,
    on_restored: SourceRestored,
) -> None:
    """Feed what the recorder holds between `since` and `until`, oldest first."""
    # Restored states are told after the readings before them are fed: the
    # catch-up point must not pass a reading not yet taken.
    restored: list[datetime] = []
    readings = _NewReadings(hass, since, lambda _, at: restored.append(at))
    recorder = get_instance(hass)
    # States written before `until` (an entity restored as Home Assistant
    # started, say) are in the database once it commits.
    await recorder.async_block_till_done()
    run_start = recorder.recorder_runs_manager.recording_start
    for entity_id, start in since.items():
        # A run a cut ended before its catch-up point was written left its
        # restored state in the window: each run's first number is told.
        runs = await recorder.async_add_executor_job(_run_starts, hass, start)
        if not runs or runs[-1] < run_start:
            runs.append(run_start)
        states = await recorder.async_add_executor_job(
            partial(
                history.state_changes_during_period,
                hass,
                start,
                until,
                entity_id,
            )
        )
        missed: list[tuple[float, State]] = []
        # The first state may be the one in effect at `start`: taken before,
        # it still tells whether its run has had a number yet (run 0 is the
        # one `start` is in, past its start).
        numbered_runs = {0}
        for state in states.get(entity_id, []):
            run = bisect_right(runs, state.last_updated)
            if (
                value := readings.value(state, first_of_run=run not in numbered_runs)
            ) is not None:
                missed.append((value, state))
            if _number(state) is not None:
                numbered_runs.add(run)
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
        for at in restored:
            on_restored(entity_id, at)
        restored.clear()
        if missed:
            _LOGGER.info(
                "Took %s readings of %s from the recorder that were not stored",
                len(missed),
                entity_id,
            )


def _run_starts(hass: HomeAssistant, after: datetime) -> list[datetime]:
    """Return when the recorder's runs after `after` started, oldest first."""
    with session_scope(hass=hass, read_only=True) as session:
        return [
            process_timestamp(start)
            for start in session.scalars(
                select(RecorderRuns.start)
                .where(RecorderRuns.start > after)
                .order_by(RecorderRuns.start)
            )
        ]
