"""Body weight: trend, rate, forecast, outliers, goal date, BMI, shared scales.

Standard library only, no Home Assistant imports. Weights are in kg, times are
time zone aware datetimes, rates are kg per week.

Scale readings swing 1-2 kg from day to day with water and food, so everything
shown is derived from a trend rather than from the last reading:

- Trend: the Hacker's Diet exponentially smoothed average, 10 % per day. A reading
  after a gap of `dt` days gets the weight `1 - 0.9 ** dt`, so the trend depends
  on elapsed time, not on how often someone weighs.
- Rate: least squares slope of the accepted readings over the last 28 days.
- Forecast: that line, its slope shrunk by its own uncertainty and damped with
  the horizon, because diets start and stop (see `WeightTracker.forecast`).
- Outliers: a reading far from where recent readings sat relative to the trend
  is held out until a second reading confirms the new level.
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import math
from statistics import fmean, median
from typing import Any, Final, Self

from .forecast import (
    DAMPING,
    DAY_PARTS,
    HORIZONS,
    MODELS,
    WEEKDAYS,
    Evaluation,
    Holt,
    LocalTrend,
    Model,
    ModelReason,
    Offsets,
    buckets,
)

KILOGRAMS: Final = "kg"
GRAMS: Final = "g"
POUNDS: Final = "lb"
STONES: Final = "st"

_KG_PER_UNIT: Final[Mapping[str, float]] = {
    KILOGRAMS: 1.0,
    GRAMS: 0.001,
    POUNDS: 0.45359237,  # exact, by the international yard and pound agreement
    STONES: 14 * 0.45359237,
}

# Outside this range a reading is a measuring error, not a person's weight.
PLAUSIBLE_MIN_KG: Final = 1.0
PLAUSIBLE_MAX_KG: Final = 350.0

# Share of the gap between trend and reading that one day closes (Hacker's Diet).
TREND_DAILY_ALPHA: Final = 0.1

# Readings this much older than the latest are history, not trend: the trend
# forgets 99.8 % of a reading in 60 days, and a back-filled one from long ago
# would restart it from that reading and flag the real ones as outliers.
TREND_WINDOW_DAYS: Final = 90

RATE_WINDOW_DAYS: Final = 28
# Fewer readings, or a shorter span, give a slope that is mostly noise.
MIN_RATE_SAMPLES: Final = 4
MIN_RATE_SPAN_DAYS: Final = 7
# Bounds the window for a scale that reports far more often than daily.
MAX_WINDOW_READINGS: Final = 200

# Outliers: more than max(2.5 kg, 4 robust sigmas) from the expected reading. The
# floor keeps a steady weigher's small scatter from flagging a salty dinner; 4
# sigmas lets through all but about 1 in 1,000 ordinary (even heavy-tailed) days.
OUTLIER_MIN_KG: Final = 2.5
OUTLIER_SIGMAS: Final = 4.0
RESIDUAL_HISTORY: Final = 15  # residuals kept for the robust sigma
MIN_RESIDUALS: Final = 5  # before this many, only the floor applies
# A flagged reading is confirmed by the next one when it comes within this many
# days, within max(1.5 kg, 2 sigmas) of it and nearer to it than to the expected
# reading: the level really moved.
CONFIRM_DAYS: Final = 3.0
CONFIRM_MIN_KG: Final = 1.5
CONFIRM_SIGMAS: Final = 2.0
MAD_TO_SIGMA: Final = 1.4826  # MAD of a normal distribution to its sigma

# Forecast. Priors and the drift terms were calibrated on synthetic people (see
# scripts/backtest_weight), on other seeds than the one it reports.
INTERVAL_Z: Final = 1.2816  # two-sided 80 % of a normal distribution
# Slopes of adults are rarely steeper than 1 kg/week: prior sd 0.5 kg/week.
SLOPE_PRIOR_SD: Final = 0.5 / 7  # kg/day
# The fitted slope fades with time constant 20 days (a diet's pace does not last).
DAMPING_DAYS: Final = 20.0
# Level wander, kg²/day: water and glycogen shifts, sd ~0.37 kg over a week.
LEVEL_DRIFT: Final = 0.02
# Slope changes, kg²/day³: a change of sd 0.5 kg/week about every 10 weeks adds
# (rate x sd² / 3) x h³ to the variance at horizon h days.
SLOPE_DRIFT: Final = (1 / 70) * SLOPE_PRIOR_SD**2 / 3
# Scatter assumed while a member has too few recent readings to show their own,
# and the least taken from them: a few readings can agree by chance, but day to
# day body weight never does.
DEFAULT_SCATTER_KG: Final = 0.8
MIN_SCATTER_KG: Final = 0.3

# Goal: slower than this the trend is flat for practical purposes; within this
# distance of the goal it is reached (day-to-day noise is larger).
MIN_GOAL_RATE: Final = 0.05  # kg/week
GOAL_REACHED_KG: Final = 0.5


def to_kg(value: float, unit: str) -> float:
    """Return a weight given in "kg", "g", "lb" or "st" in kg."""
    try:
        return value * _KG_PER_UNIT[unit]
    except KeyError:
        raise ValueError(f"Unsupported weight unit: {unit!r}") from None


def is_plausible(kg: float) -> bool:
    """Return whether a measured weight can be a person's weight."""
    return PLAUSIBLE_MIN_KG <= kg <= PLAUSIBLE_MAX_KG


