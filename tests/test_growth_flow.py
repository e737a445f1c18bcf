"""The member's sex, asked for children's growth percentiles, through the subentry flow."""

from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import voluptuous as vol


async def _add_member(
    hass: HomeAssistant, entry: MockConfigEntry, data: dict[str, str]
) -> None:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "member"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], data
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_member_flow_saves_sex(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """A child added with birth date and sex keeps both in the member's data."""
    await _add_member(
        hass, loaded_entry, {"name": "Zoe", "birth_date": "2022-05-01", "sex": "female"}
    )
    zoe = next(s for s in loaded_entry.subentries.values() if s.title == "Zoe")
    assert zoe.data["sex"] == "female"
    assert zoe.data["birth_date"] == "2022-05-01"


async def test_member_flow_sex_is_optional(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Leaving it out is allowed: no sex stored, so no percentile later."""
    await _add_member(hass, loaded_entry, {"name": "Ben", "birth_date": "2020-01-01"})
    ben = next(s for s in loaded_entry.subentries.values() if s.title == "Ben")
    assert "sex" not in ben.data


async def test_member_flow_rejects_unknown_sex(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Only the offered options pass the form; nothing is added."""
    before = len(loaded_entry.subentries)
    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "member"), context={"source": "user"}
    )
    with pytest.raises(vol.Invalid):
        await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"name": "Kim", "sex": "other"}
        )
    assert len(loaded_entry.subentries) == before


async def test_member_flow_saves_when_the_height_was_measured(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    """Added and reconfigured: the day is kept; one in the future is refused."""
    await _add_member(
        hass,
        loaded_entry,
        {"name": "Zoe", "height": 120, "height_measured_on": "2020-05-01"},
    )
    zoe = next(s for s in loaded_entry.subentries.values() if s.title == "Zoe")
    assert zoe.data["height_measured_on"] == "2020-05-01"

    result = await loaded_entry.start_subentry_reconfigure_flow(hass, zoe.subentry_id)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Zoe", "height": 124, "height_measured_on": "2999-01-01"},
    )
    assert result["errors"] == {"height_measured_on": "height_measured_on_future"}
    assert loaded_entry.subentries[zoe.subentry_id].data["height"] == 120
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Zoe", "height": 124, "height_measured_on": "2020-09-01"},
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    data = loaded_entry.subentries[zoe.subentry_id].data
    assert (data["height"], data["height_measured_on"]) == (124, "2020-09-01")
