"""Thinning a time series for a small chart: at most `limit` points, shape kept.

Points are split into `limit` buckets of equal time. A fever chart keeps each
bucket's highest reading (a thinned chart must never hide a fever); a weight
sparkline keeps each bucket's mean (the scale's day-to-day noise averaged out).
"""

from collections.abc import Callable, Sequence


def _buckets[P](
    points: Sequence[P], limit: int, time: Callable[[P], float]
) -> list[list[P]]:
    """Return the non-empty buckets of time-ordered `points`, oldest first."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if not points:
        return []
    first, last = time(points[0]), time(points[-1])
    span = last - first
    buckets: list[list[P]] = []
    index = -1
    for point in points:
        # The last point falls in the last bucket, not one past it.
        at = min(int((time(point) - first) / span * limit), limit - 1) if span else 0
        if at != index:
            buckets.append([])
            index = at
        buckets[-1].append(point)
    return buckets


def peaks[P](
    points: Sequence[P],
    limit: int,
    time: Callable[[P], float],
    value: Callable[[P], float],
) -> list[P]:
    """Return the highest point of each bucket: a time-ordered subset of `points`."""
    if len(points) <= limit:
        return list(points)
    return [max(bucket, key=value) for bucket in _buckets(points, limit, time)]


def means(
    points: Sequence[tuple[float, float]], limit: int
) -> list[tuple[float, float]]:
    """Return each bucket's mean time and mean value, oldest first."""
    if len(points) <= limit:
        return list(points)
    return [
        (
            sum(at for at, _ in bucket) / len(bucket),
            sum(value for _, value in bucket) / len(bucket),
        )
        for bucket in _buckets(points, limit, lambda point: point[0])
    ]
