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

from .feature import KeyedTimers

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
# on_caught_up(entity_id): what the recorder held of the entity is fed.
type SourceCaughtUp = Callable[[str], Coroutine[Any, Any, None]]


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
    the run and equals the number the entity had when the previous run ended.
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

    def previous_run(self, entity_id: str) -> float | None:
        """Return the number the restore cache kept of the entity, if any."""
        stored = self._previous_run.get(entity_id)
        return None if stored is None else _number(stored.state)

    def value(self, state: State, *, restorable: float | None) -> float | None:
        """Return the reading `state` is, or None when it is none or a repeat.

        `restorable`: the number the entity had as its run started, if `state`
        is its first number of the run (None otherwise).
        """
        if state.attributes.get(ATTR_RESTORED) or (value := _number(state)) is None:
            return None
        entity_id, at = state.entity_id, state.last_updated
        if (after := self._after.get(entity_id)) is not None and at <= after:
            return None
        if restorable is not None and value == restorable:
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


async def async_relink[T](
    hass: HomeAssistant,
    entry: ConfigEntry,
    linked: dict[str, T],
    new: dict[str, T],
    *,
    tracking: KeyedTimers,
    points: MutableMapping[str, datetime],
    write_now: Callable[[], Awaitable[None]],
    on_reading: SourceReading,
    changed: Callable[[], None],
    on_caught_up: SourceCaughtUp | None = None,
) -> None:
    """Follow the sources of `new` (entity -> its members); re-follow those that moved.

    `linked` is the mapping the handlers read: changed in place, not replaced.
    A source whose members are the same keeps its tracking (and catch-up).
    """
    moved = sorted(
        entity_id
        for entity_id in linked.keys() | new.keys()
        if linked.get(entity_id) != new.get(entity_id)
    )
    linked.clear()
    linked.update(new)
    await async_link(points, new, write_now)
    for entity_id in moved:
        tracking.cancel(entity_id)
        if entity_id in new:
            tracking.set(
                entity_id,
                async_track_sources(
                    hass,
                    entry,
                    [entity_id],
                    on_reading,
                    restored_handler(points, changed),
                    caught_up_to=points,
                    on_caught_up=on_caught_up,
                ),
            )


