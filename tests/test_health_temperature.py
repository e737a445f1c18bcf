"""Tests for the pure temperature analysis: no Home Assistant involved."""

from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
import json
import math
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain.temperature import (
    DEFAULT_THRESHOLDS,
    PLAUSIBLE_MAX_C,
    PLAUSIBLE_MIN_C,
    SITE_OFFSET_C,
    AgeGroup,
    Classification,
    Episode,
    EpisodeEvent,
    EpisodeEventType,
    FeverClass,
    FeverTracker,
    HourlyBucket,
    Site,
    TemperatureReading,
    Thresholds,
    age_group_for,
    classify,
    compact,
    core_celsius,
    fever_class,
    is_plausible,
    to_celsius,
)

T0 = datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
STARTED = EpisodeEventType.STARTED
ESCALATED = EpisodeEventType.ESCALATED
ENDED = EpisodeEventType.ENDED


def oral(at: datetime, value_c: float) -> TemperatureReading:
    """Return an oral reading."""
    return TemperatureReading(at, value_c)


def kinds(events: list[EpisodeEvent]) -> list[EpisodeEventType]:
    """Return the kinds of events."""
    return [event.kind for event in events]


# Units, plausibility and sites


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (37.0, "°C", 37.0),
        (98.6, "°F", 37.0),
        (100.4, "°F", 38.0),
        (32.0, "°F", 0.0),
        (212.0, "°F", 100.0),
    ],
)
def test_to_celsius(value: float, unit: str, expected: float) -> None:
    assert to_celsius(value, unit) == pytest.approx(expected)


@pytest.mark.parametrize("unit", ["K", "C", "", "°c"])
def test_to_celsius_rejects_other_units(unit: str) -> None:
    with pytest.raises(ValueError, match="Unsupported temperature unit"):
        to_celsius(37.0, unit)


def test_fahrenheit_reading_classifies_on_its_exact_boundary() -> None:
    # 100.4 °F is 38.00000000000001 °C before rounding.
    core_c = core_celsius(to_celsius(100.4, "°F"), Site.ORAL)
    assert core_c == 38.0
    assert fever_class(core_c, DEFAULT_THRESHOLDS) is FeverClass.FEVER
    assert fever_class(to_celsius(99.5, "°F"), DEFAULT_THRESHOLDS) is (
        FeverClass.LOW_GRADE
    )


@pytest.mark.parametrize(
    ("celsius", "plausible"),
    [
        (PLAUSIBLE_MIN_C, True),
        (PLAUSIBLE_MAX_C, True),
        (37.0, True),
        (29.99, False),
        (45.01, False),
        (math.nan, False),
    ],
)
def test_is_plausible(celsius: float, plausible: bool) -> None:
    assert is_plausible(celsius) is plausible


@pytest.mark.parametrize(
    ("site", "offset"),
    [
        (Site.ORAL, 0.0),
        (Site.EAR, -0.3),
        (Site.FOREHEAD, 0.3),
        (Site.AXILLARY, 0.5),
        (Site.RECTAL, -0.3),
    ],
)
def test_site_offsets(site: Site, offset: float) -> None:
    assert SITE_OFFSET_C[site] == offset
    assert core_celsius(37.0, site) == round(37.0 + offset, 2)
    assert TemperatureReading(T0, 37.0, site).core_c == core_celsius(37.0, site)


def test_every_site_has_an_offset() -> None:
    assert set(SITE_OFFSET_C) == set(Site)


def test_site_adjustment_lands_exactly_on_a_boundary() -> None:
    # 36.8 + 0.5 and 37.0 + 0.3 are not 37.3 in binary floating point.
    for value_c, site in ((36.8, Site.AXILLARY), (37.0, Site.FOREHEAD)):
        core_c = core_celsius(value_c, site)
        assert fever_class(core_c, DEFAULT_THRESHOLDS) is FeverClass.LOW_GRADE


# Classification


@pytest.mark.parametrize(
    ("core_c", "expected"),
    [
        (34.99, FeverClass.HYPOTHERMIA),
        (35.0, FeverClass.NORMAL),
        (37.29, FeverClass.NORMAL),
        (37.3, FeverClass.LOW_GRADE),
        (37.99, FeverClass.LOW_GRADE),
        (38.0, FeverClass.FEVER),
        (38.99, FeverClass.FEVER),
        (39.0, FeverClass.HIGH_FEVER),
        (40.99, FeverClass.HIGH_FEVER),
        (41.0, FeverClass.HYPERPYREXIA),
        (37.2999999, FeverClass.LOW_GRADE),
        (37.294, FeverClass.NORMAL),
    ],
)
def test_fever_class_boundaries(core_c: float, expected: FeverClass) -> None:
    assert fever_class(core_c, DEFAULT_THRESHOLDS) is expected


def test_severity_order() -> None:
    no_fever = {FeverClass.HYPOTHERMIA, FeverClass.NORMAL, FeverClass.LOW_GRADE}
    assert {fever.severity for fever in no_fever} == {0}
    assert (
        0
        < FeverClass.FEVER.severity
        < FeverClass.HIGH_FEVER.severity
        < FeverClass.HYPERPYREXIA.severity
    )


