"""Back-filled readings in the sensors' long-term statistics, at their measured hour."""

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder, get_instance
from homeassistant.components.recorder.statistics import (
    list_statistic_ids,
    statistics_during_period,
)
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import local, move_to

TEMP = "sensor.mia_body_temperature"
WEIGHT = "sensor.mia_weight"


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: Any) -> None:
    """Prepare the recorder's database before hass starts, as the harness needs."""


@pytest.fixture
def start_at(recorder_mock: Recorder, hass: HomeAssistant, setup_entry: Any) -> Any:
    """Return a coroutine function: set the household up at a Berlin wall time."""

    async def _start(freezer: FrozenDateTimeFactory, when: str) -> None:
        await hass.config.async_set_time_zone("Europe/Berlin")
        freezer.move_to(local(when))
        await setup_entry()

    return _start


async def _temperature(hass: HomeAssistant, value: float, measured_at: str) -> None:
    await _record(
        hass, "record_temperature", temperature=value, measured_at=local(measured_at)
    )


async def _record(hass: HomeAssistant, service: str, **data: Any) -> None:
    await hass.services.async_call(
        DOMAIN, service, {"member": "Mia", **data}, blocking=True
    )


async def _later(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Let time pass, run the timers due, and wait for the recorder."""
    await move_to(hass, freezer, dt_util.utcnow() + delta)
    await async_wait_recording_done(hass)


async def _hours(
    hass: HomeAssistant, entity_id: str, start: datetime
) -> dict[datetime, tuple[float, float, float]]:
    """Return the sensor's hourly rows from `start`: (mean, min, max) by local hour."""
    rows = await get_instance(hass).async_add_executor_job(
        statistics_during_period,
        hass,
        start,
        None,
        {entity_id},
        "hour",
        None,
        {"mean", "min", "max"},
    )
    return {
        dt_util.as_local(dt_util.utc_from_timestamp(row["start"])): (
            round(row["mean"], 2),
            round(row["min"], 2),
            round(row["max"], 2),
        )
        for row in rows.get(entity_id, [])
    }


async def test_back_filled_readings_land_in_their_hour(
    hass: HomeAssistant, start_at: Any, freezer: FrozenDateTimeFactory
) -> None:
    await start_at(freezer, "2026-03-27 10:20")
    # Typed in at 10:20: two readings taken in the night, one now.
    await _temperature(hass, 38.4, "2026-03-27 07:10")
    await _temperature(hass, 38.8, "2026-03-27 07:40")
    await _record(hass, "record_temperature", temperature=37.0)
    await _record(
        hass, "record_weight", weight=61.0, measured_at=local("2026-03-26 19:00")
    )
    await _later(hass, freezer, timedelta(seconds=2))

    since = local("2026-03-26 00:00")
    assert await _hours(hass, TEMP, since) == {
        local("2026-03-27 07:00"): (38.6, 38.4, 38.8)
    }
    assert await _hours(hass, WEIGHT, since) == {
        local("2026-03-26 19:00"): (61.0, 61.0, 61.0)
    }
    # The sensor's own statistic, as the recorder keeps it: History shows it.
    ids = await get_instance(hass).async_add_executor_job(
        list_statistic_ids, hass, {TEMP}
    )
    assert ids[0]["source"] == "recorder"
    assert ids[0]["statistics_unit_of_measurement"] == "°C"
    # The reading taken now is the state's: the recorder compiles it itself.
    assert hass.states.get(TEMP).state == "37.0"


async def test_an_hour_not_yet_compiled_waits(
    hass: HomeAssistant, start_at: Any, freezer: FrozenDateTimeFactory
) -> None:
    await start_at(freezer, "2026-03-27 10:40")
    await _temperature(hass, 39.1, "2026-03-27 10:05")
    await _later(hass, freezer, timedelta(seconds=2))
    since = local("2026-03-27 10:00")
    # The recorder compiles 10:00-11:00 after 11:00: importing it before would
    # make that compilation fail.
    assert await _hours(hass, TEMP, since) == {}
    await _later(hass, freezer, timedelta(minutes=30))
    hours = await _hours(hass, TEMP, since)
    assert hours[local("2026-03-27 10:00")] == (39.1, 39.1, 39.1)


async def test_in_the_units_the_sensor_shows(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    await hass.config.async_set_time_zone("America/New_York")
    freezer.move_to("2026-03-27 10:20:00-04:00")
    await setup_entry()
    start = dt_util.as_local(dt_util.parse_datetime("2026-03-27 06:30:00-04:00"))
    await _record(
        hass, "record_temperature", temperature=101.3, unit="°F", measured_at=start
    )
    await _record(hass, "record_temperature", temperature=98.6, unit="°F")
    await _later(hass, freezer, timedelta(seconds=2))
    assert hass.states.get(TEMP).attributes["unit_of_measurement"] == "°F"
    hours = await _hours(hass, TEMP, start - timedelta(hours=1))
    [(mean, low, high)] = hours.values()
    assert (mean, low, high) == (101.3, 101.3, 101.3)


async def test_live_readings_import_nothing(
    hass: HomeAssistant, start_at: Any, freezer: FrozenDateTimeFactory
) -> None:
    await start_at(freezer, "2026-03-27 10:20")
    # Taken two minutes ago: the sensor shows it now, as good as its time.
    await _temperature(hass, 38.3, "2026-03-27 10:18")
    await _later(hass, freezer, timedelta(hours=2))
    assert await _hours(hass, TEMP, dt_util.utcnow() - timedelta(hours=4)) == {}


async def test_a_reading_older_than_the_newest_is_never_shown(
    hass: HomeAssistant, start_at: Any, freezer: FrozenDateTimeFactory
) -> None:
    await start_at(freezer, "2026-03-27 10:20")
    await _record(hass, "record_temperature", temperature=38.2)
    # A minute older than the one the sensor shows: its hour needs it.
    await _temperature(hass, 38.6, "2026-03-27 10:19")
    assert hass.states.get(TEMP).state == "38.2"
    await _later(hass, freezer, timedelta(hours=1))
    hours = await _hours(hass, TEMP, local("2026-03-27 06:00"))
    assert hours == {local("2026-03-27 10:00"): (38.4, 38.2, 38.6)}
