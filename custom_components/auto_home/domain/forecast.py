"""A per-member blend of weight forecasters, and its calibrated interval.

Standard library only, no Home Assistant imports. Times are in days.

Every member's tracker opens a rolling origin once a week: each forecaster of a
small family, and their blend, predict the reading 7 and 30 days ahead. When a
reading arrives near such a target, every forecaster's error is scored, so each
origin costs O(models) once it matures and nothing is refitted. A member's
forecast is a weighted mean of the family: the population's weights for that
horizon (the 7-day and 30-day forecasts lean on different members), each
multiplied by the member's own recent error relative to the others' to a power
that grows from 0 as their origins accumulate. Averaging forecasters that err
differently beats choosing one of them. Its 80 % interval is the model's
interval scaled by the 80 % quantile of the blend's own out-of-sample errors
relative to it (split conformal), shrunk toward the model's own interval while
there are few.
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
    """Whose errors weigh a member's blend."""

    POPULATION_BEST = "population_best"  # no own origins yet: the population's
    OWN_HISTORY = "own_history"  # the member's own errors weigh more than the prior
    SHRUNK_TO_POPULATION = "shrunk_to_population"  # few own origins: prior weighs more
    NO_RECENT_SLOPE = "no_recent_slope"  # too few recent readings for a line


HORIZONS: Final = (7, 30)
ORIGIN_STEP_DAYS: Final = 7.0
# A reading this close to an origin's target is its truth.
MATCH_DAYS: Final = 1.0
# Scores fade by this per matured origin: about a year of weekly origins count.
FORGET: Final = 0.98
# The population's blend per horizon: the weights with the lowest mean absolute
# error on synthetic people (scripts/backtest_weight, generator A's training
# seeds, a grid in steps of 0.1). Short horizons lean on the quick lines, long
# ones on Holt and the local trend.
POPULATION_WEIGHTS: Final[Mapping[int, Mapping[Model, float]]] = {
    7: {
        Model.DAMPED_TREND_7: 0.2,
        Model.DAMPED_TREND: 0.1,
        Model.DAMPED_HOLT: 0.3,
        Model.LOCAL_TREND: 0.4,
    },
    30: {
        Model.DAMPED_TREND: 0.1,
        Model.DAMPED_TREND_60: 0.1,
        Model.DAMPED_HOLT: 0.3,
        Model.LOCAL_TREND: 0.5,
    },
}
# Without a recent line, Holt and the local trend still carry the slope they
# learnt (on the training seeds a third less 30-day error than the flat trend).
NO_LINE_WEIGHTS: Final[Mapping[Model, float]] = {
    Model.DAMPED_HOLT: 0.5,
    Model.LOCAL_TREND: 0.5,
}
# A model's weight is multiplied by (its error / the blend's models' mean error)
# to the power -OWN_POWER x w / (w + PRIOR_ORIGINS), w the member's faded count
# of matured origins: 0 with none, OWN_POWER with many.
OWN_POWER: Final = 2.0
PRIOR_ORIGINS: Final = 20.0
# Conformal scores kept per model and horizon, and the prior strength (in
# scores) of the model's own interval.
SCORES_KEPT: Final = 40
INTERVAL_PRIOR: Final = 10.0
COVERAGE: Final = 0.8
# Stored shapes. Evaluation 2: the blend is scored beside the models (1 chose
# one model).
EVALUATION_VERSION: Final = 2
OFFSETS_VERSION: Final = 1
BLEND: Final = len(MODELS)  # the blend's index among the scores

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
            "version": OFFSETS_VERSION,
            "base": self.base,
            "sums": self.sums,
            "weights": self.weights,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Self:
        """Return the state stored by `as_dict` (afresh for another version)."""
        offsets = cls()
        if not isinstance(data, Mapping) or data.get("version") != OFFSETS_VERSION:
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


def _weights(mapping: Mapping[Model, float]) -> tuple[float, ...]:
    return tuple(mapping.get(model, 0.0) for model in MODELS)


POPULATION: Final = {h: _weights(POPULATION_WEIGHTS[h]) for h in HORIZONS}
NO_LINE: Final = _weights(NO_LINE_WEIGHTS)


@dataclass(frozen=True, slots=True, kw_only=True)
class Choice:
    """The blend a member's forecast uses, and how it scored."""

    weights: tuple[float, ...]  # per model, in MODELS order, summing to 1
    model: Model  # the heaviest
    reason: ModelReason
    mae_7d: float | None  # the blend's own out-of-sample errors
    mae_30d: float | None
    origins: int  # matured at the horizon that judged it
    interval_scale: float  # multiplies the model's interval half width

    def mean(self, means: Sequence[float]) -> float:
        """Return the blend of the models' means (in MODELS order)."""
        return math.fsum(w * m for w, m in zip(self.weights, means, strict=True) if w)


@dataclass(slots=True)
class _Pending:
    target: float
    horizon: int
    predictions: list[float]  # per model, in MODELS order, then the blend
    half_width: float  # of the model interval at the target


