"""Config flow: the household entry, with members and chores as subentries."""

from collections.abc import Callable, Sequence
from datetime import date, time, timedelta
from typing import Any, Final, Literal, override

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.config_entries import (
    SOURCE_USER,
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, selector
from homeassistant.util import dt as dt_util
import voluptuous as vol

from .const import (
    CONF_AGE_GROUP,
    CONF_ALERT_WAIT_MINUTES,
    CONF_ALL_DAY_TIME,
    CONF_AMOUNT_UNIT,
    CONF_ASSIGNEES,
    CONF_AWAY_ENTITIES,
    CONF_BIRTH_DATE,
    CONF_CAREGIVERS,
    CONF_CUSTODY_START,
    CONF_CUSTODY_WEEKDAYS,
    CONF_DESCRIPTION,
    CONF_DIGEST_TIME,
    CONF_DOSE_REMINDER,
    CONF_DUE_TIME,
    CONF_DUE_WINDOW,
    CONF_EPISODE_END_HOURS,
    CONF_ESCALATE_AFTER,
    CONF_GOAL_WEIGHT,
    CONF_HEIGHT,
    CONF_HEIGHT_MEASURED_ON,
    CONF_HOUSEHOLD_TARGETS,
    CONF_ICON,
    CONF_INTERVAL,
    CONF_LEAD_MINUTES,
    CONF_MAX_PER_DAY,
    CONF_MIN_INTERVAL_HOURS,
    CONF_MONTH_DAY,
    CONF_NOTIFY_TARGETS,
    CONF_PERSON,
    CONF_QUIET_END,
    CONF_QUIET_START,
    CONF_RECHECK_HOURS,
    CONF_RECURRENCE,
    CONF_REPEAT_LIMIT,
    CONF_REPEAT_MINUTES,
    CONF_ROTATION,
    CONF_SEX,
    CONF_SHARE_HEALTH,
    CONF_START_DATE,
    CONF_TEMPERATURE_SITE,
    CONF_TEMPERATURE_SOURCE,
    CONF_USUAL_AMOUNT,
    CONF_VOICE_SCOPE,
    CONF_WAIT_HOME,
    CONF_WAIT_LATEST,
    CONF_WEEK_OF_MONTH,
    CONF_WEEKDAY,
    CONF_WEEKDAYS,
    CONF_WEIGHT_SOURCE,
    CONF_WEIGHT_SOURCE_SHARED,
    DOMAIN,
    SUBENTRY_CHORE,
    SUBENTRY_MEDICINE,
    SUBENTRY_MEMBER,
    VOICE_SCOPE_ALL,
    VOICE_SCOPE_OWN,
)
from .coordinator import AutoHomeConfigEntry
from .domain.chore import WEEKDAYS, WEEKS, recurrence_from_data
from .domain.growth import Sex
from .domain.schedule import (
    MAX_INTERVAL,
    InvalidRecurrenceError,
    RecurrenceKind,
    Rotation,
)
from .domain.temperature import AgeGroup, Site, Thresholds
from .notifier import available_targets, target_exists
from .options import ADVICE_KEYS, THRESHOLD_KEYS, HouseholdOptions
from .subentries import age_group_of, subentries_of
from .validation import name, name_taken

DEFAULT_HOUSEHOLD_NAME = "Home"


def _valid_name(user_input: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Return the trimmed name entered, and the flow error if it is refused."""
    try:
        return name(user_input[CONF_NAME]), {}
    except ServiceValidationError as err:
        return "", {CONF_NAME: err.translation_key or "name_required"}


class AutoHomeConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create the one household entry."""

    VERSION = 1
    MINOR_VERSION = 1

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the household."""
        if self._async_current_entries():
            return self.async_abort(reason="single_instance_allowed")
        errors: dict[str, str] = {}
        if user_input is not None:
            title, errors = _valid_name(user_input)
            if not errors:
                return self.async_create_entry(title=title, data={})
        return self.async_show_form(
            step_id="user",
            data_schema=vol.Schema(
                {vol.Required(CONF_NAME, default=DEFAULT_HOUSEHOLD_NAME): str}
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the household."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            title, errors = _valid_name(user_input)
            if not errors:
                return self.async_update_reload_and_abort(entry, title=title)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=vol.Schema({vol.Required(CONF_NAME, default=entry.title): str}),
            errors=errors,
        )

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: AutoHomeConfigEntry) -> OptionsFlow:
        """Household options: fever thresholds and episode timing."""
        return HouseholdOptionsFlow()

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Members, chores and medicines are added from the integration page."""
        return {
            SUBENTRY_MEMBER: MemberSubentryFlow,
            SUBENTRY_CHORE: ChoreSubentryFlow,
            SUBENTRY_MEDICINE: MedicineSubentryFlow,
        }


# Options kept as whole minutes or hours, edited as durations.
MINUTE_OPTIONS: Final = (
    CONF_LEAD_MINUTES,
    CONF_REPEAT_MINUTES,
    CONF_ALERT_WAIT_MINUTES,
)
HOUR_OPTIONS: Final = (CONF_EPISODE_END_HOURS, CONF_RECHECK_HOURS)
MAX_MINUTES: Final = 24 * 60
MAX_HOURS: Final = 7 * 24


def _as_duration(minutes: float) -> dict[str, int]:
    whole = round(minutes)
    return {"days": whole // 1440, "hours": whole % 1440 // 60, "minutes": whole % 60}


def _as_minutes(duration: dict[str, float]) -> float:
    return timedelta(**duration).total_seconds() / 60


class HouseholdOptionsFlow(OptionsFlow):
    """Change the household's health, reminder and voice options in one visit.

    The menu comes back after each section; Save stores every section changed.
    """

    _options: dict[str, Any]

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose a section to change, or save."""
        if not hasattr(self, "_options"):
            self._options = dict(self.config_entry.options)
        return self.async_show_menu(
            step_id="init",
            menu_options=["health", "reminders", "voice", "alerts", "save"],
        )

    async def async_step_save(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Store what was changed."""
        return self.async_create_entry(data=self._options)

    async def _async_back(self, user_input: dict[str, Any]) -> ConfigFlowResult:
        """Keep a section's input (minutes and hours as numbers), back to the menu."""
        values = dict(user_input)
        for key in MINUTE_OPTIONS:
            if key in values:
                values[key] = round(_as_minutes(values[key]))
        for key in HOUR_OPTIONS:
            if key in values:
                values[key] = round(_as_minutes(values[key]) / 60, 2)
        self._options |= values
        return await self.async_step_init()

    def _form(
        self,
        step_id: str,
        schema: vol.Schema,
        user_input: dict[str, Any] | None,
        errors: dict[str, str],
    ) -> ConfigFlowResult:
        # An option never set shows what the household uses for it.
        values = HouseholdOptions.flow_defaults() | self._options
        for key in MINUTE_OPTIONS:
            if key in values:
                values[key] = _as_duration(values[key])
        for key in HOUR_OPTIONS:
            if key in values:
                values[key] = _as_duration(values[key] * 60)
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                schema, values | (user_input or {})
            ),
            errors=errors,
        )

    async def async_step_health(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Fever thresholds and episode timing."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = _duration_errors(user_input, HOUR_OPTIONS, 60, MAX_HOURS * 60)
            try:
                Thresholds(**{key: user_input[key] for key in THRESHOLD_KEYS})
            except ValueError:
                errors["base"] = "thresholds_order"
            if not errors:
                return await self._async_back(user_input)
        celsius = selector.NumberSelectorConfig(
            min=30,
            max=45,
            step=0.1,
            unit_of_measurement="°C",
            mode=selector.NumberSelectorMode.BOX,
        )
        schema = vol.Schema(
            {
                vol.Required(key): selector.NumberSelector(celsius)
                for key in THRESHOLD_KEYS
            }
            | {vol.Required(key): _duration_selector() for key in HOUR_OPTIONS}
            | {vol.Required(CONF_DOSE_REMINDER): selector.BooleanSelector()}
        )
        return self._form("health", schema, user_input, errors)

    async def async_step_reminders(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Where household reminders go, quiet hours, repeats and escalation."""
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = validate_targets(self.hass, user_input, CONF_HOUSEHOLD_TARGETS)
            errors |= _duration_errors(user_input, MINUTE_OPTIONS, 0, MAX_MINUTES)
            if not errors:
                return await self._async_back(user_input)
        count = selector.NumberSelectorConfig(min=0, max=20, step=1)
        schema = vol.Schema(
            {
                vol.Required(CONF_HOUSEHOLD_TARGETS): targets_selector(self.hass),
                vol.Optional(CONF_QUIET_START): selector.TimeSelector(),
                vol.Optional(CONF_QUIET_END): selector.TimeSelector(),
                vol.Required(CONF_LEAD_MINUTES): _duration_selector(),
                vol.Required(CONF_REPEAT_MINUTES): _duration_selector(),
                vol.Required(CONF_REPEAT_LIMIT): selector.NumberSelector(count),
                vol.Required(CONF_ESCALATE_AFTER): selector.NumberSelector(count),
                vol.Required(CONF_ALL_DAY_TIME): selector.TimeSelector(),
                vol.Optional(CONF_DIGEST_TIME): selector.TimeSelector(),
            }
        )
        return self._form("reminders", schema, user_input, errors)

    async def async_step_voice(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose what voice assistants and conversation agents may be told."""
        if user_input is not None:
            return await self._async_back(user_input)
        schema = vol.Schema(
            {
                vol.Required(CONF_SHARE_HEALTH): selector.BooleanSelector(),
                vol.Required(CONF_VOICE_SCOPE): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[VOICE_SCOPE_ALL, VOICE_SCOPE_OWN],
                        translation_key=CONF_VOICE_SCOPE,
                        mode=selector.SelectSelectorMode.LIST,
                    )
                ),
            }
        )
        return self._form("voice", schema, None, {})

    async def async_step_alerts(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Set the wait before an urgent alert escalates, and each rule's advice."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if _duration_errors(user_input, [CONF_ALERT_WAIT_MINUTES], 1, MAX_MINUTES):
                errors[CONF_ALERT_WAIT_MINUTES] = "alert_wait_out_of_range"
            else:
                user_input = dict(user_input)
                # An emptied line is left out: the default applies again.
                for key in ADVICE_KEYS.values():
                    self._options.pop(key, None)
                    if line := user_input.pop(key, "").strip():
                        user_input[key] = line
                return await self._async_back(user_input)
        schema = vol.Schema(
            {vol.Required(CONF_ALERT_WAIT_MINUTES): _duration_selector()}
            | {
                vol.Optional(key): selector.TextSelector(
                    selector.TextSelectorConfig(multiline=True)
                )
                for key in ADVICE_KEYS.values()
            }
        )
        return self._form("alerts", schema, user_input, errors)


def _duration_selector() -> selector.DurationSelector:
    return selector.DurationSelector(
        selector.DurationSelectorConfig(enable_day=True, enable_second=False)
    )


def _duration_errors(
    user_input: dict[str, Any], keys: Sequence[str], low: float, high: float
) -> dict[str, str]:
    """Return an error for each duration outside `low`-`high` minutes."""
    return {
        key: "duration_out_of_range"
        for key in keys
        if key in user_input and not low <= _as_minutes(user_input[key]) <= high
    }


def _target_label(hass: HomeAssistant, target: str) -> str:
    """Return a notify entity's name, or a legacy service's name made readable."""
    if state := hass.states.get(target):
        return state.name
    return target.partition(".")[2].replace("_", " ").capitalize()


def targets_selector(hass: HomeAssistant) -> selector.SelectSelector:
    """Pick notify entities, legacy notify services or persistent notifications."""
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=[
                selector.SelectOptionDict(
                    value=target, label=_target_label(hass, target)
                )
                for target in available_targets(hass)
            ],
            multiple=True,
            custom_value=True,
            # Translates persistent notifications; the others keep their label.
            translation_key="notify_target",
        )
    )