def test_thresholds_can_be_overridden() -> None:
    thresholds = Thresholds(low_grade=37.5, fever=38.5)
    assert fever_class(38.0, thresholds) is FeverClass.LOW_GRADE
    assert fever_class(38.5, thresholds) is FeverClass.FEVER


@pytest.mark.parametrize(
    "overrides",
    [
        {"low_grade": 38.0},
        {"fever": 39.5},
        {"high_fever": 41.0},
        {"hypothermia": 37.3},
        {"hyperpyrexia": math.nan},
    ],
)
def test_thresholds_must_increase(overrides: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="Thresholds must increase"):
        Thresholds(**overrides)


@pytest.mark.parametrize(
    ("core_c", "age_group", "expected"),
    [
        (38.0, AgeGroup.INFANT, Classification(FeverClass.FEVER, urgent=True)),
        (37.99, AgeGroup.INFANT, Classification(FeverClass.LOW_GRADE, urgent=False)),
        (38.0, AgeGroup.CHILD, Classification(FeverClass.FEVER, urgent=False)),
        (40.5, AgeGroup.ADULT, Classification(FeverClass.HIGH_FEVER, urgent=False)),
        (41.0, AgeGroup.ADULT, Classification(FeverClass.HYPERPYREXIA, urgent=True)),
        (34.9, AgeGroup.CHILD, Classification(FeverClass.HYPOTHERMIA, urgent=True)),
        (36.8, AgeGroup.INFANT, Classification(FeverClass.NORMAL, urgent=False)),
    ],
)
def test_classify(core_c: float, age_group: AgeGroup, expected: Classification) -> None:
    assert classify(core_c, DEFAULT_THRESHOLDS, age_group) == expected


def test_infant_rule_follows_the_fever_threshold() -> None:
    thresholds = Thresholds(fever=38.5)
    assert not classify(38.2, thresholds, AgeGroup.INFANT).urgent
    assert classify(38.5, thresholds, AgeGroup.INFANT).urgent


# Age groups


@pytest.mark.parametrize(
    ("birth_date", "today", "expected"),
    [
        (date(2026, 1, 15), date(2026, 1, 15), AgeGroup.INFANT),
        (date(2026, 1, 15), date(2026, 4, 14), AgeGroup.INFANT),
        (date(2026, 1, 15), date(2026, 4, 15), AgeGroup.CHILD),
        # No 30 February: 3 months after 30 November is the end of February.
        (date(2022, 11, 30), date(2023, 2, 27), AgeGroup.INFANT),
        (date(2022, 11, 30), date(2023, 2, 28), AgeGroup.CHILD),
        (date(2023, 11, 30), date(2024, 2, 28), AgeGroup.INFANT),
        (date(2023, 11, 30), date(2024, 2, 29), AgeGroup.CHILD),
        # Leap-day birthdays.
        (date(2024, 2, 29), date(2024, 5, 28), AgeGroup.INFANT),
        (date(2024, 2, 29), date(2024, 5, 29), AgeGroup.CHILD),
        (date(2024, 2, 29), date(2042, 2, 27), AgeGroup.CHILD),
        (date(2024, 2, 29), date(2042, 2, 28), AgeGroup.ADULT),
        (date(2008, 2, 29), date(2026, 2, 28), AgeGroup.ADULT),
        (date(2000, 2, 29), date(2018, 2, 28), AgeGroup.ADULT),
        # Month arithmetic across the year end.
        (date(2025, 11, 5), date(2026, 2, 4), AgeGroup.INFANT),
        (date(2025, 11, 5), date(2026, 2, 5), AgeGroup.CHILD),
        (date(2008, 6, 1), date(2026, 5, 31), AgeGroup.CHILD),
        (date(2008, 6, 1), date(2026, 6, 1), AgeGroup.ADULT),
    ],
)
def test_age_group_for(birth_date: date, today: date, expected: AgeGroup) -> None:
    assert age_group_for(birth_date, today) is expected


def test_age_group_for_rejects_future_birth_date() -> None:
    with pytest.raises(ValueError, match="future"):
        age_group_for(date(2026, 1, 2), date(2026, 1, 1))


# Readings


def test_reading_requires_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        TemperatureReading(datetime(2026, 1, 1, 8, 0), 37.0)


def test_reading_round_trip() -> None:
    reading = TemperatureReading(
        datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))),
        38.25,
        Site.EAR,
        "sensor.thermometer",
    )
    stored = json.loads(json.dumps(reading.as_dict()))
    assert TemperatureReading.from_dict(stored) == reading


# Fever episodes


