"""The per-member model choice and calibrated interval (pure)."""

import json
import math

import pytest

from custom_components.auto_home.domain.forecast import (
    BLEND,
    MODELS,
    NO_LINE_WEIGHTS,
    POPULATION_WEIGHTS,
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


def test_no_origins_take_the_population_blend() -> None:
    choice = Evaluation().choose(30)
    assert (choice.model, choice.reason) == (
        Model.LOCAL_TREND,
        ModelReason.POPULATION_BEST,
    )
    assert choice.weights == tuple(POPULATION_WEIGHTS[30].get(m, 0.0) for m in MODELS)
    assert (choice.mae_7d, choice.mae_30d, choice.origins) == (None, None, 0)
    assert choice.interval_scale == 1.0
    # The 7-day forecast leans on other members of the family.
    assert Evaluation().choose(7).weights != choice.weights


def test_own_errors_tilt_the_blend_once_long_and_clear() -> None:
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
    assert sum(many.weights) == pytest.approx(1.0)
    # Models the population leaves out stay out.
    assert many.weights[MODELS.index(Model.FLAT_EWMA)] == 0.0
    # The blend's own error: below the population blend's 0.1 x 0.2 + 0.9 x 1.
    assert many.mae_30d is not None
    assert 0.2 < many.mae_30d < 0.92
    assert many.origins == 120


def test_interval_scale_is_the_conformal_quantile_shrunk_to_one() -> None:
    # Every model, so the blend too, errs by 0.2 of a half width 1.0.
    choice = scored(dict.fromkeys(MODELS, 0.2), 40).choose(30)
    # 40 ratios of 0.2, prior 10 of 1: (40 x 0.2 + 10) / 50 = 0.36.
    assert choice.interval_scale == pytest.approx(0.36)
    no_line = Evaluation().choose(30, line=False)
    assert no_line.reason is ModelReason.NO_RECENT_SLOPE
    assert no_line.weights == tuple(NO_LINE_WEIGHTS.get(m, 0.0) for m in MODELS)
    assert no_line.interval_scale == 1.0


def test_blend_mean_is_the_weighted_mean() -> None:
    choice = Evaluation().choose(7)
    means = [70.0 + i for i in range(len(MODELS))]
    expected = sum(w * m for w, m in zip(choice.weights, means, strict=True))
    assert choice.mean(means) == pytest.approx(expected)


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


def test_version_1_keeps_what_it_learnt() -> None:
    """A store written when one model was chosen gains the blend's scores."""
    current = scored({Model.DAMPED_HOLT: 0.3}, 10)
    current.open(100.0, {30: ([81.0] * len(MODELS), 1.5)})
    stored = json.loads(json.dumps(current.as_dict()))
    # Version 1 had no blend: strip its scores.
    stored["version"] = 1
    for pending in stored["pending"]:
        pending[2].pop()
    for section in stored["horizons"].values():
        section["errors"].pop()
        section["ratios"].pop()
    migrated = Evaluation.from_dict(stored)
    assert migrated.weight == current.weight
    assert migrated.matured == current.matured
    assert migrated.last_origin == current.last_origin
    for h in (7, 30):
        assert migrated.errors[h][:BLEND] == current.errors[h][:BLEND]
        # The population's weighted mean of the models' errors bounds the blend's.
        assert migrated.errors[h][BLEND] >= current.errors[h][BLEND] - 1e-9
        local = MODELS.index(Model.LOCAL_TREND)
        assert list(migrated.ratios[h][BLEND]) == list(migrated.ratios[h][local])
    (pending,) = migrated.pending
    assert pending.predictions == [81.0] * (BLEND + 1)
    assert migrated.choose(30).origins == 10


@pytest.mark.parametrize("stored", [None, {"version": 99}, [], "x"])
def test_other_versions_start_afresh(stored: object) -> None:
    assert Evaluation.from_dict(stored).as_dict() == Evaluation().as_dict()
    assert Offsets.from_dict(stored).as_dict() == Offsets().as_dict()


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.update(last_origin="soon"),
        lambda d: d["pending"].append([1.0, 8, [1.0], 1.0]),
        lambda d: d["pending"].append([1.0, 7, [1.0] * (BLEND + 1), 0.0]),
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
