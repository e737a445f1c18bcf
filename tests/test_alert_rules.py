"""Urgent rules and escalation chains of fever alerts, tested directly."""

from datetime import UTC, datetime, timedelta
import json

from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain.alert import (
    HOUSEHOLD_STEP,
    PendingAlert,
    UrgentRule,
    escalation_steps,
    urgent_rules,
)
from custom_components.auto_home.domain.temperature import (
    DEFAULT_THRESHOLDS,
    AgeGroup,
    FeverClass,
    FeverTracker,
    TemperatureReading,
    classify,
)

T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
WAIT = timedelta(minutes=10)


@pytest.mark.parametrize(
    ("highest", "age", "expected"),
    [
        (FeverClass.FEVER, AgeGroup.INFANT, [UrgentRule.INFANT_FEVER]),
        (FeverClass.HIGH_FEVER, AgeGroup.CHILD, []),
        (FeverClass.HIGH_FEVER, AgeGroup.ADULT, []),
        (FeverClass.HYPERPYREXIA, AgeGroup.ADULT, [UrgentRule.HYPERPYREXIA]),
        (
            FeverClass.HYPERPYREXIA,
            AgeGroup.INFANT,
            [UrgentRule.INFANT_FEVER, UrgentRule.HYPERPYREXIA],
        ),
        (FeverClass.LOW_GRADE, AgeGroup.INFANT, []),
    ],
)
def test_urgent_rules(
    highest: FeverClass, age: AgeGroup, expected: list[UrgentRule]
) -> None:
    assert urgent_rules(highest, age) == expected


@given(
    core=st.floats(min_value=35.0, max_value=45.0, allow_nan=False),
    age=st.sampled_from(AgeGroup),
)
def test_a_fever_is_urgent_exactly_when_its_reading_is(
    core: float, age: AgeGroup
) -> None:
    """The alert's rules agree with the reading's classification for fevers."""
    found = classify(core, DEFAULT_THRESHOLDS, age)
    if found.fever_class.severity > 0:
        assert bool(urgent_rules(found.fever_class, age)) is found.urgent


def test_chain_is_the_caregivers_in_order_then_the_household() -> None:
    assert escalation_steps("mia", ["leo", "ava", "leo"]) == (
        "leo",
        "ava",
        HOUSEHOLD_STEP,
    )
    # No caregivers: the member's own targets first.
    assert escalation_steps("ben", []) == ("ben", HOUSEHOLD_STEP)


def _alert(**changes: object) -> PendingAlert:
    data: dict[str, object] = {
        "episode_started_at": T0,
        "steps": ("leo", "ava", HOUSEHOLD_STEP),
        "step": 0,
        "sent_at": T0,
        "title": "Urgent: Mia's fever",
        "message": "Mia's temperature is 38.2 °C (armpit): fever.",
    } | changes
    return PendingAlert(**data)  # type: ignore[arg-type]


def test_each_step_waits_from_the_previous_one_and_the_last_waits_for_nothing() -> None:
    alert = _alert()
    assert alert.next_at(WAIT) == T0 + WAIT
    alert = alert.advanced(T0 + timedelta(minutes=12))
    assert alert.step == 1
    assert alert.next_at(WAIT) == T0 + timedelta(minutes=22)
    alert = alert.advanced(T0 + timedelta(minutes=22))
    assert alert.next_at(WAIT) is None
    assert alert.with_reached(["a", "b"]).with_reached(["b", "c"]).reached == (
        "a",
        "b",
        "c",
    )


def test_only_a_step_that_reached_someone_counts_as_told() -> None:
    alert = _alert().with_reached([])
    assert (alert.reached, alert.told) == ((), ())
    alert = alert.advanced(T0).with_reached(["notify.ava"])
    assert alert.told == ("ava",)
    alert = alert.advanced(T0 + WAIT).with_reached(["notify.ava", "persistent"])
    assert alert.told == ("ava", HOUSEHOLD_STEP)
    assert alert.reached == ("notify.ava", "persistent")


def test_alert_stored_before_told_names_the_steps_sent_if_any_arrived() -> None:
    stored = _alert(step=1).with_reached(["notify.ava"]).as_dict()
    del stored["told"]
    assert PendingAlert.from_dict(stored).told == ("leo", "ava")
    stored["reached"] = []
    assert PendingAlert.from_dict(stored).told == ()


@given(
    step=st.integers(min_value=0, max_value=2),
    minutes=st.integers(min_value=0, max_value=10_000),
    reached=st.lists(st.sampled_from(["notify.a", "notify.b", "persistent"])),
)
def test_stored_alert_round_trips(step: int, minutes: int, reached: list[str]) -> None:
    alert = _alert(step=step, sent_at=T0 + timedelta(minutes=minutes)).with_reached(
        reached
    )
    stored = json.loads(json.dumps(alert.as_dict()))
    assert PendingAlert.from_dict(stored) == alert


@pytest.mark.parametrize(
    "damage",
    [{"step": 3}, {"step": -1}, {"step": True}, {"sent_at": "2026-11-25T02:00:00"}],
)
def test_damaged_stored_alert_is_refused(damage: dict[str, object]) -> None:
    stored = _alert().as_dict() | damage
    with pytest.raises((TypeError, ValueError)):
        PendingAlert.from_dict(stored)


def test_acknowledgement_is_kept_in_the_episode_and_its_store() -> None:
    tracker = FeverTracker()
    assert tracker.acknowledge(T0, "Ava") is None
    tracker.add(TemperatureReading(T0, 38.6))
    episode = tracker.acknowledge(T0 + timedelta(minutes=3), "Ava")
    assert episode is not None
    # A later reading keeps it.
    tracker.add(TemperatureReading(T0 + timedelta(hours=1), 39.2))
    restored = FeverTracker.from_dict(json.loads(json.dumps(tracker.as_dict())))
    assert restored.episode is not None
    assert restored.episode.acknowledged_by == "Ava"
    assert restored.episode.acknowledged_at == T0 + timedelta(minutes=3)
    # A store from before acknowledgements loads with none.
    old = tracker.as_dict()
    for key in ("acknowledged_at", "acknowledged_by"):
        del old["episode"][key]
    assert FeverTracker.from_dict(old).episode.acknowledged_at is None  # type: ignore[union-attr]
