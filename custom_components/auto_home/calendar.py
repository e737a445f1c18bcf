"""The household's chores as a calendar: every occurrence, completed ones marked."""

from datetime import date, datetime, timedelta
from typing import Final, override

from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .chore_feature import CHORES
from .const import CONF_DESCRIPTION
from .coordinator import AutoHomeConfigEntry
from .domain.chore import HistoryEntry
from .domain.schedule import Occurrence
from .entity import AutoHomeHouseholdEntity

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

    def _event(
        self, chore_id: str, occurrence: Occurrence, closed: HistoryEntry | None
    ) -> CalendarEvent:
        title = self.coordinator.chores.title(chore_id) or ""
        span = _span(occurrence)
        return CalendarEvent(
            start=span[0],
            end=span[1],
            summary=f"{DONE_MARK}{title}" if closed else title,
            description=self.coordinator.entry.subentries[chore_id].data.get(
                CONF_DESCRIPTION
            ),
            uid=f"{chore_id}_{occurrence.day.isoformat()}",
        )

    @property
    @override
    def event(self) -> CalendarEvent | None:
        """Return the first pending occurrence that has not ended."""
        now = dt_util.utcnow()
        # Building a CalendarEvent validates it: only the one shown is built.
        pending = [
            (chore_id, occurrence)
            for chore_id, chore in self.coordinator.chores.chores.items()
            if _end(occurrence := chore.occurrence) > now
        ]
        if not pending:
            return None
        chore_id, occurrence = min(pending, key=lambda item: item[1].start)
        return self._event(chore_id, occurrence, None)

    @override
    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Return the occurrences of every chore in the range, by start."""
        events = [
            (occurrence.start.timestamp(), self._event(chore_id, occurrence, closed))
            for chore_id, chore in self.coordinator.chores.chores.items()
            for occurrence, closed in chore.planned(start_date, end_date)
        ]
        return [event for _, event in sorted(events, key=lambda item: item[0])]


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
