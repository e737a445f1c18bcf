"""Members and chores are plain devices whose model says which they are."""

from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_translations
import pytest

from custom_components.auto_home.const import DOMAIN


@pytest.mark.parametrize(
    ("language", "models"),
    [
        ("en", {"member": "Member", "chore": "Chore"}),
        ("zh-Hans", {"member": "成员", "chore": "家务"}),
    ],
)
async def test_devices_are_plain_with_the_kind_in_the_server_language(
    hass: HomeAssistant,
    setup_entry: Callable[[], Any],
    language: str,
    models: dict[str, str],
) -> None:
    """Not "Service info": a member or chore device, named so in its model."""
    hass.config.language = language
    entry = await setup_entry()
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert {device.name: device.model for device in devices} == {
        "Mia": models["member"],
        "Leo": models["member"],
        "Water plants": models["chore"],
    }
    for device in devices:
        assert device.entry_type is None
        # The actions' device filters match the model id, the same in every language.
        assert device.model_id in ("member", "chore")
        assert device.manufacturer == "Auto Home"
    # Home Assistant takes a translated unit from English in every language
    # (entity_platform: default_language_platform_translations).
    rate = hass.states.get("sensor.mia_weekly_weight_change")
    assert rate.attributes["unit_of_measurement"] == "kg/wk"


async def test_fever_reads_fever_or_no_fever(hass: HomeAssistant) -> None:
    """The frontend shows the translated states, not On/Off (开启/关闭)."""
    texts = {
        language: await async_get_translations(hass, language, "entity", [DOMAIN])
        for language in ("en", "zh-Hans")
    }
    key = f"component.{DOMAIN}.entity.binary_sensor.fever.state"
    assert (texts["en"][f"{key}.on"], texts["en"][f"{key}.off"]) == (
        "Fever",
        "No fever",
    )
    assert (texts["zh-Hans"][f"{key}.on"], texts["zh-Hans"][f"{key}.off"]) == (
        "正在发热",
        "未发热",
    )
