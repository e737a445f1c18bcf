"""Services of Auto Home, registered once in async_setup."""

from datetime import timedelta

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    service,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.json import JsonValueType
import voluptuous as vol

from .const import (
    ATTR_AMOUNT,
    ATTR_AWAY,
    ATTR_CHORE,
    ATTR_COMPLETED_AT,
    ATTR_DURATION,
    ATTR_END,
    ATTR_EPISODE,
    ATTR_GIVEN_AT,
    ATTR_HORIZON_DAYS,
    ATTR_MEASURED_AT,
    ATTR_MEDICINE,
    ATTR_MEMBER,
    ATTR_MEMBERS,
    ATTR_MESSAGE,
    ATTR_OVERRIDE,
    ATTR_READING_ID,
    ATTR_READINGS,
    ATTR_SITE,
    ATTR_START,
    ATTR_STATUS,
    ATTR_TARGETS,
    ATTR_TEMPERATURE,
    ATTR_TITLE,
    ATTR_UNIT,
    ATTR_UNTIL,
    ATTR_URGENT,
    ATTR_WEIGHT,
    ATTR_WITHIN_DAYS,
    CONF_CAREGIVERS,
    DOMAIN,
    SUBENTRY_CHORE,
    SUBENTRY_MEDICINE,
    SUBENTRY_MEMBER,
)
from .coordinator import AutoHomeConfigEntry
from .domain.chore import ChoreStatus
from .domain.temperature import CELSIUS, FAHRENHEIT, Site
from .domain.weight import KILOGRAMS, POUNDS
from .fever_report import async_fever_report
from .notifier import Message, target_exists
from .validation import (
    MAX_AHEAD,
    MAX_DAYS,
    NAME_MAX,
    REFERENCE_MAX,
    boolean,
    count,
    default_temperature_unit,
    duration,
    health_scope,
    number,
    optional_utc,
    refusal,
    snooze_until,
    text,
)
from .weight_feature import WeightReading

MEMBER = text(ATTR_MEMBER, REFERENCE_MAX)
CHORE = text(ATTR_CHORE, REFERENCE_MAX)


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
    """Find a member or chore by its id, its device id, an entity id, or its name.

    Raises a translated ServiceValidationError when nothing matches, or when
    more than one has that name (Home Assistant's own Rename of a subentry
    allows that): then it names an entity of each, to call it by instead.
    """
    reference = reference.strip()
    subentry_id: str | None = None
    if reference in entry.subentries:
        # The household card names members and chores by their subentry id.
        subentry_id = reference
    elif device := dr.async_get(hass).async_get(reference):
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
        matches = entry.runtime_data.names.named(entry, subentry_type, reference)
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise refusal(
                f"ambiguous_{subentry_type}",
                name=reference,
                choices=", ".join(_entity_of(hass, entry, match) for match in matches),
            )
    raise refusal(f"unknown_{subentry_type}", **{subentry_type: reference})


def _entity_of(
    hass: HomeAssistant, entry: AutoHomeConfigEntry, subentry: ConfigSubentry
) -> str:
    """Return the first entity id of a member or chore (its id if it has none)."""
    return min(
        (
            entity.entity_id
            for entity in er.async_entries_for_config_entry(
                er.async_get(hass), entry.entry_id
            )
            if entity.config_subentry_id == subentry.subentry_id
        ),
        default=subentry.subentry_id,
    )


async def _async_scope(
    call: ServiceCall, entry: AutoHomeConfigEntry
) -> set[str] | None:
    """Return the members whose health data a call may read or record; None: all."""
    user_id = call.context.user_id
    user = None if user_id is None else await call.hass.auth.async_get_user(user_id)
    return health_scope(
        call.hass, entry, user_id, admin=user is not None and user.is_admin
    )


