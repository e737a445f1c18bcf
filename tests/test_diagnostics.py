"""Diagnostics: useful counts, no personal data."""

import hashlib
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    _get_diagnostics_for_config_entry,
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
        # Numbers as tokens: a random entry id or a hash may hold "164".
        assert not re.search(
            rf"(?<![0-9A-Za-z]){re.escape(secret)}(?![0-9A-Za-z])", text
        )
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


def _tear(storage: Path, name: str) -> None:
    """Cut a journal's last line short, as a power cut during an append does."""
    (journal,) = storage.glob(f"{DOMAIN}.{name}.*.log")
    journal.write_bytes(journal.read_bytes() + b"[1.0,37")


async def test_the_whole_download_names_no_member_or_chore_id(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    hass_storage: dict[str, Any],
    setup_entry: Any,
) -> None:
    """Not even in the repair issues Home Assistant adds to the download."""
    entry = await setup_entry()
    await hass.services.async_call(
        DOMAIN, "record_temperature", {"member": "Mia", "temperature": 38.37}, True
    )
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    # A journal torn by a power cut, a chore's and a member's damaged state.
    _tear(Path(hass.config.path(".storage")), f"{entry.entry_id}.temperature.{MIA}")
    key = f"{DOMAIN}.{entry.entry_id}"
    hass_storage[key]["data"]["chores"][CHORE] = ["garbage"]
    hass_storage[f"{key}.weight"]["data"]["members"][LEO] = "garbage"
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    download = await _get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(download)
    for secret in (MIA, LEO, CHORE, "Mia", "Leo", "Water plants", "orchids"):
        assert secret not in text
    assert not re.search(r"01JD[0-9A-Z]{4,}", text)
    issues = {issue["issue_id"] for issue in download["issues"]}
    assert f"damaged_chores_{_hash(entry, CHORE)}" in issues
    assert f"damaged_weight_{_hash(entry, LEO)}" in issues
    assert any(issue.startswith("journal_damaged_") for issue in issues)

    # What is damaged shows, under the hashed key.
    data = download["data"]
    water = data["chores"][_hash(entry, CHORE)]
    assert water["damaged"] is True
    assert water["settings"]["description"] == "**REDACTED**"
    assert water["settings"]["interval"] == 2
    assert data["members"][_hash(entry, LEO)]["damaged"] is True
    assert data["members"][_hash(entry, MIA)]["damaged"] is False


@pytest.mark.parametrize(
    "subentries",
    [[member("Mia", MIA), chore("Water plants", CHORE, notes="Mia's orchids")]],
)
async def test_chore_settings_not_known_to_be_harmless_are_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    loaded_entry: MockConfigEntry,
) -> None:
    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, loaded_entry
    )
    water = diagnostics["chores"][_hash(loaded_entry, CHORE)]
    assert water["settings"]["notes"] == "**REDACTED**"
    assert water["damaged"] is False
    assert "orchids" not in json.dumps(diagnostics)
