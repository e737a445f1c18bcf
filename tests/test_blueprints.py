"""The shipped automation blueprints load and do what they promise."""

from datetime import timedelta
from pathlib import Path
import shutil

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN

BLUEPRINTS = Path(__file__).parent.parent / "blueprints"


@pytest.fixture
def blueprint_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A config folder holding the shipped blueprints."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")
    return tmp_path


async def _automation(hass: HomeAssistant, name: str, inputs: dict) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {"path": f"auto_home/{name}.yaml", "input": inputs}
            }
        },
    )
    await hass.async_block_till_done()
    assert len(hass.states.async_entity_ids("automation")) == 1, "did not load"


@pytest.mark.usefixtures("blueprint_dir", "loaded_entry")
async def test_fever_alert_speaker(hass: HomeAssistant) -> None:
    speak = async_mock_service(hass, "tts", "speak")
    await _automation(
        hass,
        "fever_alert_speaker",
        {"tts_entity": "tts.home", "speaker": "media_player.kitchen"},
    )
    # A fever of 13 days ago, recorded now, is no news for the kitchen.
    old = dt_util.now() - timedelta(days=13)
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {
            "member": "Mia",
            "temperature": 41.3,
            "measured_at": old.strftime("%Y-%m-%d %H:%M:%S"),
        },
        blocking=True,
    )
    await hass.async_block_till_done()
    assert speak == []
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Mia", "temperature": 38.6},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert len(speak) == 1
    assert speak[0].data["media_player_entity_id"] == "media_player.kitchen"
    assert speak[0].data["message"].strip() == "Mia has a temperature of 38.6 degrees."


# The time trigger's next daily timer outlives the test by design.
@pytest.mark.parametrize("expected_lingering_timers", [True])
@pytest.mark.usefixtures("blueprint_dir", "loaded_entry")
async def test_morning_chores(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    speak = async_mock_service(hass, "tts", "speak")
    await _automation(
        hass,
        "morning_chores",
        {
            "time": "07:30:00",
            "tts_entity": "tts.home",
            "speaker": "media_player.kitchen",
        },
    )
    now = dt_util.now()
    target = now.replace(hour=7, minute=30, second=0, microsecond=0)
    if target <= now:
        target += timedelta(days=1)
    freezer.move_to(target)
    async_fire_time_changed(hass, target)
    await hass.async_block_till_done()
    assert len(speak) == 1
    assert "Water plants" in speak[0].data["message"]


@pytest.mark.usefixtures("blueprint_dir")
async def test_nfc_complete_chore(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    assert await async_setup_component(hass, "tag", {})
    chore_device = entity_registry.async_get("sensor.water_plants_next_due").device_id
    await _automation(
        hass, "nfc_complete_chore", {"tag_id": "watering-can", "chore": chore_device}
    )
    events = []
    hass.bus.async_listen("auto_home_chore_completed", events.append)
    hass.bus.async_fire("tag_scanned", {"tag_id": "watering-can"})
    await hass.async_block_till_done()
    assert len(events) == 1
    assert events[0].data["chore"] == "Water plants"
