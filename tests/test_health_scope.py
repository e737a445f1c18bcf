"""Who may read and record health data through the services (issue 24, item 8)."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import (
    CONF_VOICE_SCOPE,
    DOMAIN,
    VOICE_SCOPE_ALL,
    VOICE_SCOPE_OWN,
)

from .conftest import member
from .snapshot import household_snapshot
from .voice_helpers import link_user

OWN = {CONF_VOICE_SCOPE: VOICE_SCOPE_OWN}


@pytest.fixture(autouse=True)
def owner(hass_owner_user: User) -> User:
    """The owner exists first, so the users made later are neither owners nor admins."""
    return hass_owner_user


async def setup_voice_household(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, options: dict[str, Any]
) -> MockConfigEntry:
    """Mia and Leo, each linked to a person, with the given voice options."""
    freezer.move_to("2026-11-23 10:00:00+01:00")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=options,
        subentries_data=[
            member("Mia", person="person.mia"),
            member("Leo", person="person.leo"),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _call(
    hass: HomeAssistant, user_id: str | None, service: str, data: dict[str, Any]
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        data,
        blocking=True,
        context=Context(user_id=user_id),
        return_response=service == "get_weight_report",
    )


async def _refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    user_id: str | None,
    service: str,
    data: dict[str, Any],
) -> str | None:
    await hass.async_block_till_done()
    before = household_snapshot(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, user_id, service, data)
    await hass.async_block_till_done()
    assert household_snapshot(hass, entry) == before
    return err.value.translation_key


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("record_temperature", {"member": "Leo", "temperature": 38.5}),
        ("record_weight", {"member": "Leo", "weight": 70}),
        ("get_weight_report", {"member": "Leo"}),
        ("assign_weight", {"member": "Leo", "reading_id": "abc"}),
        ("record_dose", {"member": "Leo", "medicine": "Paracetamol"}),
        ("acknowledge_alert", {"member": "Leo"}),
    ],
)
async def test_user_reaches_only_their_own_member(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    service: str,
    data: dict[str, Any],
) -> None:
    """Any user could record for and read every member, whatever the voice scope."""
    entry = await setup_voice_household(hass, freezer, OWN)
    mia = await link_user(hass, "Mia")
    key = await _refused(hass, entry, mia, service, data)
    assert key == "member_not_yours"


async def test_own_member_and_unscoped_callers(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    entry = await setup_voice_household(hass, freezer, OWN)
    mia = await link_user(hass, "Mia")
    await _call(hass, mia, "record_temperature", {"member": "Mia", "temperature": 38.5})
    assert hass.states.get("sensor.mia_body_temperature").state == "38.5"
    report = await _call(hass, mia, "get_weight_report", {"member": "mia"})
    assert report["member"] == "Mia"
    # Naming no member, a scoped user records for their own.
    await _call(hass, mia, "record_weight", {"weight": 61.2})
    assert hass.states.get("sensor.mia_weight").state == "61.2"
    # Administrators and automations (no user) reach every member.
    for user_id, value in ((hass_admin_user.id, 38.1), (None, 38.2)):
        await _call(
            hass, user_id, "record_temperature", {"member": "Leo", "temperature": value}
        )
        assert hass.states.get("sensor.leo_body_temperature").state == str(value)
    assert entry.options[CONF_VOICE_SCOPE] == VOICE_SCOPE_OWN


async def test_unlinked_user_reaches_no_member(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_voice_household(hass, freezer, OWN)
    guest = (await hass.auth.async_create_user("Guest")).id
    key = await _refused(hass, entry, guest, "record_weight", {"weight": 61.2})
    assert key == "member_not_linked"
    key = await _refused(
        hass, entry, guest, "record_temperature", {"member": "Mia", "temperature": 39}
    )
    assert key == "member_not_yours"
    key = await _refused(hass, entry, guest, "discard_weight", {"reading_id": "abc"})
    assert key == "discard_not_permitted"


async def test_all_members_scope_leaves_services_open(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await setup_voice_household(hass, freezer, {CONF_VOICE_SCOPE: VOICE_SCOPE_ALL})
    mia = await link_user(hass, "Mia")
    await _call(hass, mia, "record_temperature", {"member": "Leo", "temperature": 38.4})
    assert hass.states.get("sensor.leo_body_temperature").state == "38.4"
    report = await _call(hass, mia, "get_weight_report", {"member": "Leo"})
    assert report["member"] == "Leo"


async def test_a_caregiver_acknowledges_the_alert_of_the_member_they_look_after(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Leo, not an administrator, looks after Mia; Ava looks after nobody."""
    freezer.move_to("2026-11-23 03:00:00+01:00")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=OWN,
        subentries_data=[
            member("Mia", person="person.mia", caregivers=["member_leo"]),
            member("Leo", person="person.leo"),
            member("Ava", person="person.ava"),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    leo, ava = await link_user(hass, "Leo"), await link_user(hass, "Ava")
    await _call(
        hass, None, "record_temperature", {"member": "Mia", "temperature": 41.5}
    )
    fever = entry.runtime_data.reminders.fever
    assert "member_mia" in fever.pending
    key = await _refused(hass, entry, ava, "acknowledge_alert", {"member": "Mia"})
    assert key == "member_not_yours"
    assert "member_mia" in fever.pending
    await _call(hass, leo, "acknowledge_alert", {"member": "Mia"})
    assert fever.pending == {}
    episode = hass.states.get("binary_sensor.mia_fever").attributes
    assert episode["acknowledged_by"] == "Leo"
    # Ava may acknowledge her own alert, which Leo, not her caregiver, may not.
    await _call(
        hass, None, "record_temperature", {"member": "Ava", "temperature": 41.5}
    )
    key = await _refused(hass, entry, leo, "acknowledge_alert", {"member": "Ava"})
    assert key == "member_not_yours"
    await _call(hass, ava, "acknowledge_alert", {"member": "Ava"})
    assert fever.pending == {}
