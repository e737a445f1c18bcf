"""The bounded validators that services, intents, LLM tools and flows share.

A value of the wrong type (a boolean for a number, a list for a name) is a
`vol.Invalid` from the schema; a value of the right type outside its bounds
is a translated `ServiceValidationError`. Either way nothing has changed:
every check runs before anything is stored.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
import math
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import TemperatureConverter
import voluptuous as vol

from .const import (
    CONF_PERSON,
    CONF_VOICE_SCOPE,
    DOMAIN,
    SUBENTRY_MEMBER,
    VOICE_SCOPE_OWN,
)
from .domain.temperature import CELSIUS, FAHRENHEIT
from .subentries import subentries_of

# A device's or phone's clock may run this far ahead of Home Assistant's.
CLOCK_SKEW = timedelta(seconds=5)
# The furthest ahead a snooze may reach: a year, leap day included.
MAX_AHEAD = timedelta(days=366)
MAX_DAYS = MAX_AHEAD.days
# No time field reaches back before the Unix epoch.
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
# A member's or chore's name (it becomes part of entity ids).
NAME_MAX = 64
# A message or title.
TEXT_MAX = 1000
# A member or chore named by name, device id or entity id (entity ids are at
# most 255 characters).
REFERENCE_MAX = 255


def refusal(key: str, **placeholders: object) -> ServiceValidationError:
    """Return the translated refusal `key`."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={name: str(v) for name, v in placeholders.items()},
    )


def number(value: Any) -> float:
    """Validate a finite number; a boolean is not one."""
    if isinstance(value, bool):
        raise vol.Invalid("expected a number, got a boolean")
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError) as err:
        raise vol.Invalid(f"expected a number, got {value!r:.40}") from err
    if not math.isfinite(result):
        raise vol.Invalid(f"expected a finite number, got {result}")
    return result


def count(field: str, minimum: int, maximum: int) -> Callable[[Any], int]:
    """Return a validator of a whole number from `minimum` to `maximum`."""

    def validate(value: Any) -> int:
        whole = number(value)
        if not whole.is_integer():
            raise vol.Invalid(f"expected a whole number, got {whole}")
        if not minimum <= whole <= maximum:
            raise refusal(
                "out_of_range",
                field=field,
                value=f"{whole:g}",
                min=minimum,
                max=maximum,
            )
        return int(whole)

    return validate


def boolean(value: Any) -> bool:
    """Validate a boolean: true or false, on/off and the like, or 1 and 0."""
    if isinstance(value, (int, float)) and value not in {0, 1}:
        raise vol.Invalid(f"expected a boolean, got {value}")
    return cv.boolean(value)


def _trimmed(value: Any, maximum: int, blank: str, too_long: str, **where: str) -> str:
    if isinstance(value, bool):
        raise vol.Invalid("expected a string, got a boolean")
    result = cv.string(value).strip()
    if not result:
        raise refusal(blank, **where)
    if len(result) > maximum:
        raise refusal(too_long, max=maximum, **where)
    return result


def text(field: str, maximum: int = TEXT_MAX) -> Callable[[Any], str]:
    """Return a validator of a trimmed, non-blank string of at most `maximum`."""

    def validate(value: Any) -> str:
        return _trimmed(value, maximum, "text_blank", "text_too_long", field=field)

    return validate


def name(value: Any) -> str:
    """Validate a member's, chore's or household's name: trimmed, 1 to 64."""
    return _trimmed(value, NAME_MAX, "name_required", "name_too_long")


def name_taken(
    entry: ConfigEntry, subentry_type: str, title: str, own_id: str | None = None
) -> bool:
    """Return whether another member (or chore) already has this name."""
    return any(
        subentry.title.casefold() == title.casefold()
        for subentry_id, subentry in subentries_of(entry, subentry_type).items()
        if subentry_id != own_id
    )


def duration(maximum: timedelta) -> Callable[[Any], timedelta]:
    """Return a validator of a positive duration of at most `maximum`."""

    def validate(value: Any) -> timedelta:
        if isinstance(value, bool):
            raise vol.Invalid("expected a duration, got a boolean")
        try:
            result: timedelta = cv.positive_time_period(value)
        except OverflowError:
            result = timedelta.max
        if result > maximum:
            raise refusal("duration_too_long", value=f"{value!s:.40}", max=maximum.days)
        return result

    return validate


def as_utc(value: datetime, field: str) -> datetime:
    """Read a time (a naive one in the user's time zone) as UTC.

    Refuses a time before 1970, or one that cannot be represented in UTC.
    """
    local = value
    if local.tzinfo is None:
        local = local.replace(tzinfo=dt_util.get_default_time_zone())
    try:
        utc = dt_util.as_utc(local)
    except OverflowError:
        utc = None
    if utc is None or utc < EARLIEST:
        raise refusal("time_out_of_range", field=field, value=_shown(value))
    return utc


def optional_utc(value: datetime | None, field: str) -> datetime | None:
    """Read an optional time as UTC (see as_utc)."""
    return None if value is None else as_utc(value, field)


def snooze_until(value: datetime, field: str) -> datetime:
    """Read a snooze's end as UTC; refuse one more than a year ahead."""
    until = as_utc(value, field)
    if until > dt_util.utcnow() + MAX_AHEAD:
        raise refusal("snooze_too_far", until=_shown(value), max=MAX_DAYS)
    return until


def _shown(value: datetime) -> str:
    """Say a time as given (ISO 8601, a space between date and time if naive)."""
    return value.isoformat(" " if value.tzinfo is None else "T")


def default_temperature_unit(hass: HomeAssistant) -> str:
    """Return the temperature unit a reading given without one is in."""
    if hass.config.units.temperature_unit == UnitOfTemperature.FAHRENHEIT:
        return FAHRENHEIT
    return CELSIUS


def household_temperature(hass: HomeAssistant, celsius: float) -> tuple[str, str]:
    """Return a temperature in the household's unit, to 0.1, and that unit."""
    unit = hass.config.units.temperature_unit
    if unit != UnitOfTemperature.CELSIUS:
        celsius = TemperatureConverter.convert(celsius, UnitOfTemperature.CELSIUS, unit)
    return f"{celsius:.1f}", unit


def linked_member(
    hass: HomeAssistant, entry: ConfigEntry, user_id: str | None
) -> ConfigSubentry | None:
    """Return the member whose person is the user `user_id`, if any."""
    if user_id is None:
        return None
    persons = {
        state.entity_id
        for state in hass.states.async_all("person")
        if state.attributes.get("user_id") == user_id
    }
    return next(
        (
            subentry
            for subentry in subentries_of(entry, SUBENTRY_MEMBER).values()
            if subentry.data.get(CONF_PERSON) in persons
        ),
        None,
    )


def health_scope(
    hass: HomeAssistant, entry: ConfigEntry, user_id: str | None, admin: bool
) -> set[str] | None:
    """Return the members whose health data a user may read or record; None: all.

    With the household's "own member only" option, a user who is not an
    administrator may reach only the member linked to them, as by voice.
    Calls without a user (automations, scripts) and administrators may reach all.
    """
    if entry.options.get(CONF_VOICE_SCOPE) != VOICE_SCOPE_OWN:
        return None
    if user_id is None or admin:
        return None
    own = linked_member(hass, entry, user_id)
    return set() if own is None else {own.subentry_id}
