"""Diagnostics: how the household is set up and behaving, without personal data.

Names, person links, notify targets and every number personal to a member are
redacted; health values appear only as counts and bands, never with times.
Members and chores are keyed by a short hash of their subentry id, so reports
from one household can be compared without showing the ids themselves.
"""

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import (
    CONF_AGE_GROUP,
    CONF_ASSIGNEES,
    CONF_CAREGIVERS,
    CONF_DUE_TIME,
    CONF_DUE_WINDOW,
    CONF_GOAL_WEIGHT,
    CONF_HEIGHT,
    CONF_HOUSEHOLD_TARGETS,
    CONF_ICON,
    CONF_INTERVAL,
    CONF_MONTH_DAY,
    CONF_RECURRENCE,
    CONF_ROTATION,
    CONF_START_DATE,
    CONF_TEMPERATURE_SITE,
    CONF_WEEK_OF_MONTH,
    CONF_WEEKDAY,
    CONF_WEEKDAYS,
    CONF_WEIGHT_SOURCE_SHARED,
    SUBENTRY_CHORE,
)
from .coordinator import AutoHomeConfigEntry
from .subentries import anonymize, subentries_of

TO_REDACT_OPTIONS = {CONF_HOUSEHOLD_TARGETS}
# Member settings that say nothing about the person; every other one is
# redacted (or banded below), including any added later.
MEMBER_KEEP = {CONF_AGE_GROUP, CONF_TEMPERATURE_SITE, CONF_WEIGHT_SOURCE_SHARED}
# Chore settings that say how it is planned; every other one (its
# description, anything added later) is redacted.
CHORE_KEEP = {
    CONF_DUE_TIME,
    CONF_DUE_WINDOW,
    CONF_ICON,
    CONF_INTERVAL,
    CONF_MONTH_DAY,
    CONF_RECURRENCE,
    CONF_ROTATION,
    CONF_START_DATE,
    CONF_WEEK_OF_MONTH,
    CONF_WEEKDAY,
    CONF_WEEKDAYS,
}
# Member numbers shown as bands this wide: enough to spot a unit mix-up.
MEMBER_BANDS = {CONF_HEIGHT: 10, CONF_GOAL_WEIGHT: 10}


def _band(value: float, width: int) -> str:
    low = int(value // width * width)
    return f"{low}-{low + width}"


type Anonymizer = Callable[[str], str]


def _member_settings(data: Mapping[str, Any], anon: Anonymizer) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key, value in data.items():
        if key in MEMBER_KEEP:
            settings[key] = value
        elif key in MEMBER_BANDS:
            settings[key] = _band(value, MEMBER_BANDS[key])
        elif key == CONF_CAREGIVERS:
            settings[key] = [anon(member_id) for member_id in value]
        else:
            settings[key] = REDACTED
    return settings


def _chore_settings(data: Mapping[str, Any], anon: Anonymizer) -> dict[str, Any]:
    settings: dict[str, Any] = {}
    for key, value in data.items():
        if key == CONF_ASSIGNEES:
            settings[key] = [anon(member_id) for member_id in value]
        else:
            settings[key] = value if key in CHORE_KEEP else REDACTED
    return settings


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AutoHomeConfigEntry
) -> dict[str, Any]:
    """Return the household's diagnostics."""
    coordinator = entry.runtime_data
    anon: Anonymizer = partial(anonymize, entry.entry_id)
    now = dt_util.utcnow()
    members: dict[str, Any] = {}
    for member_id, state in coordinator.temperature.members.items():
        latest = state.latest
        weight = coordinator.weight.members[member_id]
        members[anon(member_id)] = {
            "settings": _member_settings(entry.subentries[member_id].data, anon),
            # The group the fever rules use: from the birth date when there is one.
            "age_group": coordinator.temperature.age_group(member_id).value,
            "temperature_readings": state.readings,
            "temperature_months_raw": len(state.months),
            "temperature_months_hourly": len(state.hourly_months),
            # A coarse band, enough to see a unit mix-up, not a health record.
            "latest_temperature_band_c": _band(latest.value_c, 1) if latest else None,
            "fever_episode_open": state.tracker.episode is not None,
            # How many, not which: a medicine's name can tell an illness.
            "doses_recorded": len(coordinator.doses.doses_for(member_id)),
            "weight_readings": weight.readings,
            "latest_weight_band_kg": _band(weight.latest.kg, 10)
            if weight.latest
            else None,
            # Its stored state could not be used: it is waiting for a reset.
            "damaged": member_id in coordinator.temperature.damaged
            or member_id in coordinator.weight.damaged,
        }
    chores: dict[str, Any] = {}
    for chore_id, subentry in subentries_of(entry, SUBENTRY_CHORE).items():
        settings = _chore_settings(subentry.data, anon)
        if (chore := coordinator.chores.chores.get(chore_id)) is None:
            # Damaged (state or settings): left out until reset or reconfigured.
            chores[anon(chore_id)] = {"settings": settings, "damaged": True}
            continue
        chores[anon(chore_id)] = {
            "settings": settings,
            "status": chore.status(now).value,
            "history_entries": len(chore.state.history),
            "streak": chore.state.streak,
            "damaged": False,
        }
    reminders = coordinator.reminders
    return {
        "options": async_redact_data(dict(entry.options), TO_REDACT_OPTIONS),
        "members": members,
        "chores": chores,
        "medicines": len(coordinator.doses.medicines()),
        "unassigned_weight_readings": len(coordinator.weight.unassigned),
        "reminders": {
            "sent": reminders.sent,
            "failures_by_target": sorted(reminders.failures.values(), reverse=True),
            "deferred_targets": len(reminders.deferred),
            "chores_with_open_reminders": len(reminders.chores.sent),
            # Steps only: the alert's text names the member.
            "fever_alerts_pending": [
                {"step": alert.step, "steps": len(alert.steps)}
                for alert in reminders.fever.pending.values()
            ],
        },
    }
