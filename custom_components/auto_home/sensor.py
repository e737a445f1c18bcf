"""Sensors of members and chores."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import UnitOfMass, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .chore_feature import assignee_key
from .const import CONF_ICON, SUBENTRY_CHORE, SUBENTRY_MEMBER
from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
from .domain.temperature import FeverClass
from .domain.weight import Forecast, GoalEstimate, bmi, bmi_class
from .entity import AutoHomeEntity
from .weight_feature import weight_key

PARALLEL_UPDATES = 0
# The forecast sensor looks this far ahead of the latest reading.
FORECAST_HORIZON = timedelta(days=30)


@dataclass(frozen=True, kw_only=True)
class AutoHomeSensorDescription(SensorEntityDescription):
    """A sensor whose value is read from the coordinator for one subentry."""

    value_fn: Callable[[AutoHomeCoordinator, str], Any]
    attributes_fn: Callable[[AutoHomeCoordinator, str], Mapping[str, Any] | None] = (
        lambda coordinator, subentry_id: None
    )


def _temperature_attributes(
    coordinator: AutoHomeCoordinator, member_id: str
) -> Mapping[str, Any] | None:
    state = coordinator.temperature.members[member_id]
    if (reading := state.latest) is None:
        return None
    return {
        "site": reading.site.value,
        "measured_at": reading.measured_at.isoformat(),
        "core_temperature": reading.core_c,
        "source": reading.source,
    }


def _fever_status(coordinator: AutoHomeCoordinator, member_id: str) -> str | None:
    classification = coordinator.temperature.members[member_id].classification
    return classification.fever_class.value if classification else None


MEMBER_SENSORS: tuple[AutoHomeSensorDescription, ...] = (
    AutoHomeSensorDescription(
        key="body_temperature",
        translation_key="body_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda coordinator, member_id: (
            reading.value_c
            if (reading := coordinator.temperature.members[member_id].latest)
            else None
        ),
        attributes_fn=_temperature_attributes,
    ),
    AutoHomeSensorDescription(
        key="fever_status",
        translation_key="fever_status",
        device_class=SensorDeviceClass.ENUM,
        options=[fever_class.value for fever_class in FeverClass],
        value_fn=_fever_status,
        attributes_fn=lambda coordinator, member_id: (
            {"urgent": classification.urgent}
            if (
                classification := coordinator.temperature.members[
                    member_id
                ].classification
            )
            else None
        ),
    ),
    AutoHomeSensorDescription(
        key="next_temperature_check",
        translation_key="next_temperature_check",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda coordinator, member_id: coordinator.temperature.members[
            member_id
        ].tracker.recheck_due(),
    ),
)


def _chore_attributes(
    coordinator: AutoHomeCoordinator, chore_id: str
) -> Mapping[str, Any]:
    summary = coordinator.chores.summary(chore_id)
    return {
        key: summary[key]
        for key in (
            "assignee",
            "status",
            "last_completed",
            "last_completed_by",
            "streak",
            "days_overdue",
            "all_day",
            "snoozed_until",
            "completions",
        )
    } | coordinator.reminders.chores.explain(chore_id)


def _due_today_item(summary: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: summary[key]
        for key in ("chore", "status", "due", "all_day", "days_overdue")
    }


CHORE_SENSORS: tuple[AutoHomeSensorDescription, ...] = (
    AutoHomeSensorDescription(
        key="next_due",
        translation_key="next_due",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda coordinator, chore_id: (
            coordinator.chores.chores[chore_id].due_at
        ),
        attributes_fn=_chore_attributes,
    ),
)

CHORES_DUE_TODAY = AutoHomeSensorDescription(
    key="chores_due_today",
    translation_key="chores_due_today",
    value_fn=lambda coordinator, member_id: len(
        coordinator.chores.due_today(member_id)
    ),
    attributes_fn=lambda coordinator, member_id: {
        "chores": [
            _due_today_item(coordinator.chores.summary(chore_id))
            for chore_id in coordinator.chores.due_today(member_id)
        ]
    },
)


def _forecast(coordinator: AutoHomeCoordinator, member_id: str) -> Forecast | None:
    tracker = coordinator.weight.members[member_id].tracker
    if tracker.latest_at is None:
        return None
    return tracker.forecast(tracker.latest_at + FORECAST_HORIZON)


def _forecast_attributes(
    coordinator: AutoHomeCoordinator, member_id: str
) -> Mapping[str, Any] | None:
    if (forecast := _forecast(coordinator, member_id)) is None:
        return None
    return {
        "at": forecast.at.isoformat(),
        "low": round(forecast.low_kg, 1),
        "high": round(forecast.high_kg, 1),
        "interval": "80%",
        "method": forecast.method.value,
        "rate_kg_per_week": round(forecast.rate_kg_per_week, 2),
        "window_days": forecast.window_days,
        "samples": forecast.samples,
        "model": forecast.model.value,
        "model_reason": forecast.model_reason.value,
        "backtest_mae_7d": _round2(forecast.backtest_mae_7d),
        "backtest_mae_30d": _round2(forecast.backtest_mae_30d),
        "origins": forecast.origins,
    }


def _round2(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _bmi(coordinator: AutoHomeCoordinator, member_id: str) -> float | None:
    trend = coordinator.weight.members[member_id].tracker.trend_kg
    height = coordinator.weight.height_cm(member_id)
    return None if trend is None or not height else round(bmi(trend, height), 1)


def _goal(coordinator: AutoHomeCoordinator, member_id: str) -> GoalEstimate:
    weight = coordinator.weight
    return weight.members[member_id].tracker.goal(weight.goal_kg(member_id))


WEIGHT_SENSORS: tuple[AutoHomeSensorDescription, ...] = (
    AutoHomeSensorDescription(
        key="weight",
        translation_key="weight",
        device_class=SensorDeviceClass.WEIGHT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfMass.KILOGRAMS,
        suggested_display_precision=1,
        value_fn=lambda coordinator, member_id: (
            reading.kg
            if (reading := coordinator.weight.members[member_id].latest)
            else None
        ),
        attributes_fn=lambda coordinator, member_id: (
            {
                "measured_at": reading.measured_at.isoformat(),
                "flagged": reading.flagged,
                "source": reading.source,
                "unassigned_readings": len(coordinator.weight.unassigned),
            }
            if (reading := coordinator.weight.members[member_id].latest)
            else None
        ),
    ),
    AutoHomeSensorDescription(
        key="weight_trend",
        translation_key="weight_trend",
        device_class=SensorDeviceClass.WEIGHT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfMass.KILOGRAMS,
        suggested_display_precision=1,
        value_fn=lambda coordinator, member_id: (
            None
            if (trend := coordinator.weight.members[member_id].tracker.trend_kg) is None
            else round(trend, 2)
        ),
    ),
    AutoHomeSensorDescription(
        key="weekly_rate",
        translation_key="weekly_rate",
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement="kg/wk",
        suggested_display_precision=2,
        value_fn=lambda coordinator, member_id: (
            round(rate.kg_per_week, 3)
            if (rate := coordinator.weight.members[member_id].tracker.rate())
            else None
        ),
        attributes_fn=lambda coordinator, member_id: (
            {
                "standard_error": round(rate.stderr_kg_per_week, 3),
                "samples": rate.samples,
                "window_days": rate.window_days,
            }
            if (rate := coordinator.weight.members[member_id].tracker.rate())
            else None
        ),
    ),
    AutoHomeSensorDescription(
        key="weight_forecast",
        translation_key="weight_forecast",
        device_class=SensorDeviceClass.WEIGHT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfMass.KILOGRAMS,
        suggested_display_precision=1,
        value_fn=lambda coordinator, member_id: (
            round(forecast.kg, 2)
            if (forecast := _forecast(coordinator, member_id))
            else None
        ),
        attributes_fn=_forecast_attributes,
    ),
    AutoHomeSensorDescription(
        key="goal_date",
        translation_key="goal_date",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda coordinator, member_id: _goal(coordinator, member_id).date,
        attributes_fn=lambda coordinator, member_id: {
            "reason": reason.value
            if (reason := _goal(coordinator, member_id).reason)
            else None,
            "goal_weight": coordinator.weight.goal_kg(member_id),
        },
    ),
)

BMI_SENSOR = AutoHomeSensorDescription(
    key="bmi",
    translation_key="bmi",
    state_class=SensorStateClass.MEASUREMENT,
    native_unit_of_measurement="kg/m²",
    suggested_display_precision=1,
    value_fn=_bmi,
    attributes_fn=lambda coordinator, member_id: (
        {"class": bmi_class(value).value}
        if (value := _bmi(coordinator, member_id)) is not None
        else None
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every member to their subentries."""
    coordinator = entry.runtime_data
    for subentry in entry.subentries.values():
        if subentry.subentry_type == SUBENTRY_MEMBER:
            async_add_entities(
                (
                    AutoHomeSensor(coordinator, subentry, description)
                    for description in MEMBER_SENSORS
                ),
                config_subentry_id=subentry.subentry_id,
            )
            async_add_entities(
                [ChoresDueTodaySensor(coordinator, subentry, CHORES_DUE_TODAY)],
                config_subentry_id=subentry.subentry_id,
            )
            weight = [*WEIGHT_SENSORS]
            if coordinator.weight.height_cm(subentry.subentry_id):
                weight.append(BMI_SENSOR)
            async_add_entities(
                (
                    WeightSensor(coordinator, subentry, description)
                    for description in weight
                ),
                config_subentry_id=subentry.subentry_id,
            )
        elif subentry.subentry_type == SUBENTRY_CHORE:
            async_add_entities(
                (
                    ChoreSensor(coordinator, subentry, description)
                    for description in CHORE_SENSORS
                ),
                config_subentry_id=subentry.subentry_id,
            )