def test_episode_lifecycle() -> None:
    tracker = FeverTracker()
    assert tracker.episode is None
    assert tracker.ends_at() is None
    assert tracker.recheck_due() is None
    assert tracker.add(oral(T0, 37.5)) == []

    events = tracker.add(oral(T0 + HOUR, 38.2))
    assert kinds(events) == [STARTED]
    started = events[0].episode
    assert started.started_at == T0 + HOUR
    assert started.highest_class is FeverClass.FEVER
    assert tracker.ends_at() == T0 + HOUR + DAY
    assert tracker.recheck_due() == T0 + 5 * HOUR

    assert tracker.add(oral(T0 + 2 * HOUR, 38.6)) == []
    events = tracker.add(oral(T0 + 3 * HOUR, 39.4))
    assert kinds(events) == [ESCALATED]
    assert events[0].episode.highest_class is FeverClass.HIGH_FEVER
    # Back to a lower class: no event, the highest class stays.
    assert tracker.add(oral(T0 + 4 * HOUR, 38.1)) == []
    assert tracker.add(oral(T0 + 10 * HOUR, 37.0)) == []

    last_fever = T0 + 4 * HOUR
    assert tracker.ends_at() == last_fever + DAY
    assert tracker.recheck_due() == T0 + 14 * HOUR
    assert tracker.check(last_fever + DAY - timedelta(microseconds=1)) == []

    events = tracker.check(last_fever + DAY)
    assert kinds(events) == [ENDED]
    ended = events[0].episode
    assert ended == Episode(
        started_at=T0 + HOUR,
        peak_c=39.4,
        peak_at=T0 + 3 * HOUR,
        latest_c=37.0,
        latest_at=T0 + 10 * HOUR,
        last_fever_at=last_fever,
        readings=5,
        highest_class=FeverClass.HIGH_FEVER,
        ended_at=last_fever + DAY,
    )
    assert ended.duration == 3 * HOUR
    assert tracker.episode is None
    assert tracker.last_ended == ended
    assert tracker.ends_at() is None
    assert tracker.recheck_due() is None
    # Ended exactly once, however often the timer fires.
    assert tracker.check(last_fever + DAY) == []
    assert tracker.check(last_fever + 10 * DAY) == []


def test_episode_started_above_fever_does_not_escalate() -> None:
    tracker = FeverTracker()
    events = tracker.add(oral(T0, 41.2))
    assert kinds(events) == [STARTED]
    assert events[0].episode.highest_class is FeverClass.HYPERPYREXIA
    assert tracker.add(oral(T0 + HOUR, 39.5)) == []


def test_escalation_skipping_a_class() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.0))
    events = tracker.add(oral(T0 + HOUR, 41.0))
    assert kinds(events) == [ESCALATED]
    assert tracker.add(oral(T0 + 2 * HOUR, 39.5)) == []


def test_fever_reading_in_quiet_period_postpones_the_end() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.5))
    tracker.add(oral(T0 + 20 * HOUR, 37.0))
    assert tracker.add(oral(T0 + 23 * HOUR, 38.0)) == []
    assert tracker.check(T0 + DAY) == []
    assert tracker.ends_at() == T0 + 23 * HOUR + DAY


def test_reading_after_the_quiet_period_ends_the_episode_first() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.5))
    events = tracker.add(oral(T0 + 2 * DAY, 38.3))
    assert kinds(events) == [ENDED, STARTED]
    assert events[0].episode.ended_at == T0 + DAY
    assert events[0].episode.readings == 1
    assert events[1].episode.started_at == T0 + 2 * DAY

    events = tracker.add(oral(T0 + 4 * DAY, 36.9))
    assert kinds(events) == [ENDED]
    assert tracker.episode is None


def test_readings_on_the_threshold() -> None:
    tracker = FeverTracker()
    assert tracker.add(oral(T0, 37.99)) == []
    assert kinds(tracker.add(oral(T0 + HOUR, 38.0))) == [STARTED]
    # A reading exactly at the end is after the quiet period.
    assert kinds(tracker.add(oral(T0 + HOUR + DAY, 37.0))) == [ENDED]


def test_threshold_uses_the_core_temperature() -> None:
    tracker = FeverTracker()
    assert tracker.add(TemperatureReading(T0, 38.2, Site.RECTAL)) == []
    events = tracker.add(TemperatureReading(T0 + HOUR, 37.5, Site.AXILLARY))
    assert kinds(events) == [STARTED]
    assert events[0].episode.peak_c == 38.0


def test_custom_settings() -> None:
    tracker = FeverTracker(
        Thresholds(fever=38.5),
        quiet_period=timedelta(hours=12),
        recheck_after=timedelta(hours=1),
    )
    assert tracker.add(oral(T0, 38.4)) == []
    assert kinds(tracker.add(oral(T0 + HOUR, 38.5))) == [STARTED]
    assert tracker.recheck_due() == T0 + 2 * HOUR
    assert kinds(tracker.check(T0 + 13 * HOUR)) == [ENDED]


@pytest.mark.parametrize(
    ("quiet_period", "recheck_after"),
    [(timedelta(0), HOUR), (DAY, timedelta(0)), (-DAY, HOUR)],
)
def test_tracker_rejects_non_positive_periods(
    quiet_period: timedelta, recheck_after: timedelta
) -> None:
    with pytest.raises(ValueError, match="must be positive"):
        FeverTracker(quiet_period=quiet_period, recheck_after=recheck_after)


