"""What entities show of a member, a chore and the household's chores.

A view holds only the coordinator and an id: every property reads the
features' live state when it is accessed, so nothing is copied and a view is
never stale. The views are the one place that knows how the features keep
their state; entities read views, never the features.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import Context
from homeassistant.util import dt as dt_util

from .const import CONF_DESCRIPTION
from .domain.baseline import TimeOfDay, Usual
from .domain.board import Shelf
from .domain.chore import Chore, ChoreStatus, HistoryEntry
from .domain.growth import GrowthResult, HeightStatus, Indicator, height_status
from .domain.schedule import Occurrence
from .domain.temperature import (
    AgeGroup,
    Classification,
    Episode,
    Site,
    TemperatureReading,
    Thresholds,
)
from .domain.weight import Forecast, GoalEstimate, Rate, bmi
from .history import ReadingHistory, month_of
from .subentries import age_group_of, birth_date_of, height_measured_on_of
from .validation import CLOCK_SKEW

if TYPE_CHECKING:
    from .coordinator import AutoHomeCoordinator
    from .domain.dosing import Dose
    from .dose_feature import NextDose
    from .temperature_feature import MemberTemperature
    from .weight_feature import MemberWeight, WeightReading

# The forecast looks this far ahead of the latest reading.
FORECAST_HORIZON: Final = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class GrowthScore:
    """A child's weight or BMI among children of the same sex and age."""

    result: GrowthResult
    # The weight (kg) or BMI scored, and when the reading it is of was taken.
    value: float
    measured_at: datetime


class SubentryView:
    """A view of one member or chore (a subentry of the household)."""

    __slots__ = ("_coordinator", "subentry_id")

    def __init__(self, coordinator: AutoHomeCoordinator, subentry_id: str) -> None:
        """Initialize the view of `subentry_id`."""
        self._coordinator = coordinator
        self.subentry_id = subentry_id

    @property
    def chores_generation(self) -> int:
        """A number that changes whenever any chore's lists or entities do."""
        return self._coordinator.chores.generation

    def chores_changed_since(self, generation: int) -> Iterator[str]:
        """Yield the chores whose entities changed after `generation`."""
        return self._coordinator.chores.changed_since(generation)

    @property
    def description(self) -> str | None:
        """The description the user gave it, if any."""
        subentry = self._coordinator.entry.subentries[self.subentry_id]
        return subentry.data.get(CONF_DESCRIPTION)