def _own_entities(hass: HomeAssistant) -> list[str]:
    """Return Auto Home's own entities, which are no thermometer or scale."""
    return [
        entry.entity_id
        for entry in er.async_get(hass).entities.values()
        if entry.platform == DOMAIN
    ]


def validate_targets(
    hass: HomeAssistant, user_input: dict[str, Any], key: str
) -> dict[str, str]:
    """Return a flow error when a chosen notify target does not exist."""
    if any(not target_exists(hass, target) for target in user_input.get(key, [])):
        return {key: "unknown_target"}
    return {}


class _HouseholdSubentryFlow(ConfigSubentryFlow):
    """Add (step `user`) or reconfigure one member or chore with a single form."""

    def _schema(self) -> vol.Schema:
        raise NotImplementedError

    def _validate(self, user_input: dict[str, Any]) -> dict[str, str]:
        """Return flow errors for the input; names are unique per subentry type."""
        title, errors = _valid_name(user_input)
        if errors:
            return errors
        own_id = (
            None
            if self.source == SOURCE_USER
            else self._get_reconfigure_subentry().subentry_id
        )
        if name_taken(self._get_entry(), self.handler[1], title, own_id):
            return {CONF_NAME: "name_exists"}
        return {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a member or chore."""
        return await self._async_step_form("user", user_input)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a member or chore."""
        return await self._async_step_form("reconfigure", user_input)

    async def _async_step_form(
        self, step_id: str, user_input: dict[str, Any] | None
    ) -> SubentryFlowResult:
        if self._get_entry().state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        errors: dict[str, str] = {}
        if user_input is not None:
            errors = self._validate(user_input)
            if not errors:
                return await self._async_done(user_input)
        else:
            user_input = self._prefilled()
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                self._schema(), user_input or {}
            ),
            errors=errors,
        )

    def _members_to_pick(self, key: str) -> list[selector.SelectOptionDict]:
        """Return the members a field offers: no infant unless already chosen.

        An infant is rarely a caregiver or does a chore; one chosen before
        stays offered, so reconfiguring never drops them silently.
        """
        chosen = [] if self.source == SOURCE_USER else self._current().get(key, [])
        own = None if self.source == SOURCE_USER else self._get_reconfigure_subentry()
        today = dt_util.now().date()
        return [
            selector.SelectOptionDict(value=member_id, label=subentry.title)
            for member_id, subentry in subentries_of(
                self._get_entry(), SUBENTRY_MEMBER
            ).items()
            if (own is None or member_id != own.subentry_id)
            and (
                member_id in chosen
                or age_group_of(subentry.data, today) is not AgeGroup.INFANT
            )
        ]

    def _prefilled(self) -> dict[str, Any]:
        """Return what the form shows first: the current settings, when changed."""
        return {} if self.source == SOURCE_USER else self._current()

    def _current(self) -> dict[str, Any]:
        """Return the reconfigured subentry's settings as form values."""
        subentry = self._get_reconfigure_subentry()
        return {CONF_NAME: subentry.title, **subentry.data}

    async def _async_done(self, user_input: dict[str, Any]) -> SubentryFlowResult:
        """Save the valid input (a chore asks how it repeats first)."""
        return self._save(user_input)

    def _save(self, user_input: dict[str, Any]) -> SubentryFlowResult:
        title = user_input[CONF_NAME].strip()
        data = {k: v for k, v in user_input.items() if k != CONF_NAME}
        if self.source == SOURCE_USER:
            return self.async_create_entry(title=title, data=data)
        return self.async_update_and_abort(
            self._get_entry(), self._get_reconfigure_subentry(), title=title, data=data
        )


