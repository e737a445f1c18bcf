"""Diagnostics: how the household is set up and behaving, without personal data.

Names, person links and notify targets are redacted; health readings appear
only as counts and ranges, never as values with times.
"""

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .const import (
    CONF_BIRTH_DATE,
    CONF_CAREGIVERS,
    CONF_HOUSEHOLD_TARGETS,
    CONF_NOTIFY_TARGETS,
    CONF_PERSON,
    CONF_TEMPERATURE_SOURCE,
    CONF_WEIGHT_SOURCE,
)
from .coordinator import AutoHomeConfigEntry

TO_REDACT = {
    "title",
    CONF_PERSON,
    CONF_BIRTH_DATE,
    CONF_CAREGIVERS,
    CONF_NOTIFY_TARGETS,
    CONF_HOUSEHOLD_TARGETS,
    CONF_TEMPERATURE_SOURCE,
    CONF_WEIGHT_SOURCE,
}


def _range(low: float, high: float) -> str:
    return f"{low:.0f}-{high:.0f}"


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: AutoHomeConfigEntry
) -> dict[str, Any]:
    """Return the household's diagnostics."""
    coordinator = entry.runtime_data
    now = dt_util.utcnow()
    members: dict[str, Any] = {}
    for index, (member_id, state) in enumerate(coordinator.temperature.members.items()):
        latest = state.latest
        members[f"member_{index + 1}"] = {
            "settings": async_redact_data(
                dict(entry.subentries[member_id].data), TO_REDACT
            ),
            "temperature_readings": state.readings,
            "temperature_months_raw": len(state.months),
            "temperature_months_hourly": len(state.hourly_months),
            # A coarse band, enough to see a unit mix-up, not a health record.
            "latest_temperature_band_c": _range(
                latest.value_c // 1, latest.value_c // 1 + 1
            )
            if latest
            else None,
            "fever_episode_open": state.tracker.episode is not None,
        }
    chores = {
        f"chore_{index + 1}": {
            "settings": async_redact_data(
                dict(entry.subentries[chore_id].data), TO_REDACT
            ),
            "status": chore.status(now).value,
            "history_entries": len(chore.state.history),
            "streak": chore.state.streak,
        }
        for index, (chore_id, chore) in enumerate(coordinator.chores.chores.items())
    }
    reminders = coordinator.reminders
    return {
        "options": async_redact_data(dict(entry.options), TO_REDACT),
        "members": members,
        "chores": chores,
        "reminders": {
            "sent": reminders.sent,
            "failures_by_target": sorted(reminders.failures.values(), reverse=True),
            "deferred_targets": len(reminders.deferred),
            "chores_with_open_reminders": len(reminders.chores.sent),
        },
    }
