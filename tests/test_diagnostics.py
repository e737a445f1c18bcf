"""Diagnostics: useful counts, no personal data."""

import json

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.auto_home.const import DOMAIN

from .conftest import chore, member


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """A member with personal settings and a chore."""
    return [
        member(
            "Mia",
            person="person.mia_lin",
            birth_date="2019-04-02",
            notify_targets=["notify.mobile_app_mias_phone"],
            temperature_source="sensor.mias_thermometer",
        ),
        chore("Water plants"),
    ]


async def test_diagnostics_redact_personal_data(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Mia", "temperature": 38.37},
        blocking=True,
    )
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )
    text = json.dumps(diagnostics)
    for secret in (
        "Mia",
        "mia_lin",
        "2019-04-02",
        "mias_phone",
        "mias_thermometer",
        "38.37",
    ):
        assert secret not in text
    mia = diagnostics["members"]["member_1"]
    assert mia["temperature_readings"] == 1
    assert mia["latest_temperature_band_c"] == "38-39"
    assert mia["fever_episode_open"] is True
    assert mia["settings"]["person"] == "**REDACTED**"
    assert diagnostics["chores"]["chore_1"]["status"] in ("due", "upcoming")
