"""Body temperature: site adjustment, fever classification, episodes, compaction.

Standard library only, no Home Assistant imports. Temperatures are in °C. "Core"
means the oral-equivalent temperature: the reading adjusted for the site it was
measured at and rounded to 0.01 °C, so that threshold comparisons are exact.
"""

from calendar import monthrange
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from math import fsum
from operator import attrgetter
from typing import Any, Final, Self

from .stored import aware, integer, number, optional_aware, optional_text

CELSIUS: Final = "°C"
FAHRENHEIT: Final = "°F"

# Outside this range a reading is a measuring error, not a body temperature.
PLAUSIBLE_MIN_C: Final = 30.0
PLAUSIBLE_MAX_C: Final = 45.0

INFANT_MONTHS: Final = 3
ADULT_MONTHS: Final = 18 * 12

DEFAULT_QUIET_PERIOD: Final = timedelta(hours=24)
DEFAULT_RECHECK_AFTER: Final = timedelta(hours=4)


class Site(StrEnum):
    """Where on the body a temperature was measured."""

    ORAL = "oral"
    EAR = "ear"
    FOREHEAD = "forehead"
    AXILLARY = "axillary"
    RECTAL = "rectal"


# Added to a reading to get its oral equivalent. Source for every range: Healthwise
# "Fever Temperatures: Accuracy and Comparison" (tw9223, as published by Michigan
# Medicine), which puts each site 0.3-0.6 °C from oral. Sites that read high get the
# low end of the range, so the adjustment hides as little fever as it can.
SITE_OFFSET_C: Final[Mapping[Site, float]] = {
    # Reference: the thresholds below are oral temperatures.
    Site.ORAL: 0.0,
    # Tympanic reads 0.3-0.6 higher; the low end keeps a fever a fever.
    Site.EAR: -0.3,
    # Temporal scanners read 0.3-0.6 lower but already compensate in part.
    Site.FOREHEAD: 0.3,
    # Armpit reads 0.3-0.6 lower; +0.5 is the correction commonly taught.
    Site.AXILLARY: 0.5,
    # Rectal reads 0.3-0.6 higher; the low end, as it is mostly used for infants.
    Site.RECTAL: -0.3,
}


def to_celsius(value: float, unit: str) -> float:
    """Return a temperature given in "°C" or "°F" in °C."""
    if unit == CELSIUS:
        return value
    if unit == FAHRENHEIT:
        return (value - 32.0) * 5.0 / 9.0
    raise ValueError(f"Unsupported temperature unit: {unit!r}")


def is_plausible(celsius: float) -> bool:
    """Return whether a measured temperature can be a body temperature."""
    return PLAUSIBLE_MIN_C <= celsius <= PLAUSIBLE_MAX_C


def core_celsius(value_c: float, site: Site) -> float:
    """Return the oral-equivalent temperature of a reading, to 0.01 °C."""
    return round(value_c + SITE_OFFSET_C[site], 2)


class FeverClass(StrEnum):
    """Classification of a core temperature."""

    NORMAL = "normal"
    LOW_GRADE = "low_grade"
    FEVER = "fever"
    HIGH_FEVER = "high_fever"
    HYPERPYREXIA = "hyperpyrexia"
    HYPOTHERMIA = "hypothermia"

    @property
    def severity(self) -> int:
        """Rank on the fever scale: 0 without fever (hypothermia included), then 1-3."""
        return _FEVER_SEVERITY.get(self, 0)


_FEVER_SEVERITY: Final = {
    FeverClass.FEVER: 1,
    FeverClass.HIGH_FEVER: 2,
    FeverClass.HYPERPYREXIA: 3,
}


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    """Lower bounds (inclusive, core °C) of each class; hypothermia is below its own."""

    low_grade: float = 37.3
    fever: float = 38.0
    high_fever: float = 39.0
    hyperpyrexia: float = 41.0
    hypothermia: float = 35.0

    def __post_init__(self) -> None:
        """Reject thresholds that are not strictly increasing (or are NaN)."""
        if not (
            self.hypothermia
            < self.low_grade
            < self.fever
            < self.high_fever
            < self.hyperpyrexia
        ):
            raise ValueError(
                "Thresholds must increase: hypothermia < low_grade < fever"
                " < high_fever < hyperpyrexia"
            )


DEFAULT_THRESHOLDS: Final = Thresholds()