class MemberView(SubentryView):
    """A member's latest readings, fever episode, weight figures and chores."""

    __slots__ = ()

    @property
    def _temperature(self) -> MemberTemperature:
        return self._coordinator.temperature.members[self.subentry_id]

    @property
    def _weight(self) -> MemberWeight:
        return self._coordinator.weight.members[self.subentry_id]

    @property
    def temperature(self) -> TemperatureReading | None:
        """The latest temperature reading."""
        return self._temperature.latest

    @property
    def classification(self) -> Classification | None:
        """How the latest temperature reading was classified."""
        return self._temperature.classification

    @property
    def episode(self) -> Episode | None:
        """The open fever episode."""
        return self._temperature.tracker.episode

    @property
    def usual_temperatures(self) -> dict[TimeOfDay, Usual]:
        """The member's usual temperature by part of the day, where enough is known."""
        return self._temperature.baseline.usual(dt_util.now().date())

    @property
    def episode_ends_at(self) -> datetime | None:
        """When the open episode ends unless another fever reading comes."""
        return self._temperature.tracker.ends_at()

    @property
    def recheck_due(self) -> datetime | None:
        """When to measure again during an open episode."""
        return self._temperature.tracker.recheck_due()

    async def async_episode_readings(self) -> list[TemperatureReading]:
        """Every reading of the open episode, by measured time, from the journals.

        Back-filled readings are at the time they were measured.
        """
        if (episode := self.episode) is None:
            return []
        return await self.async_temperature_readings(
            episode.started_at, dt_util.utcnow() + CLOCK_SKEW
        )

    async def async_temperature_readings(
        self, start: datetime, end: datetime
    ) -> list[TemperatureReading]:
        """Every temperature measured in [start, end), from the journals."""
        return [
            TemperatureReading(dt_util.utc_from_timestamp(at), value, Site(site))
            for at, value, site in await _async_journal(
                self._temperature.history, start, end
            )
        ]

    async def async_weights(
        self, start: datetime, end: datetime
    ) -> list[tuple[datetime, float]]:
        """Every weight (kg) measured in [start, end), from the journals."""
        return [
            (dt_util.utc_from_timestamp(at), kg)
            for at, kg, _ in await _async_journal(self._weight.history, start, end)
        ]

    @property
    def away(self) -> bool:
        """Whether the member is away (their chores pass to others)."""
        return not self._coordinator.away.available(self.subentry_id)

    @property
    def next_doses(self) -> list[NextDose]:
        """The medicines given lately, soonest allowed again first."""
        return self._coordinator.doses.next_doses(self.subentry_id, dt_util.utcnow())

    @property
    def episode_doses(self) -> list[Dose]:
        """The doses given since the open fever episode started."""
        if (episode := self.episode) is None:
            return []
        return self._coordinator.doses.doses_for(self.subentry_id, episode.started_at)

    @property
    def weight(self) -> WeightReading | None:
        """The latest weight reading."""
        return self._weight.latest

    @property
    def weight_readings(self) -> list[WeightReading]:
        """The readings of the trend window (90 days), oldest first."""
        return self._weight.recent

    @property
    def unassigned_weight_readings(self) -> int:
        """How many shared-scale readings wait for a member (household-wide)."""
        return len(self._coordinator.weight.unassigned)

    @property
    def weight_trend(self) -> float | None:
        """The smoothed weight, in kg."""
        return self._weight.tracker.trend_kg

    @property
    def weight_rate(self) -> Rate | None:
        """The recent rate of change of the weight."""
        return self._weight.tracker.rate()

    @property
    def weight_forecast(self) -> Forecast | None:
        """The expected weight `FORECAST_HORIZON` after the latest reading."""
        tracker = self._weight.tracker
        if tracker.latest_at is None:
            return None
        return tracker.forecast(tracker.latest_at + FORECAST_HORIZON)

    @property
    def height(self) -> float | None:
        """The member's height in cm, if known."""
        return self._coordinator.weight.height_cm(self.subentry_id)

    @property
    def goal_weight(self) -> float | None:
        """The member's goal weight in kg, if set."""
        return self._coordinator.weight.goal_kg(self.subentry_id)

    @property
    def goal(self) -> GoalEstimate:
        """When the weight trend reaches the goal, or why not."""
        return self._weight.tracker.goal(self.goal_weight)

    @property
    def bmi(self) -> float | None:
        """The body mass index of the weight trend, when the height is known."""
        trend, height = self.weight_trend, self.height
        return None if trend is None or not height else round(bmi(trend, height), 1)

    @property
    def adult(self) -> bool:
        """Whether the member is an adult today (18 or older, or set so)."""
        data = self._coordinator.entry.subentries[self.subentry_id].data
        return age_group_of(data, dt_util.now().date()) is AgeGroup.ADULT

    @property
    def _growth_reading(self) -> WeightReading | None:
        """The latest reading the trend took (an outlier is no child's weight)."""
        return next(
            (
                reading
                for reading in reversed(self._weight.recent)
                if not reading.flagged
            ),
            None,
        )

    def _growth(
        self, indicator: Indicator, value_of: Callable[[float], float | None]
    ) -> GrowthScore | None:
        """Score the latest reading's `value_of(kg)` at the age it was taken."""
        if (reading := self._growth_reading) is None or (
            value := value_of(reading.kg)
        ) is None:
            return None
        result = self._coordinator.growth.assess(
            self.subentry_id, indicator, reading.measured_at, value
        )
        return (
            None if result is None else GrowthScore(result, value, reading.measured_at)
        )

    @property
    def weight_for_age(self) -> GrowthScore | None:
        """The latest weight among children's (WHO, to 10 years)."""
        return self._growth(Indicator.WEIGHT, lambda kg: kg)

    @property
    def height_measured_on(self) -> date | None:
        """The day the member's height was measured, if given."""
        data = self._coordinator.entry.subentries[self.subentry_id].data
        return height_measured_on_of(data)

    @property
    def bmi_height_status(self) -> HeightStatus | None:
        """Whether the height may score the latest reading's BMI-for-age.

        None without a reading, a height or a birth date: nothing to judge.
        """
        data = self._coordinator.entry.subentries[self.subentry_id].data
        if (
            (reading := self._growth_reading) is None
            or not self.height
            or (birth := birth_date_of(data)) is None
        ):
            return None
        reading_on = dt_util.as_local(reading.measured_at).date()
        return height_status(birth, self.height_measured_on, reading_on)

    @property
    def bmi_for_age(self) -> GrowthScore | None:
        """The BMI of the latest weight and a height measured near it.

        A child's height of long ago would score today's weight as a heavier
        child's: no score then (see `bmi_height_status`).
        """
        height = self.height
        if self.bmi_height_status is not HeightStatus.CURRENT:
            return None
        return self._growth(
            Indicator.BMI, lambda kg: bmi(kg, height) if height else None
        )

    def on(self, shelf: Shelf) -> list[ChoreView]:
        """Return the member's chores on a list (due, open: by due time; undoable)."""
        return [
            ChoreView(self._coordinator, chore_id) for chore_id in self.ids_on(shelf)
        ]

    def ids_on(self, shelf: Shelf) -> list[str]:
        """Return the ids of the member's chores on a list, as `on` orders them."""
        return self._coordinator.chores.board.on(shelf, self.subentry_id)

    @property
    def chores_due_today(self) -> list[ChoreView]:
        """The member's chores that are due or overdue, soonest first."""
        return self.on(Shelf.DUE)


