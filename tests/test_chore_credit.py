"""Completions are credited to whoever did the chore: the caller's member."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.core import Context, HomeAssistant

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import attributes, local, setup_household
from .conftest import chore

DISHES = "sensor.dishes_next_due"


async def _household(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> str:
    """Set up Mia (assignee) and Leo (linked to a non-admin user); return Leo's user."""
    freezer.move_to(local("2026-11-23 10:00"))
    # The first user is the owner, an admin: Leo comes after.
    await hass.auth.async_create_user("Owner")
    user = await hass.auth.async_create_user("Leo", group_ids=[GROUP_ID_USER])
    assert not user.is_admin
    hass.states.async_set("person.leo", "home", {"user_id": user.id})
    await setup_household(
        hass,
        *(
            chore(
                name,
                recurrence="daily",
                start_date="2026-11-23",
                assignees=["member_mia", "member_leo"],
            )
            for name in ("Dishes", "Laundry", "Trash", "Bins")
        ),
    )
    return user.id


def _credit(hass: HomeAssistant, name: str) -> tuple[str, dict[str, int]]:
    summary = attributes(hass, f"sensor.{name}_next_due")
    return summary["last_completed_by"], summary["completions"]


async def test_non_admin_todo_tick_credits_their_member(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    leo = await _household(hass, freezer)
    assert attributes(hass, DISHES)["assignee"] == "Mia"
    await hass.services.async_call(
        TODO_DOMAIN,
        "update_item",
        {"item": "Dishes", "status": "completed"},
        target={"entity_id": "todo.chores"},
        blocking=True,
        context=Context(user_id=leo),
    )
    await hass.async_block_till_done()
    assert _credit(hass, "dishes") == ("Leo", {"Leo": 1})
    # The turn still passes on from the assignee.
    assert attributes(hass, DISHES)["assignee"] == "Leo"


async def test_button_service_and_phone_credit_the_caller(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    leo = await _household(hass, freezer)
    caller = Context(user_id=leo)
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.laundry_complete"},
        blocking=True,
        context=caller,
    )
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Trash"}, blocking=True, context=caller
    )
    # The phone's answer carries the user its app was registered by.
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": "AUTO_HOME_DONE_chore_bins"},
        context=caller,
    )
    await hass.async_block_till_done()
    for name in ("laundry", "trash", "bins"):
        assert _credit(hass, name) == ("Leo", {"Leo": 1})


async def test_explicit_member_wins_and_unknown_callers_credit_the_assignee(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    leo = await _household(hass, freezer)
    await hass.services.async_call(
        DOMAIN,
        "complete_chore",
        {"chore": "Dishes", "member": "Mia"},
        blocking=True,
        context=Context(user_id=leo),
    )
    # A user without a person, an automation (no user), the phone without a user.
    guest = (await hass.auth.async_create_user("Guest", group_ids=[GROUP_ID_USER])).id
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": "button.laundry_complete"},
        blocking=True,
        context=Context(user_id=guest),
    )
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Trash"}, blocking=True
    )
    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": "AUTO_HOME_DONE_chore_bins"}
    )
    await hass.async_block_till_done()
    for name in ("dishes", "laundry", "trash", "bins"):
        assert _credit(hass, name) == ("Mia", {"Mia": 1})
