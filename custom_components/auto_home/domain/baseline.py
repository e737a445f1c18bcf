"""Personal baseline: a member's usual temperature by time of day.

Standard library only, no Home Assistant imports. Each afebrile reading's
oral-equivalent value, rounded to 0.1 °C, is counted under its local day and
its part of the day (night 0-6 h, morning 6-12 h, afternoon 12-18 h, evening
18-24 h). The usual value of a part is the median of the counts of the last
`window_days` local days: adding a reading costs one counter, whatever the
history holds, and a day that leaves the window is subtracted once.
Classification never uses it: fever is judged on the clinical thresholds.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Final, Self

from .stored import integer
from .temperature import Episode, TemperatureReading, Thresholds

BASELINE_DAYS: Final = 90
# Fewer readings than this in a part of the day say too little to show.
MIN_READINGS: Final = 5


class TimeOfDay(StrEnum):
    """A quarter of the local day."""

    NIGHT = "night"
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


_PARTS: Final = tuple(TimeOfDay)


def time_of_day(local: datetime) -> TimeOfDay:
    """Return the part of the day of a local wall-clock time."""
    return _PARTS[local.hour // 6]


def is_afebrile(core_c: float, thresholds: Thresholds) -> bool:
    """Return whether a core temperature is neither fever nor hypothermia.

    Hypothermia readings are mostly thermometers not in place: not usual.
    """
    return thresholds.hypothermia <= round(core_c, 2) < thresholds.fever


def in_episode(at: datetime, episodes: Iterable[Episode]) -> bool:
    """Return whether `at` lies inside one of the episodes (an open one has no end)."""
    return any(
        episode.started_at <= at and (episode.ended_at is None or at < episode.ended_at)
        for episode in episodes
    )


@dataclass(frozen=True, slots=True)
class Usual:
    """A member's usual temperature in one part of the day."""

    time_of_day: TimeOfDay
    core_c: float
    readings: int

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {"temperature": self.core_c, "readings": self.readings}


def difference(core_c: float, usual: Usual) -> float:
    """Return how far a core temperature is above (+) or below (-) the usual, 0.1 °C."""
    return round(core_c - usual.core_c, 1)


type _Day = tuple[Counter[int], ...]


def _empty_day() -> _Day:
    return tuple(Counter[int]() for _ in _PARTS)


class Baseline:
    """One member's afebrile readings of the recent days, counted by part of day."""

    def __init__(
        self,
        days: Mapping[date, _Day] | None = None,
        *,
        window_days: int = BASELINE_DAYS,
        min_readings: int = MIN_READINGS,
    ) -> None:
        """Initialize with counted days (tenths of °C -> readings, per part)."""
        if window_days < 1 or min_readings < 1:
            raise ValueError("window_days and min_readings must be positive")
        self._window_span = timedelta(days=window_days)
        self._min_readings = min_readings
        self._days: dict[date, _Day] = {}
        self._totals = _empty_day()
        # The newest day counted: the window ends on it.
        self._newest: date | None = None
        for day, parts in sorted((days or {}).items()):
            for part, counts in zip(_PARTS, parts, strict=True):
                for tenths, count in counts.items():
                    self._count(day, part, tenths, count)

    def add(
        self,
        reading: TemperatureReading,
        zone: tzinfo,
        thresholds: Thresholds,
        episodes: Iterable[Episode] = (),
    ) -> bool:
        """Count an afebrile reading outside the episodes; return whether counted."""
        core_c = reading.core_c
        if not is_afebrile(core_c, thresholds) or in_episode(
            reading.measured_at, episodes
        ):
            return False
        local = reading.measured_at.astimezone(zone)
        return self._count(local.date(), time_of_day(local), round(core_c * 10), 1)

    def _count(self, day: date, part: TimeOfDay, tenths: int, count: int) -> bool:
        if self._newest is not None and day <= self._newest - self._window_span:
            return False
        if self._newest is None or day > self._newest:
            self._advance(day)
        index = _PARTS.index(part)
        if (counted := self._days.get(day)) is None:
            counted = self._days[day] = _empty_day()
        counted[index][tenths] += count
        self._totals[index][tenths] += count
        return True

    def _advance(self, newest: date) -> None:
        """End the window on `newest`: subtract the days that leave it."""
        self._newest = newest
        for day in [day for day in self._days if day <= newest - self._window_span]:
            for total, counts in zip(self._totals, self._days.pop(day), strict=True):
                total.subtract(counts)
                # Counter.subtract keeps zero counts; they would be medians' noise.
                for tenths in [key for key, value in total.items() if value <= 0]:
                    del total[tenths]

    def usual(self, today: date) -> dict[TimeOfDay, Usual]:
        """Return the usual temperature of each part of the day with enough readings.

        The window ends on `today`, or on the newest day counted if that is later.
        """
        totals = self._totals
        if self._newest is not None and today > self._newest:
            first = today - self._window_span
            totals = _empty_day()
            for day, parts in self._days.items():
                if day > first:
                    for total, counts in zip(totals, parts, strict=True):
                        total.update(counts)
        found: dict[TimeOfDay, Usual] = {}
        for part, counts in zip(_PARTS, totals, strict=True):
            if (readings := counts.total()) >= self._min_readings:
                found[part] = Usual(part, _median_tenths(counts) / 10, readings)
        return found

    def usual_at(self, local: datetime) -> Usual | None:
        """Return the usual temperature for a local time, if enough is known."""
        return self.usual(local.date()).get(time_of_day(local))

    def as_dict(self) -> dict[str, Any]:
        """Return the counted days, JSON-friendly: {day: [{tenths: count}] x 4}."""
        return {
            day.isoformat(): [
                {str(tenths): count for tenths, count in sorted(counts.items())}
                for counts in parts
            ]
            for day, parts in sorted(self._days.items())
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        *,
        window_days: int = BASELINE_DAYS,
        min_readings: int = MIN_READINGS,
    ) -> Self:
        """Return the baseline stored by `as_dict`."""
        days: dict[date, _Day] = {}
        for day, parts in data.items():
            if len(parts) != len(_PARTS):
                raise ValueError(f"a day with {len(parts)} parts: {day}")
            days[date.fromisoformat(day)] = tuple(
                Counter({int(tenths): integer(count) for tenths, count in part.items()})
                for part in parts
            )
        return cls(days, window_days=window_days, min_readings=min_readings)


def _median_tenths(counts: Counter[int]) -> float:
    """Return the median of counted values (the mean of the middle two if even)."""
    total = counts.total()
    # 0-based ranks of the two middle values (the same one if the count is odd).
    wanted = [(total - 1) // 2, total // 2]
    middle: list[int] = []
    seen = 0
    for tenths in sorted(counts):
        seen += counts[tenths]
        while wanted and seen > wanted[0]:
            middle.append(tenths)
            wanted.pop(0)
        if not wanted:
            return (middle[0] + middle[1]) / 2
    raise ValueError("no readings")
