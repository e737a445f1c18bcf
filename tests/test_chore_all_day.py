"""An all-day chore's next-due sensor is a date: it is due "today", not at midnight."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.core import HomeAssistant

from .chore_helpers import attributes, call, local, move_to, reload, setup_household
from .conftest import chore

PLANTS = "sensor.water_plants_next_due"
DISHES = "sensor.dishes_next_due"


async def test_all_day_is_a_date_timed_and_snoozed_are_times(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(
        hass,
        chore("Water plants", recurrence="daily", start_date="2026-11-23"),
        chore(
            "Dishes", recurrence="daily", start_date="2026-11-23", due_time="19:30:00"
        ),
    )
    plants = hass.states.get(PLANTS)
    assert plants is not None
    assert plants.state == "2026-11-23"
    assert plants.attributes["device_class"] == SensorDeviceClass.DATE
    dishes = hass.states.get(DISHES)
    assert dishes is not None
    assert dishes.state == "2026-11-23T18:30:00+00:00"
    assert dishes.attributes["device_class"] == SensorDeviceClass.TIMESTAMP

    # Snoozed to a time of day: it is due at that time.
    await call(
        hass, "snooze_chore", {"chore": "Water plants", "until": "2026-11-23 15:00"}
    )
    assert hass.states.get(PLANTS).state == "2026-11-23T14:00:00+00:00"
    assert attributes(hass, PLANTS)["device_class"] == SensorDeviceClass.TIMESTAMP

    # Done: tomorrow's day, across midnight and a restart.
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert hass.states.get(PLANTS).state == "2026-11-24"
    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    await reload(hass, entry)
    assert hass.states.get(PLANTS).state == "2026-11-24"
    assert attributes(hass, PLANTS)["device_class"] == SensorDeviceClass.DATE
    assert attributes(hass, PLANTS)["status"] == "due"


async def test_all_day_date_across_dst(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # The night clocks go back in Berlin: the day stays the day.
    freezer.move_to(local("2026-10-24 12:00"))
    await setup_household(
        hass, chore("Water plants", recurrence="daily", start_date="2026-10-24")
    )
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert hass.states.get(PLANTS).state == "2026-10-25"
    await move_to(hass, freezer, local("2026-10-25 23:30"))
    assert hass.states.get(PLANTS).state == "2026-10-25"
    assert attributes(hass, PLANTS)["status"] == "due"
    await move_to(hass, freezer, local("2026-10-26 00:00:01"))
    assert attributes(hass, PLANTS)["status"] == "overdue"
