"""Weight through a real hass: services, scales, shared scales, trend and goals."""

from datetime import date, timedelta
from statistics import linear_regression
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
import voluptuous as vol

from custom_components.auto_home.const import DOMAIN

from .conftest import member
from .test_scale import _writes

WEIGHT = "sensor.mia_weight"
TREND = "sensor.mia_weight_trend"
RATE = "sensor.mia_weekly_weight_change"
FORECAST = "sensor.mia_weight_forecast_30_days"
BMI = "sensor.mia_bmi"
GOAL = "sensor.mia_goal_date"
KG = {"unit_of_measurement": "kg", "device_class": "weight"}


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia and Leo share the bathroom scale; Ava has her own."""
    return [
        member(
            "Mia",
            height=165,
            goal_weight=60,
            weight_source="sensor.bathroom_scale",
            weight_source_shared=True,
        ),
        member("Leo", weight_source="sensor.bathroom_scale", weight_source_shared=True),
        member("Ava", weight_source="sensor.ava_scale"),
    ]


async def _record(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    return await hass.services.async_call(
        DOMAIN, "record_weight", data, blocking=True, return_response=True
    )


async def _daily(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    name: str,
    weights: list[float],
) -> None:
    for kg in weights:
        await _record(hass, member=name, weight=kg)
        freezer.tick(timedelta(days=1))


@pytest.mark.usefixtures("loaded_entry")
async def test_service_readings_in_kg_and_lb(hass: HomeAssistant) -> None:
    response = await _record(hass, member="Mia", weight=62.0)
    assert response == {
        "member": "Mia",
        "weight_kg": 62.0,
        "flagged": False,
        "assigned": True,
    }
    state = hass.states.get(WEIGHT)
    assert state.state == "62.0"
    assert state.attributes["state_class"] == "measurement"
    assert state.attributes["device_class"] == "weight"
    response = await _record(hass, member="Mia", weight=137, unit="lb")
    assert response["weight_kg"] == 62.14
    # Measured at the same moment: no time has passed, the trend stays.
    assert hass.states.get(TREND).state == "62.0"


async def test_scale_readings_and_conversion(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    hass.states.async_set("sensor.ava_scale", "21.4", KG)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.ava_weight").state == "21.4"
    for state in ("unavailable", "unknown", "heavy"):
        hass.states.async_set("sensor.ava_scale", state, KG)
        await hass.async_block_till_done()
    freezer.tick(timedelta(seconds=20))
    hass.states.async_set("sensor.ava_scale", "21.4", {**KG, "battery": 3})
    await hass.async_block_till_done()
    weight = loaded_entry.runtime_data.weight
    assert weight.members["member_ava"].readings == 1
    freezer.tick(timedelta(days=1))
    hass.states.async_set(
        "sensor.ava_scale", "47.5", {**KG, "unit_of_measurement": "lb"}
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.ava_weight").state == "21.55"
    hass.states.async_set("sensor.ava_scale", "900", KG)
    await hass.async_block_till_done()
    assert weight.members["member_ava"].readings == 2


async def test_shared_scale_attribution(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    unassigned = async_capture_events(hass, f"{DOMAIN}_weight_unassigned")
    weight = loaded_entry.runtime_data.weight
    # Nobody has a trend yet: the first reading waits to be assigned.
    hass.states.async_set("sensor.bathroom_scale", "62.0", KG)
    await hass.async_block_till_done()
    assert len(unassigned) == 1
    first = unassigned[0].data["reading_id"]
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert f"{DOMAIN}_weight_{first}" in notifications
    await hass.services.async_call(
        DOMAIN, "assign_weight", {"reading_id": first, "member": "Mia"}, blocking=True
    )
    assert hass.states.get(WEIGHT).state == "62.0"
    assert f"{DOMAIN}_weight_{first}" not in notifications
    await _record(hass, member="Leo", weight=84.0)

    # Clear cases: nearest trend, within tolerance, nobody else within it.
    freezer.tick(timedelta(hours=12))
    hass.states.async_set("sensor.bathroom_scale", "61.6", KG)
    await hass.async_block_till_done()
    assert hass.states.get(WEIGHT).state == "61.6"
    freezer.tick(timedelta(hours=1))
    hass.states.async_set("sensor.bathroom_scale", "85.1", KG)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.leo_weight").state == "85.1"

    # Fits nobody: held, then discarded.
    freezer.tick(timedelta(hours=1))
    hass.states.async_set("sensor.bathroom_scale", "73.0", KG)
    await hass.async_block_till_done()
    held = unassigned[-1].data["reading_id"]
    assert weight.unassigned[held].kg == 73.0
    assert hass.states.get(WEIGHT).attributes["unassigned_readings"] == 1
    await hass.services.async_call(
        DOMAIN, "discard_weight", {"reading_id": held}, blocking=True
    )
    assert weight.unassigned == {}
    with pytest.raises(ServiceValidationError) as raised:
        await hass.services.async_call(
            DOMAIN, "discard_weight", {"reading_id": held}, blocking=True
        )
    assert raised.value.translation_key == "unknown_weight_reading"


async def test_ambiguous_reading_is_held(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    await _record(hass, member="Mia", weight=70.0)
    await _record(hass, member="Leo", weight=72.0)
    # Within tolerance of both: nobody's until someone says.
    response = await _record(hass, weight=71.0)
    assert response["assigned"] is False
    assert response["member"] is None
    assert len(loaded_entry.runtime_data.weight.unassigned) == 1
    assert hass.states.get(WEIGHT).state == "70.0"


async def test_outlier_flagged_then_confirmed(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await _daily(hass, freezer, "Mia", [62.0, 62.2, 61.9, 62.1, 62.0, 61.8])
    trend = float(hass.states.get(TREND).state)
    response = await _record(hass, member="Mia", weight=66.5)
    assert response["flagged"] is True
    assert hass.states.get(WEIGHT).state == "66.5"
    assert hass.states.get(WEIGHT).attributes["flagged"] is True
    assert float(hass.states.get(TREND).state) == trend
    freezer.tick(timedelta(days=1))
    response = await _record(hass, member="Mia", weight=66.3)
    assert response["flagged"] is False
    # Confirmed: both count now, and the trend re-anchors between them.
    assert float(hass.states.get(TREND).state) == pytest.approx(66.4)
    recent = loaded_entry.runtime_data.weight.members["member_mia"].recent
    assert [reading.flagged for reading in recent[-2:]] == [False, False]


async def test_trend_rate_forecast_on_known_series(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    # Two readings a day apart: trend = 70 + (1 - 0.9**1) x (69 - 70) = 69.9.
    await _daily(hass, freezer, "Mia", [70.0, 69.0])
    assert hass.states.get(TREND).state == "69.9"
    # Three days after that: alpha = 1 - 0.9**3 = 0.271 -> 69.9 - 0.271 x 0.9 = 69.6561.
    freezer.tick(timedelta(days=2))
    await _record(hass, member="Mia", weight=69.0)
    assert hass.states.get(TREND).state == "69.66"
    # Then a steady 0.1 kg/day loss for 14 days; the 28-day least squares line
    # through all 17 readings falls 0.75 kg/week.
    for day in range(14):
        freezer.tick(timedelta(days=1))
        await _record(hass, member="Mia", weight=round(68.9 - 0.1 * day, 2))
    days = [0, 1, 4, *range(5, 19)]
    kgs = [70.0, 69.0, 69.0, *(round(68.9 - 0.1 * day, 2) for day in range(14))]
    expected = linear_regression(days, kgs).slope * 7
    rate = hass.states.get(RATE)
    assert float(rate.state) == pytest.approx(expected, abs=0.001)
    assert float(rate.state) == pytest.approx(-0.75, abs=0.01)
    assert rate.attributes["samples"] == 17
    forecast = hass.states.get(FORECAST)
    low, high = forecast.attributes["low"], forecast.attributes["high"]
    assert low < float(forecast.state) < high
    assert float(forecast.state) < 67.6
    assert forecast.attributes["method"] == "damped_linear_trend"
    report = await hass.services.async_call(
        DOMAIN,
        "get_weight_report",
        {"member": "Mia", "horizon_days": 7, "readings": 3},
        blocking=True,
        return_response=True,
    )
    assert report["rate_kg_per_week"] == pytest.approx(-0.75, abs=0.01)
    assert report["forecast"]["horizon_days"] == 7
    assert report["forecast"]["low_kg"] < report["forecast"]["kg"]
    assert [reading["kg"] for reading in report["readings"]] == [67.8, 67.7, 67.6]
    # BMI from the trend and the height.
    bmi = hass.states.get(BMI)
    assert float(bmi.state) == pytest.approx(
        float(hass.states.get(TREND).state) / 1.65**2, abs=0.1
    )
    assert bmi.attributes["class"] == "overweight"


async def test_goal_date_appears_and_goes_when_reversing(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    assert hass.states.get(GOAL).attributes["reason"] == "not_enough_data"
    await _daily(
        hass, freezer, "Mia", [round(66.0 - 0.1 * day, 2) for day in range(14)]
    )
    goal = hass.states.get(GOAL)
    assert goal.state not in ("unknown", "unavailable")
    # A date is enough for a goal weeks away.
    assert date.fromisoformat(goal.state) > dt_util.now().date()
    assert goal.attributes["goal_weight"] == 60
    await _daily(
        hass, freezer, "Mia", [round(64.8 + 0.2 * day, 2) for day in range(21)]
    )
    goal = hass.states.get(GOAL)
    assert goal.state == "unknown"
    assert goal.attributes["reason"] == "moving_away"


async def test_restart_keeps_readings_trend_and_unassigned(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await _daily(hass, freezer, "Mia", [62.0, 61.8, 61.9])
    await _record(hass, weight=120.0)
    trend = hass.states.get(TREND).state
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    weight = loaded_entry.runtime_data.weight
    assert hass.states.get(TREND).state == trend
    assert hass.states.get(WEIGHT).state == "61.9"
    assert weight.members["member_mia"].readings == 3
    assert [reading.kg for reading in weight.unassigned.values()] == [120.0]


async def test_backfilled_reading_rebuilds_trend(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await _daily(hass, freezer, "Mia", [62.0, 62.0, 62.0])
    earlier = (dt_util.now() - timedelta(days=2, hours=12)).isoformat()
    await _record(hass, member="Mia", weight=63.0, measured_at=earlier)
    assert hass.states.get(WEIGHT).state == "62.0"
    recent = loaded_entry.runtime_data.weight.members["member_mia"].recent
    assert [reading.kg for reading in recent] == [62.0, 63.0, 62.0, 62.0]
    assert float(hass.states.get(TREND).state) > 62.0


@pytest.mark.parametrize(
    ("data", "error", "key"),
    [
        ({"weight": "heavy"}, vol.Invalid, None),
        ({"weight": 0.5}, ServiceValidationError, "weight_implausible"),
        ({"weight": 351}, ServiceValidationError, "weight_implausible"),
        ({"weight": 800, "unit": "lb"}, ServiceValidationError, "weight_implausible"),
        ({"weight": 60, "unit": "stone"}, vol.Invalid, None),
        ({"weight": 60, "member": "Nobody"}, ServiceValidationError, "unknown_member"),
    ],
)
async def test_bad_input_changes_nothing(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    error: type[Exception],
    key: str | None,
) -> None:
    await _record(hass, member="Mia", weight=62.0)
    with pytest.raises(error) as raised:
        await _record(hass, **{"member": "Mia", **data})
    if key:
        assert raised.value.translation_key == key
    weight = loaded_entry.runtime_data.weight
    assert weight.members["member_mia"].readings == 1
    assert weight.unassigned == {}


async def test_future_weight_is_rejected(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    future = (dt_util.now() + timedelta(days=1)).isoformat()
    with pytest.raises(ServiceValidationError) as raised:
        await _record(hass, member="Mia", weight=62, measured_at=future)
    assert raised.value.translation_key == "measured_in_future"
    assert hass.states.get(WEIGHT).state == "unknown"


async def test_a_reading_writes_only_the_sensors_it_changed(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await _daily(hass, freezer, "Mia", [62.0] * 8)
    assert hass.states.get(GOAL).attributes["reason"] == "too_slow"
    written = _writes(hass)

    # The same weight again: a new reading, rate and forecast; the trend, BMI
    # and goal (too slow) stay, and are not rewritten.
    await _record(hass, member="Mia", weight=62.0)
    assert set(written) == {WEIGHT, RATE, FORECAST}

    # 1 kg more moves the trend by 0.1 kg (BMI 22.8 still) and turns the
    # rate upwards, away from the goal.
    written.clear()
    freezer.tick(timedelta(days=1))
    await _record(hass, member="Mia", weight=63.0)
    assert set(written) == {WEIGHT, TREND, RATE, FORECAST, GOAL}
    assert set(written.values()) == {1}
    assert hass.states.get(TREND).state == "62.1"
    assert hass.states.get(BMI).state == "22.8"
    assert hass.states.get(GOAL).attributes["reason"] == "moving_away"
