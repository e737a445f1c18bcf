"""Sensors of members and chores."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import PERCENTAGE, Platform, UnitOfMass, UnitOfTemperature
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType
from homeassistant.util import dt as dt_util

from .chore_feature import CHORES, assignee_key
from .const import ADULT_ONLY, CONF_ICON, GROWN_ONLY, SUBENTRY_CHORE, SUBENTRY_MEMBER
from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
from .domain.baseline import difference, time_of_day
from .domain.board import Shelf
from .domain.growth import FORECAST_MONTHS, Indicator, indicators_for
from .domain.temperature import AgeGroup, FeverClass
from .domain.weight import bmi_class
from .dose_feature import dose_key
from .entity import (
    AutoHomeEntity,
    AutoHomeHouseholdEntity,
    BuiltPerChore,
    ChoreEntity,
    MemberEntity,
)
from .subentries import age_group_of, months_of, sex_of
from .views import ChoreView, GrowthScore, MemberView, SubentryView
from .weight_feature import weight_key

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class AutoHomeSensorDescription[ViewT: SubentryView](SensorEntityDescription):
    """A sensor whose value is read from its member's or chore's view."""

    value_fn: Callable[[ViewT], StateType | date | datetime]
    attributes_fn: Callable[[ViewT], Mapping[str, Any] | None] = lambda view: None
    # For a sensor whose device class follows its value (a date or a time).
    device_class_fn: Callable[[ViewT], SensorDeviceClass] | None = None


def _temperature_attributes(view: MemberView) -> Mapping[str, Any] | None:
    if (reading := view.temperature) is None:
        return None
    usual = view.usual_temperatures
    # The part of day the reading was taken in: an attribute that stays true
    # until the next reading (one "for now" would go stale between them).
    usual_then = usual.get(time_of_day(dt_util.as_local(reading.measured_at)))
    return {
        "site": reading.site.value,
        "measured_at": reading.measured_at.isoformat(),
        "core_temperature": reading.core_c,
        "source": reading.source,
        "usual_by_time_of_day": {
            part.value: found.core_c for part, found in usual.items()
        },
        "usual_for_reading": usual_then.core_c if usual_then else None,
        "above_usual": difference(reading.core_c, usual_then) if usual_then else None,
    }


def _fever_status(view: MemberView) -> str | None:
    classification = view.classification
    return classification.fever_class.value if classification else None


MEMBER_SENSORS: tuple[AutoHomeSensorDescription[MemberView], ...] = (
    AutoHomeSensorDescription(
        key="body_temperature",
        translation_key="body_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        suggested_display_precision=1,
        value_fn=lambda view: (
            reading.value_c if (reading := view.temperature) else None
        ),
        attributes_fn=_temperature_attributes,
    ),
    AutoHomeSensorDescription(
        key="fever_status",
        translation_key="fever_status",
        device_class=SensorDeviceClass.ENUM,
        options=[fever_class.value for fever_class in FeverClass],
        value_fn=_fever_status,
        attributes_fn=lambda view: (
            {"urgent": classification.urgent}
            if (classification := view.classification)
            else None
        ),
    ),
    AutoHomeSensorDescription(
        key="next_temperature_check",
        translation_key="next_temperature_check",
        device_class=SensorDeviceClass.TIMESTAMP,
        value_fn=lambda view: view.recheck_due,
    ),
)


def _chore_attributes(view: ChoreView) -> Mapping[str, Any]:
    summary = view.summary
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
    } | view.reminder_plan


def _due_today_item(summary: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: summary[key]
        for key in ("chore", "status", "due", "all_day", "days_overdue")
    }


CHORE_SENSORS: tuple[AutoHomeSensorDescription[ChoreView], ...] = (
    AutoHomeSensorDescription(
        key="next_due",
        translation_key="next_due",
        device_class=SensorDeviceClass.TIMESTAMP,
        # An all-day chore is due on a day ("today"), not at midnight.
        device_class_fn=lambda view: (
            SensorDeviceClass.TIMESTAMP
            if isinstance(view.due, datetime)
            else SensorDeviceClass.DATE
        ),
        value_fn=lambda view: view.due,
        attributes_fn=_chore_attributes,
    ),
)

NEXT_DOSE = AutoHomeSensorDescription[MemberView](
    key="next_dose",
    translation_key="next_dose",
    device_class=SensorDeviceClass.TIMESTAMP,
    # The earliest time one of the medicines given lately may be given again.
    value_fn=lambda view: (
        next_doses[0].allowed_at if (next_doses := view.next_doses) else None
    ),
    attributes_fn=lambda view: {
        "medicines": [next_dose.as_dict() for next_dose in view.next_doses]
    },
)

CHORES_DUE_TODAY = AutoHomeSensorDescription[MemberView](
    key="chores_due_today",
    translation_key="chores_due_today",
    value_fn=lambda view: len(view.ids_on(Shelf.DUE)),
)


def _forecast_attributes(view: MemberView) -> Mapping[str, Any] | None:
    if (forecast := view.weight_forecast) is None:
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


WEIGHT_SENSORS: tuple[AutoHomeSensorDescription[MemberView], ...] = (
    AutoHomeSensorDescription(
        key="weight",
        translation_key="weight",
        device_class=SensorDeviceClass.WEIGHT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfMass.KILOGRAMS,
        suggested_display_precision=1,
        value_fn=lambda view: reading.kg if (reading := view.weight) else None,
        attributes_fn=lambda view: (
            {
                "measured_at": reading.measured_at.isoformat(),
                "flagged": reading.flagged,
                "source": reading.source,
                "unassigned_readings": view.unassigned_weight_readings,
            }
            if (reading := view.weight)
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
        value_fn=lambda view: (
            None if (trend := view.weight_trend) is None else round(trend, 2)
        ),
    ),
    AutoHomeSensorDescription(
        key="weekly_rate",
        translation_key="weekly_rate",
        state_class=SensorStateClass.MEASUREMENT,
        # The unit ("kg/wk") comes from the translations, so it reads in Chinese.
        suggested_display_precision=2,
        value_fn=lambda view: (
            round(rate.kg_per_week, 3) if (rate := view.weight_rate) else None
        ),
        attributes_fn=lambda view: (
            {
                "standard_error": round(rate.stderr_kg_per_week, 3),
                "samples": rate.samples,
                "window_days": rate.window_days,
            }
            if (rate := view.weight_rate)
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
        value_fn=lambda view: (
            round(forecast.kg, 2) if (forecast := view.weight_forecast) else None
        ),
        attributes_fn=_forecast_attributes,
    ),
    AutoHomeSensorDescription(
        key="goal_date",
        translation_key="goal_date",
        device_class=SensorDeviceClass.DATE,
        value_fn=lambda view: (
            dt_util.as_local(when).date() if (when := view.goal.date) else None
        ),
        attributes_fn=lambda view: {
            "reason": reason.value if (reason := view.goal.reason) else None,
            "goal_weight": view.goal_weight,
        },
    ),
)

BMI_SENSOR = AutoHomeSensorDescription[MemberView](
    key="bmi",
    translation_key="bmi",
    state_class=SensorStateClass.MEASUREMENT,
    native_unit_of_measurement="kg/m²",
    suggested_display_precision=1,
    value_fn=lambda view: view.bmi,
    # The adult classes mislabel children: theirs is the BMI-for-age percentile.
    attributes_fn=lambda view: (
        {"class": bmi_class(value).value}
        if (value := view.bmi) is not None and view.adult
        else None
    ),
)


def _growth_sensor(
    key: str,
    score_fn: Callable[[MemberView], GrowthScore | None],
    value_name: str,
    why_fn: Callable[[MemberView], Mapping[str, Any] | None] = lambda _: None,
) -> AutoHomeSensorDescription[MemberView]:
    """Return a percentile sensor; attributes: z-score, the value, when measured.

    `why_fn` adds what the score rests on (or why there is none).
    """

    def _attributes(view: MemberView) -> Mapping[str, Any] | None:
        why = why_fn(view)
        if (score := score_fn(view)) is None:
            return why
        return {
            "z_score": round(score.result.z_score, 2),
            value_name: score.value,
            "measured_at": score.measured_at.isoformat(),
            **(why or {}),
        }

    return AutoHomeSensorDescription(
        key=key,
        translation_key=key,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=PERCENTAGE,
        suggested_display_precision=0,
        value_fn=lambda view: (
            None
            if (score := score_fn(view)) is None
            else round(score.result.percentile, 1)
        ),
        attributes_fn=_attributes,
    )


def _height_of_bmi(view: MemberView) -> Mapping[str, Any] | None:
    """Return the height's date and whether it is recent enough for the reading."""
    if (status := view.bmi_height_status) is None:
        return None
    measured_on = view.height_measured_on
    return {
        "height_measured_on": None if measured_on is None else measured_on.isoformat(),
        "height_status": status.value,
    }