@callback
def async_track_sources(
    hass: HomeAssistant,
    entry: ConfigEntry,
    entity_ids: list[str],
    on_reading: SourceReading,
    on_restored: SourceRestored,
    *,
    caught_up_to: Mapping[str, datetime | None],
    on_caught_up: SourceCaughtUp | None = None,
) -> CALLBACK_TYPE:
    """Call `on_reading(entity_id, value, unit, at)` for each new numeric state.

    `unknown`, `unavailable` and non-numeric states are ignored, and so are
    states that are no new measurement (see `_NewReadings`) and the same value
    again from the same entity within DUPLICATE_WINDOW.

    `caught_up_to` holds, per entity, the time up to which its states were
    taken or found to be no reading. What the recorder holds after it
    (readings of a batch a power cut kept from being written, or reported
    while the household was disabled) is taken first, in the background; an
    entity's live states wait until then, so its readings come in order.
    `on_caught_up(entity_id)` is awaited once its recorded readings are fed,
    at once for an entity with nothing to catch up.
    """
    started = dt_util.utcnow()
    # The catch-up takes what the recorder holds from before `started`, live
    # tracking what comes from `started` on (times are whole microseconds).
    readings = _NewReadings(
        hass,
        dict.fromkeys(entity_ids, started - timedelta(microseconds=1)),
        on_restored,
    )

    def _live(new: State, added: bool) -> Coroutine[Any, Any, None] | None:
        """Return the feed of the reading a live state is, if it is one."""
        # An entity with no state yet, or the placeholder Home Assistant shows
        # until it is set up, has just been added. A live state with the value
        # of the one before is an attribute change (some thermometers tell each
        # measurement's time so), not a re-write.
        restorable = readings.previous_run(new.entity_id) if added else None
        if (value := readings.value(new, restorable=restorable)) is None:
            return None
        return on_reading(
            new.entity_id,
            value,
            new.attributes.get(ATTR_UNIT_OF_MEASUREMENT),
            new.last_updated,
            True,
        )

    since = {
        entity_id: max(at, started - CATCH_UP_LIMIT)
        for entity_id in entity_ids
        if (at := caught_up_to.get(entity_id)) is not None
    }
    if "recorder" not in hass.config.components:
        since = {}
    # Live states of an entity being caught up, held until it is.
    held: dict[str, list[tuple[State, bool]]] = {entity_id: [] for entity_id in since}

    @callback
    def _changed(event: Event[EventStateChangedData]) -> None:
        new, old = event.data["new_state"], event.data["old_state"]
        if new is None:
            return
        added = old is None or bool(old.attributes.get(ATTR_RESTORED))
        if (waiting := held.get(new.entity_id)) is not None:
            waiting.append((new, added))
        elif (feed := _live(new, added)) is not None:
            hass.async_create_task(feed, eager_start=True)

    async def _async_caught_up(entity_id: str) -> None:
        """Feed the live states held meanwhile, then tell the entity is caught up."""
        waiting = held.get(entity_id, [])
        while waiting:
            if (feed := _live(*waiting.pop(0))) is not None:
                await feed
        held.pop(entity_id, None)
        if on_caught_up is not None:
            await on_caught_up(entity_id)

    async def _async_catch_up_all() -> None:
        try:
            await _async_catch_up(
                hass,
                since,
                started,
                on_reading,
                on_restored=on_restored,
                on_caught_up=_async_caught_up,
            )
        except Exception:
            # Live tracking must not wait on a recorder that failed.
            _LOGGER.exception("Could not take missed readings from the recorder")
            for entity_id in list(held):
                await _async_caught_up(entity_id)

    if since:
        entry.async_create_background_task(
            hass, _async_catch_up_all(), "auto_home source catch-up"
        )
    if on_caught_up is not None:
        for entity_id in entity_ids:
            if entity_id not in since:
                entry.async_create_task(hass, on_caught_up(entity_id), eager_start=True)
    return async_track_state_change_event(hass, entity_ids, _changed)


async def _async_catch_up(
    hass: HomeAssistant,
    since: dict[str, datetime],
    until: datetime,
    on_reading: SourceReading,
    *,
    on_restored: SourceRestored,
    on_caught_up: Callable[[str], Awaitable[None]],
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
                # From just before, or the state at `start` (the last one
                # taken, what a next run restores) is neither in the window
                # nor the start-time state. Times are whole microseconds.
                start - timedelta(microseconds=1),
                until,
                entity_id,
            )
        )
        missed: list[tuple[float, State]] = []
        # The first state may be the one in effect at `start`: taken before,
        # it still tells whether its run has had a number yet (run 0 is the
        # one `start` is in, past its start) and what a later run restores.
        numbered_runs = {0}
        current = bisect_right(runs, run_start)
        last: float | None = None
        for state in states.get(entity_id, []):
            run = bisect_right(runs, state.last_updated)
            restorable = None
            if run not in numbered_runs:
                # An older run restored what the one before it ended with;
                # this one what the restore cache kept (stale after a kill).
                restorable = (
                    readings.previous_run(entity_id) if run == current else last
                )
            if (value := readings.value(state, restorable=restorable)) is not None:
                missed.append((value, state))
            if (number := _number(state)) is not None:
                numbered_runs.add(run)
                last = number
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
        await on_caught_up(entity_id)


def _run_starts(hass: HomeAssistant, after: datetime) -> list[datetime]:
    """Return when the recorder's runs after `after` started, oldest first."""
    try:
        # Not the recorder's public API: without it, only the current run is known.
        from homeassistant.components.recorder.db_schema import (  # noqa: PLC0415
            RecorderRuns,
        )
    except ImportError:
        return []
    with session_scope(hass=hass, read_only=True) as session:
        return [
            process_timestamp(start)
            for start in session.scalars(
                select(RecorderRuns.start)
                .where(RecorderRuns.start > after)
                .order_by(RecorderRuns.start)
            )
        ]
