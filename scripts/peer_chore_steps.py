"""Pytest plugin: the peer harness's Add chore dialog, step by step.

`scripts/bench --peers` loads it (`-p peer_chore_steps`) into Auto Home's copy of
the shared peer harness only. The harness submits a chore's fields in one step,
as 0.1's dialog took them; since 0.2 the dialog asks what and who first, then the
chosen kind's rule. Each step here gets the fields its form asks for and the
rest wait for the next, so the same chores are added the user's way.
"""

# A pytest plugin: its checks are pytest's asserts, as in the harness.
# ruff: noqa: S101

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

# A dialog with more steps than this is not the one this plugin knows.
MAX_STEPS = 4


def form_fields(result: Any) -> set[str]:
    """Return the field names a form step asks for."""
    return {str(getattr(key, "schema", key)) for key in result["data_schema"].schema}


async def subentry(
    hass: HomeAssistant, entry_id: str, kind: str, data: dict[str, Any]
) -> None:
    """Add a subentry through its flow, each step given the fields it asks for."""
    flows = hass.config_entries.subentries
    result = await flows.async_init((entry_id, kind), context={"source": "user"})
    left = dict(data)
    for _ in range(MAX_STEPS):
        assert result["type"] is FlowResultType.FORM, result
        asked = form_fields(result)
        step = {key: value for key, value in left.items() if key in asked}
        left = {key: value for key, value in left.items() if key not in asked}
        result = await flows.async_configure(result["flow_id"], step)
        if result["type"] is FlowResultType.CREATE_ENTRY:
            break
        assert not result.get("errors"), result
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    # A field no step asked for would be a chore unlike the harness's.
    assert not left, f"fields no step asked for: {sorted(left)}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Point the harness's one-step `_subentry` at the step-by-step one."""
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "_subentry"):
            module._subentry = subentry  # noqa: SLF001