class ChoreView(SubentryView):
    """A chore's pending occurrence, its summary and its reminder plan.

    Besides reading, it carries the two things a user does to a chore from
    its entities: complete it and rename it.
    """

    __slots__ = ()

    @property
    def _chore(self) -> Chore:
        return self._coordinator.chores.chores[self.subentry_id]

    @property
    def title(self) -> str | None:
        """The chore's name."""
        return self._coordinator.chores.title(self.subentry_id)

    @property
    def revision(self) -> int:
        """A number that changes whenever what the chore's entities show does."""
        return self._coordinator.chores.revisions[self.subentry_id]

    @property
    def assignee_id(self) -> str | None:
        """The member on for the pending occurrence, if any."""
        return self._chore.state.assignee

    def member_title(self, member_id: str | None) -> str | None:
        """Return a member's name (None for none or a deleted member)."""
        return self._coordinator.chores.title(member_id)

    @property
    def summary(self) -> dict[str, Any]:
        """What is known of the chore (the get_chores answer)."""
        return self._coordinator.chores.summary(self.subentry_id)

    @property
    def reminder_plan(self) -> dict[str, Any]:
        """When the chore will be reminded and why."""
        return self._coordinator.reminders.chores.explain(self.subentry_id)

    @property
    def occurrence(self) -> Occurrence:
        """The pending occurrence."""
        return self._chore.occurrence

    @property
    def due_at(self) -> datetime:
        """When the pending occurrence is due (after any snooze)."""
        return self._chore.due_at

    @property
    def due(self) -> date | datetime:
        """The day of an all-day occurrence, else its local due time."""
        chore = self._chore
        if chore.occurrence.all_day and chore.state.snoozed_until is None:
            return chore.state.day
        return dt_util.as_local(chore.due_at)

    @property
    def snoozed_until(self) -> datetime | None:
        """Until when the pending occurrence is snoozed, if it is."""
        return self._chore.state.snoozed_until

    @property
    def last_completed(self) -> datetime | None:
        """When the chore was last completed."""
        return self._chore.state.last_completed

    def days_overdue(self, now: datetime) -> int:
        """Return the whole local days the pending occurrence is overdue at `now`."""
        return self._chore.days_overdue(now)

    def status_at(self, now: datetime) -> ChoreStatus:
        """Return the pending occurrence's status at `now`."""
        return self._chore.status(now)

    @property
    def status(self) -> ChoreStatus:
        """The pending occurrence's status now."""
        return self._chore.status(dt_util.utcnow())

    def visible(self, now: datetime) -> bool:
        """Return whether the chore is on the To-do list at `now`."""
        return self._chore.visible(now)

    def planned(
        self, start: datetime, end: datetime
    ) -> list[tuple[Occurrence, HistoryEntry | None]]:
        """Return the occurrences in [start, end), each with how it was closed."""
        return self._chore.planned(start, end)

    def complete(self, context: Context | None) -> None:
        """Complete the pending occurrence (no-op when done).

        Credited to the member linked to the calling user, else the assignee.
        """
        user_id = None if context is None else context.user_id
        self._coordinator.chores.complete(self.subentry_id, user_id=user_id)

    @property
    def last_completed_by_id(self) -> str | None:
        """The member the last completion was credited to."""
        return self._chore.state.last_completed_by

    def undoable(self, now: datetime) -> bool:
        """Return whether the last completion can still be undone at `now`."""
        return self._chore.undoable(now)

    def undo(self) -> None:
        """Undo the last completion (no-op when it cannot be)."""
        self._coordinator.chores.undo(self.subentry_id)

    def rename(self, name: str) -> None:
        """Rename the chore; raise if the name is bad or taken."""
        self._coordinator.chores.rename(self.subentry_id, name)


