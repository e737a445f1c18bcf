"""The household card's websocket subscription: snapshot, deltas, privacy."""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    CLIENT_ID,
    MockConfigEntry,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    MockHAClientWebSocket,
    WebSocketGenerator,
)

from custom_components.auto_home.const import (
    CONF_VOICE_SCOPE,
    DOMAIN,
    VOICE_SCOPE_OWN,
)

from .chore_helpers import local, setup_household
from .conftest import chore
from .test_doses import PARACETAMOL

KG = {"unit_of_measurement": "kg", "device_class": "weight"}
SCALE = "sensor.bathroom_scale"
CHORES = (
    chore(
        "Dishes", recurrence="daily", start_date="2026-03-27", assignees=["member_mia"]
    ),
    chore(
        "Bins", recurrence="daily", start_date="2026-03-27", assignees=["member_leo"]
    ),
    chore("Windows", recurrence="daily", start_date="2026-04-02"),
)


@pytest.fixture(autouse=True)
def owner(freezer: FrozenDateTimeFactory, hass_owner_user: User) -> User:
    """The owner exists first: users made later are not administrators.

    The clock is set first: access tokens are issued at the frozen time.
    """
    freezer.move_to(local("2026-03-27 10:00"))
    return hass_owner_user


async def _household(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, **options: Any
) -> MockConfigEntry:
    """Mia and Leo with three chores, on 27 March 10:00 Berlin."""
    freezer.move_to(local("2026-03-27 10:00"))
    entry = await setup_household(hass, *CHORES)
    if options:
        hass.config_entries.async_update_entry(entry, options=options)
        await hass.async_block_till_done()
    return entry


async def _user_token(hass: HomeAssistant, name: str) -> tuple[User, str]:
    """Create a user who is not an administrator, linked to person.<name>."""
    user = await hass.auth.async_create_user(name)
    hass.states.async_set(
        f"person.{name.lower()}", "home", {"user_id": user.id, "friendly_name": name}
    )
    refresh = await hass.auth.async_create_refresh_token(user, CLIENT_ID)
    return user, hass.auth.async_create_access_token(refresh)


async def _leos_card(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> MockHAClientWebSocket:
    """Return the subscribed socket of Leo, a user who is not an administrator."""
    await _household(hass, freezer)
    _, token = await _user_token(hass, "Leo")
    client = await hass_ws_client(hass, token)
    await _subscribe(client)
    return client


async def _mias_card_with_leos_fever(
    hass: HomeAssistant, hass_ws_client: WebSocketGenerator
) -> tuple[MockHAClientWebSocket, dict[str, Any]]:
    """Leo has a fever; return Mia's subscribed socket and her snapshot."""
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Leo", "temperature": 39.0},
        blocking=True,
    )
    _, token = await _user_token(hass, "Mia")
    client = await hass_ws_client(hass, token)
    _, snapshot = await _subscribe(client)
    return client, snapshot


async def _subscribe(
    client: MockHAClientWebSocket, **data: Any
) -> tuple[int, dict[str, Any]]:
    """Subscribe; return the message id and the snapshot."""
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe", **data})
    result = await client.receive_json()
    assert result["success"], result
    event = await client.receive_json()
    assert event["id"] == result["id"]
    return result["id"], event["event"]["snapshot"]


async def _events_until_quiet(
    hass: HomeAssistant, client: MockHAClientWebSocket
) -> list[dict[str, Any]]:
    """Return every event sent until a ping comes back: nothing else is pending."""
    await hass.async_block_till_done(wait_background_tasks=True)
    await client.send_json_auto_id({"type": "ping"})
    events = []
    while (message := await client.receive_json())["type"] != "pong":
        if message["type"] == "event":
            events.append(message["event"])
        else:
            assert message["success"], message
    return events


async def _call(
    client: MockHAClientWebSocket, service: str, **data: Any
) -> dict[str, Any]:
    """Call an Auto Home action as the connection's user; return its result."""
    await client.send_json_auto_id(
        {
            "type": "call_service",
            "domain": DOMAIN,
            "service": service,
            "service_data": data,
        }
    )
    while (message := await client.receive_json())["type"] != "result":
        pass
    return message


