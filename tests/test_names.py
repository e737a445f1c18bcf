"""Names (issue 16, defect 8): bounded in every flow, ambiguous when duplicated."""

from typing import Any

from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er, intent
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

from .conftest import chore, member

LONG = "M" * 65


@pytest.mark.parametrize(
    ("name", "error"),
    [(" ", "name_required"), ("", "name_required"), (LONG, "name_too_long")],
)
async def test_household_name_is_bounded(
    hass: HomeAssistant, name: str, error: str
) -> None:
    """A household of one space was created as "Created configuration for ."."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": name}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": error}
    assert hass.config_entries.async_entries(DOMAIN) == []
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "  The Lins  "}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "The Lins"


@pytest.mark.parametrize(
    ("name", "error"), [(" ", "name_required"), (LONG, "name_too_long")]
)
async def test_household_rename_is_bounded(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, name: str, error: str
) -> None:
    result = await loaded_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": name}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": error}
    assert loaded_entry.title == "Home"


@pytest.mark.parametrize("subentry_type", ["member", "chore"])
async def test_long_names_are_refused_in_subentry_flows(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, subentry_type: str
) -> None:
    """A 500-character member name broke 8 of its 10 sensors."""
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, subentry_type), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "x" * 500}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": "name_too_long"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "N" * 64}
    )
    if subentry_type == "chore":
        # How a daily chore repeats is asked on a step of its own.
        assert result["step_id"] == "daily"
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"interval": 1}
        )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert len(loaded_entry.subentries) == 5
    # Every entity of the longest name works.
    new = next(s for s in loaded_entry.subentries.values() if s.title == "N" * 64)
    entities = [
        entity
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), loaded_entry.entry_id
        )
        if entity.config_subentry_id == new.subentry_id
    ]
    assert entities
    for entity in entities:
        state = hass.states.get(entity.entity_id)
        assert state is not None
        assert state.state != "unavailable"


@pytest.mark.parametrize(
    ("subentry_id", "taken"), [("member_mia", "LEO"), ("chore_water_plants", "bins")]
)
async def test_reconfigure_refuses_long_and_taken_names(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, subentry_id: str, taken: str
) -> None:
    before = loaded_entry.subentries[subentry_id].title
    result = await loaded_entry.start_subentry_reconfigure_flow(hass, subentry_id)
    for name, error in ((LONG, "name_too_long"), (taken, "name_exists")):
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"name": name}
        )
        assert result["errors"] == {"name": error}
    assert loaded_entry.subentries[subentry_id].title == before


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia and Leo, and two chores."""
    return [
        member("Mia"),
        member("Leo"),
        chore("Water plants", recurrence="daily", start_date="2026-11-20"),
        chore("Bins", recurrence="daily", start_date="2026-11-20"),
    ]


async def test_chore_flow_refuses_a_taken_name(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": " bins "}
    )
    assert result["errors"] == {"name": "name_exists"}


async def test_todo_rename_is_bounded(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            TODO_DOMAIN,
            "update_item",
            {"item": "Bins", "rename": "B" * 65},
            target={"entity_id": "todo.chores"},
            blocking=True,
        )
    assert err.value.translation_key == "name_too_long"
    assert loaded_entry.subentries["chore_bins"].title == "Bins"


async def _rename_like_the_ui(
    hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str, title: str
) -> None:
    """Rename a subentry as Home Assistant's own Rename does, past our flows."""
    hass.config_entries.async_update_subentry(
        entry, entry.subentries[subentry_id], title=title
    )
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    "case",
    [
        ("complete_chore", {"chore": "Bins"}, ("chore_water_plants", "Bins"), "chore"),
        (
            "record_temperature",
            {"member": "mia", "temperature": 38.0},
            ("member_leo", "Mia"),
            "member",
        ),
    ],
)
async def test_duplicate_names_are_ambiguous(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    case: tuple[str, dict[str, Any], tuple[str, str], str],
) -> None:
    """After the UI's Rename made two chores "Bins", "No chore called" was said."""
    service, data, renamed, kind = case
    await _rename_like_the_ui(hass, loaded_entry, *renamed)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, service, data, blocking=True)
    assert err.value.translation_key == f"ambiguous_{kind}"
    choices = err.value.translation_placeholders["choices"].split(", ")
    assert len(choices) == 2
    # Either one can still be named by an entity.
    await hass.services.async_call(
        DOMAIN, service, data | {kind: choices[0]}, blocking=True
    )


async def test_duplicate_chore_names_are_ambiguous_by_voice(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "intent", {})
    await _rename_like_the_ui(hass, loaded_entry, "chore_water_plants", "Bins")
    response = await intent.async_handle(
        hass, "test", "AutoHomeCompleteChore", {"chore": {"value": "Bins"}}
    )
    assert response.response_type is intent.IntentResponseType.ERROR
    speech = response.speech["plain"]["speech"]
    assert speech.startswith('More than one chore is called "Bins"')


async def test_a_rename_is_found_at_once_even_in_the_same_instant(
    freezer: Any, hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Calls by name use an index; the UI's Rename, made in place, is seen at once.

    The clock is frozen, so the rename's `modified_at` equals the index's: the
    entry's update listener must drop the index, and no call between the two
    may see a stale one.
    """
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Bins"}, blocking=True
    )
    stamped = loaded_entry.modified_at
    hass.config_entries.async_update_subentry(
        loaded_entry, loaded_entry.subentries["chore_bins"], title="Rubbish"
    )
    assert loaded_entry.modified_at == stamped
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "complete_chore", {"chore": "Bins"}, blocking=True
        )
    assert err.value.translation_key == "unknown_chore"
    # A name is matched however it is written; the entity id stays as it was.
    before = hass.states.get("sensor.bins_next_due")
    assert before is not None
    await hass.services.async_call(
        DOMAIN, "skip_chore", {"chore": " rubbish "}, blocking=True
    )
    after = hass.states.get("sensor.bins_next_due")
    assert after is not None
    assert after.state != before.state