def fever_class(core_c: float, thresholds: Thresholds) -> FeverClass:
    """Return the class of a core temperature."""
    core_c = round(core_c, 2)
    if core_c < thresholds.hypothermia:
        return FeverClass.HYPOTHERMIA
    if core_c >= thresholds.hyperpyrexia:
        return FeverClass.HYPERPYREXIA
    if core_c >= thresholds.high_fever:
        return FeverClass.HIGH_FEVER
    if core_c >= thresholds.fever:
        return FeverClass.FEVER
    if core_c >= thresholds.low_grade:
        return FeverClass.LOW_GRADE
    return FeverClass.NORMAL


class AgeGroup(StrEnum):
    """Age group, for the rules that depend on age."""

    INFANT = "infant"  # under 3 months
    CHILD = "child"  # under 18 years
    ADULT = "adult"


def age_group_for(birth_date: date, today: date) -> AgeGroup:
    """Return the age group on `today` of someone born on `birth_date`.

    Ages are counted in calendar months; a birthday that does not exist in the
    target month falls on its last day (3 months after 30 November is the end of
    February, 18 years after 29 February is 28 February).
    """
    if today < birth_date:
        raise ValueError("Birth date is in the future")
    if today < add_months(birth_date, INFANT_MONTHS):
        return AgeGroup.INFANT
    if today < add_months(birth_date, ADULT_MONTHS):
        return AgeGroup.CHILD
    return AgeGroup.ADULT


def add_months(day: date, months: int) -> date:
    """Return the same day of the month `months` later, clamped to the month's end."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


@dataclass(frozen=True, slots=True)
class Classification:
    """Class of a core temperature and whether it needs attention now."""

    fever_class: FeverClass
    urgent: bool


def classify(
    core_c: float, thresholds: Thresholds, age_group: AgeGroup
) -> Classification:
    """Classify a core temperature for someone of `age_group`.

    Urgent: any fever in an infant under 3 months (a medical emergency at that
    age), hyperpyrexia, and hypothermia (below 35 °C core is an emergency, and a
    reading that low from a mismeasurement should be repeated promptly anyway).
    """
    found = fever_class(core_c, thresholds)
    urgent = found in (FeverClass.HYPERPYREXIA, FeverClass.HYPOTHERMIA) or (
        age_group is AgeGroup.INFANT and found.severity > 0
    )
    return Classification(found, urgent)


@dataclass(frozen=True, slots=True)
class TemperatureReading:
    """One measurement, as taken: value in °C at a site."""

    measured_at: datetime
    value_c: float
    site: Site = Site.ORAL
    source: str | None = None

    def __post_init__(self) -> None:
        """Require an aware time, as readings from anywhere are compared."""
        if self.measured_at.utcoffset() is None:
            raise ValueError("measured_at must be time zone aware")

    @property
    def core_c(self) -> float:
        """Oral-equivalent temperature."""
        return core_celsius(self.value_c, self.site)

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {
            "measured_at": self.measured_at.isoformat(),
            "value_c": self.value_c,
            "site": self.site.value,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the reading stored by `as_dict`."""
        return cls(
            aware(data["measured_at"]),
            number(data["value_c"]),
            Site(data["site"]),
            optional_text(data["source"]),
        )


def assessed(reading: TemperatureReading, age_group: AgeGroup) -> TemperatureReading:
    """Return the reading as it is assessed (classified and tracked).

    Paediatric advice for young infants is "38.0 °C on any thermometer", so
    for them the site adjustment may raise a reading but never lower it.
    """
    if age_group is AgeGroup.INFANT:
        return replace(
            reading, value_c=max(reading.core_c, reading.value_c), site=Site.ORAL
        )
    return reading


