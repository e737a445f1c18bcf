"""Per-member choice of a weight forecaster, and its calibrated interval.

Standard library only, no Home Assistant imports. Times are in days.

Every member's tracker opens a rolling origin once a week: each forecaster of a
small family predicts the reading 7 and 30 days ahead. When a reading arrives
near such a target, every forecaster's error is scored, so each origin costs
O(models) once it matures and nothing is refitted. A member's forecast then
comes from the forecaster with the lowest error on their own past origins,
shrunk toward the population's best while they have few; its 80 % interval is
the model's interval scaled by the 80 % quantile of the member's own
out-of-sample errors relative to it (split conformal), shrunk toward the
model's own interval while there are few.
"""

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
import math
from typing import Any, Final, Self


class Model(StrEnum):
    """A forecaster of the family."""

    DAMPED_TREND_7 = "damped_trend_7"  # 28-day line, slope fading in 7 days
    DAMPED_TREND = "damped_trend"  # the same, 20 days: the population's default
    DAMPED_TREND_60 = "damped_trend_60"
    DAMPED_HOLT = "damped_holt"
    LOCAL_TREND = "local_trend"  # damped Holt with the member's own gains
    FLAT_EWMA = "flat_ewma"  # the trend, held flat


MODELS: Final = tuple(Model)
# Time constants (days) of the damped 28-day lines.
DAMPING: Final[Mapping[Model, float]] = {
    Model.DAMPED_TREND_7: 7.0,
    Model.DAMPED_TREND: 20.0,
    Model.DAMPED_TREND_60: 60.0,
}


class ModelReason(StrEnum):
    """Why a member's forecast uses its model."""

    POPULATION_BEST = "population_best"  # no own origins yet
    OWN_HISTORY = "own_history"  # lowest error on the member's own origins
    SHRUNK_TO_POPULATION = "shrunk_to_population"  # few own origins: prior wins
    NO_RECENT_SLOPE = "no_recent_slope"  # too few recent readings for a line


HORIZONS: Final = (7, 30)
ORIGIN_STEP_DAYS: Final = 7.0
# A reading this close to an origin's target is its truth.
MATCH_DAYS: Final = 1.0
# Scores fade by this per matured origin: about a year of weekly origins count.
FORGET: Final = 0.98
# Prior strength, in origins, of the population's ranking of the models.
PRIOR_ORIGINS: Final = 100.0
# Mean absolute error of each model relative to the best, over synthetic people
# (scripts/backtest_weight, training seeds), at 7 and 30 days.
POPULATION_MAE: Final[Mapping[int, Mapping[Model, float]]] = {
    7: {
        Model.DAMPED_TREND_7: 1.019,
        Model.DAMPED_TREND: 1.019,
        Model.DAMPED_TREND_60: 1.027,
        Model.DAMPED_HOLT: 1.007,
        Model.LOCAL_TREND: 1.0,
        Model.FLAT_EWMA: 1.279,
    },
    30: {
        Model.DAMPED_TREND_7: 1.135,
        Model.DAMPED_TREND: 1.05,
        Model.DAMPED_TREND_60: 1.039,
        Model.DAMPED_HOLT: 1.009,
        Model.LOCAL_TREND: 1.0,
        Model.FLAT_EWMA: 1.384,
    },
}
# Conformal scores kept per model and horizon, and the prior strength (in
# scores) of the model's own interval.
SCORES_KEPT: Final = 40
INTERVAL_PRIOR: Final = 10.0
COVERAGE: Final = 0.8
STORED_VERSION: Final = 1

# Damped Holt, time aware: per day, the share of the gap a reading closes for
# the level and for the slope, and the slope's persistence.
HOLT_ALPHA: Final = 0.15
HOLT_BETA: Final = 0.05
HOLT_PHI: Final = 0.99
HOLT_CLIP_KG: Final = 1.5


def horizon_key(horizon_days: float) -> int:
    """Return the scored horizon whose errors judge a forecast `horizon_days` out."""
    return HORIZONS[0] if horizon_days < sum(HORIZONS) / 2 else HORIZONS[1]