class MemberSubentryFlow(_HouseholdSubentryFlow):
    """Add or change a member of the household."""

    @override
    def _validate(self, user_input: dict[str, Any]) -> dict[str, str]:
        if errors := super()._validate(user_input):
            return errors
        birth = user_input.get(CONF_BIRTH_DATE)
        today = dt_util.now().date()
        if birth and date.fromisoformat(birth) > today:
            return {CONF_BIRTH_DATE: "birth_date_future"}
        measured = user_input.get(CONF_HEIGHT_MEASURED_ON)
        if measured and date.fromisoformat(measured) > today:
            return {CONF_HEIGHT_MEASURED_ON: "height_measured_on_future"}
        return validate_targets(self.hass, user_input, CONF_NOTIFY_TARGETS)

    @override
    def _schema(self) -> vol.Schema:
        others = self._members_to_pick(CONF_CAREGIVERS)
        own = _own_entities(self.hass)
        return vol.Schema(
            {
                vol.Required(CONF_NAME): selector.TextSelector(),
                vol.Optional(CONF_PERSON): selector.EntitySelector(
                    selector.EntitySelectorConfig(domain="person")
                ),
                vol.Optional(CONF_BIRTH_DATE): selector.DateSelector(),
                vol.Optional(CONF_SEX): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[sex.value for sex in Sex],
                        translation_key=CONF_SEX,
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Optional(CONF_AGE_GROUP): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[group.value for group in AgeGroup],
                        translation_key=CONF_AGE_GROUP,
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Required(
                    CONF_TEMPERATURE_SITE, default=Site.ORAL.value
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=[site.value for site in Site],
                        translation_key=CONF_TEMPERATURE_SITE,
                        mode=selector.SelectSelectorMode.DROPDOWN,
                    )
                ),
                vol.Optional(CONF_TEMPERATURE_SOURCE): selector.EntitySelector(
                    selector.EntitySelectorConfig(
                        domain="sensor",
                        device_class=SensorDeviceClass.TEMPERATURE,
                        exclude_entities=own,
                    )
                ),
                vol.Optional(CONF_NOTIFY_TARGETS): targets_selector(self.hass),
                vol.Optional(CONF_WAIT_HOME): selector.BooleanSelector(),
                vol.Optional(CONF_WAIT_LATEST): selector.TimeSelector(),
                vol.Optional(CONF_AWAY_ENTITIES): selector.EntitySelector(
                    selector.EntitySelectorConfig(
                        domain=["input_boolean", "calendar"], multiple=True
                    )
                ),
                vol.Optional(CONF_CUSTODY_START): selector.DateSelector(),
                vol.Optional(CONF_CUSTODY_WEEKDAYS): _select(
                    WEEKDAYS, "weekday", multiple=True
                ),
                # Without other members the field would render empty.
                **(
                    {
                        vol.Optional(CONF_CAREGIVERS): selector.SelectSelector(
                            selector.SelectSelectorConfig(options=others, multiple=True)
                        )
                    }
                    if others
                    else {}
                ),
                vol.Optional(CONF_HEIGHT): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=30,
                        max=250,
                        step=0.5,
                        unit_of_measurement="cm",
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                # A child's BMI-for-age needs a height measured near the weighing.
                vol.Optional(CONF_HEIGHT_MEASURED_ON): selector.DateSelector(),
                vol.Optional(CONF_GOAL_WEIGHT): selector.NumberSelector(
                    selector.NumberSelectorConfig(
                        min=1,
                        max=350,
                        step=0.1,
                        unit_of_measurement="kg",
                        mode=selector.NumberSelectorMode.BOX,
                    )
                ),
                vol.Optional(CONF_WEIGHT_SOURCE): selector.EntitySelector(
                    selector.EntitySelectorConfig(
                        domain="sensor",
                        device_class=SensorDeviceClass.WEIGHT,
                        exclude_entities=own,
                    )
                ),
                vol.Optional(
                    CONF_WEIGHT_SOURCE_SHARED, default=False
                ): selector.BooleanSelector(),
            }
        )