def test_no_recheck_after_the_episode_will_have_ended() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.5))
    tracker.add(oral(T0 + 19 * HOUR, 37.0))
    assert tracker.recheck_due() == T0 + 23 * HOUR
    tracker.add(oral(T0 + 20 * HOUR, 37.0))
    assert tracker.recheck_due() is None


def test_peak_tie_keeps_the_earliest_time() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.0))
    tracker.add(oral(T0 + 2 * HOUR, 39.0))
    tracker.add(oral(T0 + 3 * HOUR, 39.0))
    assert tracker.episode is not None
    assert tracker.episode.peak_at == T0 + 2 * HOUR
    tracker.add(oral(T0 + HOUR, 39.0))
    assert tracker.episode.peak_at == T0 + HOUR


def test_state_round_trip_mid_episode() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.5))
    tracker.add(oral(T0 + 2 * HOUR, 39.6))
    tracker.add(oral(T0 + 3 * HOUR, 38.2))
    episode = tracker.episode

    stored = json.loads(json.dumps(tracker.as_dict()))
    restored = FeverTracker.from_dict(stored)
    assert restored.episode == episode
    assert restored.last_ended is None
    assert restored.ends_at() == tracker.ends_at()
    # Continues where it left off: no second start, no repeated escalation.
    assert restored.add(oral(T0 + 4 * HOUR, 39.8)) == []
    events = restored.check(T0 + 4 * HOUR + DAY)
    assert kinds(events) == [ENDED]
    ended = events[0].episode
    assert (ended.started_at, ended.peak_c, ended.peak_at) == (
        T0,
        39.8,
        T0 + 4 * HOUR,
    )
    assert ended.readings == 4

    stored = json.loads(json.dumps(restored.as_dict()))
    assert stored["episode"] is None
    restored = FeverTracker.from_dict(stored, quiet_period=DAY)
    assert restored.last_ended == ended
    # The closed episode stays closed after a restart too.
    assert restored.add(oral(T0 + 5 * HOUR, 40.0)) == []


def test_event_data() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.5))
    tracker.add(oral(T0 + 2 * HOUR, 38.9))
    (event,) = tracker.check(T0 + 2 * HOUR + DAY)
    assert event.as_dict() == {
        "type": "ended",
        "started_at": "2026-01-10T08:00:00+00:00",
        "peak_c": 38.9,
        "peak_at": "2026-01-10T10:00:00+00:00",
        "latest_c": 38.9,
        "latest_at": "2026-01-10T10:00:00+00:00",
        "last_fever_at": "2026-01-10T10:00:00+00:00",
        "readings": 2,
        "highest_class": "fever",
        "ended_at": "2026-01-11T10:00:00+00:00",
        "acknowledged_at": None,
        "acknowledged_by": None,
        "duration_seconds": 7200.0,
        "backfilled": False,
    }


def test_backfilled_reading_inside_the_open_episode() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.2))
    tracker.add(oral(T0 + 5 * HOUR, 37.1))
    # Higher than anything so far: moves the peak and escalates, once.
    events = tracker.add(oral(T0 + 2 * HOUR, 39.3))
    assert kinds(events) == [ESCALATED]
    assert tracker.add(oral(T0 + HOUR, 39.1)) == []
    episode = tracker.episode
    assert episode is not None
    assert (episode.peak_c, episode.peak_at) == (39.3, T0 + 2 * HOUR)
    assert (episode.latest_c, episode.latest_at) == (37.1, T0 + 5 * HOUR)
    assert episode.readings == 4
    # A fever reading back-filled after the last one postpones the end.
    assert tracker.ends_at() == T0 + 2 * HOUR + DAY
    assert tracker.recheck_due() == T0 + 9 * HOUR


def test_backfilled_fever_before_the_open_episode_moves_its_start() -> None:
    """39.1 °C axillary at 19:30, recorded after 38.9 °C at 21:40: the episode
    started at 19:30, peaked at 39.6 °C core and holds both readings."""
    tracker = FeverTracker()
    first = T0 + 13 * HOUR + 40 * MINUTE
    earlier = T0 + 11 * HOUR + 30 * MINUTE
    assert kinds(tracker.add(oral(first, 38.9))) == [STARTED]
    events = tracker.add(TemperatureReading(earlier, 39.1, Site.AXILLARY))
    assert kinds(events) == [ESCALATED]
    episode = tracker.episode
    assert episode is not None
    assert (episode.started_at, episode.peak_c, episode.peak_at) == (
        earlier,
        39.6,
        earlier,
    )
    assert (episode.latest_c, episode.latest_at, episode.readings) == (
        38.9,
        first,
        2,
    )
    assert episode.highest_class is FeverClass.HIGH_FEVER
    # The end still follows the latest fever reading.
    assert tracker.ends_at() == first + DAY


