"""Buttons: complete a chore."""

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import SUBENTRY_CHORE
from .coordinator import AutoHomeConfigEntry
from .entity import ChoreEntity

PARALLEL_UPDATES = 0

COMPLETE = ButtonEntityDescription(key="complete", translation_key="complete")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a complete button per chore."""
    coordinator = entry.runtime_data
    for subentry in entry.subentries.values():
        if subentry.subentry_type == SUBENTRY_CHORE:
            async_add_entities(
                [CompleteChoreButton(coordinator, subentry, COMPLETE)],
                config_subentry_id=subentry.subentry_id,
            )


class CompleteChoreButton(ChoreEntity, ButtonEntity):
    """Completes the chore's pending occurrence, by its assignee."""

    async def async_press(self) -> None:
        """Complete the chore (nothing happens when it is already done)."""
        self.view.complete()
