"""The personal baseline through hass: the temperature sensor's attributes."""

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

TEMP = "sensor.mia_body_temperature"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant) -> None:
    """A household in Berlin: parts of the day are Berlin's."""
    await hass.config.async_set_time_zone("Europe/Berlin")


async def _record(hass: HomeAssistant, value: float, **data: Any) -> None:
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Mia", "temperature": value, **data},
        blocking=True,
    )


def _local(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=dt_util.get_default_time_zone())


async def test_usual_by_time_of_day_survives_a_restart_and_skips_fevers(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(_local(20, 21))
    # Five evenings, one armpit reading among them (36.4 + 0.5 = 36.9 oral).
    for day, value, site in (
        (16, 37.0, "oral"),
        (17, 37.1, "oral"),
        (18, 36.4, "axillary"),
        (19, 37.0, "oral"),
    ):
        await _record(hass, value, site=site, measured_at=_local(day, 20).isoformat())
    await _record(hass, 37.2)
    attributes = hass.states.get(TEMP).attributes
    assert attributes["usual_by_time_of_day"] == {"evening": 37.0}
    assert attributes["usual_for_reading"] == 37.0
    assert attributes["above_usual"] == 0.2

    # A fever and the readings of its episode do not make the evening warmer.
    freezer.move_to(_local(21, 19))
    await _record(hass, 39.0)
    freezer.tick(timedelta(hours=2))
    await _record(hass, 37.6)
    attributes = hass.states.get(TEMP).attributes
    assert attributes["usual_by_time_of_day"] == {"evening": 37.0}
    assert attributes["above_usual"] == 0.6

    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    attributes = hass.states.get(TEMP).attributes
    assert attributes["usual_by_time_of_day"] == {"evening": 37.0}
    assert attributes["usual_for_reading"] == 37.0


async def test_a_morning_reading_is_compared_with_mornings_only(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(_local(20, 21))
    for day in range(15, 20):
        await _record(hass, 37.1, measured_at=_local(day, 20).isoformat())
    freezer.move_to(_local(21, 8))
    await _record(hass, 36.5)
    attributes = hass.states.get(TEMP).attributes
    assert attributes["usual_by_time_of_day"] == {"evening": 37.1}
    # Too few mornings to say what is usual then.
    assert attributes["usual_for_reading"] is None
    assert attributes["above_usual"] is None