async def _async_named_member(call: ServiceCall, entry: AutoHomeConfigEntry) -> str:
    """Return the member a health call names; refuse one outside the caller's scope."""
    member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER])
    scope = await _async_scope(call, entry)
    if scope is not None and member.subentry_id not in scope:
        raise refusal("member_not_yours", member=member.title)
    return member.subentry_id


async def _async_own_member(
    call: ServiceCall, entry: AutoHomeConfigEntry
) -> str | None:
    """Return the member of a health call that names none (None: any member)."""
    if (scope := await _async_scope(call, entry)) is None:
        return None
    if not scope:
        raise refusal("member_not_linked")
    return next(iter(scope))


RECORD_TEMPERATURE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_MEMBER): MEMBER,
        vol.Required(ATTR_TEMPERATURE): number,
        vol.Optional(ATTR_UNIT): vol.In([CELSIUS, FAHRENHEIT]),
        vol.Optional(ATTR_SITE): vol.Coerce(Site),
        vol.Optional(ATTR_MEASURED_AT): cv.datetime,
    }
)


async def _async_record_temperature(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    measured_at = optional_utc(call.data.get(ATTR_MEASURED_AT), ATTR_MEASURED_AT)
    member_id = await _async_named_member(call, entry)
    temperature = entry.runtime_data.temperature
    reading = await temperature.async_record(
        member_id,
        call.data[ATTR_TEMPERATURE],
        call.data.get(ATTR_UNIT) or default_temperature_unit(call.hass),
        site=call.data.get(ATTR_SITE),
        measured_at=measured_at,
    )
    if not call.return_response:
        return None
    return {
        "member": entry.subentries[member_id].title,
        "temperature_c": reading.value_c,
        "core_temperature_c": reading.core_c,
        "site": reading.site.value,
        "measured_at": reading.measured_at.isoformat(),
        **temperature.statuses(member_id, reading),
    }


# The largest amount a dose may have, in any unit (mg, ml, drops, tablets).
AMOUNT_MAX = 100_000

RECORD_DOSE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_MEMBER): MEMBER,
        vol.Required(ATTR_MEDICINE): text(ATTR_MEDICINE, REFERENCE_MAX),
        vol.Optional(ATTR_AMOUNT): number,
        vol.Optional(ATTR_GIVEN_AT): cv.datetime,
        vol.Optional(ATTR_OVERRIDE, default=False): boolean,
    }
)


async def _async_record_dose(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    given_at = optional_utc(call.data.get(ATTR_GIVEN_AT), ATTR_GIVEN_AT)
    amount = call.data.get(ATTR_AMOUNT)
    if amount is not None and not 0 < amount <= AMOUNT_MAX:
        raise refusal(
            "out_of_range",
            field=ATTR_AMOUNT,
            value=f"{amount:g}",
            min=0,
            max=AMOUNT_MAX,
        )
    member_id = await _async_named_member(call, entry)
    medicine = resolve_subentry(
        call.hass, entry, SUBENTRY_MEDICINE, call.data[ATTR_MEDICINE]
    )
    dose, next_allowed = entry.runtime_data.doses.record(
        member_id,
        medicine.subentry_id,
        amount,
        given_at,
        override=call.data[ATTR_OVERRIDE],
    )
    if not call.return_response:
        return None
    return {
        "member": entry.subentries[member_id].title,
        "medicine": dose.medicine,
        "given_at": dt_util.as_local(dose.given_at).isoformat(),
        "amount": dose.amount,
        "unit": dose.unit,
        "overridden": dose.overridden,
        "next_allowed": dt_util.as_local(next_allowed).isoformat(),
    }


SEND_REMINDER_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_CHORE): CHORE,
        vol.Optional(ATTR_MESSAGE): text(ATTR_MESSAGE),
        vol.Optional(ATTR_TITLE): text(ATTR_TITLE),
        vol.Optional(ATTR_MEMBERS): vol.All(
            cv.ensure_list, [text(ATTR_MEMBERS, REFERENCE_MAX)]
        ),
        vol.Optional(ATTR_TARGETS): vol.All(
            cv.ensure_list, [text(ATTR_TARGETS, REFERENCE_MAX)]
        ),
        vol.Optional(ATTR_URGENT, default=False): boolean,
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
        raise refusal("reminder_needs_message")
    targets: list[str] = []
    for reference in call.data.get(ATTR_MEMBERS, []):
        member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, reference)
        targets.extend(reminders.targets_of(member.subentry_id))
    for target in call.data.get(ATTR_TARGETS, []):
        if not target_exists(call.hass, target):
            raise refusal("unknown_target", target=target)
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


