"""A To-do list per member: the chores they are on, ticked and credited there."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.const import GROUP_ID_USER
from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import (
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.auto_home.chore_feature import assignee_key

from .chore_helpers import (
    attributes,
    call,
    local,
    move_to,
    open_items,
    setup_household,
)
from .conftest import chore

MIA_LIST = "todo.mia_chores"
LEO_LIST = "todo.leo_chores"
HOUSEHOLD = "todo.chores"


async def _tick(
    hass: HomeAssistant,
    entity_id: str,
    item: str,
    user_id: str | None = None,
    status: str = "completed",
) -> None:
    await hass.services.async_call(
        TODO_DOMAIN,
        "update_item",
        {"item": item, "status": status},
        target={"entity_id": entity_id},
        blocking=True,
        context=Context(user_id=user_id),
    )
    await hass.async_block_till_done()


def _daily(name: str, *assignees: str, **data: Any) -> Any:
    return chore(
        name,
        recurrence="daily",
        start_date="2026-11-23",
        assignees=list(assignees),
        **data,
    )


async def _household(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> Any:
    freezer.move_to(local("2026-11-23 10:00"))
    return await setup_household(
        hass,
        _daily("Dishes", "member_mia", "member_leo"),
        _daily("Water plants", "member_leo"),
        # Weekly on Sundays, shown a day ahead: not on any list yet.
        chore(
            "Bins",
            recurrence="weekly",
            weekdays=["sun"],
            start_date="2026-11-23",
            assignees=["member_mia"],
            due_window={"days": 1},
        ),
        _daily("Sweep"),
    )


async def test_each_member_lists_their_chores_the_household_all(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await _household(hass, freezer)
    assert await open_items(hass, MIA_LIST) == ["Dishes"]
    assert await open_items(hass, LEO_LIST) == ["Water plants"]
    assert await open_items(hass, HOUSEHOLD) == ["Dishes", "Water plants", "Sweep"]
    registry = er.async_get(hass)
    mia_list = registry.async_get(MIA_LIST)
    assert mia_list is not None
    assert mia_list.translation_key == "member_chores"
    assert mia_list.config_subentry_id == "member_mia"
    assert hass.states.get(MIA_LIST).state == "1"

    # Saturday, within Bins' window: upcoming on Mia's list, after today's.
    await move_to(hass, freezer, local("2026-11-28 09:00"))
    assert await open_items(hass, MIA_LIST) == ["Dishes", "Bins"]


async def test_a_tick_on_an_own_list_is_credited_and_moves_the_turn(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await hass.auth.async_create_user("Owner")
    user = await hass.auth.async_create_user("Mia", group_ids=[GROUP_ID_USER])
    hass.states.async_set("person.mia", "home", {"user_id": user.id})
    entry = await _household(hass, freezer)
    coordinator = entry.runtime_data
    woken: list[str] = []
    changed = coordinator.async_changed

    def _spy(*keys: str) -> None:
        woken.extend(keys)
        changed(*keys)

    coordinator.async_changed = _spy
    states = async_capture_events(hass, EVENT_STATE_CHANGED)

    await _tick(hass, MIA_LIST, "Dishes", user.id)
    summary = attributes(hass, "sensor.dishes_next_due")
    assert (summary["last_completed_by"], summary["assignee"]) == ("Mia", "Leo")
    assert await open_items(hass, MIA_LIST) == []
    assert hass.states.get(MIA_LIST).state == "0"
    # Only the lists the chore was or is on wake: Mia's. Its next occurrence,
    # Leo's, is not on his list before tomorrow, so his list stays as it was.
    assert {key for key in woken if key.startswith("chores.")} == {
        assignee_key("member_mia")
    }
    assert LEO_LIST not in {event.data["entity_id"] for event in states}

    woken.clear()
    states.clear()
    await _tick(hass, LEO_LIST, "Water plants")
    assert assignee_key("member_mia") not in woken
    assert assignee_key("member_leo") in woken
    assert LEO_LIST in {event.data["entity_id"] for event in states}
    assert attributes(hass, "sensor.water_plants_next_due")["last_completed_by"] == (
        "Leo"
    )

    # Tomorrow Dishes is Leo's.
    await move_to(hass, freezer, local("2026-11-24 08:00"))
    assert await open_items(hass, LEO_LIST) == ["Dishes", "Water plants"]
    assert await open_items(hass, MIA_LIST) == []


async def test_lists_follow_members_and_chores_live(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _household(hass, freezer)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "member"), context={"source": SOURCE_USER}
    )
    await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Ava"}
    )
    await hass.async_block_till_done()
    ava = next(s.subentry_id for s in entry.subentries.values() if s.title == "Ava")
    assert await open_items(hass, "todo.ava_chores") == []

    # Sweep is given to Ava: on her list at once, still on the household's.
    sweep = entry.subentries["chore_sweep"]
    hass.config_entries.async_update_subentry(
        entry, sweep, data=dict(sweep.data) | {"assignees": [ava]}
    )
    await hass.async_block_till_done()
    assert await open_items(hass, "todo.ava_chores") == ["Sweep"]
    assert "Sweep" in await open_items(hass, HOUSEHOLD)

    # Deleted chore leaves her list; deleted member takes the list along.
    assert hass.config_entries.async_remove_subentry(entry, "chore_sweep")
    await hass.async_block_till_done()
    assert await open_items(hass, "todo.ava_chores") == []
    assert hass.config_entries.async_remove_subentry(entry, ava)
    await hass.async_block_till_done()
    assert hass.states.get("todo.ava_chores") is None
    assert er.async_get(hass).async_get("todo.ava_chores") is None


async def _broadcast(client: MockHAClientWebSocket) -> list[tuple[str, str]]:
    """Return the next To-do broadcast's items as (summary, status)."""
    message = await client.receive_json()
    return [(item["summary"], item["status"]) for item in message["event"]["items"]]


async def test_subscribers_get_each_change_and_no_unchanged_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """The frontend's subscription: Home Assistant's copy of the items shares them."""
    await _household(hass, freezer)
    # A token of the moved clock (the fixture's would be from the future).
    user = await hass.auth.async_create_user("Mia")
    refresh = await hass.auth.async_create_refresh_token(user, CLIENT_ID)
    client = await hass_ws_client(hass, hass.auth.async_create_access_token(refresh))
    await client.send_json_auto_id(
        {"type": "todo/item/subscribe", "entity_id": HOUSEHOLD}
    )
    assert (await client.receive_json())["success"]
    todo = [("Dishes", "needs_action"), ("Water plants", "needs_action")]
    assert await _broadcast(client) == [*todo, ("Sweep", "needs_action")]

    # Bins is not on the list: the list is written, its items are as sent.
    written = hass.states.get(HOUSEHOLD).last_reported
    freezer.tick()
    await call(hass, "reassign_chore", {"chore": "Bins", "member": "Leo"})
    assert hass.states.get(HOUSEHOLD).last_reported > written
    # So the next message is the completion's.
    await call(hass, "complete_chore", {"chore": "Sweep"})
    assert await _broadcast(client) == [*todo, ("Sweep", "completed")]
    assert hass.states.get(HOUSEHOLD).state == "2"

    # Unticking undoes it; completing again sends the ticked item again.
    await _tick(hass, HOUSEHOLD, "Sweep", status="needs_action")
    assert await _broadcast(client) == [*todo, ("Sweep", "needs_action")]
    assert hass.states.get(HOUSEHOLD).state == "3"
    await call(hass, "complete_chore", {"chore": "Sweep"})
    assert await _broadcast(client) == [*todo, ("Sweep", "completed")]
