"""Thinning a series for the card's charts: at most the limit, shape kept."""

from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain.series import means, peaks

TIMES = st.lists(
    st.floats(min_value=0, max_value=1e7, allow_nan=False), min_size=0, max_size=300
)
VALUES = st.floats(min_value=30, max_value=45, allow_nan=False)


def _points(times: list[float], data: st.DataObject) -> list[tuple[float, float]]:
    return [(at, data.draw(VALUES)) for at in sorted(times)]


@given(TIMES, st.integers(min_value=1, max_value=150), st.data())
def test_peaks_keep_each_buckets_highest(
    times: list[float], limit: int, data: st.DataObject
) -> None:
    points = _points(times, data)
    kept = peaks(points, limit, lambda point: point[0], lambda point: point[1])
    assert len(kept) <= limit
    # A subset, in time order: nothing is made up or moved.
    assert all(point in points for point in kept)
    assert [point[0] for point in kept] == sorted(point[0] for point in kept)
    # The fever is never thinned away.
    if points:
        assert max(value for _, value in kept) == max(value for _, value in points)


@given(TIMES, st.integers(min_value=1, max_value=150), st.data())
def test_means_stay_within_the_readings(
    times: list[float], limit: int, data: st.DataObject
) -> None:
    points = _points(times, data)
    thinned = means(points, limit)
    assert len(thinned) <= limit
    assert [at for at, _ in thinned] == sorted(at for at, _ in thinned)
    if points:
        low = min(value for _, value in points)
        high = max(value for _, value in points)
        assert all(low - 1e-9 <= value <= high + 1e-9 for _, value in thinned)
        assert all(
            points[0][0] - 1e-6 <= at <= points[-1][0] + 1e-6 for at, _ in thinned
        )


def test_short_series_are_kept_whole() -> None:
    points = [(0.0, 70.0), (86400.0, 70.4)]
    assert means(points, 60) == points
    assert peaks(points, 60, lambda p: p[0], lambda p: p[1]) == points


def test_buckets_of_equal_time() -> None:
    # 100 readings a second apart, thinned to 10: one mean per 10 seconds.
    points = [(float(at), float(at % 10)) for at in range(100)]
    assert means(points, 10) == [(at + 4.5, 4.5) for at in range(0, 100, 10)]
    assert [
        value for _, value in peaks(points, 10, lambda p: p[0], lambda p: p[1])
    ] == [9.0] * 10
    with pytest.raises(ValueError, match="limit"):
        means(points, 0)