# aiohttp's heartbeat of a socket Home Assistant refused outlives the test.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_unauthenticated_socket_is_refused(
    hass: HomeAssistant,
    aiohttp_client: ClientSessionGenerator,
    socket_enabled: None,
) -> None:
    await setup_household(hass, *CHORES)
    assert await async_setup_component(hass, "websocket_api", {})
    client = await aiohttp_client(hass.http.app)
    for first in (
        {"type": "auth", "access_token": "not a token"},
        {"id": 1, "type": f"{DOMAIN}/subscribe"},
    ):
        socket = await client.ws_connect("/api/websocket")
        assert (await socket.receive_json())["type"] == "auth_required"
        await socket.send_json(first)
        assert (await socket.receive_json())["type"] == "auth_invalid"
        # Home Assistant closes the socket: no snapshot ever reaches it.
        assert (await socket.receive()).type.name in ("CLOSE", "CLOSED", "CLOSING")
        await socket.close()
    await hass.async_block_till_done()


async def test_snapshot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    entry = await _household(hass, freezer)
    mia_user, _ = await _user_token(hass, "Mia")
    # A reading taken at 08:00, recorded at 10:00 (back-filled), and one now.
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {
            "member": "Mia",
            "temperature": 38.4,
            "site": "axillary",
            "measured_at": local("2026-03-27 08:00"),
        },
        blocking=True,
    )
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Mia", "temperature": 38.9},
        blocking=True,
    )
    await hass.services.async_call(
        DOMAIN, "record_weight", {"member": "Leo", "weight": 80.2}, blocking=True
    )
    client = await hass_ws_client(hass)
    _, snapshot = await _subscribe(client)

    assert snapshot["v"] == 1
    assert snapshot["entry_id"] == entry.entry_id
    assert snapshot["title"] == "Home"
    assert snapshot["now"] == round(local("2026-03-27 10:00").timestamp())
    assert snapshot["order"] == ["member_mia", "member_leo"]
    assert snapshot["viewer"] == {
        "admin": True,
        "member": None,
        "scope": "all",
        "discard": True,
    }
    assert snapshot["thresholds"]["fever"] == 38.0
    mia = snapshot["members"]["member_mia"]
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "member_mia"), entry.entry_id
    )
    assert device is not None
    assert mia["name"] == "Mia"
    assert mia["person"] == "person.mia"
    assert mia["user"] == mia_user.id
    assert mia["device"] == device.id
    assert mia["private"] is False
    assert mia["away"] is False
    assert mia["due"] == 1
    assert mia["temp"] == {
        "at": round(local("2026-03-27 10:00").timestamp()),
        "c": 38.9,
        "site": "oral",
        "core": 38.9,
        "class": "fever",
        "urgent": False,
    }
    episode = mia["episode"]
    # The back-filled reading opened the episode at the time it was measured.
    assert episode["start"] == round(local("2026-03-27 08:00").timestamp())
    assert episode["readings"] == [
        [round(local("2026-03-27 08:00").timestamp()), 38.9, 38.4, "axillary"],
        [round(local("2026-03-27 10:00").timestamp()), 38.9, 38.9, "oral"],
    ]
    assert episode["class"] == "fever"
    assert episode["check"] == round(local("2026-03-27 14:00").timestamp())
    assert episode["doses"] == []
    assert mia["weight"] is None
    leo = snapshot["members"]["member_leo"]
    assert leo["temp"] is None
    assert leo["episode"] is None
    assert leo["weight"]["kg"] == 80.2
    assert leo["weight"]["spark"] == [
        [round(local("2026-03-27 10:00").timestamp()), 80.2]
    ]
    # Today's chores are listed, the weekly one starting next week is counted.
    assert set(snapshot["chores"]) == {"chore_dishes", "chore_bins"}
    dishes = snapshot["chores"]["chore_dishes"]
    assert dishes["name"] == "Dishes"
    assert dishes["assignee"] == "member_mia"
    assert dishes["status"] == "due"
    assert dishes["by"] is None
    assert snapshot["upcoming"] == 1
    assert snapshot["held"] == []


