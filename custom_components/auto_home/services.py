"""Services of Auto Home, registered once in async_setup."""

from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import UnitOfTemperature
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    service,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType
import voluptuous as vol

from .chore_state import ChoreStatus
from .const import (
    ATTR_CHORE,
    ATTR_COMPLETED_AT,
    ATTR_DURATION,
    ATTR_HORIZON_DAYS,
    ATTR_MEASURED_AT,
    ATTR_MEMBER,
    ATTR_MEMBERS,
    ATTR_MESSAGE,
    ATTR_READING_ID,
    ATTR_READINGS,
    ATTR_SITE,
    ATTR_STATUS,
    ATTR_TARGETS,
    ATTR_TEMPERATURE,
    ATTR_TITLE,
    ATTR_UNIT,
    ATTR_UNTIL,
    ATTR_URGENT,
    ATTR_WEIGHT,
    ATTR_WITHIN_DAYS,
    DOMAIN,
    SUBENTRY_CHORE,
    SUBENTRY_MEMBER,
)
from .coordinator import AutoHomeConfigEntry
from .health.temperature import CELSIUS, FAHRENHEIT, Site
from .health.weight import KILOGRAMS, POUNDS
from .notifier import Message, target_exists
from .weight_feature import WeightReading


def get_entry(hass: HomeAssistant) -> AutoHomeConfigEntry:
    """Return the loaded household entry (there is at most one)."""
    entry: AutoHomeConfigEntry = service.async_get_config_entry(hass, DOMAIN, None)
    return entry


def resolve_subentry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    subentry_type: str,
    reference: str,
) -> ConfigSubentry:
    """Find a member or chore by its device id, one of its entity ids, or its name.

    Raises a translated ServiceValidationError when nothing, or more than one
    subentry, matches.
    """
    reference = reference.strip()
    subentry_id: str | None = None
    if device := dr.async_get(hass).async_get(reference):
        subentry_id = next(
            (
                sub_id
                for sub_ids in device.config_entries_subentries.values()
                for sub_id in sub_ids
                if sub_id in entry.subentries
            ),
            None,
        )
    elif registry_entry := er.async_get(hass).async_get(reference):
        subentry_id = registry_entry.config_subentry_id
    if subentry_id is not None:
        subentry = entry.subentries.get(subentry_id)
        if subentry is not None and subentry.subentry_type == subentry_type:
            return subentry
    else:
        matches = [
            subentry
            for subentry in entry.subentries.values()
            if subentry.subentry_type == subentry_type
            and subentry.title.casefold() == reference.casefold()
        ]
        if len(matches) == 1:
            return matches[0]
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=f"unknown_{subentry_type}",
        translation_placeholders={subentry_type: reference},
    )


RECORD_TEMPERATURE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_MEMBER): cv.string,
        vol.Required(ATTR_TEMPERATURE): vol.Coerce(float),
        vol.Optional(ATTR_UNIT): vol.In([CELSIUS, FAHRENHEIT]),
        vol.Optional(ATTR_SITE): vol.Coerce(Site),
        vol.Optional(ATTR_MEASURED_AT): cv.datetime,
    }
)