# Where a child's weight and BMI sit among children of the same sex and age.
GROWTH_SENSORS: dict[Indicator, AutoHomeSensorDescription[MemberView]] = {
    Indicator.WEIGHT: _growth_sensor(
        "weight_for_age", lambda view: view.weight_for_age, "weight"
    ),
    Indicator.BMI: _growth_sensor(
        "bmi_for_age", lambda view: view.bmi_for_age, "bmi", _height_of_bmi
    ),
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors of every member and chore to their subentries."""
    entry.runtime_data.async_add_entity_factory(
        Platform.SENSOR, async_add_entities, _entities_of
    )
    async_add_entities([HouseholdChoresDueTodaySensor(entry.runtime_data)])


def _entities_of(
    coordinator: AutoHomeCoordinator, subentry: ConfigSubentry
) -> list[Entity]:
    if subentry.subentry_type == SUBENTRY_CHORE:
        return [
            ChoreSensor(coordinator, subentry, description)
            for description in CHORE_SENSORS
        ]
    if subentry.subentry_type != SUBENTRY_MEMBER:
        # A medicine has no entities of its own: its doses show on members'.
        return []
    weight = [*WEIGHT_SENSORS]
    has_height = bool(MemberView(coordinator, subentry.subentry_id).height)
    if has_height:
        weight.append(BMI_SENSOR)
    today = dt_util.now().date()
    months = months_of(subentry.data, today)
    if months is not None:
        weight += [
            GROWTH_SENSORS[indicator]
            for indicator in indicators_for(sex_of(subentry.data), months)
            if indicator is Indicator.WEIGHT or has_height
        ]
    off = frozenset[str]()
    if age_group_of(subentry.data, today) is AgeGroup.INFANT:
        # Adult measures say little of a baby's first months: there if wanted.
        off = ADULT_ONLY
    elif months is not None and months < FORECAST_MONTHS:
        # A baby's weight grows by the month: no goal date or forecast.
        off = GROWN_ONLY
    weight = [
        replace(description, entity_registry_enabled_default=False)
        if description.key in off
        else description
        for description in weight
    ]
    return [
        *(
            ReadingSensor(coordinator, subentry, description)
            for description in MEMBER_SENSORS
        ),
        ChoresDueTodaySensor(coordinator, subentry, CHORES_DUE_TODAY),
        NextDoseSensor(coordinator, subentry, NEXT_DOSE),
        *(WeightSensor(coordinator, subentry, description) for description in weight),
    ]


class _ViewSensor[ViewT: SubentryView](AutoHomeEntity[ViewT], SensorEntity):
    """A sensor whose value and attributes its description reads from the view."""

    entity_description: AutoHomeSensorDescription[ViewT]

    def __init__(
        self,
        coordinator: AutoHomeCoordinator,
        subentry: ConfigSubentry,
        description: AutoHomeSensorDescription[ViewT],
    ) -> None:
        """Initialize the sensor."""
        super().__init__(coordinator, subentry, description)

    @property
    @override
    def device_class(self) -> SensorDeviceClass | None:
        """Return the device class the value has now."""
        device_class_fn = self.entity_description.device_class_fn
        # An unavailable one (damaged state) has no value to follow.
        if device_class_fn is None or not self.available:
            return super().device_class
        return device_class_fn(self.view)

    @property
    def native_value(self) -> StateType | date | datetime:
        """Return the value from the view."""
        return self.entity_description.value_fn(self.view)

    @property
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the explaining attributes."""
        return self.entity_description.attributes_fn(self.view)


class AutoHomeSensor(MemberEntity, _ViewSensor[MemberView]):
    """A sensor of a member."""


class ChoreSensor(ChoreEntity, _ViewSensor[ChoreView]):
    """A sensor of a chore, showing the chore's own icon when it has one."""

    def __init__(
        self,
        coordinator: AutoHomeCoordinator,
        subentry: ConfigSubentry,
        description: AutoHomeSensorDescription[ChoreView],
    ) -> None:
        """Initialize the sensor."""
        super().__init__(coordinator, subentry, description)
        self._subentry = subentry

    @property
    @override
    def icon(self) -> str | None:
        """Return the chore's own icon, as it is set now."""
        return self._subentry.data.get(CONF_ICON)


class ReadingSensor(AutoHomeSensor):
    """A sensor of a member's readings, rewritten only when what it shows changed.

    A reading moves some of the member's sensors, not all: a fever status, a
    goal date or a BMI mostly stay as they were.
    """

    # While a change is written: the value and attributes just compared.
    _writing: tuple[StateType | date | datetime, Mapping[str, Any] | None] | None = None

    @override
    def _shown(self) -> object:
        return self.available and (
            super().native_value,
            super().extra_state_attributes,
        )

    @callback
    @override
    def _async_write(self, shown: object) -> None:
        # The write reads what was compared instead of computing it again.
        self._writing = shown or None  # type: ignore[assignment]
        try:
            self.async_write_ha_state()
        finally:
            self._writing = None

    @property
    @override
    def native_value(self) -> StateType | date | datetime:
        """Return the value from the view."""
        return super().native_value if self._writing is None else self._writing[0]

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any] | None:
        """Return the explaining attributes."""
        if self._writing is None:
            return super().extra_state_attributes
        return self._writing[1]