class HouseholdView:
    """The household's chores, for its To-do list and calendar."""

    __slots__ = ("_coordinator",)

    def __init__(self, coordinator: AutoHomeCoordinator) -> None:
        """Initialize the view of the household."""
        self._coordinator = coordinator

    @property
    def chores(self) -> list[ChoreView]:
        """Every chore whose state can be used, in the household's order."""
        return [
            ChoreView(self._coordinator, chore_id)
            for chore_id in self._coordinator.chores.chores
        ]

    @property
    def chores_generation(self) -> int:
        """A number that changes whenever any chore's lists or entities do."""
        return self._coordinator.chores.generation

    def chores_changed_since(self, generation: int) -> Iterator[str]:
        """Yield the chores whose entities changed after `generation`."""
        return self._coordinator.chores.changed_since(generation)

    @property
    def thresholds(self) -> Thresholds:
        """The household's fever thresholds (core °C)."""
        return self._coordinator.temperature.thresholds

    @property
    def held_weights(self) -> dict[str, WeightReading]:
        """Shared-scale readings waiting for their member, by reading id."""
        return self._coordinator.weight.unassigned

    def chore(self, chore_id: str) -> ChoreView:
        """Return the view of one chore."""
        return ChoreView(self._coordinator, chore_id)

    def on(self, shelf: Shelf) -> list[ChoreView]:
        """Return the chores on a household list (due, open: by due time; undoable)."""
        return [
            ChoreView(self._coordinator, chore_id) for chore_id in self.ids_on(shelf)
        ]

    def ids_on(self, shelf: Shelf) -> list[str]:
        """Return the ids of the chores on a household list, as `on` orders them."""
        return self._coordinator.chores.board.on(shelf)

    def pending_by_start(self) -> Iterator[ChoreView]:
        """Every chore, by the start of its pending occurrence."""
        for chore_id in self._coordinator.chores.board.pending.ids():
            yield ChoreView(self._coordinator, chore_id)

    def damaged(self, listener_key: str) -> bool:
        """Return whether the state under `listener_key` waits for a reset."""
        return any(
            listener_key in feature.damaged.keys
            for feature in self._coordinator.isolated.values()
        )


async def _async_journal(
    history: ReadingHistory, start: datetime, end: datetime
) -> list[tuple[float, float, str]]:
    """Return a history's readings measured in [start, end), oldest first.

    The months read stay loaded: a later call costs no file access.
    """
    low, high = start.timestamp(), end.timestamp()
    lines: list[tuple[float, float, str]] = []
    for month in _months(start, end):
        columns = await history.async_month(month)
        lines.extend(
            line
            for line in zip(columns.times, columns.values, columns.tags, strict=True)
            if low <= line[0] < high
        )
    return lines


def _months(start: datetime, end: datetime) -> list[str]:
    """Return the months (YYYY-MM, UTC) from `start` to `end`, both included."""
    months = []
    start = start.astimezone(UTC)
    year, month = start.year, start.month
    last = month_of(end)
    while (current := f"{year:04d}-{month:02d}") <= last:
        months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
