"""The household's chores as a calendar: every occurrence, completed ones marked."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Final, override

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .chore_feature import CHORES
from .coordinator import AutoHomeConfigEntry
from .domain.chore import HistoryEntry
from .domain.schedule import Occurrence
from .entity import AutoHomeHouseholdEntity, ChoreDescriptions
from .views import ChoreView

PARALLEL_UPDATES = 0

# How long a chore with a due time shows in the calendar.
TIMED_LENGTH: Final = timedelta(minutes=30)
DONE_MARK: Final = "✓ "


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's chore calendar."""
    async_add_entities([ChoreCalendar(entry.runtime_data, CHORES)])


class ChoreCalendar(AutoHomeHouseholdEntity, CalendarEntity):
    """Past completions and every planned occurrence of the household's chores."""

    # The chore and revision of the event last shown, and the event: a change
    # elsewhere is not written, and a write (which reads the event three
    # times) builds it once.
    _shown: tuple[str, int] | None = None
    _shown_event: CalendarEvent | None = None

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the chores; write only when the event shown changes."""
        self.async_on_remove(
            self.coordinator.async_add_listener(self._key, self._async_chores_changed)
        )

    @callback
    def _async_chores_changed(self) -> None:
        if (first := self._first()) is None or (
            first[0].subentry_id,
            first[0].revision,
        ) != self._shown:
            self.async_write_ha_state()

    def _events(
        self, chore: ChoreView, planned: list[tuple[Occurrence, HistoryEntry | None]]
    ) -> Iterator[CalendarEvent]:
        """Yield the events of a chore's occurrences (what they share built once)."""
        title = chore.title or ""
        done = f"{DONE_MARK}{title}"
        uid = f"{chore.subentry_id}_"
        describe = ChoreDescriptions(self.hass, chore).of
        for occurrence, closed in planned:
            start, end = _span(occurrence)
            yield CalendarEvent(
                start=start,
                end=end,
                summary=done if closed else title,
                description=describe(occurrence, closed),
                uid=f"{uid}{occurrence.day.isoformat()}",
            )

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """Return the first pending occurrence that has not ended."""
        if (first := self._first()) is None:
            self._shown = self._shown_event = None
            return None
        chore, occurrence = first
        shown = (chore.subentry_id, chore.revision)
        if self._shown_event is None or shown != self._shown:
            # Building a CalendarEvent validates it: only the one shown is built.
            self._shown = shown
            self._shown_event = next(self._events(chore, [(occurrence, None)]))
        return self._shown_event

    def _first(self) -> tuple[ChoreView, Occurrence] | None:
        """Return the chore whose pending occurrence starts first, not ended."""
        now = dt_util.utcnow()
        # By start: only those that ended (overdue ones) are passed over.
        return next(
            (
                (chore, occurrence)
                for chore in self.view.pending_by_start()
                if _end(occurrence := chore.occurrence) > now
            ),
            None,
        )

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the occurrences of every chore in the range, by start."""
        starts: list[float] = []
        events: list[CalendarEvent] = []
        for chore in self.view.chores:
            planned = chore.planned(start_date, end_date)
            starts.extend([occurrence.start.timestamp() for occurrence, _ in planned])
            events.extend(self._events(chore, planned))
        # By start; ties keep the household's order (a stable sort).
        order = sorted(range(len(starts)), key=starts.__getitem__)
        return list(map(events.__getitem__, order))


def _span(occurrence: Occurrence) -> tuple[date, date] | tuple[datetime, datetime]:
    """Return the start and end of an occurrence's calendar event."""
    if occurrence.all_day:
        return occurrence.day, occurrence.day + timedelta(days=1)
    start = dt_util.as_local(occurrence.start)
    return start, start + TIMED_LENGTH


def _end(occurrence: Occurrence) -> datetime:
    """Return when an occurrence's calendar event ends."""
    if occurrence.all_day:
        return occurrence.deadline
    return occurrence.start + TIMED_LENGTH