class WeightSensor(ReadingSensor):
    """A sensor of a member's weight; other readings do not wake it."""

    @property
    @override
    def listener_key(self) -> str:
        """Follow the member's weight only."""
        return weight_key(self.subentry_id)


class NextDoseSensor(AutoHomeSensor):
    """When a member may next be given a medicine; follows their doses only."""

    @property
    @override
    def listener_key(self) -> str:
        """Follow the member's doses, not their readings."""
        return dose_key(self.subentry_id)


class ChoresDueTodaySensor(AutoHomeSensor):
    """A member's chores that are due or overdue; follows the member's chores."""

    # Each chore's item as last built: a change rebuilds only its own.
    _built: BuiltPerChore[dict[str, Any]] | None = None

    @property
    @override
    def listener_key(self) -> str:
        """Follow the chores assigned to the member, not their readings."""
        return assignee_key(self.subentry_id)

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """Return the member's due chores."""
        view = self.view
        if self._built is None:
            self._built = BuiltPerChore(
                lambda chore_id: _due_today_item(
                    ChoreView(self.coordinator, chore_id).summary
                )
            )
        return {"chores": self._built.of(view.ids_on(Shelf.DUE), view)}


class HouseholdChoresDueTodaySensor(AutoHomeHouseholdEntity, SensorEntity):
    """Every chore due or overdue, unassigned ones (the household's) included."""

    def __init__(self, coordinator: AutoHomeCoordinator) -> None:
        """Follow every chore's change (the household's lists do too)."""
        super().__init__(coordinator, CHORES)
        self._attr_translation_key = "household_chores_due_today"
        self._attr_unique_id = f"{coordinator.entry.entry_id}_chores_due_today"

        self._built: BuiltPerChore[dict[str, Any]] = BuiltPerChore(
            lambda chore_id: _household_due_item(self.view.chore(chore_id))
        )

    @property
    @override
    def native_value(self) -> int:
        """Return how many chores are due or overdue."""
        return len(self.view.ids_on(Shelf.DUE))

    @property
    @override
    def extra_state_attributes(self) -> Mapping[str, Any]:
        """Return the chores with who is on, and how many nobody is on."""
        view = self.view
        chores = self._built.of(view.ids_on(Shelf.DUE), view)
        return {
            "chores": chores,
            "unassigned": sum(chore["assignee"] is None for chore in chores),
        }


def _household_due_item(chore: ChoreView) -> dict[str, Any]:
    summary = chore.summary
    return _due_today_item(summary) | {"assignee": summary["assignee"]}