CHORE_SCHEMA = vol.Schema({vol.Required(ATTR_CHORE): CHORE})

COMPLETE_CHORE_SCHEMA = CHORE_SCHEMA.extend(
    {
        vol.Optional(ATTR_MEMBER): MEMBER,
        vol.Optional(ATTR_COMPLETED_AT): cv.datetime,
    }
)


async def _async_complete_chore(call: ServiceCall) -> ServiceResponse:
    completed_at = optional_utc(call.data.get(ATTR_COMPLETED_AT), ATTR_COMPLETED_AT)
    entry, chore_id = _chore(call)
    chores = entry.runtime_data.chores
    completion = chores.complete(
        chore_id, _member_id(call, entry), completed_at, call.context.user_id
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
            vol.Exclusive(ATTR_DURATION, "snooze"): duration(MAX_AHEAD),
            vol.Exclusive(ATTR_UNTIL, "snooze"): cv.datetime,
        }
    ),
    cv.has_at_least_one_key(ATTR_DURATION, ATTR_UNTIL),
)


async def _async_snooze_chore(call: ServiceCall) -> None:
    if ATTR_UNTIL in call.data:
        until = snooze_until(call.data[ATTR_UNTIL], ATTR_UNTIL)
    else:
        until = dt_util.utcnow() + call.data[ATTR_DURATION]
    entry, chore_id = _chore(call)
    entry.runtime_data.chores.snooze(chore_id, until)


REASSIGN_CHORE_SCHEMA = CHORE_SCHEMA.extend({vol.Required(ATTR_MEMBER): MEMBER})


async def _async_reassign_chore(call: ServiceCall) -> None:
    entry, chore_id = _chore(call)
    member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER])
    entry.runtime_data.chores.reassign(chore_id, member.subentry_id)


SET_AWAY_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_MEMBER): MEMBER,
        vol.Optional(ATTR_AWAY, default=True): boolean,
        vol.Optional(ATTR_UNTIL): cv.datetime,
    }
)


async def _async_set_away(call: ServiceCall) -> None:
    entry = get_entry(call.hass)
    member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER])
    until = optional_utc(call.data.get(ATTR_UNTIL), ATTR_UNTIL)
    away = entry.runtime_data.away
    if call.data[ATTR_AWAY]:
        away.set_away(member.subentry_id, until)
    elif until is not None:
        raise refusal("away_until_without_away")
    else:
        away.set_back(member.subentry_id)


ACKNOWLEDGE_ALERT_SCHEMA = vol.Schema({vol.Required(ATTR_MEMBER): MEMBER})


async def _async_acknowledge_alert(call: ServiceCall) -> None:
    entry = get_entry(call.hass)
    member = resolve_subentry(call.hass, entry, SUBENTRY_MEMBER, call.data[ATTR_MEMBER])
    # Acknowledging writes to the episode: the member's own, or a caregiver's
    # (a parent who is not an administrator acknowledges their child's alert).
    scope = await _async_scope(call, entry)
    if scope is not None and not scope & {
        member.subentry_id,
        *member.data.get(CONF_CAREGIVERS, []),
    }:
        raise refusal("member_not_yours", member=member.title)
    await entry.runtime_data.reminders.fever.async_acknowledge(
        member.subentry_id, call.context.user_id
    )


