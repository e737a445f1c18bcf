"""Chore reminders that wait until the member is home, at most until a time."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import call, local, move_to, reload
from .conftest import chore, member


@pytest.fixture
def mia(hass: HomeAssistant) -> list[ServiceCall]:
    """Mia's phone."""
    return async_mock_service(hass, "notify", "mobile_app_mia")


async def _setup(hass: HomeAssistant, **wait: Any) -> MockConfigEntry:
    await hass.config.async_set_time_zone("Europe/Berlin")
    hass.states.async_set("person.mia", "not_home")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options={"lead_minutes": 30, "household_targets": []},
        subentries_data=[
            member(
                "Mia",
                person="person.mia",
                notify_targets=["notify.mobile_app_mia"],
                wait_until_home=True,
                **wait,
            ),
            chore(
                "Bins",
                recurrence="daily",
                start_date="2026-03-27",
                due_time="19:00:00",
                assignees=["member_mia"],
            ),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _messages(calls: list[ServiceCall]) -> list[str]:
    return [c.data["message"] for c in calls]


async def test_waits_until_home_then_sends_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mia: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-27 12:00"))
    await _setup(hass)
    await move_to(hass, freezer, local("2026-03-27 18:30:01"))
    assert _messages(mia) == []
    # Home: what waited arrives, with no polling.
    hass.states.async_set("person.mia", "home")
    await hass.async_block_till_done()
    assert _messages(mia) == ["Mia, Bins is coming up at 19:00."]
    # Home now: the next one is sent when due.
    await move_to(hass, freezer, local("2026-03-27 19:00:01"))
    assert _messages(mia)[1:] == ["Mia, time for Bins."]


async def test_sent_anyway_at_the_latest_time_and_kept_over_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mia: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-27 12:00"))
    entry = await _setup(hass, wait_latest="19:30:00")
    await move_to(hass, freezer, local("2026-03-27 19:00:01"))
    assert _messages(mia) == []
    await reload(hass, entry)
    assert _messages(mia) == []
    await move_to(hass, freezer, local("2026-03-27 19:30:01"))
    # The lead and the due reminder of one chore: only the newest is sent.
    assert _messages(mia) == ["Mia, time for Bins."]


async def test_done_while_waiting_is_never_sent(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mia: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-27 12:00"))
    await _setup(hass)
    await move_to(hass, freezer, local("2026-03-27 18:30:01"))
    await call(hass, "complete_chore", {"chore": "Bins"})
    hass.states.async_set("person.mia", "home")
    await hass.async_block_till_done()
    assert "Mia, Bins is coming up at 19:00." not in _messages(mia)


async def test_an_unassigned_chore_is_offered_to_whoever_is_home(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mia: list[ServiceCall]
) -> None:
    """Nobody's turn: its reminder goes to the members home, else the household."""
    leo = async_mock_service(hass, "notify", "mobile_app_leo")
    household = async_mock_service(hass, "notify", "family")
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(local("2026-03-27 12:00"))
    hass.states.async_set("person.mia", "home")
    hass.states.async_set("person.leo", "not_home")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options={"lead_minutes": 30, "household_targets": ["notify.family"]},
        subentries_data=[
            member(
                "Mia", person="person.mia", notify_targets=["notify.mobile_app_mia"]
            ),
            member(
                "Leo", person="person.leo", notify_targets=["notify.mobile_app_leo"]
            ),
            chore(
                "Bins", recurrence="daily", start_date="2026-03-27", due_time="19:00:00"
            ),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await move_to(hass, freezer, local("2026-03-27 18:30:01"))
    coming = "Bins is coming up at 19:00."
    assert _messages(mia) == [coming]
    assert leo == []
    assert household == []
    # Nobody home the next day: the household's targets, as before.
    hass.states.async_set("person.mia", "not_home")
    await call(hass, "complete_chore", {"chore": "Bins"})
    await move_to(hass, freezer, local("2026-03-28 18:30:01"))
    assert _messages(mia).count(coming) == 1
    assert leo == []
    assert _messages(household) == [coming]
