"""Dose spacing: when the next dose of a medicine is allowed.

Standard library only, no Home Assistant imports. Auto Home never prescribes:
the minimum interval and the most doses in any 24 hours are the household's
own settings (from the package leaflet or their doctor). Times are aware
datetimes, taken to UTC before any arithmetic: Python adds and subtracts
times of one zone on the wall clock, so 01:30 EDT + 4 h would be 05:30 EST,
5 real hours. In UTC, 4 hours after a dose at 01:30 before the clock falls
back is 04:30 after it. Every time returned is in UTC.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Self

from .stored import aware, flag, number, optional_text, text

DAY: Final = timedelta(hours=24)


@dataclass(frozen=True, slots=True, kw_only=True)
class DoseRule:
    """How a medicine's doses must be spaced (the household's settings)."""

    min_interval: timedelta
    max_per_day: int

    def __post_init__(self) -> None:
        """Reject rules that allow nothing or everything."""
        if self.min_interval <= timedelta(0) or self.max_per_day < 1:
            raise ValueError("min_interval must be positive and max_per_day >= 1")

    @property
    def reach(self) -> timedelta:
        """How far apart two doses may be and still bear on each other."""
        return max(self.min_interval, DAY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Dose:
    """One dose given, as recorded."""

    medicine_id: str
    # The medicine's name when it was given: the record outlives a rename.
    medicine: str
    given_at: datetime
    amount: float | None = None
    unit: str | None = None
    # Given although the spacing rule refused it (the caller said so).
    overridden: bool = False

    def __post_init__(self) -> None:
        """Require an aware time, as doses from anywhere are compared."""
        if self.given_at.utcoffset() is None:
            raise ValueError("given_at must be time zone aware")

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-friendly dict."""
        return {
            "medicine_id": self.medicine_id,
            "medicine": self.medicine,
            "given_at": self.given_at.isoformat(),
            "amount": self.amount,
            "unit": self.unit,
            "overridden": self.overridden,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the dose stored by `as_dict`."""
        amount = data["amount"]
        return cls(
            medicine_id=text(data["medicine_id"]),
            medicine=text(data["medicine"]),
            given_at=aware(data["given_at"]),
            amount=None if amount is None else number(amount),
            unit=optional_text(data["unit"]),
            overridden=flag(data["overridden"]),
        )


class TooEarlyReason(StrEnum):
    """Why a dose is not allowed yet."""

    INTERVAL = "interval"
    DAILY_LIMIT = "daily_limit"


@dataclass(frozen=True, slots=True)
class TooEarly:
    """A refused dose: why, and the earliest time it would be allowed."""

    reason: TooEarlyReason
    allowed_at: datetime


def _times(doses: Iterable[datetime]) -> list[datetime]:
    return sorted(time.astimezone(UTC) for time in doses)


def check_dose(
    given: Iterable[datetime], rule: DoseRule, at: datetime
) -> TooEarly | None:
    """Return why a dose at `at` breaks the rule beside the doses `given`, or None.

    A dose breaks it when another is less than the interval away (before or
    after it: a dose recorded late is checked against later ones too), or when
    with it some 24 hours would hold more than `max_per_day` doses. The
    `allowed_at` of a refusal is the earliest time from `at` on that the
    doses up to `at` allow, or, when a later dose is in the way, the earliest
    after the last dose.
    """
    times, at = _times(given), at.astimezone(UTC)
    if (reason := _breaks(times, rule, at)) is None:
        return None
    allowed_at = next_allowed(times, rule, at)
    if _breaks(times, rule, allowed_at) is not None:
        allowed_at = next_allowed(times, rule, times[-1])
    return TooEarly(reason, allowed_at)


def _breaks(
    times: list[datetime], rule: DoseRule, at: datetime
) -> TooEarlyReason | None:
    if any(abs(time - at) < rule.min_interval for time in times):
        return TooEarlyReason.INTERVAL
    # Every window of 24 hours holding `at`: `max_per_day` + 1 consecutive
    # doses (with it) must span at least 24 hours.
    merged = sorted([*times, at])
    index = merged.index(at)
    limit = rule.max_per_day
    for start in range(max(0, index - limit), index + 1):
        end = start + limit
        if end < len(merged) and merged[end] - merged[start] < DAY:
            return TooEarlyReason.DAILY_LIMIT
    return None


def next_allowed(given: Iterable[datetime], rule: DoseRule, now: datetime) -> datetime:
    """Return the earliest time from `now` on when the next dose is allowed.

    Only the doses given up to `now` count: it is the answer to "when may I
    give the next one", asked after the last one was given.
    """
    now = now.astimezone(UTC)
    times = [time for time in _times(given) if time <= now]
    earliest = now
    if times:
        earliest = max(earliest, times[-1] + rule.min_interval)
    if len(times) >= rule.max_per_day:
        # The oldest of the last `max_per_day` doses must be 24 hours back.
        earliest = max(earliest, times[-rule.max_per_day] + DAY)
    return earliest


def doses_within(given: Iterable[datetime], now: datetime) -> int:
    """Return how many doses fall in the 24 hours up to `now`."""
    now = now.astimezone(UTC)
    return sum(1 for time in _times(given) if now - DAY < time <= now)


def recount_at(given: Iterable[datetime], now: datetime) -> datetime | None:
    """Return the first moment after `now` when `doses_within` may change.

    A dose counts from when it is given until 24 hours later; None when no
    dose given starts or stops counting after `now`.
    """
    now = now.astimezone(UTC)
    return min(
        (
            moment
            for time in _times(given)
            for moment in (time, time + DAY)
            if moment > now
        ),
        default=None,
    )


def allowed_after(given: Iterable[datetime], rule: DoseRule) -> datetime | None:
    """Return when the doses `given` next allow one (None if none was given).

    Unlike `next_allowed` it does not move with the clock: a time in the past
    says since when a dose has been allowed.
    """
    times = _times(given)
    return next_allowed(times, rule, times[-1]) if times else None