def test_backfilled_readings_before_the_open_episode_that_are_not_part_of_it() -> None:
    """A normal reading before the start, or a fever reading whose quiet
    period ends before it, belongs to no episode the tracker knows."""
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.2))
    assert tracker.add(oral(T0 - HOUR, 37.0)) == []
    assert tracker.add(oral(T0 - DAY, 39.5)) == []
    assert tracker.episode is not None
    assert (tracker.episode.started_at, tracker.episode.readings) == (T0, 1)


def record(
    tracker: FeverTracker, reading: TemperatureReading, now: datetime
) -> list[EpisodeEvent]:
    """Add one reading recorded at `now`, as the integration does."""
    return tracker.settle(tracker.add(reading, now), now)


def test_episode_wholly_in_the_past_is_backfilled() -> None:
    """41.3 °C measured 13 days ago: started and ended at once, both marked."""
    tracker = FeverTracker()
    now = T0 + 13 * DAY
    events = record(tracker, oral(T0, 41.3), now)
    assert kinds(events) == [STARTED, ENDED]
    assert all(event.backfilled for event in events)
    assert events[1].as_dict()["backfilled"] is True
    # A reading of today is news, not a back-fill; nor is the end it brings
    # to an episode that was open.
    live = FeverTracker()
    assert [event.backfilled for event in record(live, oral(now, 38.5), now)] == [False]
    ended = record(live, oral(now + 2 * DAY, 37.0), now + 2 * DAY)
    assert kinds(ended) == [ENDED]
    assert not ended[0].backfilled


def test_multi_reading_past_episode_is_one_backfilled_episode() -> None:
    """38.9, 39.8 and 38.6 °C 72, 68 and 64 hours ago: one past episode of
    three readings, peak 39.8, whether caught up as one batch or recorded one
    by one; recorded one by one, the later readings update it silently."""
    now = T0 + 72 * HOUR
    readings = [oral(T0, 38.9), oral(T0 + 4 * HOUR, 39.8), oral(T0 + 8 * HOUR, 38.6)]
    batch = FeverTracker()
    events = batch.settle(
        [event for reading in readings for event in batch.add(reading, now)], now
    )
    assert kinds(events) == [STARTED, ESCALATED, ENDED]
    assert all(event.backfilled for event in events)
    one_by_one = FeverTracker()
    assert kinds(record(one_by_one, readings[0], now)) == [STARTED, ENDED]
    for reading in readings[1:]:
        assert record(one_by_one, reading, now) == []
    for tracker in (batch, one_by_one):
        assert tracker.episode is None
        ended = tracker.last_ended
        assert ended is not None
        assert (ended.started_at, ended.peak_c, ended.readings) == (T0, 39.8, 3)
        assert ended.highest_class is FeverClass.HIGH_FEVER
        assert ended.ended_at == T0 + 8 * HOUR + DAY
    assert batch.last_ended == one_by_one.last_ended


def test_backfill_that_moves_a_past_end_past_now_reopens_the_episode() -> None:
    """38.9 °C from 30 h ago, then 39.4 °C from 20 h ago: the fever lasts
    4 more hours. The episode is open again and announced as live."""
    now = T0 + 30 * HOUR
    tracker = FeverTracker()
    assert all(event.backfilled for event in record(tracker, oral(T0, 38.9), now))
    events = record(tracker, oral(T0 + 10 * HOUR, 39.4), now)
    assert kinds(events) == [STARTED]
    assert not events[0].backfilled
    episode = tracker.episode
    assert episode is not None
    assert (episode.started_at, episode.peak_c, episode.readings) == (T0, 39.4, 2)
    assert episode.highest_class is FeverClass.HIGH_FEVER
    assert tracker.ends_at() == now + 4 * HOUR
    assert tracker.last_ended is None
    # Caught up as one batch, the same readings are one live episode.
    batch = FeverTracker()
    events = batch.settle(
        batch.add(oral(T0, 38.9), now) + batch.add(oral(T0 + 10 * HOUR, 39.4), now),
        now,
    )
    assert kinds(events) == [STARTED, ESCALATED]
    assert not any(event.backfilled for event in events)
    assert batch.episode == episode


def test_backfilled_reading_outside_a_closed_episode_leaves_it() -> None:
    """Before a closed episode's start (and not a fever reaching it), a
    reading belongs to no episode the tracker knows."""
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.2))
    tracker.check(T0 + 3 * DAY)
    ended = tracker.last_ended
    assert tracker.add(oral(T0 - HOUR, 37.0), T0 + 3 * DAY) == []
    assert tracker.add(oral(T0 - DAY, 40.0), T0 + 3 * DAY) == []
    assert tracker.last_ended == ended


def test_backfilled_reading_inside_a_closed_episode_updates_it() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.2))
    tracker.check(T0 + 3 * DAY)
    # Without `now` it is not known whether the end passed: it stays closed.
    assert tracker.add(oral(T0 + 12 * HOUR, 40.0)) == []
    assert tracker.add(oral(T0 - HOUR, 39.0), T0 + 3 * DAY) == []
    assert tracker.add(oral(T0 + 13 * HOUR, 37.0), T0 + 3 * DAY) == []
    assert tracker.episode is None
    ended = tracker.last_ended
    assert ended is not None
    assert (ended.started_at, ended.peak_c, ended.readings) == (T0 - HOUR, 40.0, 4)
    assert ended.latest_at == T0 + 13 * HOUR
    assert ended.ended_at == T0 + 12 * HOUR + DAY


