"""What a refused call must leave unchanged: every state and every stored section."""

import copy
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.auto_home.coordinator import AutoHomeConfigEntry


def household_snapshot(hass: HomeAssistant, entry: AutoHomeConfigEntry) -> Any:
    """Return all states and what each feature would store, to compare later."""
    states = {
        state.entity_id: (state.state, dict(state.attributes))
        for state in hass.states.async_all()
    }
    stored = {
        key: copy.deepcopy(feature.as_dict())
        for key, feature in entry.runtime_data.features.items()
    }
    return (
        states,
        stored,
        {sid: (s.title, dict(s.data)) for sid, s in entry.subentries.items()},
    )