class BmiClass(StrEnum):
    """WHO body mass index class for adults.

    Children and adolescents are classified by BMI-for-age percentiles instead;
    these cut-offs must not be applied to members under 18.
    """

    UNDERWEIGHT = "underweight"  # below 18.5
    NORMAL = "normal"  # 18.5 to below 25
    OVERWEIGHT = "overweight"  # 25 to below 30
    OBESE = "obese"  # 30 and above


def in_trend_window(measured_at: datetime, latest_at: datetime | None) -> bool:
    """Return whether a reading still counts for the trend as of `latest_at`."""
    return latest_at is None or latest_at - measured_at <= timedelta(
        days=TREND_WINDOW_DAYS
    )


def bmi(weight_kg: float, height_cm: float) -> float:
    """Return the body mass index, to 0.1 as WHO tables give it."""
    if height_cm <= 0:
        raise ValueError("Height must be positive")
    return round(weight_kg / (height_cm / 100) ** 2, 1)


def bmi_class(value: float) -> BmiClass:
    """Return the adult WHO class of a body mass index."""
    if value < 18.5:
        return BmiClass.UNDERWEIGHT
    if value < 25:
        return BmiClass.NORMAL
    if value < 30:
        return BmiClass.OVERWEIGHT
    return BmiClass.OBESE


def attribute(
    reading_kg: float,
    candidates: Mapping[str, float | None],
    tolerance_kg: float = 3.0,
    tolerance_pct: float = 4.0,
) -> str | None:
    """Return the member a reading from a shared scale belongs to, if clear.

    A member matches when the reading is within the larger of `tolerance_kg` and
    `tolerance_pct` % of their trend (`candidates` maps member id to trend). The
    reading is theirs only when they are the one match; with none or several it
    stays unassigned. Members without a trend never match.
    """
    matches = [
        member
        for member, trend in candidates.items()
        if trend is not None
        and abs(reading_kg - trend) <= max(tolerance_kg, trend * tolerance_pct / 100)
    ]
    return matches[0] if len(matches) == 1 else None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddResult:
    """What a tracker made of a reading.

    `flagged`: the reading is more than `threshold_kg` from the expected reading
    (the trend plus the median recent offset from it) and is kept out of the
    trend. `confirmed`: the reading confirmed the one just before it, which had
    been flagged; both are now accepted and the trend re-anchored between them.
    """

    flagged: bool
    confirmed: bool
    trend_kg: float
    deviation_kg: float | None  # from the expected reading; None for the first
    threshold_kg: float | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate:
    """Least squares slope of the accepted readings over a recent window."""

    kg_per_week: float
    stderr_kg_per_week: float
    samples: int
    window_days: int


