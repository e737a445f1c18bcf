"""Helpers for the voice tests: a household on Monday 2026-11-23, users and persons.

Mia (linked to person.mia) does Dishes, due today; Leo's Water plants fell due
yesterday and is overdue; Water lawn (Saturdays) is not due yet.
"""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import local, move_to
from .conftest import chore, member

NOW = "2026-11-23 10:00"


async def setup_voice_household(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """Set up the household, with Water plants left undone yesterday."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(local("2026-11-22 10:00"))
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=options or {},
        subentries_data=[
            member("Mia", person="person.mia"),
            member("Leo", person="person.leo"),
            chore(
                "Dishes",
                recurrence="daily",
                start_date="2026-11-23",
                assignees=["member_mia", "member_leo"],
            ),
            chore(
                "Water plants",
                recurrence="daily",
                start_date="2026-11-22",
                assignees=["member_leo"],
            ),
            chore(
                "Water lawn",
                recurrence="weekly",
                weekdays=["sat"],
                start_date="2026-11-23",
                assignees=["member_leo"],
            ),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await move_to(hass, freezer, local(NOW))
    return entry


async def link_user(hass: HomeAssistant, name: str) -> str:
    """Create a user and the person it is linked to; return the user id."""
    user = await hass.auth.async_create_user(name)
    hass.states.async_set(
        f"person.{name.lower()}", "home", {"user_id": user.id, "friendly_name": name}
    )
    return user.id


async def record(hass: HomeAssistant, member_name: str, value: float) -> None:
    """Record a temperature through the service."""
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": member_name, "temperature": value},
        blocking=True,
    )
    await hass.async_block_till_done()


async def weigh_daily(
    hass: HomeAssistant, member_name: str, weights: list[float], days_ago: int
) -> None:
    """Record a weight each morning at 07:00, the first `days_ago` days ago."""
    start = local(NOW).replace(hour=7) - timedelta(days=days_ago)
    for day, kg in enumerate(weights):
        await hass.services.async_call(
            DOMAIN,
            "record_weight",
            {
                "member": member_name,
                "weight": kg,
                "measured_at": (start + timedelta(days=day)).isoformat(),
            },
            blocking=True,
        )
    await hass.async_block_till_done()


async def weight_report(hass: HomeAssistant, member_name: str) -> dict[str, Any]:
    """Return the member's weight report as the service gives it."""
    return await hass.services.async_call(
        DOMAIN,
        "get_weight_report",
        {"member": member_name},
        blocking=True,
        return_response=True,
    )