@dataclass(slots=True)
class Holt:
    """Damped Holt linear smoothing on irregular times (days)."""

    at: float
    level: float
    slope: float = 0.0

    def add(self, at: float, kg: float) -> None:
        """Take a reading at `at` (not before the last one)."""
        dt = at - self.at
        if dt <= 0:
            self.level += HOLT_ALPHA * (kg - self.level)
            return
        predicted = self.predict(at)
        # Heavy-tailed days (a salty dinner) move it as a big one does.
        error = max(-HOLT_CLIP_KG, min(HOLT_CLIP_KG, kg - predicted))
        level = predicted + (1 - (1 - HOLT_ALPHA) ** dt) * error
        slope = self.slope * HOLT_PHI**dt
        beta = 1 - (1 - HOLT_BETA) ** dt
        self.slope = slope + beta * ((level - self.level) / dt - slope)
        self.level, self.at = level, at

    def predict(self, at: float) -> float:
        """Return the level expected at `at`, the slope fading by PHI a day."""
        h = max(0.0, at - self.at)
        return self.level + self.slope * -math.expm1(h * math.log(HOLT_PHI)) / (
            -math.log(HOLT_PHI)
        )

    def as_list(self) -> list[float]:
        """Return the stored form."""
        return [self.at, self.level, self.slope]

    @classmethod
    def from_list(cls, item: Sequence[Any]) -> Self:
        """Return the Holt state stored by `as_list`."""
        at, level, slope = (_finite(value) for value in item)
        return cls(at, level, slope)


# Calendar offsets: readings sit higher after weekends and in the evening. Each
# weekday and each 3-hour part of the day keeps a faded mean of how far its
# readings sit from the member's usual offset from the trend, shrunk toward 0
# by OFFSET_PRIOR readings' worth.
WEEKDAYS: Final = 7
DAY_PARTS: Final = 8
OFFSET_FORGET: Final = 0.97
OFFSET_PRIOR: Final = 5.0
OFFSET_BASE_ALPHA: Final = 0.1


def buckets(weekday: int, hour: int) -> tuple[int, int]:
    """Return the two offset buckets of a reading's local weekday and hour."""
    return weekday, WEEKDAYS + hour * DAY_PARTS // 24


