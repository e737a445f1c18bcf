"""Personal baseline (pure): usual temperature by time of day."""

from datetime import UTC, date, datetime, timedelta
from statistics import median
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain.baseline import (
    Baseline,
    TimeOfDay,
    Usual,
    difference,
    in_episode,
    is_afebrile,
    time_of_day,
)
from custom_components.auto_home.domain.temperature import (
    DEFAULT_THRESHOLDS,
    Episode,
    FeverClass,
    Site,
    TemperatureReading,
)

BERLIN = ZoneInfo("Europe/Berlin")


def _reading(at: datetime, value: float, site: Site = Site.ORAL) -> TemperatureReading:
    return TemperatureReading(at, value, site)


def _episode(start: datetime, end: datetime | None) -> Episode:
    return Episode(
        started_at=start,
        peak_c=39.0,
        peak_at=start,
        latest_c=39.0,
        latest_at=start,
        last_fever_at=start,
        readings=1,
        highest_class=FeverClass.HIGH_FEVER,
        ended_at=end,
    )


def _add_all(baseline: Baseline, readings: list[TemperatureReading]) -> None:
    for reading in readings:
        baseline.add(reading, BERLIN, DEFAULT_THRESHOLDS)


def test_parts_of_the_day_follow_the_local_clock() -> None:
    assert time_of_day(datetime(2026, 3, 1, 0, 0, tzinfo=BERLIN)) is TimeOfDay.NIGHT
    assert time_of_day(datetime(2026, 3, 1, 5, 59, tzinfo=BERLIN)) is TimeOfDay.NIGHT
    assert time_of_day(datetime(2026, 3, 1, 6, 0, tzinfo=BERLIN)) is TimeOfDay.MORNING
    assert time_of_day(datetime(2026, 3, 1, 12, 0, tzinfo=BERLIN)) == "afternoon"
    assert time_of_day(datetime(2026, 3, 1, 23, 59, tzinfo=BERLIN)) == "evening"


def test_usual_is_the_median_of_the_part_and_needs_enough_readings() -> None:
    baseline = Baseline()
    evening = datetime(2026, 11, 30, 19, 0, tzinfo=BERLIN)
    # Armpit 36.5 is 37.0 oral; the median of 36.9, 37.0, 37.0, 37.1 is 37.0.
    values = [(36.9, Site.ORAL), (36.5, Site.AXILLARY), (37.0, Site.ORAL)]
    for day, (value, site) in enumerate(values):
        baseline.add(
            _reading(evening - timedelta(days=day), value, site),
            BERLIN,
            DEFAULT_THRESHOLDS,
        )
    assert baseline.usual(evening.date()) == {}
    baseline.add(_reading(evening, 37.1), BERLIN, DEFAULT_THRESHOLDS)
    baseline.add(_reading(evening, 37.4), BERLIN, DEFAULT_THRESHOLDS)
    usual = baseline.usual(evening.date())
    assert usual == {TimeOfDay.EVENING: Usual(TimeOfDay.EVENING, 37.0, 5)}
    assert baseline.usual_at(evening) == usual[TimeOfDay.EVENING]
    assert baseline.usual_at(evening.replace(hour=8)) is None
    assert difference(37.6, usual[TimeOfDay.EVENING]) == 0.6


def test_fever_hypothermia_and_episode_readings_do_not_count() -> None:
    baseline = Baseline(min_readings=1)
    at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert not baseline.add(_reading(at, 38.0), BERLIN, DEFAULT_THRESHOLDS)
    assert not baseline.add(_reading(at, 34.9), BERLIN, DEFAULT_THRESHOLDS)
    # 37.6 armpit is 38.1 oral: a fever.
    assert not baseline.add(
        _reading(at, 37.6, Site.AXILLARY), BERLIN, DEFAULT_THRESHOLDS
    )
    episode = _episode(at - timedelta(hours=1), at + timedelta(hours=1))
    assert not baseline.add(_reading(at, 36.8), BERLIN, DEFAULT_THRESHOLDS, [episode])
    assert baseline.usual(at.date()) == {}
    # Low-grade readings are afebrile: some people run warm in the evening.
    assert baseline.add(_reading(at, 37.5), BERLIN, DEFAULT_THRESHOLDS)
    assert is_afebrile(37.99, DEFAULT_THRESHOLDS)
    assert not in_episode(at + timedelta(hours=1), [episode])
    assert in_episode(at + timedelta(days=9), [_episode(at, None)])


