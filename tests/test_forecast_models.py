"""The per-member model choice and calibrated interval (pure)."""

import json
import math

import pytest

from custom_components.auto_home.domain.forecast import (
    MODELS,
    Evaluation,
    Holt,
    LocalTrend,
    Model,
    ModelReason,
    Offsets,
    buckets,
    horizon_key,
)


def scored(errors_by_model: dict[Model, float], origins: int) -> Evaluation:
    """Return an evaluation whose models erred by fixed amounts at both horizons."""
    evaluation = Evaluation()
    for origin in range(origins):
        at = origin * 7.0
        evaluation.open(
            at,
            {
                h: ([80.0 + errors_by_model.get(m, 1.0) for m in MODELS], 1.0)
                for h in (7, 30)
            },
        )
        evaluation.score(at + 7, 80.0)
        evaluation.score(at + 30, 80.0)
    return evaluation


def test_no_origins_take_the_population_best() -> None:
    choice = Evaluation().choose(30)
    assert (choice.model, choice.reason) == (
        Model.LOCAL_TREND,
        ModelReason.POPULATION_BEST,
    )
    assert (choice.mae_7d, choice.mae_30d, choice.origins) == (None, None, 0)
    assert choice.interval_scale == 1.0


def test_own_history_wins_once_long_and_clear() -> None:
    few = scored({Model.DAMPED_TREND_60: 0.5}, 3).choose(30)
    assert (few.model, few.reason) == (
        Model.LOCAL_TREND,
        ModelReason.SHRUNK_TO_POPULATION,
    )
    many = scored({Model.DAMPED_TREND_60: 0.2}, 120).choose(30)
    assert (many.model, many.reason) == (
        Model.DAMPED_TREND_60,
        ModelReason.OWN_HISTORY,
    )
    assert many.mae_30d == pytest.approx(0.2)
    assert many.origins == 120


def test_interval_scale_is_the_conformal_quantile_shrunk_to_one() -> None:
    # Every error is 1.0 of a half width 1.0, except the chosen model's 0.2.
    choice = scored({Model.LOCAL_TREND: 0.2}, 40).choose(30)
    # 40 ratios of 0.2, prior 10 of 1: (40 x 0.2 + 10) / 50 = 0.36.
    assert choice.interval_scale == pytest.approx(0.36)
    assert Evaluation().choose(30, Model.FLAT_EWMA).reason is (
        ModelReason.NO_RECENT_SLOPE
    )


def test_unmatched_targets_are_dropped() -> None:
    evaluation = Evaluation()
    evaluation.open(0.0, {7: ([80.0] * len(MODELS), 1.0)})
    evaluation.score(3.0, 80.0)
    assert evaluation.pending
    evaluation.score(9.0, 80.0)  # past target + 1 day: no truth
    assert not evaluation.pending
    assert evaluation.matured[7] == 0


def test_perfect_forecasts_do_not_divide_by_zero() -> None:
    assert scored(dict.fromkeys(MODELS, 0.0), 5).choose(7).model in MODELS


def test_evaluation_round_trips_through_json() -> None:
    evaluation = scored({Model.DAMPED_HOLT: 0.3}, 10)
    evaluation.open(100.0, {7: ([81.0] * len(MODELS), 1.5)})
    restored = Evaluation.from_dict(json.loads(json.dumps(evaluation.as_dict())))
    assert restored.as_dict() == evaluation.as_dict()
    # Stored ratios keep 4 decimals.
    assert restored.choose(30).model == evaluation.choose(30).model
    assert restored.choose(30).interval_scale == pytest.approx(
        evaluation.choose(30).interval_scale, abs=1e-4
    )


@pytest.mark.parametrize("stored", [None, {"version": 99}, [], "x"])
def test_other_versions_start_afresh(stored: object) -> None:
    assert Evaluation.from_dict(stored).as_dict() == Evaluation().as_dict()
    assert Offsets.from_dict(stored).as_dict() == Offsets().as_dict()


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(last_origin="soon"),
        lambda d: d["pending"].append([1.0, 8, [1.0], 1.0]),
        lambda d: d["pending"].append([1.0, 7, [1.0] * len(MODELS), 0.0]),
        lambda d: d["horizons"]["7"].update(errors=[1.0]),
        lambda d: d["horizons"]["7"].update(matured=1.5),
        lambda d: d["horizons"]["30"].update(weight=math.inf),
        lambda d: d["horizons"]["30"].update(weight=True),
    ],
)
def test_damaged_evaluation_raises(damage: object) -> None:
    stored = scored({}, 2).as_dict()
    damage(stored)  # type: ignore[operator]
    with pytest.raises((TypeError, ValueError)):
        Evaluation.from_dict(stored)


def test_offsets_learn_a_weekend_bump_and_centre_it() -> None:
    offsets = Offsets()
    counts = [0] * 15
    for day in range(70):
        weekday = day % 7
        slots = buckets(weekday, 7)
        offsets.add(slots, 0.5 if weekday in (6, 0) else 0.0)
        for slot in slots:
            counts[slot] += 1
    sunday = offsets.correction(buckets(6, 7), counts)
    wednesday = offsets.correction(buckets(2, 7), counts)
    assert sunday > 0.2
    assert wednesday < 0
    assert Offsets().correction(buckets(6, 7), [0] * 15) == 0.0
    restored = Offsets.from_dict(json.loads(json.dumps(offsets.as_dict())))
    assert restored.as_dict() == offsets.as_dict()
    with pytest.raises(ValueError, match="bucket"):
        Offsets.from_dict({"version": 1, "base": 0.0, "sums": [], "weights": []})


def test_holt_and_local_trend_follow_a_steady_loss() -> None:
    holt, local = Holt(0.0, 90.0), LocalTrend.start(0.0, 90.0, 0.25)
    for day in range(1, 60):
        holt.add(float(day), 90.0 - 0.1 * day)
        local.add(float(day), 90.0 - 0.1 * day, 0.25)
    holt.add(59.0, 84.1)  # same time again: level only
    for model in (holt, local):
        assert model.predict(59.0) == pytest.approx(84.1, abs=0.3)
        assert model.predict(66.0) < model.predict(59.0)
    assert Holt.from_list(holt.as_list()) == holt
    assert LocalTrend.from_list(local.as_list()) == local
    with pytest.raises(TypeError):
        Holt.from_list([0.0, "90", 0.0])


def test_horizon_key() -> None:
    assert [horizon_key(h) for h in (0, 7, 18, 19, 30, 365)] == [7, 7, 7, 30, 30, 30]