async def test_a_reading_is_one_delta_of_that_member(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await _household(hass, freezer)
    client = await hass_ws_client(hass)
    await _subscribe(client)
    freezer.tick(timedelta(minutes=5))
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "member_leo", "temperature": 39.2, "site": "ear"},
        blocking=True,
    )
    events = await _events_until_quiet(hass, client)
    assert len(events) == 1
    delta = events[0]["delta"]
    assert set(delta) == {"now", "members"}
    assert list(delta["members"]) == ["member_leo"]
    leo = delta["members"]["member_leo"]
    assert set(leo) == {"temp", "episode"}
    assert leo["temp"]["core"] == 38.9
    assert leo["temp"]["class"] == "fever"
    assert leo["episode"]["readings"] == [
        [round(dt_util.utcnow().timestamp()), 38.9, 39.2, "ear"]
    ]


async def test_a_dose_in_an_episode_is_one_delta(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    freezer.move_to(local("2026-03-27 10:00"))
    await setup_household(hass, PARACETAMOL)
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Mia", "temperature": 39.0},
        blocking=True,
    )
    client = await hass_ws_client(hass)
    _, snapshot = await _subscribe(client)
    assert snapshot["members"]["member_mia"]["episode"]["doses"] == []
    freezer.tick(timedelta(minutes=10))
    await hass.services.async_call(
        DOMAIN,
        "record_dose",
        {"member": "member_mia", "medicine": "medicine_paracetamol"},
        blocking=True,
    )
    [event] = await _events_until_quiet(hass, client)
    mia = event["delta"]["members"]["member_mia"]
    assert mia["episode"]["doses"] == [
        {
            "at": round(local("2026-03-27 10:10").timestamp()),
            "medicine": "medicine_paracetamol",
            "name": "Paracetamol",
            "amount": 500,
            "unit": "mg",
        }
    ]


