"""The household card's websocket subscription: `auto_home/subscribe`.

Home Assistant's websocket only takes authenticated connections; any user may
subscribe, and sees of each member's health what the household's privacy
options let them (card_feed). A household that unloads ends its
subscriptions with a `closed` event: the card subscribes again.
"""

from typing import Any

from homeassistant.components import websocket_api
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import ERR_NOT_FOUND
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey
import voluptuous as vol

from .card_feed import CardFeed
from .const import DOMAIN
from .coordinator import AutoHomeConfigEntry

# The open subscriptions of each household, by entry id.
_FEEDS: HassKey[dict[str, set[CardFeed]]] = HassKey(f"{DOMAIN}_card_feeds")


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the card's commands (once, for the integration)."""
    websocket_api.async_register_command(hass, ws_subscribe)


def _household(hass: HomeAssistant, entry_id: str | None) -> AutoHomeConfigEntry | None:
    """Return the loaded household `entry_id`, or the only one when None."""
    entries: list[AutoHomeConfigEntry] = [
        entry
        for entry in hass.config_entries.async_entries(DOMAIN)
        if entry.state is ConfigEntryState.LOADED and entry_id in (None, entry.entry_id)
    ]
    return entries[0] if len(entries) == 1 else None


def _feeds(hass: HomeAssistant, entry: AutoHomeConfigEntry) -> set[CardFeed]:
    """Return the household's open feeds; they end when it unloads."""
    feeds = hass.data.setdefault(_FEEDS, {})
    if entry.entry_id not in feeds:
        feeds[entry.entry_id] = set()

        @callback
        def _close_all() -> None:
            for feed in feeds.pop(entry.entry_id, set()):
                feed.end()

        entry.async_on_unload(_close_all)
    return feeds[entry.entry_id]


@websocket_command(
    {
        vol.Required("type"): f"{DOMAIN}/subscribe",
        vol.Optional("entry_id"): str,
    }
)
@async_response
async def ws_subscribe(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the household's snapshot, then a delta for each change."""
    msg_id: int = msg["id"]
    if (entry := _household(hass, msg.get("entry_id"))) is None:
        connection.send_error(
            msg_id,
            ERR_NOT_FOUND,
            "No loaded Auto Home household with that entry id",
            translation_key="household_not_found",
            translation_domain=DOMAIN,
        )
        return
    feeds = _feeds(hass, entry)

    @callback
    def _send(payload: dict[str, Any]) -> None:
        connection.send_message(event_message(msg_id, payload))

    @callback
    def _unsubscribe() -> None:
        feeds.discard(feed)
        feed.close()

    feed = CardFeed(entry.runtime_data, connection.user, _send)
    feeds.add(feed)
    connection.subscriptions[msg_id] = _unsubscribe
    connection.send_result(msg_id)
    await feed.async_start()