def _as_utc(value: datetime | None) -> datetime | None:
    """Read a naive service time in the user's time zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(value)


async def _async_record_temperature(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER])
    unit = call.data.get(ATTR_UNIT) or (
        FAHRENHEIT
        if call.hass.config.units.temperature_unit == UnitOfTemperature.FAHRENHEIT
        else CELSIUS
    )
    reading = await entry.runtime_data.temperature.async_record(
        member.subentry_id,
        call.data[ATTR_TEMPERATURE],
        unit,
        site=call.data.get(ATTR_SITE),
        measured_at=_as_utc(call.data.get(ATTR_MEASURED_AT)),
    )
    temperature = entry.runtime_data.temperature
    current = temperature.members[member.subentry_id].classification
    if not call.return_response:
        return None
    return {
        "member": member.title,
        "temperature_c": reading.value_c,
        "core_temperature_c": reading.core_c,
        "site": reading.site.value,
        "measured_at": reading.measured_at.isoformat(),
        # This reading's class; a back-filled one may differ from the member's now.
        "fever_status": temperature.classify(
            member.subentry_id, reading
        ).fever_class.value,
        "current_fever_status": current.fever_class.value if current else None,
    }


SEND_REMINDER_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CHORE): cv.string,
        vol.Optional(ATTR_MESSAGE): cv.string,
        vol.Optional(ATTR_TITLE): cv.string,
        vol.Optional(ATTR_MEMBERS): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_TARGETS): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_URGENT, default=False): cv.boolean,
    }
)


async def _async_send_reminder(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    reminders = entry.runtime_data.reminders
    if ATTR_CHORE in call.data:
        chore = resolve_subentry(
            call.hass, entry, SUBENTRY_CHORE, call.data[ATTR_CHORE]
        )
        sent: dict[str, JsonValueType] = dict(
            await reminders.chores.send_now(chore.subentry_id)
        )
        return {"targets": sent}
    if ATTR_MESSAGE not in call.data:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="reminder_needs_message"
        )
    targets: list[str] = []
    for reference in call.data.get(ATTR_MEMBERS, []):
        member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, reference)
        targets.extend(reminders.targets_of(member.subentry_id))
    for target in call.data.get(ATTR_TARGETS, []):
        if not target_exists(call.hass, target):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_target",
                translation_placeholders={"target": target},
            )
        targets.append(target)
    outcome = await reminders.async_notify(
        targets or reminders.household_targets,
        Message(
            title=call.data.get(ATTR_TITLE) or entry.title,
            message=call.data[ATTR_MESSAGE],
            tag=f"{DOMAIN}_{call.context.id}",
            urgent=call.data[ATTR_URGENT],
        ),
    )
    reached: dict[str, JsonValueType] = dict(outcome)
    return {"targets": reached}


def _chore(call: ServiceCall) -> tuple[AutoHomeConfigEntry, str]:
    """Return the household and the id of the chore a call names."""
    entry = get_entry(call.hass)
    chore = resolve_subentry(call.hass, entry, SUBENTRY_CHORE, call.data[ATTR_CHORE])
    return entry, chore.subentry_id


def _member_id(call: ServiceCall, entry: AutoHomeConfigEntry) -> str | None:
    """Return the id of the member a call names, if it names one."""
    if (reference := call.data.get(ATTR_MEMBER)) is None:
        return None
    return resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, reference).subentry_id


CHORE_SCHEMA = vol.Schema({vol.Required(ATTR_CHORE): cv.string})

COMPLETE_CHORE_SCHEMA = CHORE_SCHEMA.extend(
    {
        vol.Optional(ATTR_MEMBER): cv.string,
        vol.Optional(ATTR_COMPLETED_AT): cv.datetime,
    }
)


async def _async_complete_chore(call: ServiceCall) -> ServiceResponse:
    entry, chore_id = _chore(call)
    chores = entry.runtime_data.chores
    completion = chores.complete(
        chore_id,
        _member_id(call, entry),
        _as_utc(call.data.get(ATTR_COMPLETED_AT)),
    )
    if not call.return_response:
        return None
    return chores.summary(chore_id) | {"counted": completion is not None}


async def _async_skip_chore(call: ServiceCall) -> None:
    entry, chore_id = _chore(call)
    entry.runtime_data.chores.skip(chore_id)


SNOOZE_CHORE_SCHEMA = vol.All(
    CHORE_SCHEMA.extend(
        {
            vol.Exclusive(ATTR_DURATION, "snooze"): cv.positive_time_period,
            vol.Exclusive(ATTR_UNTIL, "snooze"): cv.datetime,
        }
    ),
    cv.has_at_least_one_key(ATTR_DURATION, ATTR_UNTIL),
)


async def _async_snooze_chore(call: ServiceCall) -> None:
    entry, chore_id = _chore(call)
    until = _as_utc(call.data.get(ATTR_UNTIL)) or (
        dt_util.utcnow() + call.data[ATTR_DURATION]
    )
    entry.runtime_data.chores.snooze(chore_id, until)


REASSIGN_CHORE_SCHEMA = CHORE_SCHEMA.extend({vol.Required(ATTR_MEMBER): cv.string})


async def _async_reassign_chore(call: ServiceCall) -> None:
    entry, chore_id = _chore(call)
    member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER])
    entry.runtime_data.chores.reassign(chore_id, member.subentry_id)


GET_CHORES_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_MEMBER): cv.string,
        vol.Optional(ATTR_STATUS): vol.All(
            cv.ensure_list, [vol.In([status.value for status in ChoreStatus])]
        ),
        vol.Optional(ATTR_WITHIN_DAYS): vol.All(vol.Coerce(int), vol.Range(min=0)),
    }
)


async def _async_get_chores(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    chores = entry.runtime_data.chores
    member_id = _member_id(call, entry)
    statuses = call.data.get(ATTR_STATUS)
    last_day = None
    if (within := call.data.get(ATTR_WITHIN_DAYS)) is not None:
        last_day = dt_util.now().date() + timedelta(days=within)
    found = [
        chores.summary(chore_id)
        for chore_id, chore in sorted(
            chores.chores.items(), key=lambda item: item[1].due_at
        )
        if (member_id is None or chore.state.assignee == member_id)
        and (last_day is None or dt_util.as_local(chore.due_at).date() <= last_day)
    ]
    return {
        "chores": [
            summary
            for summary in found
            if statuses is None or summary[ATTR_STATUS] in statuses
        ]
    }


RECORD_WEIGHT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_MEMBER): cv.string,
        vol.Required(ATTR_WEIGHT): vol.Coerce(float),
        vol.Optional(ATTR_UNIT, default=KILOGRAMS): vol.In([KILOGRAMS, POUNDS]),
        vol.Optional(ATTR_MEASURED_AT): cv.datetime,
    }
)


async def _async_record_weight(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    weight = entry.runtime_data.weight
    member_id = _member_id(call, entry)
    measured_at = _as_utc(call.data.get(ATTR_MEASURED_AT)) or dt_util.utcnow()
    kg = weight.validate(call.data[ATTR_WEIGHT], call.data[ATTR_UNIT], measured_at)
    reading = WeightReading(measured_at, kg)
    if member_id is None:
        # No member named: the reading is filed as from a scale everyone shares.
        member_id = await weight.async_file_shared(reading, list(weight.members))
    else:
        await weight.async_add(member_id, reading)
    return {
        "member": entry.subentries[member_id].title if member_id else None,
        "weight_kg": kg,
        "flagged": reading.flagged,
        "assigned": member_id is not None,
    }


WEIGHT_READING_SCHEMA = vol.Schema({vol.Required(ATTR_READING_ID): cv.string})


async def _async_assign_weight(call: ServiceCall) -> None:
    entry = get_entry(call.hass)
    member_id = resolve_subentry(
        call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER]
    ).subentry_id
    await entry.runtime_data.weight.async_assign(call.data[ATTR_READING_ID], member_id)


async def _async_discard_weight(call: ServiceCall) -> None:
    get_entry(call.hass).runtime_data.weight.discard(call.data[ATTR_READING_ID])


WEIGHT_REPORT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_MEMBER): cv.string,
        vol.Optional(ATTR_HORIZON_DAYS, default=30): vol.All(
            vol.Coerce(int), vol.Range(min=1, max=365)
        ),
        vol.Optional(ATTR_READINGS, default=10): vol.All(
            vol.Coerce(int), vol.Range(min=0, max=200)
        ),
    }
)


async def _async_get_weight_report(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    member_id = resolve_subentry(
        call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER]
    ).subentry_id
    return entry.runtime_data.weight.report(
        member_id, call.data[ATTR_HORIZON_DAYS], call.data[ATTR_READINGS]
    )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the household's services."""
    hass.services.async_register(
        DOMAIN,
        "record_weight",
        _async_record_weight,
        schema=RECORD_WEIGHT_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        "assign_weight",
        _async_assign_weight,
        schema=WEIGHT_READING_SCHEMA.extend({vol.Required(ATTR_MEMBER): cv.string}),
    )
    hass.services.async_register(
        DOMAIN, "discard_weight", _async_discard_weight, schema=WEIGHT_READING_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        "get_weight_report",
        _async_get_weight_report,
        schema=WEIGHT_REPORT_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        "record_temperature",
        _async_record_temperature,
        schema=RECORD_TEMPERATURE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        "send_reminder",
        _async_send_reminder,
        schema=SEND_REMINDER_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )

    hass.services.async_register(
        DOMAIN,
        "complete_chore",
        _async_complete_chore,
        schema=COMPLETE_CHORE_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN, "skip_chore", _async_skip_chore, schema=CHORE_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, "snooze_chore", _async_snooze_chore, schema=SNOOZE_CHORE_SCHEMA
    )
    hass.services.async_register(
        DOMAIN, "reassign_chore", _async_reassign_chore, schema=REASSIGN_CHORE_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        "get_chores",
        _async_get_chores,
        schema=GET_CHORES_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