class Evaluation:
    """Rolling-origin scores of the family and its blend on one member's readings."""

    def __init__(self) -> None:
        """Start with no origins."""
        self.last_origin: float | None = None
        self.pending: list[_Pending] = []
        # Per horizon: faded weight, faded absolute errors per model and of the
        # blend, count.
        self.weight = dict.fromkeys(HORIZONS, 0.0)
        self.errors = {h: [0.0] * (BLEND + 1) for h in HORIZONS}
        self.matured = dict.fromkeys(HORIZONS, 0)
        # Per horizon, per model and the blend: latest errors over the model
        # interval's width.
        self.ratios = {
            h: [deque[float](maxlen=SCORES_KEPT) for _ in range(BLEND + 1)]
            for h in HORIZONS
        }
        # Choices until an origin matures: every forecast reads one.
        self._choices: dict[tuple[int, bool], Choice] = {}

    def due(self, at: float) -> bool:
        """Return whether a reading at `at` opens an origin."""
        return self.last_origin is None or at - self.last_origin >= ORIGIN_STEP_DAYS

    def open(
        self, at: float, predictions: Mapping[int, tuple[list[float], float]]
    ) -> None:
        """Note each model's predictions, their blend and the interval at each horizon."""
        self.last_origin = at
        for horizon, (values, half_width) in predictions.items():
            weights = self._weights(horizon)
            blend = math.fsum(w * v for w, v in zip(weights, values, strict=True))
            self.pending.append(
                _Pending(at + horizon, horizon, [*values, blend], half_width)
            )

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
            self._choices.clear()
            self.weight[h] = FORGET * self.weight[h] + 1
            self.matured[h] += 1
            errors = self.errors[h]
            for index, predicted in enumerate(pending.predictions):
                error = abs(kg - predicted)
                errors[index] = FORGET * errors[index] + error
                self.ratios[h][index].append(error / pending.half_width)
        self.pending = kept

    def choose(self, horizon_days: float, *, line: bool = True) -> Choice:
        """Return the blend for a forecast `horizon_days` ahead.

        `line`: whether the damped lines can forecast (enough recent readings).
        """
        h = horizon_key(horizon_days)
        if (choice := self._choices.get((h, line))) is None:
            choice = self._choices[h, line] = self._choose(h, line)
        return choice

    def _choose(self, h: int, line: bool) -> Choice:
        weight = self.weight[h]
        if not line:
            reason = ModelReason.NO_RECENT_SLOPE
        elif not weight:
            reason = ModelReason.POPULATION_BEST
        elif weight >= PRIOR_ORIGINS:
            reason = ModelReason.OWN_HISTORY
        else:
            reason = ModelReason.SHRUNK_TO_POPULATION
        weights = self._weights(h) if line else NO_LINE
        return Choice(
            weights=weights,
            model=MODELS[weights.index(max(weights))],
            reason=reason,
            mae_7d=self._mae(7),
            mae_30d=self._mae(30),
            origins=self.matured[h],
            interval_scale=self._interval_scale(h) if line else 1.0,
        )

    def _weights(self, horizon: int) -> tuple[float, ...]:
        """Return the population's weights tilted by the member's own errors."""
        prior, errors = POPULATION[horizon], self.errors[horizon]
        if not (weight := self.weight[horizon]):
            return prior
        used = [e for p, e in zip(prior, errors, strict=False) if p]
        if not (scale := sum(used) / len(used)):
            return prior  # no errors at all: nothing to tell the models apart
        power = -OWN_POWER * weight / (weight + PRIOR_ORIGINS)
        tilted = [
            p * max(e / scale, 1e-3) ** power if p else 0.0
            for p, e in zip(prior, errors, strict=False)
        ]
        total = math.fsum(tilted)
        return tuple(t / total for t in tilted)

    def _mae(self, horizon: int) -> float | None:
        weight = self.weight[horizon]
        return self.errors[horizon][BLEND] / weight if weight else None

    def _interval_scale(self, horizon: int) -> float:
        """Return the split-conformal 80 % scale, shrunk toward 1 while short."""
        ratios = sorted(self.ratios[horizon][BLEND])
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
            "version": EVALUATION_VERSION,
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

        Version 1 (one model chosen, no blend scored) is migrated: see
        `_from_version_1`. An unknown version is not an error: it starts afresh
        (origins are learnt again from the next readings).
        """
        evaluation = cls()
        if not isinstance(data, Mapping):
            return evaluation
        if data.get("version") == 1:
            data = _from_version_1(data)
        if data.get("version") != EVALUATION_VERSION:
            return evaluation
        if (last := data["last_origin"]) is not None:
            evaluation.last_origin = _finite(last)
        for target, horizon, predictions, half_width in data["pending"]:
            if horizon not in HORIZONS or len(predictions) != BLEND + 1:
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
            if len(errors) != BLEND + 1 or len(ratios) != BLEND + 1:
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


def _from_version_1(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return version 1's scores with the blend's added, nothing learnt dropped.

    A pending origin's blend is the population's blend of its predictions; the
    blend's past error is the population's weighted mean of the models' (never
    less than its real error), and its interval scores are the local trend's,
    the population's heaviest model.
    """
    heaviest = MODELS.index(Model.LOCAL_TREND)
    pending = []
    for target, horizon, values, half_width in data["pending"]:
        if horizon in POPULATION and len(values) == BLEND:
            weights = POPULATION[horizon]
            blend = math.fsum(w * v for w, v in zip(weights, values, strict=True))
            values = [*values, blend]  # noqa: PLW2901 - the migrated form
        pending.append([target, horizon, values, half_width])
    horizons = {}
    for h in HORIZONS:
        section = dict(data["horizons"][str(h)])
        errors, ratios = section["errors"], section["ratios"]
        if len(errors) == BLEND and len(ratios) == BLEND:
            weighted = math.fsum(
                w * e for w, e in zip(POPULATION[h], errors, strict=True)
            )
            section["errors"] = [*errors, weighted]
            section["ratios"] = [*ratios, ratios[heaviest]]
        horizons[str(h)] = section
    return {
        **data,
        "version": EVALUATION_VERSION,
        "pending": pending,
        "horizons": horizons,
    }


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