GET_CHORES_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_MEMBER): MEMBER,
        vol.Optional(ATTR_STATUS): vol.All(
            cv.ensure_list,
            [vol.All(vol.In([status.value for status in ChoreStatus]), ChoreStatus)],
        ),
        vol.Optional(ATTR_WITHIN_DAYS): count(ATTR_WITHIN_DAYS, 0, MAX_DAYS),
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
    return {
        "chores": [
            chores.summary(chore_id)
            for chore_id in chores.find(member_id, statuses, last_day)
        ]
    }


RECORD_WEIGHT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_MEMBER): MEMBER,
        vol.Required(ATTR_WEIGHT): number,
        vol.Optional(ATTR_UNIT, default=KILOGRAMS): vol.In([KILOGRAMS, POUNDS]),
        vol.Optional(ATTR_MEASURED_AT): cv.datetime,
    }
)


async def _async_record_weight(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    weight = entry.runtime_data.weight
    measured_at = (
        optional_utc(call.data.get(ATTR_MEASURED_AT), ATTR_MEASURED_AT)
        or dt_util.utcnow()
    )
    member_id = await (
        _async_named_member(call, entry)
        if ATTR_MEMBER in call.data
        else _async_own_member(call, entry)
    )
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


WEIGHT_READING_SCHEMA = vol.Schema(
    {vol.Required(ATTR_READING_ID): text(ATTR_READING_ID, NAME_MAX)}
)


async def _async_assign_weight(call: ServiceCall) -> None:
    entry = get_entry(call.hass)
    member_id = await _async_named_member(call, entry)
    await entry.runtime_data.weight.async_assign(call.data[ATTR_READING_ID], member_id)


async def _async_discard_weight(call: ServiceCall) -> None:
    entry = get_entry(call.hass)
    # An unassigned reading may be anyone's: with members kept private, only
    # an administrator (or an automation) may drop it.
    if await _async_scope(call, entry) is not None:
        raise refusal("discard_not_permitted")
    entry.runtime_data.weight.discard(call.data[ATTR_READING_ID])


WEIGHT_REPORT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_MEMBER): MEMBER,
        vol.Optional(ATTR_HORIZON_DAYS, default=30): count(ATTR_HORIZON_DAYS, 1, 365),
        vol.Optional(ATTR_READINGS, default=10): count(ATTR_READINGS, 0, 200),
    }
)


async def _async_get_weight_report(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    member_id = await _async_named_member(call, entry)
    return entry.runtime_data.weight.report(
        member_id, call.data[ATTR_HORIZON_DAYS], call.data[ATTR_READINGS]
    )


FEVER_REPORT_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_MEMBER): MEMBER,
        vol.Exclusive(ATTR_EPISODE, "report"): cv.datetime,
        vol.Exclusive(ATTR_START, "report"): cv.datetime,
        vol.Optional(ATTR_END): cv.datetime,
    }
)


async def _async_get_fever_report(call: ServiceCall) -> ServiceResponse:
    entry = get_entry(call.hass)
    member_id = await _async_named_member(call, entry)
    return await async_fever_report(
        call.hass,
        entry.runtime_data,
        member_id,
        episode_at=optional_utc(call.data.get(ATTR_EPISODE), ATTR_EPISODE),
        start=optional_utc(call.data.get(ATTR_START), ATTR_START),
        end=optional_utc(call.data.get(ATTR_END), ATTR_END),
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
        schema=WEIGHT_READING_SCHEMA.extend({vol.Required(ATTR_MEMBER): MEMBER}),
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
        "get_fever_report",
        _async_get_fever_report,
        schema=FEVER_REPORT_SCHEMA,
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
        "record_dose",
        _async_record_dose,
        schema=RECORD_DOSE_SCHEMA,
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
        DOMAIN, "set_away", _async_set_away, schema=SET_AWAY_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        "acknowledge_alert",
        _async_acknowledge_alert,
        schema=ACKNOWLEDGE_ALERT_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        "get_chores",
        _async_get_chores,
        schema=GET_CHORES_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