def test_backfill_that_joins_a_closed_episode_to_the_open_one() -> None:
    """A fever reading back-filled late in a closed episode whose quiet period
    now reaches the open episode's start: the two are one episode."""
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.2))
    events = tracker.add(oral(T0 + 30 * HOUR, 38.5))
    assert kinds(events) == [ENDED, STARTED]
    events = tracker.add(oral(T0 + 20 * HOUR, 39.2), T0 + 31 * HOUR)
    assert kinds(events) == [ESCALATED]
    assert tracker.last_ended is None
    episode = tracker.episode
    assert episode is not None
    assert (episode.started_at, episode.peak_c, episode.readings) == (T0, 39.2, 3)
    assert (episode.latest_at, episode.last_fever_at) == (
        T0 + 30 * HOUR,
        T0 + 30 * HOUR,
    )
    # Joined by a reading of no higher class: no event, the later peak stays.
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.2))
    tracker.add(oral(T0 + 30 * HOUR, 39.5))
    assert tracker.add(oral(T0 + 20 * HOUR, 38.4), T0 + 31 * HOUR) == []
    assert tracker.episode is not None
    assert (tracker.episode.peak_c, tracker.episode.readings) == (39.5, 3)


def test_backfilled_reading_after_a_closed_episode_starts_a_new_one() -> None:
    tracker = FeverTracker()
    tracker.add(oral(T0, 38.2))
    tracker.check(T0 + 5 * DAY)
    events = tracker.add(oral(T0 + 2 * DAY, 38.4))
    assert kinds(events) == [STARTED]
    assert events[0].episode.started_at == T0 + 2 * DAY
    # Its quiet period is long over: the next check ends it.
    assert kinds(tracker.check(T0 + 5 * DAY)) == [ENDED]


# Fever episodes: properties

MINUTES = 8 * 24 * 60
minutes = st.integers(min_value=0, max_value=MINUTES)
# Core °C in 0.1 steps, around the fever classes.
temperatures = st.integers(min_value=360, max_value=420).map(lambda tenths: tenths / 10)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), minutes, temperatures),
        st.tuples(st.just("check"), minutes, st.none()),
    ),
    max_size=60,
)


def at_minute(minute: int) -> datetime:
    """Return the time `minute` minutes after T0."""
    return T0 + timedelta(minutes=minute)


@given(operations)
def test_events_form_a_valid_grammar(ops: list[tuple[str, int, float | None]]) -> None:
    """Events follow started, escalated..., ended per episode; an ended episode
    holds the readings the tracker took in its span. The clock is the latest
    time seen: a back-fill that moves an end past it reopens the episode."""
    tracker = FeverTracker()
    opened: Episode | None = None
    # Readings the tracker took (not those before the episodes it knows).
    taken: list[TemperatureReading] = []
    clock: datetime | None = None
    started = ended = 0

    def on_events(events: list[EpisodeEvent]) -> None:
        nonlocal opened, started, ended, taken
        for event in events:
            episode = event.episode
            if event.kind is STARTED:
                assert opened is None
                last = tracker.last_ended
                assert episode.readings == 1 or (
                    clock is not None and episode.started_at <= clock
                )
                assert last is None or last.started_at < episode.started_at
                assert episode.highest_class.severity > 0
                started += 1
            else:
                assert opened is not None
                # A back-filled fever reading may move the start back, never on.
                assert episode.started_at <= opened.started_at
            if event.kind is ESCALATED:
                assert episode.highest_class.severity > opened.highest_class.severity
            if event.kind is ENDED:
                assert episode.ended_at == episode.last_fever_at + DAY
                assert episode.highest_class.severity >= opened.highest_class.severity
                in_episode = [
                    reading.core_c
                    for reading in taken
                    if episode.started_at <= reading.measured_at < episode.ended_at
                ]
                assert episode.peak_c == max(in_episode)
                assert episode.readings == len(in_episode)
                # Episodes before this one are forgotten, and their readings.
                taken = [
                    reading
                    for reading in taken
                    if reading.measured_at >= episode.started_at
                ]
                opened = None
                ended += 1
            else:
                opened = episode
            assert episode.peak_c >= episode.latest_c

    for op, minute, value in ops:
        if op == "check":
            clock = max(clock or at_minute(minute), at_minute(minute))
            on_events(tracker.check(at_minute(minute)))
            continue
        assert value is not None
        reading = oral(at_minute(minute), value)
        # The end this reading may bring first, then the reading itself.
        on_events(tracker.check(reading.measured_at))
        before = (tracker.episode, tracker.last_ended)
        on_events(tracker.add(reading, clock))
        if (tracker.episode, tracker.last_ended) != before:
            taken.append(reading)
        clock = max(clock or reading.measured_at, reading.measured_at)
        assert (tracker.episode is None) == (opened is None)
        opened = tracker.episode

    on_events(tracker.check(at_minute(MINUTES) + 2 * DAY))
    assert tracker.episode is None
    assert started == ended


