"""Delivery of messages to Home Assistant's notify targets.

A target is one of:
- a notify entity (`notify.kitchen_display`), sent with `notify.send_message`;
- a legacy notify service (`notify.mobile_app_mia_phone`, a notify group), which
  also carries a tag, actionable buttons and the phone's interruption level;
- `persistent_notification`, the default that needs no phone.
"""

from dataclasses import dataclass, field
import logging
from typing import Any, Self

from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

PERSISTENT = "persistent_notification"
NOTIFY = "notify"
# The tag of a message that collapses several.
COLLAPSED_TAG = f"{DOMAIN}_collapsed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """A notification, independent of where it goes."""

    title: str
    message: str
    tag: str
    urgent: bool = False
    # (action id, button title) pairs for phones that support them.
    actions: tuple[tuple[str, str], ...] = ()
    data: dict[str, Any] = field(default_factory=dict)
    # The member or chore (subentry id) it is about; its held copies go with it.
    about: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the message as it is held through quiet hours (never urgent)."""
        return {
            "title": self.title,
            "message": self.message,
            "tag": self.tag,
            "actions": [list(action) for action in self.actions],
            "data": self.data,
            "about": self.about,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """Return a held message."""
        return cls(
            title=data["title"],
            message=data["message"],
            tag=data["tag"],
            actions=tuple((action, title) for action, title in data.get("actions", ())),
            data=data.get("data", {}),
            about=data.get("about"),
        )


def target_exists(hass: HomeAssistant, target: str) -> bool:
    """Return whether a target can currently be reached."""
    if target == PERSISTENT:
        return True
    domain, _, name = target.partition(".")
    if domain != NOTIFY or not name:
        return False
    return hass.states.get(target) is not None or hass.services.has_service(
        NOTIFY, name
    )


def available_targets(hass: HomeAssistant) -> list[str]:
    """Return every target the user can pick: entities, services, persistent."""
    entities = hass.states.async_entity_ids(NOTIFY)
    services = [
        f"{NOTIFY}.{name}"
        for name in hass.services.async_services_for_domain(NOTIFY)
        if name not in ("send_message", PERSISTENT)
    ]
    return [PERSISTENT, *sorted({*entities, *services})]


async def async_send(hass: HomeAssistant, target: str, message: Message) -> None:
    """Send `message` to one target; raise HomeAssistantError if it fails."""
    if target == PERSISTENT:
        persistent_notification.async_create(
            hass, message.message, message.title, notification_id=message.tag
        )
        return
    name = target.partition(".")[2]
    if hass.states.get(target) is not None:
        await hass.services.async_call(
            NOTIFY,
            "send_message",
            {"entity_id": target, "message": message.message, "title": message.title},
            blocking=True,
        )
        return
    if not hass.services.has_service(NOTIFY, name):
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="unknown_target",
            translation_placeholders={"target": target},
        )
    data: dict[str, Any] = {"tag": message.tag, **message.data}
    if message.actions:
        data["actions"] = [
            {"action": action, "title": title} for action, title in message.actions
        ]
    if message.urgent:
        # iOS: time-sensitive breaks through focus; Android: high priority.
        data["push"] = {"interruption-level": "time-sensitive"}
        data["priority"] = "high"
        data["ttl"] = 0
    await hass.services.async_call(
        NOTIFY,
        name,
        {"message": message.message, "title": message.title, "data": data},
        blocking=True,
    )


async def async_clear(hass: HomeAssistant, target: str, tag: str) -> None:
    """Clear a sent notification where the target supports it.

    A phone that cannot be reached keeps its notification; that is logged,
    not raised, so it never stops a start or a chore being closed.
    """
    if target == PERSISTENT:
        persistent_notification.async_dismiss(hass, tag)
        return
    name = target.partition(".")[2]
    # Notify entities cannot retract a message; phones clear by tag.
    if hass.states.get(target) is None and hass.services.has_service(NOTIFY, name):
        try:
            await hass.services.async_call(
                NOTIFY,
                name,
                {"message": "clear_notification", "data": {"tag": tag}},
                blocking=True,
            )
        except HomeAssistantError as err:
            _LOGGER.warning("Could not clear %s on %s: %s", tag, target, err)


async def async_deliver(
    hass: HomeAssistant, targets: list[str], message: Message
) -> dict[str, bool]:
    """Send to every target; one failing target does not stop the others."""
    results: dict[str, bool] = {}
    for target in dict.fromkeys(targets):
        try:
            await async_send(hass, target, message)
        except Exception as err:  # noqa: BLE001 - any platform error is one target's
            _LOGGER.warning("Could not notify %s: %s", target, err)
            results[target] = False
        else:
            results[target] = True
    return results
