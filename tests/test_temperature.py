"""Body temperature through a real hass: services, thermometers, episodes."""

from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)
import voluptuous as vol

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.domain.temperature import FeverTracker
from custom_components.auto_home.history import ReadingHistory
from custom_components.auto_home.temperature_feature import (
    MemberTemperature,
    _SourcePoints,
)

from .conftest import chore, member
from .test_scale import _writes

STATUS = "sensor.mia_fever_status"
TEMP = "sensor.mia_body_temperature"
FEVER = "binary_sensor.mia_fever"
NEXT_CHECK = "sensor.mia_next_temperature_check"


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia (adult), Leo linked to a thermometer, baby Ava born last month."""
    birth = (dt_util.now().date() - timedelta(days=30)).isoformat()
    return [
        member("Mia"),
        member("Leo", temperature_source="sensor.thermo", temperature_site="ear"),
        member("Ava", birth_date=birth, temperature_site="rectal"),
        chore("Water plants"),
    ]


async def _record(hass: HomeAssistant, **data: Any) -> dict[str, Any] | None:
    return await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Mia", **data},
        blocking=True,
        return_response=True,
    )


@pytest.mark.usefixtures("loaded_entry")
async def test_reading_in_celsius_and_fahrenheit(hass: HomeAssistant) -> None:
    response = await _record(hass, temperature=37.0)
    assert response["temperature_c"] == 37.0
    state = hass.states.get(TEMP)
    assert state.state == "37.0"
    assert state.attributes["unit_of_measurement"] == "°C"
    assert state.attributes["state_class"] == "measurement"
    assert state.attributes["site"] == "oral"
    assert hass.states.get(STATUS).state == "normal"

    response = await _record(hass, temperature=100.4, unit="°F")
    assert response["temperature_c"] == 38.0
    assert hass.states.get(STATUS).state == "fever"


async def test_system_unit_is_the_default(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    response = await _record(hass, temperature=98.6)
    assert response["temperature_c"] == 37.0
    # Displayed in the user's unit, stored in °C.
    assert hass.states.get(TEMP).attributes["unit_of_measurement"] == "°F"
    assert float(hass.states.get(TEMP).state) == pytest.approx(98.6, abs=0.1)


@pytest.mark.parametrize(
    ("site", "value", "core", "status"),
    [
        ("oral", 37.8, 37.8, "low_grade"),
        ("axillary", 37.5, 38.0, "fever"),
        ("forehead", 37.7, 38.0, "fever"),
        ("ear", 38.2, 37.9, "low_grade"),
        ("rectal", 38.3, 38.0, "fever"),
    ],
)
@pytest.mark.usefixtures("loaded_entry")
async def test_each_site_is_adjusted(
    hass: HomeAssistant, site: str, value: float, core: float, status: str
) -> None:
    response = await _record(hass, temperature=value, site=site)
    assert response["core_temperature_c"] == core
    assert hass.states.get(TEMP).attributes["core_temperature"] == core
    assert hass.states.get(STATUS).state == status


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (37.29, "normal"),
        (37.3, "low_grade"),
        (37.99, "low_grade"),
        (38.0, "fever"),
        (38.99, "fever"),
        (39.0, "high_fever"),
        (40.99, "high_fever"),
        (41.0, "hyperpyrexia"),
        (34.99, "hypothermia"),
        (35.0, "normal"),
    ],
)
@pytest.mark.usefixtures("loaded_entry")
async def test_classification_boundaries(
    hass: HomeAssistant, value: float, status: str
) -> None:
    await _record(hass, temperature=value)
    assert hass.states.get(STATUS).state == status


@pytest.mark.usefixtures("loaded_entry")
async def test_infant_fever_is_urgent_on_any_thermometer(hass: HomeAssistant) -> None:
    events = async_capture_events(hass, f"{DOMAIN}_fever_started")
    # 38.0 rectal is 37.7 oral-equivalent, but for a baby under 3 months the
    # reading itself counts.
    await _record(hass, member="Ava", temperature=38.0)
    state = hass.states.get("sensor.ava_fever_status")
    assert state.state == "fever"
    assert state.attributes["urgent"] is True
    assert events[0].data["urgent"] is True
    await _record(hass, member="Mia", temperature=38.0, site="rectal")
    assert hass.states.get(STATUS).state == "low_grade"
    assert hass.states.get(STATUS).attributes["urgent"] is False


async def test_episode_opens_escalates_and_ends_once(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    escalated = async_capture_events(hass, f"{DOMAIN}_fever_escalated")
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    start = dt_util.utcnow()
    await _record(hass, temperature=37.1)
    assert hass.states.get(FEVER).state == "off"
    assert hass.states.get(NEXT_CHECK).state == "unknown"

    freezer.tick(timedelta(hours=1))
    await _record(hass, temperature=38.4)
    assert hass.states.get(FEVER).state == "on"
    assert len(started) == 1
    assert started[0].data["member"] == "Mia"
    assert started[0].data["peak_c"] == 38.4
    next_check = dt_util.parse_datetime(hass.states.get(NEXT_CHECK).state)
    assert abs(next_check - (start + timedelta(hours=5))) < timedelta(seconds=1)

    freezer.tick(timedelta(hours=3))
    await _record(hass, temperature=39.6)
    freezer.tick(timedelta(hours=3))
    await _record(hass, temperature=39.2)
    assert len(escalated) == 1
    assert escalated[0].data["highest_class"] == "high_fever"
    attrs = hass.states.get(FEVER).attributes
    assert attrs["peak"] == 39.6
    assert attrs["readings"] == 3
    last_fever = dt_util.utcnow()

    freezer.tick(timedelta(hours=2))
    await _record(hass, temperature=37.0)
    # Below the threshold, but not yet 24 h quiet.
    freezer.tick(timedelta(hours=20))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(FEVER).state == "on"
    assert ended == []

    freezer.move_to(last_fever + timedelta(hours=24, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(FEVER).state == "off"
    assert len(ended) == 1
    assert ended[0].data["duration_seconds"] == 6 * 3600
    freezer.tick(timedelta(days=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert (len(started), len(escalated), len(ended)) == (1, 1, 1)


async def test_restart_mid_episode_keeps_start_and_peak(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    await _record(hass, temperature=39.1)
    freezer.tick(timedelta(hours=2))
    await _record(hass, temperature=38.5)
    before = dict(hass.states.get(FEVER).attributes)

    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    after = hass.states.get(FEVER)
    assert after.state == "on"
    assert after.attributes["started_at"] == before["started_at"]
    assert after.attributes["peak"] == 39.1
    assert hass.states.get(TEMP).state == "38.5"
    # The episode continues: no second start after the restart.
    freezer.tick(timedelta(hours=1))
    await _record(hass, temperature=38.8)
    assert len(started) == 1


async def test_episode_that_ended_while_stopped_ends_on_start(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    await _record(hass, temperature=38.6)
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    freezer.tick(timedelta(days=2))
    await hass.config_entries.async_setup(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(FEVER).state == "off"
    assert len(ended) == 1


async def test_thermometer_drives_readings(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    leo = "sensor.leo_body_temperature"
    attrs = {"unit_of_measurement": "°C", "device_class": "temperature"}
    hass.states.async_set("sensor.thermo", "37.2", attrs)
    await hass.async_block_till_done()
    assert hass.states.get(leo).state == "37.2"
    assert hass.states.get(leo).attributes["site"] == "ear"
    assert hass.states.get(leo).attributes["source"] == "sensor.thermo"

    for state in ("unavailable", "unknown", "not a number"):
        hass.states.async_set("sensor.thermo", state, attrs)
        await hass.async_block_till_done()
        assert hass.states.get(leo).state == "37.2"

    coordinator = loaded_entry.runtime_data
    count = coordinator.temperature.members["member_leo"].readings
    # The same value again within a minute is the same reading.
    freezer.tick(timedelta(seconds=30))
    hass.states.async_set("sensor.thermo", "37.2", {**attrs, "battery": 80})
    await hass.async_block_till_done()
    assert coordinator.temperature.members["member_leo"].readings == count
    freezer.tick(timedelta(seconds=45))
    hass.states.async_set("sensor.thermo", "37.2", {**attrs, "battery": 79})
    await hass.async_block_till_done()
    assert coordinator.temperature.members["member_leo"].readings == count + 1

    hass.states.async_set(
        "sensor.thermo", "101.0", {**attrs, "unit_of_measurement": "°F"}
    )
    await hass.async_block_till_done()
    assert hass.states.get(leo).state == "38.33"
    assert hass.states.get("sensor.leo_fever_status").state == "fever"


async def test_thermometer_implausible_value_is_logged(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass.states.async_set("sensor.thermo", "22.5", {"unit_of_measurement": "°C"})
    await hass.async_block_till_done()
    assert hass.states.get("sensor.leo_body_temperature").state == "unknown"
    assert "Ignoring body temperature 22.5 °C from sensor.thermo" in caplog.text


async def test_member_found_by_device_and_entity(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    entity = entity_registry.async_get(TEMP)
    await _record(hass, member=entity.device_id, temperature=36.6)
    assert hass.states.get(TEMP).state == "36.6"
    await _record(hass, member=FEVER, temperature=36.8)
    assert hass.states.get(TEMP).state == "36.8"


async def test_backfilled_reading_does_not_replace_latest(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    await _record(hass, temperature=36.9)
    earlier = dt_util.now() - timedelta(hours=3)
    await _record(hass, temperature=38.2, measured_at=earlier.isoformat())
    assert hass.states.get(TEMP).state == "36.9"
    # It still counts for the episode, which started when it was measured.
    fever = hass.states.get(FEVER)
    assert fever.state == "on"
    assert dt_util.parse_datetime(fever.attributes["started_at"]) == dt_util.as_utc(
        earlier
    )


@pytest.mark.parametrize(
    ("data", "error", "key"),
    [
        ({"temperature": "hot"}, vol.Invalid, None),
        ({"temperature": 29.9}, ServiceValidationError, "temperature_implausible"),
        ({"temperature": 45.1}, ServiceValidationError, "temperature_implausible"),
        (
            {"temperature": 114, "unit": "°F"},
            ServiceValidationError,
            "temperature_implausible",
        ),
        (
            {"temperature": 37, "member": "Nobody"},
            ServiceValidationError,
            "unknown_member",
        ),
        (
            {"temperature": 37, "member": "Water plants"},
            ServiceValidationError,
            "unknown_member",
        ),
        ({"temperature": 37, "site": "toe"}, vol.Invalid, None),
    ],
)
async def test_bad_input_changes_nothing(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    data: dict[str, Any],
    error: type[Exception],
    key: str | None,
) -> None:
    await _record(hass, temperature=36.7)
    with pytest.raises(error) as raised:
        await _record(hass, **data)
    if key:
        assert raised.value.translation_key == key
    assert hass.states.get(TEMP).state == "36.7"
    assert loaded_entry.runtime_data.temperature.members["member_mia"].readings == 1


async def test_future_time_is_rejected(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    future = (dt_util.now() + timedelta(hours=1)).isoformat()
    with pytest.raises(ServiceValidationError) as raised:
        await _record(hass, temperature=37.0, measured_at=future)
    assert raised.value.translation_key == "measured_in_future"
    assert hass.states.get(TEMP).state == "unknown"


async def test_thresholds_from_options(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "health"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "hypothermia": 35.0,
            "low_grade": 37.5,
            "fever": 38.5,
            "high_fever": 39.0,
            "hyperpyrexia": 41.0,
            "episode_end_hours": {"hours": 12},
            "recheck_hours": {"hours": 2},
            "dose_reminder": False,
        },
    )
    # Back at the menu: Save stores the section.
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "save"}
    )
    assert loaded_entry.options["episode_end_hours"] == 12
    await hass.async_block_till_done()
    await _record(hass, temperature=38.2)
    assert hass.states.get(STATUS).state == "low_grade"


async def test_options_reject_unordered_thresholds(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "health"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "hypothermia": 35.0,
            "low_grade": 38.5,
            "fever": 38.0,
            "high_fever": 39.0,
            "hyperpyrexia": 41.0,
            "episode_end_hours": {"hours": 24},
            "recheck_hours": {"hours": 4},
            "dose_reminder": False,
        },
    )
    assert result["errors"] == {"base": "thresholds_order"}
    assert loaded_entry.options == {}


async def test_old_readings_are_folded_into_hours(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    await _record(hass, temperature=37.0)
    await _record(hass, temperature=37.4)
    month = dt_util.utcnow().strftime("%Y-%m")
    freezer.tick(timedelta(days=460))
    await _record(hass, temperature=36.8)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    prefix = f"{DOMAIN}.{loaded_entry.entry_id}.temperature.member_mia"
    assert f"{prefix}.{month}" not in hass_storage
    storage = Path(hass.config.path(".storage"))
    assert not (storage / f"{prefix}.{month}.log").exists()
    assert (storage / f"{prefix}.{dt_util.utcnow().strftime('%Y-%m')}.log").exists()
    buckets = hass_storage[f"{prefix}.hourly"]["data"]["buckets"]
    assert len(buckets) == 1
    assert buckets[0]["count"] == 2
    assert buckets[0]["min_c"] == 37.0
    assert buckets[0]["max_c"] == 37.4
    state = hass_storage[f"{DOMAIN}.{loaded_entry.entry_id}.temperature"]["data"]
    assert state["member_mia"]["hourly_months"] == [month]
    assert month not in state["member_mia"]["months"]


async def test_member_birth_date_in_future_is_a_flow_error(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "member"), context={"source": "user"}
    )
    tomorrow = (dt_util.now().date() + timedelta(days=1)).isoformat()
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Zoe", "birth_date": tomorrow}
    )
    assert result["errors"] == {"birth_date": "birth_date_future"}


async def test_fahrenheit_household_shows_fahrenheit(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    await _record(hass, temperature=37.5, unit=UnitOfTemperature.CELSIUS)
    assert hass.states.get(TEMP).attributes["unit_of_measurement"] == "°F"


async def test_source_points_live_on_the_members(hass: HomeAssistant) -> None:
    """The catch-up points of thermometers, as a mapping over members."""
    members = {
        "member_mia": MemberTemperature(
            FeverTracker(), ReadingHistory(hass, "entry", "temperature.member_mia")
        )
    }
    points = _SourcePoints(members, {"sensor.thermometer": "member_mia"})
    assert (len(points), "sensor.thermometer" in points) == (0, False)
    at = dt_util.utcnow()
    points["sensor.thermometer"] = at
    assert dict(points) == {"sensor.thermometer": at}
    assert (members["member_mia"].source, members["member_mia"].source_at) == (
        "sensor.thermometer",
        at,
    )
    del points["sensor.thermometer"]
    assert len(points) == 0
    assert members["member_mia"].source is None


async def test_a_reading_writes_only_the_sensors_it_changed(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await _record(hass, temperature=36.8)
    written = _writes(hass)

    # Normal again: a new reading; the status, the fever (off) and the next
    # check (none) stay, and are not rewritten.
    freezer.tick(timedelta(hours=1))
    await _record(hass, temperature=36.9)
    assert set(written) == {TEMP}

    written.clear()
    freezer.tick(timedelta(hours=1))
    await _record(hass, temperature=38.4)
    assert set(written) == {TEMP, STATUS, FEVER, NEXT_CHECK}
    assert set(written.values()) == {1}

    # Still a fever: the episode's readings and duration grow.
    written.clear()
    freezer.tick(timedelta(hours=1))
    await _record(hass, temperature=38.5)
    assert FEVER in written
    assert hass.states.get(FEVER).attributes["readings"] == 2