@given(
    st.lists(st.tuples(minutes, temperatures), unique_by=lambda item: item[0]),
)
def test_episodes_from_readings_in_order(items: list[tuple[int, float]]) -> None:
    readings = sorted(
        (oral(at_minute(minute), value) for minute, value in items),
        key=lambda reading: reading.measured_at,
    )
    tracker = FeverTracker()
    events = [event for reading in readings for event in tracker.add(reading)]
    events += tracker.check(at_minute(MINUTES) + 2 * DAY)
    episodes = [event.episode for event in events if event.kind is ENDED]
    assert len(episodes) == kinds(events).count(STARTED)

    for episode in episodes:
        assert episode.ended_at is not None
        inside = [
            reading
            for reading in readings
            if episode.started_at <= reading.measured_at < episode.ended_at
        ]
        fevers = [reading for reading in inside if reading.core_c >= 38.0]
        assert inside[0] == fevers[0]
        assert episode.started_at == fevers[0].measured_at
        assert episode.last_fever_at == fevers[-1].measured_at
        assert episode.ended_at == episode.last_fever_at + DAY
        assert episode.readings == len(inside)
        assert episode.peak_c == max(reading.core_c for reading in inside)
        assert episode.latest_c == inside[-1].core_c
        assert episode.highest_class is fever_class(episode.peak_c, DEFAULT_THRESHOLDS)
    windows = [(episode.started_at, episode.ended_at) for episode in episodes]
    for (_, earlier_end), (later_start, _) in pairwise(windows):
        assert earlier_end <= later_start
    # Every fever reading belongs to exactly one episode.
    for reading in readings:
        if reading.core_c >= 38.0:
            at = reading.measured_at
            assert sum(start <= at < end for start, end in windows) == 1


# Compaction


def bucket_of(hour_start: datetime, *values: float) -> HourlyBucket:
    """Return the bucket of core values."""
    return HourlyBucket(
        hour_start=hour_start,
        count=len(values),
        min_c=min(values),
        max_c=max(values),
        mean_c=sum(values) / len(values),
    )


def test_compact_keeps_recent_readings_raw() -> None:
    readings = [
        oral(T0 + timedelta(minutes=5), 37.0),
        oral(T0 + timedelta(minutes=50), 38.0),
        TemperatureReading(T0 + timedelta(minutes=59), 37.4, Site.AXILLARY),
        oral(T0 + HOUR, 38.4),
        oral(T0 + 2 * HOUR + timedelta(minutes=10), 36.9),
        oral(T0 + 2 * HOUR + timedelta(minutes=40), 37.1),
    ]
    raw, buckets = compact(
        readings, keep_raw_after=T0 + 2 * HOUR + timedelta(minutes=30)
    )
    # The cutoff is rounded down to the hour: 10:10 stays raw with 10:40.
    assert raw == readings[4:]
    assert buckets == [bucket_of(T0, 37.0, 38.0, 37.9), bucket_of(T0 + HOUR, 38.4)]


def test_compact_merges_into_existing_buckets() -> None:
    existing = [bucket_of(T0 - HOUR, 36.5), bucket_of(T0, 37.0, 37.2)]
    raw, buckets = compact(
        [oral(T0 + timedelta(minutes=30), 38.0), oral(T0 + HOUR, 39.0)],
        keep_raw_after=T0 + HOUR,
        buckets=existing,
    )
    assert raw == [oral(T0 + HOUR, 39.0)]
    assert buckets == [bucket_of(T0 - HOUR, 36.5), bucket_of(T0, 37.0, 37.2, 38.0)]


def test_compact_buckets_by_utc_hour() -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    reading = oral(datetime(2026, 1, 10, 14, 10, tzinfo=india), 37.0)
    _, (bucket,) = compact([reading], keep_raw_after=T0 + DAY)
    assert bucket.hour_start == datetime(2026, 1, 10, 8, 0, tzinfo=UTC)
    assert bucket.hour_start.utcoffset() == timedelta(0)


def test_compact_nothing() -> None:
    assert compact([], keep_raw_after=T0) == ([], [])


def test_bucket_round_trip() -> None:
    bucket = bucket_of(T0, 37.0, 37.5, 38.25)
    assert HourlyBucket.from_dict(json.loads(json.dumps(bucket.as_dict()))) == bucket


timed_readings = st.lists(
    st.builds(
        TemperatureReading,
        st.integers(min_value=0, max_value=5 * 24 * 60).map(at_minute),
        st.integers(min_value=3500, max_value=4200).map(lambda value: value / 100),
        st.sampled_from(Site),
    ),
    max_size=80,
)
cutoffs = st.integers(min_value=-60, max_value=6 * 24 * 60).map(at_minute)