class AutoHomeSensor(AutoHomeEntity, SensorEntity):
    """A sensor of a member or a chore."""

    entity_description: AutoHomeSensorDescription

    def __init__(
        self,
        coordinator: AutoHomeCoordinator,
        subentry: ConfigSubentry,
        description: AutoHomeSensorDescription,
    ) -> None:
        """Initialize the sensor."""
        super().__init__(coordinator, subentry, description)

    @property
    def native_value(self) -> Any:
        """Return the value from the coordinator."""
        return self.entity_description.value_fn(self.coordinator, self.subentry_id)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the explaining attributes."""
        return self.entity_description.attributes_fn(self.coordinator, self.subentry_id)


class ChoreSensor(AutoHomeSensor):
    """A sensor of a chore, showing the chore's own icon when it has one."""

    def __init__(
        self,
        coordinator: AutoHomeCoordinator,
        subentry: ConfigSubentry,
        description: AutoHomeSensorDescription,
    ) -> None:
        """Initialize the sensor."""
        super().__init__(coordinator, subentry, description)
        self._attr_icon = subentry.data.get(CONF_ICON)


class WeightSensor(AutoHomeSensor):
    """A sensor of a member's weight; other readings do not wake it."""

    @property
    @override
    def listener_key(self) -> str:
        """Follow the member's weight only."""
        return weight_key(self.subentry_id)


class ChoresDueTodaySensor(AutoHomeSensor):
    """A member's chores that are due or overdue; follows the member's chores."""

    @property
    @override
    def listener_key(self) -> str:
        """Follow the chores assigned to the member, not their readings."""
        return assignee_key(self.subentry_id)
