"""Sensors of members and chores."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import SUBENTRY_CHORE, SUBENTRY_MEMBER
from .coordinator import AutoHomeConfigEntry
from .entity import AutoHomeEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class AutoHomeSensorDescription(SensorEntityDescription):
    """A sensor whose value is read from a member's or chore's stored state."""

    value_fn: Callable[[dict[str, Any]], Any]


def _timestamp(value: str | None) -> datetime | None:
    return dt_util.parse_datetime(value) if value else None


MEMBER_SENSORS: tuple[AutoHomeSensorDescription, ...] = (
    AutoHomeSensorDescription(
        key="body_temperature",
        translation_key="body_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda state: state.get("temperature", {}).get("latest"),
    ),
)

CHORE_SENSORS: tuple[AutoHomeSensorDescription, ...] = (
    AutoHomeSensorDescription(
        key="next_due",
        translation_key="next_due",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda state: _timestamp(state.get("next_due")),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every member and chore to their subentries."""
    coordinator = entry.runtime_data
    for subentry in entry.subentries.values():
        if subentry.subentry_type == SUBENTRY_MEMBER:
            section, descriptions = "members", MEMBER_SENSORS
        elif subentry.subentry_type == SUBENTRY_CHORE:
            section, descriptions = "chores", CHORE_SENSORS
        else:
            continue
        async_add_entities(
            (
                AutoHomeSensor(coordinator, subentry, section, description)
                for description in descriptions
            ),
            config_subentry_id=subentry.subentry_id,
        )


class AutoHomeSensor(AutoHomeEntity, SensorEntity):
    """A sensor of a member or a chore."""

    entity_description: AutoHomeSensorDescription

    def __init__(
        self,
        coordinator: Any,
        subentry: Any,
        section: str,
        description: AutoHomeSensorDescription,
    ) -> None:
        """Initialize the sensor."""
        super().__init__(coordinator, subentry, description)
        self._section = section

    @property
    def native_value(self) -> Any:
        """Return the value from the coordinator's state."""
        state = self.coordinator.data[self._section].get(self.subentry_id, {})
        return self.entity_description.value_fn(state)