def totals(buckets: list[HourlyBucket]) -> tuple[int, float, float, float]:
    """Return count, min, max and sum over buckets."""
    return (
        sum(bucket.count for bucket in buckets),
        min((bucket.min_c for bucket in buckets), default=math.inf),
        max((bucket.max_c for bucket in buckets), default=-math.inf),
        sum(bucket.mean_c * bucket.count for bucket in buckets),
    )


@given(timed_readings, cutoffs)
def test_compact_preserves_totals(
    readings: list[TemperatureReading], keep_raw_after: datetime
) -> None:
    raw, buckets = compact(readings, keep_raw_after=keep_raw_after)
    cutoff = keep_raw_after.replace(minute=0)
    assert raw == [reading for reading in readings if reading.measured_at >= cutoff]
    folded = [reading for reading in readings if reading.measured_at < cutoff]
    count, low, high, total = totals(buckets)
    assert count + len(raw) == len(readings)
    assert low == min((reading.core_c for reading in folded), default=math.inf)
    assert high == max((reading.core_c for reading in folded), default=-math.inf)
    assert total == pytest.approx(sum(reading.core_c for reading in folded))
    for bucket in buckets:
        hour = [
            reading.core_c
            for reading in folded
            if bucket.hour_start <= reading.measured_at < bucket.hour_start + HOUR
        ]
        assert bucket.count == len(hour)
        assert (bucket.min_c, bucket.max_c) == (min(hour), max(hour))
        assert bucket.mean_c == pytest.approx(sum(hour) / len(hour))
        assert bucket.hour_start + HOUR <= cutoff


@given(timed_readings, cutoffs, cutoffs)
def test_compact_in_steps_equals_compact_at_once(
    readings: list[TemperatureReading], first: datetime, second: datetime
) -> None:
    first, second = sorted((first, second))
    raw, buckets = compact(readings, keep_raw_after=first)
    raw, buckets = compact(raw, keep_raw_after=second, buckets=buckets)
    raw_once, buckets_once = compact(readings, keep_raw_after=second)
    assert raw == raw_once
    assert [
        (bucket.hour_start, bucket.count, bucket.min_c, bucket.max_c)
        for bucket in buckets
    ] == [
        (bucket.hour_start, bucket.count, bucket.min_c, bucket.max_c)
        for bucket in buckets_once
    ]
    for bucket, bucket_once in zip(buckets, buckets_once, strict=True):
        assert bucket.mean_c == pytest.approx(bucket_once.mean_c)


fevers_within_a_day = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=20 * 60),
        st.integers(min_value=380, max_value=420).map(lambda tenths: tenths / 10),
    ),
    min_size=1,
    max_size=20,
    unique_by=lambda item: item[0],
)


@given(fevers_within_a_day, st.randoms(use_true_random=False))
def test_arrival_order_does_not_change_the_episode(
    items: list[tuple[int, float]], random: Any
) -> None:
    """Fever readings less than a quiet period apart are one episode, however
    they arrive; it starts at the earliest and holds them all."""
    readings = [oral(at_minute(minute), value) for minute, value in items]
    in_order = FeverTracker()
    for reading in sorted(readings, key=lambda reading: reading.measured_at):
        in_order.add(reading)
    shuffled = FeverTracker()
    random.shuffle(readings)
    for reading in readings:
        shuffled.add(reading)
    episode = shuffled.episode
    assert episode is not None
    assert episode == in_order.episode
    assert episode.readings == len(readings)
    assert all(episode.started_at <= reading.measured_at for reading in readings)
    assert episode.started_at == min(reading.measured_at for reading in readings)


@given(
    fevers_within_a_day,
    st.integers(min_value=0, max_value=3 * 24 * 60),
    st.randoms(use_true_random=False),
)
def test_arrival_order_does_not_change_a_recorded_episode(
    items: list[tuple[int, float]], later: int, random: Any
) -> None:
    """Recorded one by one at `now` in any order, or caught up as one batch,
    fever readings less than a quiet period apart are the same episode: open
    if its end is after now, else ended and, as a batch, back-filled."""
    readings = [oral(at_minute(minute), value) for minute, value in items]
    now = at_minute(max(minute for minute, _ in items) + later)
    batch = FeverTracker()
    events = batch.settle(
        [
            event
            for reading in sorted(readings, key=lambda reading: reading.measured_at)
            for event in batch.add(reading, now)
        ],
        now,
    )
    shuffled = FeverTracker()
    random.shuffle(readings)
    for reading in readings:
        record(shuffled, reading, now)
    assert (shuffled.episode, shuffled.last_ended) == (batch.episode, batch.last_ended)
    episode = batch.episode or batch.last_ended
    assert episode is not None
    assert episode.readings == len(readings)
    assert episode.started_at == min(reading.measured_at for reading in readings)
    ends_at = max(reading.measured_at for reading in readings) + DAY
    assert (batch.episode is None) == (ends_at <= now)
    assert all(event.backfilled == (ends_at <= now) for event in events)
