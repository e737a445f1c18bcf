"""The forecast Home Assistant shows is the pure function's, reading for reading."""

from datetime import timedelta
import random

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from custom_components.auto_home.domain.weight import WeightTracker

from .chore_helpers import call, local, setup_household

FORECAST = "sensor.mia_weight_forecast_30_days"


async def test_back_filled_readings_give_the_pure_forecast(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Eighty days of morning and evening weigh-ins, recorded after the fact."""
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(hass)
    rng = random.Random(22)  # noqa: S311 - test data, not secrets
    start = local("2026-09-01 07:00")
    readings = []
    for day in range(80):
        for hour in (0, 13) if rng.random() < 0.4 else (0,):
            at = start + timedelta(days=day, hours=hour, minutes=rng.randint(0, 50))
            kg = round(72.0 - 0.03 * day + rng.gauss(0, 0.4) + 0.3 * (hour > 0), 1)
            readings.append((at, kg))
    for at, kg in readings:
        await call(
            hass,
            "record_weight",
            {"member": "Mia", "weight": kg, "measured_at": at.isoformat()},
        )

    tracker = WeightTracker()
    for at, kg in readings:
        tracker.add(at, kg)
    assert tracker.latest_at is not None
    expected = tracker.forecast(tracker.latest_at + timedelta(days=30))
    assert expected is not None

    state = hass.states.get(FORECAST)
    assert float(state.state) == round(expected.kg, 2)
    attributes = state.attributes
    assert attributes["model"] == expected.model.value
    assert attributes["model_reason"] == expected.model_reason.value
    assert attributes["low"] == round(expected.low_kg, 1)
    assert attributes["high"] == round(expected.high_kg, 1)
    assert attributes["origins"] == expected.origins
    assert attributes["origins"] > 0
