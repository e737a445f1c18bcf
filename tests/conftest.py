"""Fixtures for Auto Home tests: a real hass with the integration loaded."""

from collections.abc import Callable
from typing import Any

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import (
    DOMAIN,
    SUBENTRY_CHORE,
    SUBENTRY_MEDICINE,
    SUBENTRY_MEMBER,
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let the harness load custom_components/auto_home."""


def member(
    name: str, subentry_id: str | None = None, **data: Any
) -> ConfigSubentryData:
    """Return subentry data for a member."""
    return ConfigSubentryData(
        subentry_type=SUBENTRY_MEMBER,
        title=name,
        data=data,
        subentry_id=subentry_id or f"member_{name.lower()}",
        unique_id=None,
    )


def chore(name: str, subentry_id: str | None = None, **data: Any) -> ConfigSubentryData:
    """Return subentry data for a chore."""
    return ConfigSubentryData(
        subentry_type=SUBENTRY_CHORE,
        title=name,
        data=data,
        subentry_id=subentry_id or f"chore_{name.lower().replace(' ', '_')}",
        unique_id=None,
    )


def medicine(name: str, hours: float, per_day: int, **data: Any) -> ConfigSubentryData:
    """Return subentry data for a medicine: its minimum interval and most per day."""
    return ConfigSubentryData(
        subentry_type=SUBENTRY_MEDICINE,
        title=name,
        data={"min_interval_hours": hours, "max_per_day": per_day, **data},
        subentry_id=f"medicine_{name.lower()}",
        unique_id=None,
    )


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test its own config folder: reading journals are real files."""
    return hass_tmp_config_dir


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Members and chores of the default test household."""
    return [member("Mia"), member("Leo"), chore("Water plants")]


@pytest.fixture
def options() -> dict[str, Any]:
    """Options of the default test household: none."""
    return {}


@pytest.fixture
def config_entry(
    subentries: list[ConfigSubentryData], options: dict[str, Any]
) -> MockConfigEntry:
    """Return the household entry (not yet added to hass)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=options,
        subentries_data=subentries,
    )


@pytest.fixture
def setup_entry(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> Callable[[], Any]:
    """Return a coroutine function that sets the household up."""

    async def _setup() -> MockConfigEntry:
        config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(config_entry.entry_id)
        # With the recorder, live readings wait for the background catch-up.
        await hass.async_block_till_done(wait_background_tasks=True)
        return config_entry

    return _setup


@pytest.fixture
async def loaded_entry(setup_entry: Callable[[], Any]) -> MockConfigEntry:
    """The household, set up."""
    return await setup_entry()
