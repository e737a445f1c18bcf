"""Buttons: complete a chore."""

from typing import override

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .chore_feature import available_key
from .const import SUBENTRY_CHORE
from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
from .entity import ChoreEntity

PARALLEL_UPDATES = 0

COMPLETE = ButtonEntityDescription(key="complete", translation_key="complete")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a complete button per chore."""
    entry.runtime_data.async_add_entity_factory(
        Platform.BUTTON, async_add_entities, _entities_of
    )


def _entities_of(
    coordinator: AutoHomeCoordinator, subentry: ConfigSubentry
) -> list[Entity]:
    if subentry.subentry_type == SUBENTRY_CHORE:
        return [CompleteChoreButton(coordinator, subentry, COMPLETE)]
    return []


class CompleteChoreButton(ChoreEntity, ButtonEntity):
    """Completes the chore's pending occurrence, by whoever pressed it."""

    @override
    async def async_added_to_hass(self) -> None:
        """Follow whether the chore can be used: its state shows no chore change."""
        self.async_on_remove(
            self.coordinator.async_add_listener(
                available_key(self.subentry_id), self.async_write_ha_state
            )
        )

    async def async_press(self) -> None:
        """Complete the chore (nothing happens when it is already done)."""
        self.view.complete(self._context)