# The form field to show each reason a recurrence rule is refused under.
RULE_ERROR_FIELDS = {
    "interval_out_of_range": CONF_INTERVAL,
    "weekdays_required": CONF_WEEKDAYS,
    "month_day_required": CONF_MONTH_DAY,
    "month_day_out_of_range": CONF_MONTH_DAY,
    "week_of_month_required": CONF_WEEK_OF_MONTH,
    "week_of_month_out_of_range": CONF_WEEK_OF_MONTH,
    "weekday_required": CONF_WEEKDAY,
    "weekday_out_of_range": CONF_WEEKDAY,
    "start_invalid": CONF_START_DATE,
    "due_time_invalid": CONF_DUE_TIME,
}


def _select(
    options: Sequence[str], translation_key: str, *, multiple: bool = False
) -> selector.SelectSelector:
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=list(options),
            translation_key=translation_key,
            multiple=multiple,
            mode=selector.SelectSelectorMode.DROPDOWN,
        )
    )


# The fields of each repeat kind, asked on a step of the kind's own (named after
# it) so that "Every" can say its unit and no other kind's fields show.
RULE_FIELDS: dict[RecurrenceKind, tuple[str, ...]] = {
    RecurrenceKind.DAILY: (CONF_INTERVAL,),
    RecurrenceKind.WEEKLY: (CONF_INTERVAL, CONF_WEEKDAYS),
    RecurrenceKind.MONTHLY_DAY: (CONF_INTERVAL, CONF_MONTH_DAY),
    RecurrenceKind.MONTHLY_WEEKDAY: (CONF_INTERVAL, CONF_WEEK_OF_MONTH, CONF_WEEKDAY),
    RecurrenceKind.YEARLY: (CONF_INTERVAL,),
    RecurrenceKind.AFTER_COMPLETION: (CONF_INTERVAL,),
}
ALL_RULE_FIELDS = frozenset(key for keys in RULE_FIELDS.values() for key in keys)
FIRST_STEP_FIELDS: dict[str, Callable[[str], object]] = {
    CONF_START_DATE: date.fromisoformat,
    CONF_DUE_TIME: time.fromisoformat,
}
RULE_ERRORS_OF = {CONF_START_DATE: "start_invalid", CONF_DUE_TIME: "due_time_invalid"}


