"""Helpers for the chore tests: a Berlin household, moving time, reading entities."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.auto_home.const import DOMAIN

from .conftest import member

BERLIN = ZoneInfo("Europe/Berlin")


def local(text: str) -> datetime:
    """Return a Berlin wall time as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN)


async def move_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: datetime
) -> None:
    """Move the clock to `when` and run the timers that fell due."""
    freezer.move_to(when)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


def next_due(hass: HomeAssistant, entity_id: str) -> datetime:
    """Return a next-due sensor's state as a Berlin datetime."""
    state = hass.states.get(entity_id)
    assert state is not None
    # An all-day chore's sensor is a date: its local midnight.
    due = datetime.fromisoformat(state.state)
    return due.replace(tzinfo=BERLIN) if due.tzinfo is None else due.astimezone(BERLIN)


def attributes(hass: HomeAssistant, entity_id: str) -> dict[str, Any]:
    """Return an entity's attributes."""
    state = hass.states.get(entity_id)
    assert state is not None
    return dict(state.attributes)


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    """Call an Auto Home service and wait for what it set off."""
    result = await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )
    await hass.async_block_till_done()
    return result


async def setup_household(
    hass: HomeAssistant,
    *subentries: ConfigSubentryData,
    members: tuple[ConfigSubentryData, ...] | None = None,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Set up a Berlin household with Mia, Leo and the given chores.

    Mia and Leo are linked to person.mia and person.leo (which a test may
    create), unless other `members` are given.
    """
    await hass.config.async_set_time_zone("Europe/Berlin")
    if members is None:
        members = (
            member("Mia", person="person.mia"),
            member("Leo", person="person.leo"),
        )
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=options or {},
        subentries_data=[*members, *subentries],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def reload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Reload the household (its state goes through the store)."""
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def open_items(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Return the open items of a To-do list (a completion shows ticked until midnight)."""
    response = await hass.services.async_call(
        "todo",
        "get_items",
        {"status": ["needs_action"]},
        target={"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    return [item["summary"] for item in response[entity_id]["items"]]
