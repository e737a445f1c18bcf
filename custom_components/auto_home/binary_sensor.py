"""Binary sensors: a member's open fever episode, being away; an overdue chore."""

from collections.abc import Mapping
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .away_feature import away_key
from .const import SUBENTRY_CHORE, SUBENTRY_MEMBER
from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
from .domain.chore import ChoreStatus
from .dose_feature import dose_key
from .entity import ChoreEntity, MemberEntity

PARALLEL_UPDATES = 0

FEVER = BinarySensorEntityDescription(key="fever", translation_key="fever")
OVERDUE = BinarySensorEntityDescription(key="overdue", translation_key="overdue")
AWAY = BinarySensorEntityDescription(key="away", translation_key="away")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a fever binary sensor per member and an overdue one per chore."""
    entry.runtime_data.async_add_entity_factory(
        Platform.BINARY_SENSOR, async_add_entities, _entities_of
    )


def _entities_of(
    coordinator: AutoHomeCoordinator, subentry: ConfigSubentry
) -> list[Entity]:
    if subentry.subentry_type == SUBENTRY_MEMBER:
        return [
            FeverBinarySensor(coordinator, subentry, FEVER),
            AwayBinarySensor(coordinator, subentry, AWAY),
        ]
    if subentry.subentry_type == SUBENTRY_CHORE:
        return [OverdueBinarySensor(coordinator, subentry, OVERDUE)]
    # A medicine has no entities of its own.
    return []


class FeverBinarySensor(MemberEntity, BinarySensorEntity):
    """On while the member has an open fever episode; lists its doses."""

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the member's readings and their doses."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.coordinator.async_add_listener(
                dose_key(self.subentry_id), self._async_changed
            )
        )

    @property
    def is_on(self) -> bool:
        """Return whether an episode is open."""
        return self.view.episode is not None

    @override
    def _shown(self) -> object:
        # Most readings open no episode and leave it off: not rewritten.
        return self.available and (self.is_on, self.extra_state_attributes)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the open episode's start, peak, duration and acknowledgement."""
        view = self.view
        if (episode := view.episode) is None:
            return None
        return {
            "started_at": episode.started_at.isoformat(),
            "peak": episode.peak_c,
            "peak_at": episode.peak_at.isoformat(),
            "highest_class": episode.highest_class.value,
            "readings": episode.readings,
            "duration_hours": round(episode.duration.total_seconds() / 3600, 2),
            "ends_at": episode.last_fever_at.isoformat()
            if (ends_at := view.episode_ends_at) is None
            else ends_at.isoformat(),
            # Who acknowledged its urgent alert, and when.
            "acknowledged_at": episode.acknowledged_at
            and episode.acknowledged_at.isoformat(),
            "acknowledged_by": episode.acknowledged_by,
            "doses": [
                {
                    "medicine": dose.medicine,
                    "given_at": dt_util.as_local(dose.given_at).isoformat(),
                    "amount": dose.amount,
                    "unit": dose.unit,
                    "overridden": dose.overridden,
                }
                for dose in view.episode_doses
            ],
        }


class OverdueBinarySensor(ChoreEntity, BinarySensorEntity):
    """On while the chore's pending occurrence is past its deadline."""

    @property
    def is_on(self) -> bool:
        """Return whether the chore is overdue."""
        return self.view.status is ChoreStatus.OVERDUE

    @override
    def _shown(self) -> object:
        # Most changes of a chore leave it as overdue as it was: not rewritten.
        return (self.available, self.available and self.is_on)


class AwayBinarySensor(MemberEntity, BinarySensorEntity):
    """On while the member is away: their chores pass to others."""

    @property
    def listener_key(self) -> str:
        """Follow the member's away state, not their readings."""
        return away_key(self.subentry_id)

    @property
    def is_on(self) -> bool:
        """Return whether the member is away."""
        return not self.coordinator.away.available(self.subentry_id)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return since when and until when, and whether custody has them away."""
        feature = self.coordinator.away
        away = feature.members.get(self.subentry_id)
        return {
            "since": None if away is None else away.since.isoformat(),
            "until": None
            if away is None or away.until is None
            else away.until.isoformat(),
            "custody": feature.away_by_custody(self.subentry_id),
            "linked": feature.linked(self.subentry_id),
        }
