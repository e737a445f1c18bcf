"""Config flow: the household entry and its member and chore subentries."""

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN


async def test_household_created(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "The Lins"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "The Lins"
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert entry.subentries == {}


async def test_second_household_aborts(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_add_member_creates_device_and_entity(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "member"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": " Ava ", "person": "person.ava"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    subentry = next(s for s in loaded_entry.subentries.values() if s.title == "Ava")
    assert subentry.data == {
        "person": "person.ava",
        "temperature_site": "oral",
        "weight_source_shared": False,
    }
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, subentry.subentry_id), loaded_entry.entry_id
    )
    assert device is not None
    assert device.name == "Ava"
    entity_id = entity_registry.async_get_entity_id(
        "sensor", DOMAIN, f"{subentry.subentry_id}_body_temperature"
    )
    assert entity_id == "sensor.ava_body_temperature"
    assert (
        entity_registry.async_get(entity_id).config_subentry_id == subentry.subentry_id
    )
    assert hass.states.get(entity_id).state == "unknown"


async def test_member_name_must_be_unique_and_not_blank(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "member"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "mia"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"name": "name_exists"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "   "}
    )
    assert result["errors"] == {"name": "name_required"}
    assert len(loaded_entry.subentries) == 3


async def test_reconfigure_member(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    result = await loaded_entry.start_subentry_reconfigure_flow(hass, "member_mia")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    # Keeping its own name is not a clash.
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Mia", "person": "person.mia"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert loaded_entry.subentries["member_mia"].data["person"] == "person.mia"

    result = await loaded_entry.start_subentry_reconfigure_flow(hass, "member_mia")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Leo"}
    )
    assert result["errors"] == {"name": "name_exists"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Mia Lin"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert loaded_entry.subentries["member_mia"].title == "Mia Lin"
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "member_mia"), loaded_entry.entry_id
    )
    assert device.name == "Mia Lin"


async def test_add_and_reconfigure_chore(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Take out trash"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"interval": 1}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert any(s.title == "Take out trash" for s in loaded_entry.subentries.values())

    result = await loaded_entry.start_subentry_reconfigure_flow(
        hass, "chore_water_plants"
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Water the plants"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"interval": 1}
    )
    assert result["reason"] == "reconfigure_successful"
    # The edit reloads the household: let it finish before the test ends.
    await hass.async_block_till_done()
    assert loaded_entry.subentries["chore_water_plants"].title == "Water the plants"


async def test_subentry_flow_aborts_when_household_not_loaded(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "entry_not_loaded"


async def test_rename_household(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    result = await loaded_entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "The Lins"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert loaded_entry.title == "The Lins"
    assert loaded_entry.state is ConfigEntryState.LOADED


async def test_member_pickers_offer_sources_and_named_targets(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Auto Home's own sensors are no thermometer or scale; targets by name."""
    hass.states.async_set(
        "notify.kitchen_display", "unknown", {"friendly_name": "Kitchen"}
    )
    async_mock_service(hass, "notify", "mobile_app_mias_phone")
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "member"), context={"source": SOURCE_USER}
    )
    schema = result["data_schema"].schema
    for key, own in (
        ("temperature_source", "sensor.mia_body_temperature"),
        ("weight_source", "sensor.mia_weight"),
    ):
        assert own in schema[key].config["exclude_entities"]
    labels = {
        option["value"]: option["label"]
        for option in schema["notify_targets"].config["options"]
    }
    assert labels["notify.kitchen_display"] == "Kitchen"
    assert labels["notify.mobile_app_mias_phone"] == "Mobile app mias phone"
    assert schema["notify_targets"].config["translation_key"] == "notify_target"


async def test_options_change_several_sections_in_one_visit(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Each section returns to the menu; Save stores them all, minutes as numbers."""
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    flow_id = result["flow_id"]
    assert result["menu_options"] == ["health", "reminders", "voice", "alerts", "save"]
    result = await hass.config_entries.options.async_configure(
        flow_id, {"next_step_id": "reminders"}
    )
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    # Minutes are shown as durations, not a 0-1440 slider.
    assert suggested["repeat_minutes"] == {"days": 0, "hours": 2, "minutes": 0}
    settings = {
        "household_targets": ["persistent_notification"],
        "lead_minutes": {"days": 2},
        "repeat_minutes": {"hours": 1, "minutes": 30},
        "repeat_limit": 2,
        "escalate_after": 1,
        "all_day_time": "09:00:00",
    }
    result = await hass.config_entries.options.async_configure(flow_id, settings)
    assert result["errors"] == {"lead_minutes": "duration_out_of_range"}
    result = await hass.config_entries.options.async_configure(
        flow_id, settings | {"lead_minutes": {"minutes": 30}}
    )
    assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(
        flow_id, {"next_step_id": "voice"}
    )
    result = await hass.config_entries.options.async_configure(
        flow_id, {"share_health_with_agents": True, "voice_member_scope": "all"}
    )
    assert result["type"] is FlowResultType.MENU
    # Nothing is stored before Save.
    assert loaded_entry.options == {}
    result = await hass.config_entries.options.async_configure(
        flow_id, {"next_step_id": "save"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert loaded_entry.options["lead_minutes"] == 30
    assert loaded_entry.options["repeat_minutes"] == 90
    assert loaded_entry.options["share_health_with_agents"] is True