class Offsets:
    """Faded mean offsets of readings per weekday and part of the day."""

    __slots__ = ("base", "sums", "weights")

    def __init__(self) -> None:
        """Start with no readings: every offset 0."""
        self.base: float | None = None  # the usual offset from the trend
        self.sums = [0.0] * (WEEKDAYS + DAY_PARTS)
        self.weights = [0.0] * (WEEKDAYS + DAY_PARTS)

    def add(self, slots: tuple[int, int], residual: float) -> None:
        """Take a reading that sat `residual` kg above the trend."""
        if self.base is None:
            self.base = residual
        deviation = residual - self.base
        self.base += OFFSET_BASE_ALPHA * deviation
        for slot in slots:
            self.sums[slot] = OFFSET_FORGET * self.sums[slot] + deviation
            self.weights[slot] = OFFSET_FORGET * self.weights[slot] + 1

    def of(self, slot: int) -> float:
        """Return a bucket's offset, shrunk toward 0."""
        return self.sums[slot] / (self.weights[slot] + OFFSET_PRIOR)

    def at(self, slots: tuple[int, int]) -> float:
        """Return the offset of a reading in these buckets."""
        return self.of(slots[0]) + self.of(slots[1])

    def correction(self, slots: tuple[int, int], counts: Sequence[int]) -> float:
        """Return a reading's offset less the mean of readings counted by bucket."""
        total = sum(counts[:WEEKDAYS])
        if not total:
            return 0.0
        mean = math.fsum(count * self.of(slot) for slot, count in enumerate(counts))
        return self.of(slots[0]) + self.of(slots[1]) - mean / total

    def as_dict(self) -> dict[str, Any]:
        """Return JSON-friendly state, with its version."""
        return {
            "version": STORED_VERSION,
            "base": self.base,
            "sums": self.sums,
            "weights": self.weights,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Return the state stored by `as_dict` (afresh for another version)."""
        offsets = cls()
        if not isinstance(data, Mapping) or data.get("version") != STORED_VERSION:
            return offsets
        sums = [_finite(value) for value in data["sums"]]
        weights = [_finite(value) for value in data["weights"]]
        if len(sums) != len(offsets.sums) or len(weights) != len(offsets.weights):
            raise ValueError(f"not one offset per bucket: {data!r}")
        if (base := data["base"]) is not None:
            offsets.base = _finite(base)
        offsets.sums, offsets.weights = sums, weights
        return offsets


# Local linear trend (Kalman): level and slope random walks, per day, in kg²
# and (kg/day)²; the slope keeps KALMAN_PHI a day; the reading's own variance is
# the member's scatter. Its gains are those of a damped Holt tuned to the member
# and to each gap.
KALMAN_LEVEL_Q: Final = 0.003
KALMAN_SLOPE_Q: Final = 7e-5
KALMAN_PHI: Final = 0.99
KALMAN_AHEAD_PHI: Final = 0.99
KALMAN_SLOPE_SD: Final = 0.5 / 7  # prior, kg/day
KALMAN_CLIP_SIGMAS: Final = 2.0


@dataclass(slots=True)
class LocalTrend:
    """Kalman filter of a damped local linear trend on irregular times (days)."""

    at: float
    level: float
    slope: float
    p: list[float]  # covariance of (level, slope): p00, p01, p11

    @classmethod
    def start(cls, at: float, kg: float, noise_var: float) -> Self:
        """Start at a first reading, flat."""
        return cls(at, kg, 0.0, [noise_var, 0.0, KALMAN_SLOPE_SD**2])

    def add(self, at: float, kg: float, noise_var: float) -> None:
        """Take a reading whose own variance is `noise_var`."""
        dt = max(0.0, at - self.at)
        decay = KALMAN_PHI**dt
        run = _run(dt)
        p00, p01, p11 = self.p
        # Predict: F = [[1, run], [0, decay]], plus the random walks.
        q00 = p00 + 2 * run * p01 + run * run * p11 + KALMAN_LEVEL_Q * dt
        q01 = decay * (p01 + run * p11)
        q11 = decay * decay * p11 + KALMAN_SLOPE_Q * dt
        level, slope = self.level + run * self.slope, decay * self.slope
        total = q00 + noise_var
        limit = KALMAN_CLIP_SIGMAS * math.sqrt(total)
        error = max(-limit, min(limit, kg - level))
        gain0, gain1 = q00 / total, q01 / total
        self.level, self.slope = level + gain0 * error, slope + gain1 * error
        self.p = [(1 - gain0) * q00, (1 - gain0) * q01, q11 - gain1 * q01]
        self.at = at

    def predict(self, at: float) -> float:
        """Return the level expected at `at`."""
        return self.level + self.slope * _run(max(0.0, at - self.at), KALMAN_AHEAD_PHI)

    def as_list(self) -> list[float]:
        """Return the stored form."""
        return [self.at, self.level, self.slope, *self.p]

    @classmethod
    def from_list(cls, item: Sequence[Any]) -> Self:
        """Return the state stored by `as_list`."""
        at, level, slope, p00, p01, p11 = (_finite(value) for value in item)
        return cls(at, level, slope, [p00, p01, p11])


def _run(days: float, phi: float = KALMAN_PHI) -> float:
    """Return how far a slope fading by `phi` a day carries in `days`."""
    return -math.expm1(days * math.log(phi)) / -math.log(phi)


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """The model a member's forecast uses, and how it scored."""

    model: Model
    reason: ModelReason
    mae_7d: float | None  # the model's own out-of-sample errors
    mae_30d: float | None
    origins: int  # matured at the horizon that judged it
    interval_scale: float  # multiplies the model's interval half width


@dataclass(slots=True)
class _Pending:
    target: float
    horizon: int
    predictions: list[float]  # per model, in MODELS order
    half_width: float  # of the model interval at the target


class Evaluation:
    """Rolling-origin scores of the family on one member's readings."""

    def __init__(self) -> None:
        """Start with no origins."""
        self.last_origin: float | None = None
        self.pending: list[_Pending] = []
        # Per horizon: faded weight, faded absolute errors per model, count.
        self.weight = dict.fromkeys(HORIZONS, 0.0)
        self.errors = {h: [0.0] * len(MODELS) for h in HORIZONS}
        self.matured = dict.fromkeys(HORIZONS, 0)
        # Per horizon and model: latest errors over the model interval's width.
        self.ratios = {
            h: [deque[float](maxlen=SCORES_KEPT) for _ in MODELS] for h in HORIZONS
        }

    def due(self, at: float) -> bool:
        """Return whether a reading at `at` opens an origin."""
        return self.last_origin is None or at - self.last_origin >= ORIGIN_STEP_DAYS

    def open(
        self, at: float, predictions: Mapping[int, tuple[list[float], float]]
    ) -> None:
        """Note each model's predictions (and the interval) at at + each horizon."""
        self.last_origin = at
        for horizon, (values, half_width) in predictions.items():
            self.pending.append(_Pending(at + horizon, horizon, values, half_width))

    def score(self, at: float, kg: float) -> None:
        """Score the origins whose target a reading of `kg` at `at` matches."""
        kept = []
        for pending in self.pending:
            if at < pending.target - MATCH_DAYS:
                kept.append(pending)
                continue
            if at > pending.target + MATCH_DAYS:
                continue  # no reading near the target: nothing to learn
            h = pending.horizon
            self.weight[h] = FORGET * self.weight[h] + 1
            self.matured[h] += 1
            errors = self.errors[h]
            for index, predicted in enumerate(pending.predictions):
                error = abs(kg - predicted)
                errors[index] = FORGET * errors[index] + error
                self.ratios[h][index].append(error / pending.half_width)
        self.pending = kept

    def choose(self, horizon_days: float, forced: Model | None = None) -> Choice:
        """Return the model for a forecast `horizon_days` ahead.

        `forced`: the one model that can forecast now (no recent slope).
        """
        h = horizon_key(horizon_days)
        weight, errors, prior = self.weight[h], self.errors[h], POPULATION_MAE[h]
        if forced is not None:
            model, reason = forced, ModelReason.NO_RECENT_SLOPE
        elif weight == 0:
            model = min(MODELS, key=prior.__getitem__)
            reason = ModelReason.POPULATION_BEST
        else:
            # Relative to their mean: a member's own noise level scales them all.
            scale = sum(errors) / len(errors) or 1.0
            own = {m: errors[i] / scale for i, m in enumerate(MODELS)}
            shrunk = {
                m: (weight * own[m] + PRIOR_ORIGINS * prior[m])
                / (weight + PRIOR_ORIGINS)
                for m in MODELS
            }
            model = min(MODELS, key=shrunk.__getitem__)
            reason = (
                ModelReason.OWN_HISTORY
                if model == min(MODELS, key=own.__getitem__)
                else ModelReason.SHRUNK_TO_POPULATION
            )
        index = MODELS.index(model)
        return Choice(
            model=model,
            reason=reason,
            mae_7d=self._mae(7, index),
            mae_30d=self._mae(30, index),
            origins=self.matured[h],
            interval_scale=self._interval_scale(h, index),
        )

    def _mae(self, horizon: int, index: int) -> float | None:
        weight = self.weight[horizon]
        return self.errors[horizon][index] / weight if weight else None

    def _interval_scale(self, horizon: int, index: int) -> float:
        """Return the split-conformal 80 % scale, shrunk toward 1 while short."""
        ratios = sorted(self.ratios[horizon][index])
        if not (n := len(ratios)):
            return 1.0
        # The ceil((n + 1) * 0.8)-th smallest covers 80 % of a new error.
        rank = min(n, math.ceil((n + 1) * COVERAGE))
        # The model's half width is 1.28 sigmas: ratio 1 is its own 80 %.
        quantile = ratios[rank - 1]
        return (n * quantile + INTERVAL_PRIOR) / (n + INTERVAL_PRIOR)

    def as_dict(self) -> dict[str, Any]:
        """Return JSON-friendly state, with its version."""
        return {
            "version": STORED_VERSION,
            "last_origin": self.last_origin,
            "pending": [
                [p.target, p.horizon, p.predictions, p.half_width] for p in self.pending
            ],
            "horizons": {
                str(h): {
                    "weight": self.weight[h],
                    "errors": self.errors[h],
                    "matured": self.matured[h],
                    "ratios": [[round(r, 4) for r in d] for d in self.ratios[h]],
                }
                for h in HORIZONS
            },
        }

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Return the state stored by `as_dict`; raise for a damaged one.

        Another version is not an error: it starts afresh (origins are learnt
        again from the next readings).
        """
        evaluation = cls()
        if not isinstance(data, Mapping) or data.get("version") != STORED_VERSION:
            return evaluation
        if (last := data["last_origin"]) is not None:
            evaluation.last_origin = _finite(last)
        for target, horizon, predictions, half_width in data["pending"]:
            if horizon not in HORIZONS or len(predictions) != len(MODELS):
                raise ValueError(f"not a pending origin: {horizon!r}, {predictions!r}")
            evaluation.pending.append(
                _Pending(
                    _finite(target),
                    horizon,
                    [_finite(p) for p in predictions],
                    _positive(half_width),
                )
            )
        for h in HORIZONS:
            section = data["horizons"][str(h)]
            errors = [_finite(e) for e in section["errors"]]
            ratios = section["ratios"]
            if len(errors) != len(MODELS) or len(ratios) != len(MODELS):
                raise ValueError(f"not one score per model: {section!r}")
            evaluation.weight[h] = _finite(section["weight"])
            evaluation.errors[h] = errors
            matured = section["matured"]
            if type(matured) is not int:
                raise TypeError(f"not a count: {matured!r}")
            evaluation.matured[h] = matured
            for kept, stored in zip(evaluation.ratios[h], ratios, strict=True):
                kept.extend(_finite(r) for r in stored)
        return evaluation


def _finite(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"not finite: {value!r}")
    return float(value)


def _positive(value: Any) -> float:
    if (number := _finite(value)) <= 0:
        raise ValueError(f"not positive: {value!r}")
    return number