def test_days_leave_the_window_and_the_totals_follow() -> None:
    baseline = Baseline(window_days=3, min_readings=1)
    first = datetime(2026, 11, 1, 8, 0, tzinfo=BERLIN)
    baseline.add(_reading(first, 36.0), BERLIN, DEFAULT_THRESHOLDS)
    baseline.add(_reading(first + timedelta(days=2), 37.0), BERLIN, DEFAULT_THRESHOLDS)
    assert baseline.usual(first.date())[TimeOfDay.MORNING].core_c == 36.5
    baseline.add(_reading(first + timedelta(days=3), 37.2), BERLIN, DEFAULT_THRESHOLDS)
    assert baseline.usual(first.date() + timedelta(days=3))[TimeOfDay.MORNING] == Usual(
        TimeOfDay.MORNING, 37.1, 2
    )
    # Too old for the window it is in now.
    assert not baseline.add(_reading(first, 36.0), BERLIN, DEFAULT_THRESHOLDS)
    # Asked about a later day, the window moves without a reading.
    assert baseline.usual(first.date() + timedelta(days=5)) == {
        TimeOfDay.MORNING: Usual(TimeOfDay.MORNING, 37.2, 1)
    }
    assert baseline.usual(first.date() + timedelta(days=9)) == {}
    assert list(baseline.as_dict()) == ["2026-11-03", "2026-11-04"]


def test_the_local_day_decides_across_dst_and_midnight() -> None:
    baseline = Baseline(min_readings=1)
    # 23:30 UTC on the night the clocks fall back is 00:30 the next day in Berlin.
    at = datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    baseline.add(_reading(at, 36.4), BERLIN, DEFAULT_THRESHOLDS)
    assert list(baseline.as_dict()) == ["2026-10-25"]
    assert baseline.usual(date(2026, 10, 25)) == {
        TimeOfDay.NIGHT: Usual(TimeOfDay.NIGHT, 36.4, 1)
    }


def test_stored_form_round_trips_and_rejects_damage() -> None:
    baseline = Baseline()
    at = datetime(2026, 11, 30, 15, 0, tzinfo=BERLIN)
    _add_all(baseline, [_reading(at, 36.6 + i / 10) for i in range(6)])
    stored = baseline.as_dict()
    assert stored == {
        "2026-11-30": [{}, {}, {str(tenths): 1 for tenths in range(366, 372)}, {}]
    }
    assert Baseline.from_dict(stored).usual(at.date()) == baseline.usual(at.date())
    with pytest.raises(ValueError, match="a day with 1 parts"):
        Baseline.from_dict({"2026-11-30": [{}]})
    with pytest.raises(TypeError):
        Baseline.from_dict({"2026-11-30": [{"366": "1"}, {}, {}, {}]})


_START = datetime(2026, 1, 1, tzinfo=UTC)
_readings = st.lists(
    st.builds(
        _reading,
        st.integers(0, 200 * 24).map(lambda hours: _START + timedelta(hours=hours)),
        st.integers(340, 400).map(lambda tenths: tenths / 10),
        st.sampled_from(Site),
    ),
    max_size=60,
)


def _expected(readings: list[TemperatureReading], window: int) -> dict[str, float]:
    """Median of the afebrile values of the last `window` days, by part: the oracle."""
    kept = [r for r in readings if is_afebrile(r.core_c, DEFAULT_THRESHOLDS)]
    if not kept:
        return {}
    newest = max(r.measured_at.astimezone(BERLIN).date() for r in kept)
    by_part: dict[str, list[float]] = {}
    for reading in kept:
        local = reading.measured_at.astimezone(BERLIN)
        if local.date() > newest - timedelta(days=window):
            by_part.setdefault(time_of_day(local), []).append(
                round(reading.core_c * 10)
            )
    return {part: median(values) / 10 for part, values in by_part.items()}


@given(_readings, st.randoms(use_true_random=False))
def test_usual_is_the_windowed_median_whatever_the_order(
    readings: list[TemperatureReading], shuffler: object
) -> None:
    baseline = Baseline(window_days=30, min_readings=1)
    shuffled = list(readings)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    _add_all(baseline, shuffled)
    today = date(2026, 1, 1)
    found = {part: usual.core_c for part, usual in baseline.usual(today).items()}
    assert found == pytest.approx(_expected(readings, 30))
    # The stored form gives the same baseline.
    restored = Baseline.from_dict(baseline.as_dict(), window_days=30, min_readings=1)
    assert restored.usual(today) == baseline.usual(today)


@given(_readings)
def test_fever_readings_never_move_the_usual(
    readings: list[TemperatureReading],
) -> None:
    afebrile = [r for r in readings if is_afebrile(r.core_c, DEFAULT_THRESHOLDS)]
    with_fevers, without = Baseline(min_readings=1), Baseline(min_readings=1)
    _add_all(with_fevers, readings)
    _add_all(without, afebrile)
    assert with_fevers.as_dict() == without.as_dict()
