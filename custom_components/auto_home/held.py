"""Messages held through quiet hours: their tags, parsing, and the 0.1 migration."""

from dataclasses import replace
from functools import partial
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN, SUBENTRY_CHORE
from .domain.reminder_rules import hold
from .notifier import COLLAPSED_TAG, Message
from .repairs import parse_each
from .subentries import subentries_of


def chore_tag(chore_id: str) -> str:
    """Return the notification tag of a chore's reminders and done messages."""
    return f"{DOMAIN}_chore_{chore_id}"


async def async_migrate_0_1_held(
    hass: HomeAssistant, entry_id: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Return a 0.1 reminders section with its held messages keyed by tag.

    0.1 held only title and message: a chore's is recognised by its title and
    held again in order, so of a reminder and its later done message only the
    done message is left, as the phone would show. The rest are sent collapsed.
    """
    texts = await async_get_translations(hass, hass.config.language, "common", [DOMAIN])
    template = texts.get(f"component.{DOMAIN}.common.chore_title", "{chore}")
    entry = hass.config_entries.async_get_known_entry(entry_id)
    chores = {
        template.format(chore=subentry.title): chore_id
        for chore_id, subentry in subentries_of(entry, SUBENTRY_CHORE).items()
    }
    deferred: dict[str, list[dict[str, Any]]] = {}
    untagged = parse_each(
        data.get("deferred", {}),
        partial(held_messages, tag=COLLAPSED_TAG),
        "held reminders",
    )
    for target, messages in untagged.items():
        held: list[Message] = []
        for item, message in messages:
            if "tag" in item or (chore_id := chores.get(message.title)) is None:
                held.append(message)
            else:
                held = hold(
                    held, replace(message, tag=chore_tag(chore_id), about=chore_id)
                )
        deferred[target] = [message.as_dict() for message in held]
    return data | {"deferred": deferred}


def held_messages(
    items: Any, tag: str | None = None
) -> list[tuple[dict[str, Any], Message]]:
    """Return a target's held messages; one that cannot be read is dropped alone."""
    if not isinstance(items, list):
        raise TypeError(f"held messages are a list, not {items!r}")
    base = {} if tag is None else {"tag": tag}
    parsed = parse_each(
        {str(index): item for index, item in enumerate(items)},
        lambda item: (item, Message.from_dict(base | item)),
        "held reminders",
    )
    return list(parsed.values())