async def test_a_completion_is_one_delta(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    client = await _leos_card(hass, freezer, hass_ws_client)
    # Leo ticks Mia's dishes from the card: credited to Leo.
    result = await _call(client, "complete_chore", chore="chore_dishes")
    assert result["success"], result
    events = await _events_until_quiet(hass, client)
    assert len(events) == 1
    delta = events[0]["delta"]
    assert set(delta) == {"now", "members", "chores"}
    dishes = delta["chores"]["chore_dishes"]
    assert dishes["status"] == "done"
    assert dishes["by"] == "member_leo"
    assert dishes["last"] == round(dt_util.utcnow().timestamp())
    assert list(delta["chores"]) == ["chore_dishes"]
    # Only the count that changed: Mia had the dishes due.
    assert delta["members"] == {"member_mia": {"due": 0}}


async def test_snooze_and_skip_from_the_card(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    client = await _leos_card(hass, freezer, hass_ws_client)
    result = await _call(
        client, "snooze_chore", chore="chore_bins", duration={"hours": 2}
    )
    assert result["success"], result
    [event] = await _events_until_quiet(hass, client)
    bins = event["delta"]["chores"]["chore_bins"]
    assert bins["snoozed"] == round(local("2026-03-27 12:00").timestamp())
    assert bins["status"] == "upcoming"
    assert event["delta"]["members"] == {"member_leo": {"due": 0}}
    result = await _call(client, "skip_chore", chore="chore_dishes")
    assert result["success"], result
    [event] = await _events_until_quiet(hass, client)
    # Skipped: tomorrow's dishes are no longer today's.
    assert event["delta"]["chores"] == {"chore_dishes": None}
    assert event["delta"]["upcoming"] == 2


async def test_a_held_reading_assigned_is_one_delta(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    entry = await _household(hass, freezer)
    for member_id in ("member_mia", "member_leo"):
        hass.config_entries.async_update_subentry(
            entry,
            entry.subentries[member_id],
            data={
                **entry.subentries[member_id].data,
                "weight_source": SCALE,
                "weight_source_shared": True,
            },
        )
    await hass.async_block_till_done()
    client = await hass_ws_client(hass)
    await _subscribe(client)
    hass.states.async_set(SCALE, "62.0", KG)
    events = await _events_until_quiet(hass, client)
    assert len(events) == 1
    [held] = events[0]["delta"]["held"]
    assert held["kg"] == 62.0
    assert held["source"] == SCALE
    assert held["at"] == round(dt_util.utcnow().timestamp())
    result = await _call(
        client, "assign_weight", reading_id=held["id"], member="member_mia"
    )
    assert result["success"], result
    events = await _events_until_quiet(hass, client)
    assert len(events) == 1
    delta = events[0]["delta"]
    assert delta["held"] == []
    assert list(delta["members"]) == ["member_mia"]
    assert delta["members"]["member_mia"]["weight"]["kg"] == 62.0


async def test_a_user_who_is_not_an_administrator_sees_only_their_own_health(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    await _household(hass, freezer, **{CONF_VOICE_SCOPE: VOICE_SCOPE_OWN})
    client, snapshot = await _mias_card_with_leos_fever(hass, hass_ws_client)
    assert snapshot["viewer"] == {
        "admin": False,
        "member": "member_mia",
        "scope": "own",
        "discard": False,
    }
    leo = snapshot["members"]["member_leo"]
    assert leo["private"] is True
    assert {"temp", "episode", "weight"}.isdisjoint(leo)
    assert leo["name"] == "Leo"
    assert snapshot["members"]["member_mia"]["private"] is False
    # Leo's chores stay open to all.
    assert snapshot["chores"]["chore_bins"]["assignee"] == "member_leo"

    # Leo's next reading sends Mia's card nothing of it.
    freezer.tick(timedelta(minutes=5))
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Leo", "temperature": 39.5},
        blocking=True,
    )
    assert await _events_until_quiet(hass, client) == []
    # Her own reading from the card is hers to see; Leo's is refused.
    result = await _call(
        client, "record_temperature", member="member_mia", temperature=37.0
    )
    assert result["success"], result
    [event] = await _events_until_quiet(hass, client)
    assert event["delta"]["members"]["member_mia"]["temp"]["c"] == 37.0
    result = await _call(
        client, "record_temperature", member="member_leo", temperature=37.0
    )
    assert not result["success"]
    assert result["error"]["translation_key"] == "member_not_yours"
    assert await _events_until_quiet(hass, client) == []


async def test_unsubscribe_and_unload(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    entry = await _household(hass, freezer)
    coordinator = entry.runtime_data
    client = await hass_ws_client(hass)
    subscription, _ = await _subscribe(client)
    assert len(coordinator._change_listeners) == 1
    await client.send_json_auto_id(
        {"type": "unsubscribe_events", "subscription": subscription}
    )
    assert (await client.receive_json())["success"]
    assert coordinator._change_listeners == []
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Dishes"}, blocking=True
    )
    assert await _events_until_quiet(hass, client) == []

    # A household that unloads tells its cards so.
    await _subscribe(client)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await _events_until_quiet(hass, client) == [{"closed": True}]
    assert coordinator._change_listeners == []


async def test_unknown_household(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    entry = await _household(hass, freezer)
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe", "entry_id": "nope"})
    result = await client.receive_json()
    assert not result["success"]
    assert result["error"]["code"] == "not_found"
    assert result["error"]["translation_key"] == "household_not_found"
    # The household by its id works.
    _, snapshot = await _subscribe(client, entry_id=entry.entry_id)
    assert snapshot["entry_id"] == entry.entry_id


async def test_the_privacy_option_changed_while_the_card_is_open(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: WebSocketGenerator,
) -> None:
    entry = await _household(hass, freezer)
    client, snapshot = await _mias_card_with_leos_fever(hass, hass_ws_client)
    assert snapshot["members"]["member_leo"]["temp"]["c"] == 39.0
    hass.config_entries.async_update_entry(
        entry, options={CONF_VOICE_SCOPE: VOICE_SCOPE_OWN}
    )
    [event] = await _events_until_quiet(hass, client)
    delta = event["delta"]
    assert delta["viewer"]["scope"] == "own"
    assert delta["viewer"]["discard"] is False
    # Leo's health is taken off Mia's card; her own stays as it was.
    assert delta["members"] == {
        "member_leo": {"private": True, "temp": None, "episode": None, "weight": None}
    }