def _rule_selectors() -> dict[str, selector.Selector[Any]]:
    return {
        CONF_INTERVAL: selector.NumberSelector(
            selector.NumberSelectorConfig(
                min=1, max=MAX_INTERVAL, step=1, mode=selector.NumberSelectorMode.BOX
            )
        ),
        CONF_WEEKDAYS: _select(WEEKDAYS, "weekday", multiple=True),
        CONF_MONTH_DAY: selector.NumberSelector(
            selector.NumberSelectorConfig(
                min=1, max=31, step=1, mode=selector.NumberSelectorMode.BOX
            )
        ),
        CONF_WEEK_OF_MONTH: _select(WEEKS, "week_of_month"),
        CONF_WEEKDAY: _select(WEEKDAYS, "weekday"),
    }


def _hours_minutes(value: Any) -> Any:
    """Return a due time as HH:MM, the form's field (it has no seconds)."""
    return value[:5] if isinstance(value, str) else value


class ChoreSubentryFlow(_HouseholdSubentryFlow):
    """Add or change a chore: what it is, who does it, then how it repeats."""

    _chore: dict[str, Any]

    @override
    def _validate(self, user_input: dict[str, Any]) -> dict[str, str]:
        if errors := super()._validate(user_input):
            return errors
        # The first due date and the due time are on this step; the rule next.
        for key, parse in FIRST_STEP_FIELDS.items():
            try:
                if value := user_input.get(key):
                    parse(value)
            except TypeError, ValueError:
                return {key: RULE_ERRORS_OF[key]}
        return {}

    @override
    def _current(self) -> dict[str, Any]:
        current = super()._current()
        if CONF_DUE_TIME in current:
            current[CONF_DUE_TIME] = _hours_minutes(current[CONF_DUE_TIME])
        return current

    @override
    async def _async_done(self, user_input: dict[str, Any]) -> SubentryFlowResult:
        self._chore = user_input
        return await self._async_step_rule(None)

    async def async_step_daily(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Every N days."""
        return await self._async_step_rule(user_input)

    async def async_step_weekly(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Every N weeks on chosen weekdays."""
        return await self._async_step_rule(user_input)

    async def async_step_monthly_day(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Every N months on a day of the month."""
        return await self._async_step_rule(user_input)

    async def async_step_monthly_weekday(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Every N months on the first ... last weekday."""
        return await self._async_step_rule(user_input)

    async def async_step_yearly(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Every N years."""
        return await self._async_step_rule(user_input)

    async def async_step_after_completion(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """N days after the last completion."""
        return await self._async_step_rule(user_input)

    async def _async_step_rule(
        self, user_input: dict[str, Any] | None
    ) -> SubentryFlowResult:
        kind = RecurrenceKind(self._chore[CONF_RECURRENCE])
        errors: dict[str, str] = {}
        if user_input is not None:
            # Another kind's fields (from before a change of kind) are dropped.
            data = {
                key: value
                for key, value in self._chore.items()
                if key not in ALL_RULE_FIELDS
            } | user_input
            try:
                recurrence_from_data(data)
            except InvalidRecurrenceError as err:
                field = RULE_ERROR_FIELDS.get(err.reason, "base")
                errors = {field if field in RULE_FIELDS[kind] else "base": err.reason}
            else:
                return self._save(data)
        elif self.source != SOURCE_USER:
            user_input = self._current()
        selectors = _rule_selectors()
        schema = vol.Schema(
            {
                (
                    vol.Required(key, default=1)
                    if key == CONF_INTERVAL
                    else vol.Optional(key)
                ): selectors[key]
                for key in RULE_FIELDS[kind]
            }
        )
        return self.async_show_form(
            step_id=kind.value,
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
        )

    @override
    def _schema(self) -> vol.Schema:
        members = self._members_to_pick(CONF_ASSIGNEES)
        return vol.Schema(
            {
                vol.Required(CONF_NAME): selector.TextSelector(),
                vol.Optional(CONF_ICON): selector.IconSelector(),
                vol.Optional(CONF_DESCRIPTION): selector.TextSelector(
                    selector.TextSelectorConfig(multiline=True)
                ),
                vol.Required(
                    CONF_RECURRENCE, default=RecurrenceKind.DAILY.value
                ): _select([kind.value for kind in RecurrenceKind], "recurrence"),
                vol.Required(
                    CONF_START_DATE, default=dt_util.now().date().isoformat()
                ): selector.DateSelector(),
                # Hours and minutes: Home Assistant's time selector adds seconds.
                vol.Optional(CONF_DUE_TIME): selector.TextSelector(
                    selector.TextSelectorConfig(type=selector.TextSelectorType.TIME)
                ),
                # Without members the field would render empty: the chore
                # belongs to the whole household until members are added.
                **(
                    {
                        vol.Optional(CONF_ASSIGNEES): selector.SelectSelector(
                            selector.SelectSelectorConfig(
                                options=members, multiple=True
                            )
                        )
                    }
                    if members
                    else {}
                ),
                vol.Required(
                    CONF_ROTATION, default=Rotation.ROUND_ROBIN.value
                ): _select([rotation.value for rotation in Rotation], "rotation"),
                vol.Optional(CONF_DUE_WINDOW): selector.DurationSelector(
                    selector.DurationSelectorConfig(
                        enable_day=True, enable_second=False
                    )
                ),
            }
        )


def _box(
    minimum: float, maximum: float, step: float | Literal["any"], unit: str = ""
) -> selector.NumberSelector:
    """Return a number typed into a box (no slider)."""
    config = selector.NumberSelectorConfig(
        min=minimum, max=maximum, step=step, mode=selector.NumberSelectorMode.BOX
    )
    if unit:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)


# Typical adult values from common package leaflets, offered to start from and
# labelled in the form as examples to check: Auto Home never prescribes.
MEDICINE_EXAMPLES: Final[dict[str, dict[str, Any]]] = {
    "paracetamol": {
        CONF_NAME: "Paracetamol",
        CONF_MIN_INTERVAL_HOURS: 4,
        CONF_MAX_PER_DAY: 4,
        CONF_USUAL_AMOUNT: 500,
        CONF_AMOUNT_UNIT: "mg",
    },
    "ibuprofen": {
        CONF_NAME: "Ibuprofen",
        CONF_MIN_INTERVAL_HOURS: 6,
        CONF_MAX_PER_DAY: 3,
        CONF_USUAL_AMOUNT: 200,
        CONF_AMOUNT_UNIT: "mg",
    },
}


class MedicineSubentryFlow(_HouseholdSubentryFlow):
    """Add or change a medicine: its spacing, as the household sets it."""

    _example: dict[str, Any]

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Start empty, or from an example to check against the package."""
        return self.async_show_menu(
            step_id="user", menu_options=["custom", *MEDICINE_EXAMPLES]
        )

    async def async_step_custom(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Enter a medicine from scratch."""
        self._example = {}
        return await self.async_step_medicine()

    async def async_step_paracetamol(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Start from the paracetamol (acetaminophen) example."""
        self._example = MEDICINE_EXAMPLES["paracetamol"]
        return await self.async_step_medicine()

    async def async_step_ibuprofen(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Start from the ibuprofen example."""
        self._example = MEDICINE_EXAMPLES["ibuprofen"]
        return await self.async_step_medicine()

    async def async_step_medicine(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Name the medicine and set its spacing."""
        return await self._async_step_form("medicine", user_input)

    @override
    def _prefilled(self) -> dict[str, Any]:
        if self.source == SOURCE_USER:
            return dict(getattr(self, "_example", {}))
        return super()._prefilled()

    @override
    def _validate(self, user_input: dict[str, Any]) -> dict[str, str]:
        if errors := super()._validate(user_input):
            return errors
        if (amount := user_input.get(CONF_USUAL_AMOUNT)) is not None and amount <= 0:
            return {CONF_USUAL_AMOUNT: "amount_not_positive"}
        return {}

    @override
    def _save(self, user_input: dict[str, Any]) -> SubentryFlowResult:
        # Whole doses per day; a unit left empty is no unit.
        values = user_input | {CONF_MAX_PER_DAY: int(user_input[CONF_MAX_PER_DAY])}
        if not str(values.get(CONF_AMOUNT_UNIT) or "").strip():
            values.pop(CONF_AMOUNT_UNIT, None)
        return super()._save(values)

    @override
    def _schema(self) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME): selector.TextSelector(),
                vol.Required(CONF_MIN_INTERVAL_HOURS): _box(0.5, 72, 0.5, "h"),
                vol.Required(CONF_MAX_PER_DAY): _box(1, 24, 1),
                vol.Optional(CONF_USUAL_AMOUNT): _box(0, 100_000, "any"),
                vol.Optional(CONF_AMOUNT_UNIT): selector.TextSelector(),
            }
        )