class ForecastMethod(StrEnum):
    """How a forecast was made."""

    DAMPED_LINEAR_TREND = "damped_linear_trend"
    FLAT_TREND = "flat_trend"  # too few recent readings for a slope


@dataclass(frozen=True, slots=True, kw_only=True)
class Forecast:
    """Expected scale reading at `at`, with an 80 % interval."""

    at: datetime
    kg: float
    low_kg: float
    high_kg: float
    horizon_days: float  # from the last accepted reading
    method: ForecastMethod
    rate_kg_per_week: float  # slope used, after shrinkage, before damping
    window_days: int
    samples: int
    model: Model
    model_reason: ModelReason
    backtest_mae_7d: float | None  # the model's, on the member's own origins
    backtest_mae_30d: float | None
    origins: int


class GoalReason(StrEnum):
    """Why there is no goal date."""

    NO_GOAL = "no_goal"
    NOT_ENOUGH_DATA = "not_enough_data"
    REACHED = "reached"
    TOO_SLOW = "too_slow"
    MOVING_AWAY = "moving_away"


@dataclass(frozen=True, slots=True)
class GoalEstimate:
    """When the trend reaches the goal at the current rate, or why not."""

    date: datetime | None
    reason: GoalReason | None = None


@dataclass(frozen=True, slots=True)
class _Fit:
    """Least squares line through (days, kg) points; times relative to the last."""

    samples: int
    mean_t: float
    mean_kg: float
    slope: float  # kg/day
    slope_var: float
    scatter_var: float  # residual variance


def _fit(points: list[tuple[float, float]]) -> _Fit | None:
    """Return the least squares line, or None when it would be mostly noise.

    The plain two-pass fit over (days, kg) points, in O(n). Trackers keep exact
    running sums instead (`_WindowSums`); this is the reference they are tested
    against.
    """
    n = len(points)
    if n < MIN_RATE_SAMPLES or points[-1][0] - points[0][0] < MIN_RATE_SPAN_DAYS:
        return None
    mean_t = fmean(t for t, _ in points)
    mean_kg = fmean(kg for _, kg in points)
    sxx = math.fsum((t - mean_t) ** 2 for t, _ in points)
    slope = math.fsum((t - mean_t) * (kg - mean_kg) for t, kg in points) / sxx
    scatter_var = max(
        MIN_SCATTER_KG**2,
        math.fsum((kg - mean_kg - slope * (t - mean_t)) ** 2 for t, kg in points)
        / (n - 2),
    )
    return _Fit(n, mean_t, mean_kg, slope, scatter_var / sxx, scatter_var)


# Built once: each reading divides by it about ten times.
_DAY: Final = timedelta(days=1)
_RATE_WINDOW: Final = timedelta(days=RATE_WINDOW_DAYS)


def _days(start: datetime, end: datetime) -> float:
    return (end - start) / _DAY


_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def _day(at: datetime) -> float:
    """Return a time as days since 1970, for the forecasters' state."""
    return _days(_EPOCH, at)


_MICROSECOND: Final = timedelta(microseconds=1)
_US_PER_DAY: Final = 86_400_000_000
# Every float of 1 or more is a whole multiple of 2^-52, so weights (all at least
# PLAUSIBLE_MIN_KG) become whole numbers of 2^-52 kg without rounding.
_KG_UNITS: Final = 2**52
# The sums' time origin moves up once the window starts this long after it, to
# keep the integers small; the shift is exact.
_REANCHOR_AFTER: Final = timedelta(days=4 * RATE_WINDOW_DAYS)


