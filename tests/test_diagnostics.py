"""Diagnostics: useful counts, no personal data."""

import hashlib
import json
import re
from typing import Any

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

MIA = "01JDMIA7Q2W3E4R5T6Y7U8I9O0"
LEO = "01JDLEO1A2S3D4F5G6H7J8K9L0"
CHORE = "01JDCHORE2Z3X4C5V6B7N8M9QW"


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """A member with personal settings and numbers, her carer and a chore."""
    return [
        member(
            "Mia",
            MIA,
            person="person.mia_lin",
            birth_date="1987-04-02",
            height=164.0,
            goal_weight=58.5,
            notify_targets=["notify.mobile_app_mias_phone"],
            temperature_source="sensor.mias_thermometer",
            weight_source="sensor.mias_scale",
            caregivers=[LEO],
        ),
        member("Leo", LEO, age_group="child"),
        chore(
            "Water plants",
            CHORE,
            description="Mia's orchids on the balcony",
            interval=2,
            assignees=[MIA, LEO],
        ),
    ]


def _hash(entry: MockConfigEntry, subentry_id: str) -> str:
    return hashlib.sha256(f"{entry.entry_id}{subentry_id}".encode()).hexdigest()[:8]


def _numbers(value: Any) -> list[int | float]:
    """Return every number (not boolean) anywhere in `value`."""
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    return []


async def test_diagnostics_redact_personal_data(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
) -> None:
    for call, data in (
        ("record_temperature", {"member": "Mia", "temperature": 38.37}),
        ("record_weight", {"member": "Mia", "weight": 61.3}),
        ("complete_chore", {"chore": "Water plants"}),
    ):
        await hass.services.async_call(DOMAIN, call, data, blocking=True)
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )
    text = json.dumps(diagnostics)
    for secret in (
        "Mia",
        "mia_lin",
        "1987",
        "04-02",
        "mias_phone",
        "mias_thermometer",
        "mias_scale",
        "orchids",
        "38.37",
        "61.3",
        "164",
        "58.5",
        MIA,
        LEO,
        CHORE,
    ):
        assert secret not in text
    # No subentry id in any form, not even a part of one as a key.
    assert not re.search(r"01JD[0-9A-Z]{4,}", text)

    mia, leo, water = (_hash(loaded_entry, key) for key in (MIA, LEO, CHORE))
    assert set(diagnostics["members"]) == {mia, leo}
    assert set(diagnostics["chores"]) == {water}
    settings = diagnostics["members"][mia]["settings"]
    assert settings["person"] == "**REDACTED**"
    assert settings["birth_date"] == "**REDACTED**"
    assert settings["height"] == "160-170"
    assert settings["goal_weight"] == "50-60"
    assert settings["caregivers"] == [leo]
    assert diagnostics["members"][leo]["settings"]["age_group"] == "child"
    assert diagnostics["chores"][water]["settings"]["assignees"] == [mia, leo]
    assert diagnostics["chores"][water]["settings"]["description"] == "**REDACTED**"
    assert diagnostics["chores"][water]["settings"]["interval"] == 2

    # What is left of the member is bands, flags and counts.
    health = diagnostics["members"][mia]
    assert health["age_group"] == "adult"
    assert health["temperature_readings"] == 1
    assert health["latest_temperature_band_c"] == "38-39"
    assert health["fever_episode_open"] is True
    assert health["weight_readings"] == 1
    assert health["latest_weight_band_kg"] == "60-70"
    assert all(isinstance(n, int) for n in _numbers(diagnostics["members"]))
    assert diagnostics["chores"][water]["history_entries"] == 1
    assert diagnostics["chores"][water]["status"] == "done"