@dataclass(frozen=True, slots=True, kw_only=True)
class Episode:
    """A fever episode, from its first fever reading until it ends.

    Temperatures are core °C; `readings` counts every reading in the episode,
    including those below the fever threshold.
    """

    started_at: datetime
    peak_c: float
    peak_at: datetime
    latest_c: float
    latest_at: datetime
    last_fever_at: datetime
    readings: int
    highest_class: FeverClass
    ended_at: datetime | None = None
    # Who acknowledged its urgent alert, and when (None: not acknowledged).
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None

    @property
    def duration(self) -> timedelta:
        """Time from the first to the last fever reading (the quiet tail excluded)."""
        return self.last_fever_at - self.started_at

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {
            "started_at": self.started_at.isoformat(),
            "peak_c": self.peak_c,
            "peak_at": self.peak_at.isoformat(),
            "latest_c": self.latest_c,
            "latest_at": self.latest_at.isoformat(),
            "last_fever_at": self.last_fever_at.isoformat(),
            "readings": self.readings,
            "highest_class": self.highest_class.value,
            "ended_at": self.ended_at and self.ended_at.isoformat(),
            "acknowledged_at": self.acknowledged_at
            and self.acknowledged_at.isoformat(),
            "acknowledged_by": self.acknowledged_by,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the episode stored by `as_dict`."""
        return cls(
            started_at=aware(data["started_at"]),
            peak_c=number(data["peak_c"]),
            peak_at=aware(data["peak_at"]),
            latest_c=number(data["latest_c"]),
            latest_at=aware(data["latest_at"]),
            last_fever_at=aware(data["last_fever_at"]),
            readings=integer(data["readings"]),
            highest_class=FeverClass(data["highest_class"]),
            ended_at=optional_aware(data["ended_at"]),
            # Stores before alert acknowledgement have neither.
            acknowledged_at=optional_aware(data.get("acknowledged_at")),
            acknowledged_by=optional_text(data.get("acknowledged_by")),
        )


class EpisodeEventType(StrEnum):
    """What happened to a fever episode."""

    STARTED = "started"
    ESCALATED = "escalated"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class EpisodeEvent:
    """An episode event, with the episode as it stands after it."""

    kind: EpisodeEventType
    episode: Episode
    # The episode lay wholly in the past when it became known (a back-fill).
    backfilled: bool = False
    # The reading, as measured, that started or escalated it (None: ended).
    reading: TemperatureReading | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return JSON-friendly data for a Home Assistant event or trigger."""
        return {
            "type": self.kind.value,
            **self.episode.as_dict(),
            "duration_seconds": self.episode.duration.total_seconds(),
            "backfilled": self.backfilled,
        }


class FeverTracker:
    """Follow one person's fever episodes, in constant time per reading.

    An episode starts at the first reading at or above the fever threshold and
    ends `quiet_period` after its last fever reading, when no fever reading came
    in between. Each episode yields `started`, then `escalated` each time its
    highest class rises, then `ended`, each exactly once; an ended episode that
    a back-fill reopens yields `started` again (see below).

    A reading is judged at its own time; `check` (or `settle`) judges the
    episode at the time it is now. Back-filled readings (measured before ones
    already added) are placed in the episode they belong to, so the order they
    arrive in does not change the episode:
    - measured inside the open episode (at or after its start): counted, and may
      move the peak, escalate, and, if a fever reading, postpone the end;
    - a fever reading before an episode's start whose quiet period reaches
      that start: the episode started earlier, so it moves the start back (and
      may move the peak or escalate);
    - either of these for the last ended episode: it updates that episode,
      silently; if that moves its end past `now` it is reopened, and announced
      as `started` again, live; if that moves its end past the open episode's
      start, the two are one episode;
    - any other reading before the known episodes: ignored;
    - with no episode open, a fever reading after the last ended episode starts
      a new one at its own time, even in the past.
    `settle` marks an episode that started and ended within one batch of
    events (given `now`) as lying wholly in the past: `backfilled`.
    """

    def __init__(
        self,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        *,
        quiet_period: timedelta = DEFAULT_QUIET_PERIOD,
        recheck_after: timedelta = DEFAULT_RECHECK_AFTER,
        episode: Episode | None = None,
        last_ended: Episode | None = None,
    ) -> None:
        """Initialize with the open and last closed episode, if any."""
        if quiet_period <= timedelta(0) or recheck_after <= timedelta(0):
            raise ValueError("quiet_period and recheck_after must be positive")
        self._thresholds = thresholds
        self._quiet_period = quiet_period
        self._recheck_after = recheck_after
        self._episode = episode
        self._last_ended = last_ended

    @property
    def episode(self) -> Episode | None:
        """The open episode."""
        return self._episode

    @property
    def last_ended(self) -> Episode | None:
        """The most recently ended episode."""
        return self._last_ended

    def ends_at(self) -> datetime | None:
        """Return when the open episode ends unless another fever reading comes."""
        if (episode := self._episode) is None:
            return None
        return self._ends_at(episode)

    def recheck_due(self) -> datetime | None:
        """Return when to measure again: `recheck_after` past the latest reading.

        None without an open episode, or when the episode ends before then.
        """
        if (episode := self._episode) is None:
            return None
        due = episode.latest_at + self._recheck_after
        return due if due < self._ends_at(episode) else None

    def acknowledge(self, at: datetime, by: str | None) -> Episode | None:
        """Record who acknowledged the open episode's alert; return the episode."""
        if self._episode is None:
            return None
        self._episode = replace(self._episode, acknowledged_at=at, acknowledged_by=by)
        return self._episode

    def check(self, now: datetime) -> list[EpisodeEvent]:
        """End the open episode if its quiet period is over at `now`."""
        if (episode := self._episode) is None or now < (
            ends_at := self._ends_at(episode)
        ):
            return []
        self._episode = None
        self._last_ended = replace(episode, ended_at=ends_at)
        return [EpisodeEvent(EpisodeEventType.ENDED, self._last_ended)]

    def add(
        self, reading: TemperatureReading, now: datetime | None = None
    ) -> list[EpisodeEvent]:
        """Take a reading into account at its own time; return its events.

        `now` tells whether a back-fill that moves the last ended episode's end
        reopens it; without it, an ended episode stays ended.
        """
        at = reading.measured_at
        # An episode whose quiet period is over by this reading ended before it.
        events = self.check(at)
        core_c = reading.core_c
        found = fever_class(core_c, self._thresholds)
        if (last := self._last_ended) and last.ended_at and at < last.ended_at:
            events += self._add_to_ended(last, at, core_c, found, now)
            return events
        if (episode := self._episode) is None:
            if found.severity > 0:
                self._episode = Episode(
                    started_at=at,
                    peak_c=core_c,
                    peak_at=at,
                    latest_c=core_c,
                    latest_at=at,
                    last_fever_at=at,
                    readings=1,
                    highest_class=found,
                )
                events.append(EpisodeEvent(EpisodeEventType.STARTED, self._episode))
            return events
        if (joined := self._joined(episode, at, core_c, found)) is None:
            return events
        self._episode = joined
        if joined.highest_class is not episode.highest_class:
            events.append(EpisodeEvent(EpisodeEventType.ESCALATED, joined))
        return events

    def settle(self, events: list[EpisodeEvent], now: datetime) -> list[EpisodeEvent]:
        """Return a batch's events and those of `check(now)` once all are in.

        An episode that started and ended within them lay wholly in the past:
        its events are marked back-filled.
        """
        events = events + self.check(now)
        started = {
            event.episode.started_at
            for event in events
            if event.kind is EpisodeEventType.STARTED
        }
        past = {
            event.episode.started_at
            for event in events
            if event.kind is EpisodeEventType.ENDED
            and event.episode.started_at in started
        }
        return [
            replace(event, backfilled=True)
            if event.episode.started_at in past
            else event
            for event in events
        ]

    def _add_to_ended(
        self,
        last: Episode,
        at: datetime,
        core_c: float,
        found: FeverClass,
        now: datetime | None,
    ) -> list[EpisodeEvent]:
        """Place a reading measured before the last ended episode's end."""
        if (joined := self._joined(last, at, core_c, found)) is None:
            return []
        ends_at = self._ends_at(joined)
        if (episode := self._episode) is not None and ends_at > episode.started_at:
            # The quiet period now reaches the open episode: they are one.
            # It is the later one: its latest readings stay the latest.
            later_peak = episode.peak_c > joined.peak_c
            self._episode = replace(
                episode,
                started_at=joined.started_at,
                peak_c=episode.peak_c if later_peak else joined.peak_c,
                peak_at=episode.peak_at if later_peak else joined.peak_at,
                readings=joined.readings + episode.readings,
                highest_class=max(
                    joined.highest_class,
                    episode.highest_class,
                    key=attrgetter("severity"),
                ),
            )
            self._last_ended = None
            if self._episode.highest_class is not episode.highest_class:
                return [EpisodeEvent(EpisodeEventType.ESCALATED, self._episode)]
            return []
        if episode is None and now is not None and ends_at > now:
            # Not over after all: live again, and told as such.
            self._episode = replace(joined, ended_at=None)
            self._last_ended = None
            return [EpisodeEvent(EpisodeEventType.STARTED, self._episode)]
        self._last_ended = replace(joined, ended_at=ends_at)
        return []

    def _joined(
        self, episode: Episode, at: datetime, core_c: float, found: FeverClass
    ) -> Episode | None:
        """Return `episode` with the reading in it, or None if it is not its own."""
        is_fever = found.severity > 0
        started_at = episode.started_at
        if at < started_at:
            if not is_fever or at + self._quiet_period <= started_at:
                return None
            started_at = at
        # Ties keep the earliest time, so the peak does not depend on arrival order.
        new_peak = core_c > episode.peak_c or (
            core_c == episode.peak_c and at < episode.peak_at
        )
        is_latest = at >= episode.latest_at
        return replace(
            episode,
            started_at=started_at,
            peak_c=core_c if new_peak else episode.peak_c,
            peak_at=at if new_peak else episode.peak_at,
            latest_c=core_c if is_latest else episode.latest_c,
            latest_at=at if is_latest else episode.latest_at,
            last_fever_at=max(at, episode.last_fever_at)
            if is_fever
            else episode.last_fever_at,
            readings=episode.readings + 1,
            highest_class=found
            if found.severity > episode.highest_class.severity
            else episode.highest_class,
        )

    def _ends_at(self, episode: Episode) -> datetime:
        """Return when `episode` ends unless another fever reading comes."""
        return episode.last_fever_at + self._quiet_period

    def as_dict(self) -> dict[str, Any]:
        """Return the state as a JSON-friendly dict (settings are not included)."""
        return {
            "episode": self._episode and self._episode.as_dict(),
            "last_ended": self._last_ended and self._last_ended.as_dict(),
        }

    @classmethod
    def from_dict(
        cls,
        data: Mapping[str, Any],
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        *,
        quiet_period: timedelta = DEFAULT_QUIET_PERIOD,
        recheck_after: timedelta = DEFAULT_RECHECK_AFTER,
    ) -> Self:
        """Return a tracker with the state stored by `as_dict`."""
        return cls(
            thresholds,
            quiet_period=quiet_period,
            recheck_after=recheck_after,
            episode=data["episode"] and Episode.from_dict(data["episode"]),
            last_ended=data["last_ended"] and Episode.from_dict(data["last_ended"]),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class HourlyBucket:
    """Core temperatures of one UTC hour, aggregated."""

    hour_start: datetime
    count: int
    min_c: float
    max_c: float
    mean_c: float

    def merge(self, other: Self) -> Self:
        """Return this bucket combined with another of the same hour."""
        count = self.count + other.count
        return replace(
            self,
            count=count,
            min_c=min(self.min_c, other.min_c),
            max_c=max(self.max_c, other.max_c),
            mean_c=(self.mean_c * self.count + other.mean_c * other.count) / count,
        )

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {
            "hour_start": self.hour_start.isoformat(),
            "count": self.count,
            "min_c": self.min_c,
            "max_c": self.max_c,
            "mean_c": self.mean_c,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the bucket stored by `as_dict`."""
        return cls(
            hour_start=datetime.fromisoformat(data["hour_start"]),
            count=data["count"],
            min_c=data["min_c"],
            max_c=data["max_c"],
            mean_c=data["mean_c"],
        )


def compact(
    readings: Iterable[TemperatureReading],
    *,
    keep_raw_after: datetime,
    buckets: Iterable[HourlyBucket] = (),
) -> tuple[list[TemperatureReading], list[HourlyBucket]]:
    """Fold the readings from before `keep_raw_after` into hourly buckets.

    Returns the readings kept raw, in their order, and `buckets` merged with the
    new ones, sorted by hour. The cutoff is rounded down to the hour so no hour
    is split between raw readings and a bucket; run it again later (daily, say)
    to fold what has aged since, passing the buckets it returned.
    """
    cutoff = _hour_start(keep_raw_after)
    raw: list[TemperatureReading] = []
    folded: defaultdict[datetime, list[float]] = defaultdict(list)
    for reading in readings:
        if reading.measured_at >= cutoff:
            raw.append(reading)
        else:
            folded[_hour_start(reading.measured_at)].append(reading.core_c)
    by_hour = {bucket.hour_start: bucket for bucket in buckets}
    for hour, values in folded.items():
        new = HourlyBucket(
            hour_start=hour,
            count=len(values),
            min_c=min(values),
            max_c=max(values),
            mean_c=fsum(values) / len(values),
        )
        by_hour[hour] = by_hour[hour].merge(new) if hour in by_hour else new
    return raw, sorted(by_hour.values(), key=attrgetter("hour_start"))


def _hour_start(moment: datetime) -> datetime:
    """Return the start of the UTC hour containing `moment`."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
