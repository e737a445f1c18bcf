"""Away through hass: set_away, the turn passing over, reminders, a restart."""

from datetime import datetime

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import attributes, call, local, move_to, reload, setup_household
from .conftest import chore, member

DISHES = "sensor.dishes_next_due"
MIA_AWAY = "binary_sensor.mia_away"


def _state(hass: HomeAssistant, entity_id: str) -> str:
    state = hass.states.get(entity_id)
    assert state is not None
    return state.state


def _dishes(*assignees: str) -> object:
    return chore(
        "Dishes",
        recurrence="daily",
        start_date="2026-03-27",
        due_time="19:00:00",
        assignees=list(assignees),
    )


async def test_away_passes_the_turn_survives_a_restart_and_ends_at_until(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # Across the spring DST change in Berlin (29 March 2026).
    freezer.move_to(local("2026-03-27 10:00"))
    entry = await setup_household(hass, _dishes("member_mia", "member_leo"))
    assert attributes(hass, DISHES)["assignee"] == "Mia"
    assert _state(hass, MIA_AWAY) == "off"

    until = local("2026-03-30 08:00")
    await call(hass, "set_away", {"member": "Mia", "until": until.isoformat()})
    assert _state(hass, MIA_AWAY) == "on"
    assert datetime.fromisoformat(attributes(hass, MIA_AWAY)["until"]) == until
    # Her due chore goes to the next in turn.
    assert attributes(hass, DISHES)["assignee"] == "Leo"
    # Leo's turn is done: it would be Mia's, she is away, so Leo again.
    await call(hass, "complete_chore", {"chore": "Dishes"})
    assert attributes(hass, DISHES)["assignee"] == "Leo"

    # A restart in the middle of the away period keeps it.
    await move_to(hass, freezer, local("2026-03-29 12:00"))
    await reload(hass, entry)
    assert _state(hass, MIA_AWAY) == "on"
    assert attributes(hass, DISHES)["assignee"] == "Leo"

    # Back by herself at `until` (timer, no polling); the rotation has her again.
    await move_to(hass, freezer, local("2026-03-30 08:00:01"))
    assert _state(hass, MIA_AWAY) == "off"
    # What Leo took stays with him until done.
    assert attributes(hass, DISHES)["assignee"] == "Leo"
    await call(hass, "complete_chore", {"chore": "Dishes"})
    assert attributes(hass, DISHES)["assignee"] == "Mia"


async def test_until_passed_while_stopped_is_back_on_start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-27 10:00"))
    entry = await setup_household(hass, _dishes("member_mia", "member_leo"))
    await call(
        hass,
        "set_away",
        {"member": "Mia", "until": local("2026-03-27 20:00").isoformat()},
    )
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(local("2026-03-28 09:00"))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert _state(hass, MIA_AWAY) == "off"


async def test_only_assignee_away_leaves_it_to_the_household_until_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-27 10:00"))
    await setup_household(hass, _dishes("member_mia"))
    await call(hass, "set_away", {"member": "Mia"})
    assert attributes(hass, MIA_AWAY)["until"] is None
    assert attributes(hass, DISHES)["assignee"] is None
    # Still away days later: the next occurrence is the household's too.
    await move_to(hass, freezer, local("2026-03-29 10:00"))
    assert _state(hass, MIA_AWAY) == "on"
    assert attributes(hass, DISHES)["assignee"] is None
    await call(hass, "set_away", {"member": "Mia", "away": False})
    assert _state(hass, MIA_AWAY) == "off"
    # Unassigned and still due: back to her.
    assert attributes(hass, DISHES)["assignee"] == "Mia"


async def test_reminders_of_someone_away_pause(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    mia = async_mock_service(hass, "notify", "mobile_app_mia")
    leo = async_mock_service(hass, "notify", "mobile_app_leo")
    freezer.move_to(local("2026-03-27 10:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options={"household_targets": ["notify.mobile_app_leo"], "lead_minutes": 30},
        subentries_data=[
            member("Mia", notify_targets=["notify.mobile_app_mia"]),
            member("Leo", notify_targets=["notify.mobile_app_leo"]),
            _dishes("member_mia"),  # type: ignore[list-item]
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "set_away", {"member": "Mia"})
    for moment in ("18:30:01", "19:00:01"):
        await move_to(hass, freezer, local(f"2026-03-27 {moment}"))
    assert _messages(mia) == []
    # The household (Leo's phone) is told instead.
    assert _messages(leo)
    await call(hass, "set_away", {"member": "Mia", "away": False})
    await move_to(hass, freezer, local("2026-03-28 19:00:01"))
    assert _messages(mia)


def _messages(calls: list[ServiceCall]) -> list[str]:
    return [c.data["message"] for c in calls]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"member": "Mia", "until": "2026-03-27 09:00:00"}, "away_until_past"),
        (
            {"member": "Mia", "away": False, "until": "2026-03-28 09:00:00"},
            "away_until_without_away",
        ),
        ({"member": "Nobody"}, "unknown_member"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    data: dict[str, str],
    key: str,
) -> None:
    freezer.move_to(local("2026-03-27 10:00"))
    await setup_household(hass, _dishes("member_mia", "member_leo"))
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_away", data)
    assert err.value.translation_key == key
    assert _state(hass, MIA_AWAY) == "off"
    assert attributes(hass, DISHES)["assignee"] == "Mia"


async def test_custody_every_other_weekend_across_dst(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Set on the member; away Friday to Sunday, back at Monday's local midnight."""
    freezer.move_to(local("2026-03-26 10:00"))
    entry = await setup_household(hass, _dishes("member_mia", "member_leo"))
    mia = entry.subentries["member_mia"]
    hass.config_entries.async_update_subentry(
        entry,
        mia,
        data={
            **mia.data,
            "custody_start": "2026-03-27",
            "custody_weekdays": ["fri", "sat", "sun"],
        },
    )
    await hass.async_block_till_done()
    assert _state(hass, MIA_AWAY) == "off"
    assert attributes(hass, DISHES)["assignee"] == "Mia"
    await move_to(hass, freezer, local("2026-03-27 00:00:01"))
    assert _state(hass, MIA_AWAY) == "on"
    assert attributes(hass, MIA_AWAY)["custody"] is True
    assert attributes(hass, DISHES)["assignee"] == "Leo"
    # Sunday 29 March: clocks go forward; still away until Monday 00:00 CEST.
    await move_to(hass, freezer, local("2026-03-29 23:59:00"))
    assert _state(hass, MIA_AWAY) == "on"
    await move_to(hass, freezer, local("2026-03-30 00:00:01"))
    assert _state(hass, MIA_AWAY) == "off"
    # The next weekend is not hers to be away; the one after is.
    await move_to(hass, freezer, local("2026-04-03 12:00"))
    assert _state(hass, MIA_AWAY) == "off"
    await move_to(hass, freezer, local("2026-04-10 00:00:01"))
    assert _state(hass, MIA_AWAY) == "on"


async def test_linked_input_boolean_and_calendar_make_away_while_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-27 10:00"))
    hass.states.async_set("input_boolean.mia_trip", "off")
    hass.states.async_set("calendar.mia_trips", "off")
    entry = await setup_household(hass, _dishes("member_mia", "member_leo"))
    mia = entry.subentries["member_mia"]
    hass.config_entries.async_update_subentry(
        entry,
        mia,
        data={
            **mia.data,
            "away_entities": ["input_boolean.mia_trip", "calendar.mia_trips"],
        },
    )
    await hass.async_block_till_done()
    assert _state(hass, MIA_AWAY) == "off"
    hass.states.async_set("input_boolean.mia_trip", "on")
    await hass.async_block_till_done()
    assert _state(hass, MIA_AWAY) == "on"
    assert attributes(hass, MIA_AWAY)["linked"] == ["input_boolean.mia_trip"]
    assert attributes(hass, DISHES)["assignee"] == "Leo"
    # The calendar's event starts while the switch goes off: still away.
    hass.states.async_set("calendar.mia_trips", "on")
    hass.states.async_set("input_boolean.mia_trip", "off")
    await hass.async_block_till_done()
    assert attributes(hass, MIA_AWAY)["linked"] == ["calendar.mia_trips"]
    # The event ends: back, and an attribute change alone changes nothing.
    hass.states.async_set("calendar.mia_trips", "off", {"message": "Trip"})
    await hass.async_block_till_done()
    assert _state(hass, MIA_AWAY) == "off"
    await reload(hass, entry)
    hass.states.async_set("input_boolean.mia_trip", "on")
    await hass.async_block_till_done()
    assert _state(hass, MIA_AWAY) == "on"