class _WindowSums:
    """Running sums over the rate window's readings, for its line in O(1).

    Count, Σt, Σkg, Σt², Σt·kg and Σkg², with t in whole microseconds since
    `anchor` and kg in whole 2^-52 kg: the sums are integers, so adding and
    removing readings accumulates no rounding however long it goes on, moving
    the anchor is an exact shift, and the line is computed from exact centred
    sums (no cancellation) and rounded once. It is therefore a function of the
    window alone, the same as the two-pass `_fit` to within rounding of its
    last digits, whatever order of updates led to it.
    """

    __slots__ = ("anchor", "k", "kk", "n", "t", "tk", "tt")

    def __init__(self, readings: Iterable[tuple[datetime, float]] = ()) -> None:
        """Start with the sums of `readings`, anchored at the first."""
        self.anchor = datetime(2000, 1, 1, tzinfo=UTC)  # moved by the first reading
        self.n = self.t = self.k = self.tt = self.tk = self.kk = 0
        for measured_at, kg in readings:
            self.add(measured_at, kg)

    def add(self, measured_at: datetime, kg: float) -> None:
        """Count a reading in."""
        if self.n == 0:  # every sum is exactly 0: start afresh from this reading
            self.anchor = measured_at
        t = (measured_at - self.anchor) // _MICROSECOND
        k = int(kg * _KG_UNITS)
        self.n += 1
        self.t += t
        self.k += k
        self.tt += t * t
        self.tk += t * k
        self.kk += k * k

    def remove(self, measured_at: datetime, kg: float) -> None:
        """Count a reading, added before, out again."""
        t = (measured_at - self.anchor) // _MICROSECOND
        k = int(kg * _KG_UNITS)
        self.n -= 1
        self.t -= t
        self.k -= k
        self.tt -= t * t
        self.tk -= t * k
        self.kk -= k * k

    def reanchor(self, anchor: datetime) -> None:
        """Measure times from `anchor` instead, exactly."""
        shift = (anchor - self.anchor) // _MICROSECOND
        self.tt += shift * (self.n * shift - 2 * self.t)
        self.tk -= shift * self.k
        self.t -= self.n * shift
        self.anchor = anchor

    def fit(self, last_at: datetime) -> _Fit:
        """Return the line, times relative to `last_at`; needs a spread of times."""
        n, t, k = self.n, self.t, self.k
        # n² times the centred sums of squares and products, exact.
        cxx = n * self.tt - t * t
        cxy = n * self.tk - t * k
        cyy = n * self.kk - k * k
        scatter_var = max(
            MIN_SCATTER_KG**2,
            (cyy * cxx - cxy * cxy) / (cxx * n * (n - 2) * _KG_UNITS**2),
        )
        return _Fit(
            samples=n,
            mean_t=(t - n * ((last_at - self.anchor) // _MICROSECOND))
            / (n * _US_PER_DAY),
            mean_kg=k / (n * _KG_UNITS),
            slope=cxy * _US_PER_DAY / (cxx * _KG_UNITS),
            slope_var=scatter_var / (cxx / (n * _US_PER_DAY**2)),
            scatter_var=scatter_var,
        )


class WeightTracker:
    """Follow one person's weight, in constant time per reading.

    Readings must be added in time order; `add` rejects one measured before the
    latest. For a back-filled reading, rebuild the tracker with `replay` from the
    stored readings (which the integration bounds), as a trend depends on order.
    """

    def __init__(self) -> None:
        """Start with no readings."""
        # Readings are (measured at, kg); the trend is (last accepted at, kg).
        self._trend: tuple[datetime, float] | None = None
        self._latest_at: datetime | None = None
        self._pending: tuple[datetime, float] | None = None
        self._residuals: deque[float] = deque(maxlen=RESIDUAL_HISTORY)
        # The residuals' median and sigma, kept until they change: each reading
        # reads them twice, and the next one again, two sorts per read.
        self._scale_memo: tuple[float, float] | None = None
        self._window: deque[tuple[datetime, float]] = deque(maxlen=MAX_WINDOW_READINGS)
        self._sums = _WindowSums()
        # The window's line, computed once per reading however often it is read.
        self._fit_memo: tuple[_Fit | None] | None = None
        # Its rate too: the rate and goal sensors read it four times.
        self._rate_memo: tuple[Rate | None] | None = None
        self._holt: Holt | None = None
        self._local: LocalTrend | None = None
        self._evaluation = Evaluation()
        # The latest forecast, until the next reading: the sensor's state and
        # attributes both read it.
        self._forecast_memo: tuple[datetime, Forecast | None] | None = None
        self._offsets = Offsets()
        # Readings of the window per offset bucket, to centre the offsets.
        self._bucket_counts = [0] * (WEEKDAYS + DAY_PARTS)

    @classmethod
    def replay(cls, readings: Iterable[tuple[datetime, float]]) -> Self:
        """Return a tracker fed `readings` (time, kg) in time order."""
        tracker = cls()
        for measured_at, kg in sorted(readings, key=lambda reading: reading[0]):
            tracker.add(measured_at, kg)
        return tracker

    @property
    def trend_kg(self) -> float | None:
        """Smoothed weight as of the last accepted reading."""
        return None if self._trend is None else self._trend[1]

    @property
    def evaluation(self) -> Evaluation:
        """The rolling-origin scores of the forecasters on this member."""
        return self._evaluation

    @evaluation.setter
    def evaluation(self, evaluation: Evaluation) -> None:
        """Take scores kept from before a rebuild (or loaded)."""
        self._evaluation = evaluation
        self._forecast_memo = None

    @property
    def latest_at(self) -> datetime | None:
        """Time of the latest reading added, flagged or not."""
        return self._latest_at

    def add(self, measured_at: datetime, kg: float) -> AddResult:
        """Take a reading, unless it is an outlier still to be confirmed."""
        if measured_at.utcoffset() is None:
            raise ValueError("measured_at must be time zone aware")
        if not is_plausible(kg):
            raise ValueError(f"Implausible weight: {kg} kg")
        if self._latest_at is not None and measured_at < self._latest_at:
            raise ValueError("Reading is older than the latest; use replay")
        self._fit_memo = self._rate_memo = self._forecast_memo = None
        self._latest_at = measured_at
        reading = (measured_at, kg)
        if self._trend is None:
            self._trend = reading
            self._accept(reading)
            self._evaluate(reading)
            return AddResult(
                flagged=False,
                confirmed=False,
                trend_kg=kg,
                deviation_kg=None,
                threshold_kg=None,
            )
        trend_at, trend = self._trend
        pending, self._pending = self._pending, None
        offset, sigma = self._residual_scale()
        threshold = _outlier_threshold(sigma)
        deviation = kg - trend - offset
        confirmed = flagged = False
        if (
            pending is not None
            and _days(pending[0], measured_at) <= CONFIRM_DAYS
            and abs(kg - pending[1])
            <= min(abs(deviation), max(CONFIRM_MIN_KG, CONFIRM_SIGMAS * sigma))
        ):
            # The level moved: start the trend afresh between the two readings.
            confirmed = True
            self._trend = (measured_at, (pending[1] + kg) / 2)
            self._residuals.clear()
            self._scale_memo = None
            self._accept(pending)
            self._accept(reading)
        elif abs(deviation) > threshold:
            flagged = True
            self._pending = reading
        else:
            alpha = 1 - (1 - TREND_DAILY_ALPHA) ** _days(trend_at, measured_at)
            self._trend = (measured_at, trend + alpha * (kg - trend))
            self._residuals.append(kg - trend)
            self._scale_memo = None
            self._offsets.add(_buckets(measured_at), kg - trend)
            self._accept(reading)
        if not flagged:
            self._evaluate(reading)
        return AddResult(
            flagged=flagged,
            confirmed=confirmed,
            trend_kg=self._trend[1],
            deviation_kg=deviation,
            threshold_kg=threshold,
        )

    def fits(self, kg: float, level_kg: float) -> bool:
        """Return whether a reading of `kg` is no outlier at a level of `level_kg`.

        The threshold is the one the next reading gets: the member's scatter
        as known now, at least OUTLIER_MIN_KG.
        """
        return abs(kg - level_kg) <= _outlier_threshold(self._residual_scale()[1])

    def _residual_scale(self) -> tuple[float, float]:
        """Return the typical offset of readings from the trend, and its sigma.

        Readings sit below a falling trend (it lags about 9 days), so outliers
        are judged from the median offset, with a MAD-based sigma around it.
        """
        if self._scale_memo is None:
            if len(self._residuals) < MIN_RESIDUALS:
                self._scale_memo = 0.0, 0.0
            else:
                offset = median(self._residuals)
                mad = median(abs(residual - offset) for residual in self._residuals)
                self._scale_memo = offset, MAD_TO_SIGMA * mad
        return self._scale_memo

    def _accept(self, reading: tuple[datetime, float]) -> None:
        """Add an accepted reading to the window and drop what fell out of it."""
        window, sums = self._window, self._sums
        if len(window) == MAX_WINDOW_READINGS:
            self._drop_oldest()
        window.append(reading)
        sums.add(*reading)
        self._count(reading[0], 1)
        # Holt follows the readings less their calendar offsets.
        day, kg = _day(reading[0]), reading[1] - self._offsets.at(_buckets(reading[0]))
        sigma = self._residual_scale()[1]
        noise_var = max(MIN_SCATTER_KG, sigma or DEFAULT_SCATTER_KG) ** 2
        if self._holt is None or self._local is None:
            self._holt = Holt(day, kg)
            self._local = LocalTrend.start(day, kg, noise_var)
        else:
            self._holt.add(day, kg)
            self._local.add(day, kg, noise_var)
        start = reading[0] - _RATE_WINDOW
        while window[0][0] < start:
            self._drop_oldest()
        if window[0][0] - sums.anchor > _REANCHOR_AFTER:
            sums.reanchor(window[0][0])

    def _drop_oldest(self) -> None:
        reading = self._window.popleft()
        self._sums.remove(*reading)
        self._count(reading[0], -1)

    def _count(self, measured_at: datetime, step: int) -> None:
        for slot in _buckets(measured_at):
            self._bucket_counts[slot] += step

    def _window_fit(self) -> _Fit | None:
        if self._trend is None:
            return None
        if self._fit_memo is None:
            trend_at, window = self._trend[0], self._window
            # As `_fit` decides it, on times relative to the last reading.
            enough = (
                len(window) >= MIN_RATE_SAMPLES
                and _days(trend_at, window[-1][0]) - _days(trend_at, window[0][0])
                >= MIN_RATE_SPAN_DAYS
            )
            self._fit_memo = (self._sums.fit(trend_at) if enough else None,)
        return self._fit_memo[0]

    def rate(self) -> Rate | None:
        """Return the rate over the last 28 days of accepted readings, if any."""
        if self._rate_memo is None:
            fit = self._window_fit()
            self._rate_memo = (
                None
                if fit is None
                else Rate(
                    kg_per_week=fit.slope * 7,
                    stderr_kg_per_week=math.sqrt(fit.slope_var) * 7,
                    samples=fit.samples,
                    window_days=RATE_WINDOW_DAYS,
                ),
            )
        return self._rate_memo[0]

    def forecast(self, at: datetime) -> Forecast | None:
        """Return the expected reading at `at`, with an 80 % interval.

        The 28-day least squares line, evaluated at the last accepted reading,
        is the level. Its slope is shrunk towards 0 by a normal prior of sd
        0.5 kg/week (posterior mean: a noisy slope counts for less) and damped:
        at horizon h days it runs for 20 x (1 - exp(-h / 20)) days, as the pace of
        a diet rarely lasts. The variance adds the member's scatter around the
        line (for the reading itself and, over n, for the level), the slope's
        posterior variance, and drift of level and slope growing as h and h³.
        Without enough recent readings for a line, the variance is the flat
        trend's, with the default scatter and the prior slope's variance.

        The mean is the member's blend of the family (see `forecast.py`); without
        a line, of Holt and the local trend, which still know a slope. With a
        line, the half width is this one's times the scale calibrated on the
        blend's own errors.
        """
        if (memo := self._forecast_memo) is None or memo[0] != at:
            memo = self._forecast_memo = at, self._forecast(at)
        return memo[1]

    def _forecast(self, at: datetime) -> Forecast | None:
        if self._trend is None:
            return None
        horizon = max(0.0, _days(self._trend[0], at))
        fit = self._window_fit()
        slope, variance = self._model(fit, horizon)
        choice = self.evaluation.choose(horizon, line=fit is not None)
        mean = choice.mean(self._means(fit, slope, horizon))
        if fit is None:
            method, samples = ForecastMethod.FLAT_TREND, len(self._window)
        else:
            method, samples = ForecastMethod.DAMPED_LINEAR_TREND, fit.samples
        half_width = INTERVAL_Z * math.sqrt(variance) * choice.interval_scale
        return Forecast(
            at=at,
            kg=mean,
            low_kg=mean - half_width,
            high_kg=mean + half_width,
            horizon_days=horizon,
            method=method,
            rate_kg_per_week=slope * 7,
            window_days=RATE_WINDOW_DAYS,
            samples=samples,
            model=choice.model,
            model_reason=choice.reason,
            backtest_mae_7d=choice.mae_7d,
            backtest_mae_30d=choice.mae_30d,
            origins=choice.origins,
        )

    def model_means(self, at: datetime) -> dict[Model, float]:
        """Return every model's expected reading at `at` (none without a line)."""
        if self._trend is None or (fit := self._window_fit()) is None:
            return {}
        horizon = max(0.0, _days(self._trend[0], at))
        means = self._means(fit, self._model(fit, horizon)[0], horizon)
        return dict(zip(MODELS, means, strict=True))

    def _model(self, fit: _Fit | None, horizon: float) -> tuple[float, float]:
        """Return the shrunk slope and the variance of the damped line's forecast."""
        damped = DAMPING_DAYS * -math.expm1(-horizon / DAMPING_DAYS)
        prior = SLOPE_PRIOR_SD**2
        drift = LEVEL_DRIFT * horizon + SLOPE_DRIFT * horizon**3
        if fit is None:
            # The trend's own error is taken to be about one reading's.
            return 0.0, 2 * DEFAULT_SCATTER_KG**2 + damped**2 * prior + drift
        shrink = prior / (prior + fit.slope_var)
        # Times are relative to the last reading, so -mean_t is its distance
        # from the centre of the window.
        run = damped - fit.mean_t
        return shrink * fit.slope, (
            fit.scatter_var * (1 + 1 / fit.samples)
            + run**2 * shrink * fit.slope_var
            + drift
        )

    def _means(self, fit: _Fit | None, slope: float, horizon: float) -> list[float]:
        """Return each model's expected reading `horizon` days after the trend's.

        Without a line (`fit` None) the damped lines are the flat trend.
        """
        holt, local = self._holt, self._local
        if self._trend is None or holt is None or local is None:  # pragma: no cover
            raise RuntimeError("A forecast needs readings")  # a trend implies them
        trend_at, trend = self._trend
        at = trend_at + timedelta(days=horizon)
        slots = _buckets(at)
        # The line and the trend follow the window's readings, offsets and all.
        shift = self._offsets.correction(slots, self._bucket_counts)
        means = []
        for model in MODELS:
            if fit is not None and (tau := DAMPING.get(model)) is not None:
                run = tau * -math.expm1(-horizon / tau) - fit.mean_t
                means.append(fit.mean_kg + slope * run + shift)
            elif model is Model.DAMPED_HOLT:
                means.append(holt.predict(_day(at)) + self._offsets.at(slots))
            elif model is Model.LOCAL_TREND:
                means.append(local.predict(_day(at)) + self._offsets.at(slots))
            else:
                means.append(trend + shift)
        return means

    def _evaluate(self, reading: tuple[datetime, float]) -> None:
        """Score matured origins with an accepted reading; open one when due."""
        day = _day(reading[0])
        evaluation = self.evaluation
        evaluation.score(day, reading[1])
        if not evaluation.due(day) or (fit := self._window_fit()) is None:
            return
        predictions = {}
        for horizon in HORIZONS:
            slope, variance = self._model(fit, horizon)
            predictions[horizon] = (
                self._means(fit, slope, horizon),
                INTERVAL_Z * math.sqrt(variance),
            )
        evaluation.open(day, predictions)

    def goal(self, goal_kg: float | None) -> GoalEstimate:
        """Return when the trend reaches `goal_kg` at the current rate.

        Projected linearly from the last accepted reading, as scale apps do.
        Within 0.5 kg the goal counts as reached; passing it and going on is
        moving away.
        """
        if goal_kg is None:
            return GoalEstimate(None, GoalReason.NO_GOAL)
        if self._trend is None or (rate := self.rate()) is None:
            return GoalEstimate(None, GoalReason.NOT_ENOUGH_DATA)
        trend_at, trend = self._trend
        to_go = goal_kg - trend
        if abs(to_go) <= GOAL_REACHED_KG:
            return GoalEstimate(None, GoalReason.REACHED)
        if abs(rate.kg_per_week) < MIN_GOAL_RATE:
            return GoalEstimate(None, GoalReason.TOO_SLOW)
        if to_go * rate.kg_per_week < 0:
            return GoalEstimate(None, GoalReason.MOVING_AWAY)
        return GoalEstimate(trend_at + timedelta(weeks=to_go / rate.kg_per_week))

    def as_dict(self) -> dict[str, Any]:
        """Return JSON-friendly state."""
        return {
            "trend": self._trend and _reading_to_list(self._trend),
            "latest_at": self._latest_at and self._latest_at.isoformat(),
            "pending": self._pending and _reading_to_list(self._pending),
            "residuals": list(self._residuals),
            "window": [_reading_to_list(reading) for reading in self._window],
            "holt": self._holt and self._holt.as_list(),
            "local": self._local and self._local.as_list(),
            "evaluation": self.evaluation.as_dict(),
            "offsets": self._offsets.as_dict(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Return the tracker stored by `as_dict`."""
        tracker = cls()
        tracker._trend = data["trend"] and _reading_from_list(data["trend"])
        tracker._latest_at = data["latest_at"] and datetime.fromisoformat(
            data["latest_at"]
        )
        tracker._pending = data["pending"] and _reading_from_list(data["pending"])
        tracker._residuals.extend(data["residuals"])
        tracker._window.extend(_reading_from_list(item) for item in data["window"])
        tracker._sums = _WindowSums(tracker._window)
        for measured_at, _ in tracker._window:
            tracker._count(measured_at, 1)
        # Stored before the model choice: Holt and the local trend start from
        # the window's last reading, flat, and origins afresh.
        if (holt := data.get("holt")) and (local := data.get("local")):
            tracker._holt = Holt.from_list(holt)
            tracker._local = LocalTrend.from_list(local)
        elif tracker._window:
            at, kg = _day(tracker._window[-1][0]), tracker._window[-1][1]
            tracker._holt = Holt(at, kg)
            tracker._local = LocalTrend.start(at, kg, DEFAULT_SCATTER_KG**2)
        tracker.evaluation = Evaluation.from_dict(data.get("evaluation"))
        tracker._offsets = Offsets.from_dict(data.get("offsets"))
        return tracker


def _outlier_threshold(sigma: float) -> float:
    """Return how far from the expected reading an outlier lies."""
    return max(OUTLIER_MIN_KG, OUTLIER_SIGMAS * sigma)


def _buckets(at: datetime) -> tuple[int, int]:
    """Return the offset buckets of a time, by its own wall clock."""
    return buckets(at.weekday(), at.hour)


def _reading_to_list(reading: tuple[datetime, float]) -> list[Any]:
    return [reading[0].isoformat(), reading[1]]


def _reading_from_list(item: list[Any]) -> tuple[datetime, float]:
    return datetime.fromisoformat(item[0]), item[1]
