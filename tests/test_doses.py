"""Medicines and doses through hass: refusal, override, DST, the next-dose sensor."""

from datetime import UTC, datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN, SUBENTRY_MEDICINE
from custom_components.auto_home.diagnostics import (
    async_get_config_entry_diagnostics,
)
from custom_components.auto_home.domain.dosing import Dose

from .chore_helpers import (
    attributes,
    call,
    local,
    move_to,
    reload,
    setup_household,
)
from .conftest import medicine, member
from .snapshot import household_snapshot

NEXT_DOSE = "sensor.mia_next_dose_allowed"
FEVER = "binary_sensor.mia_fever"


PARACETAMOL = medicine("Paracetamol", 4, 4, usual_amount=500, amount_unit="mg")
IBUPROFEN = medicine("Ibuprofen", 6, 3)


async def setup(
    hass: HomeAssistant, *medicines: ConfigSubentryData, **options: Any
) -> MockConfigEntry:
    """Set up a Berlin household: Mia (cared for by Leo's phone), Leo, medicines."""
    return await setup_household(
        hass,
        *medicines,
        members=(
            member("Mia", caregivers=["member_leo"]),
            member("Leo", notify_targets=["notify.mobile_app_leo"]),
        ),
        options=options,
    )


async def dose(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Record a dose for Mia; return the response."""
    result: dict[str, Any] = await call(
        hass,
        "record_dose",
        {"member": "Mia", "medicine": "Paracetamol"} | data,
        response=True,
    )
    return result


async def refused(
    hass: HomeAssistant, entry: MockConfigEntry, **data: Any
) -> ServiceValidationError:
    """Record a dose that is refused; check nothing changed; return the error."""
    before = household_snapshot(hass, entry)
    with pytest.raises(ServiceValidationError) as err:
        await dose(hass, **data)
    await hass.async_block_till_done()
    assert household_snapshot(hass, entry) == before
    return err.value


def state(hass: HomeAssistant, entity_id: str) -> str:
    found = hass.states.get(entity_id)
    assert found is not None
    return found.state


def moment(hass: HomeAssistant, entity_id: str) -> datetime:
    return datetime.fromisoformat(state(hass, entity_id))


async def test_too_early_is_refused_with_the_next_time_unless_overridden(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass, PARACETAMOL)
    events = async_capture_events(hass, f"{DOMAIN}_dose_recorded")
    given = await dose(hass)
    # Without an amount, the medicine's usual one.
    assert given == {
        "member": "Mia",
        "medicine": "Paracetamol",
        "given_at": local("2026-03-10 10:00").isoformat(),
        "amount": 500,
        "unit": "mg",
        "overridden": False,
        "next_allowed": local("2026-03-10 14:00").isoformat(),
    }
    assert events[0].data["next_allowed"] == given["next_allowed"]

    await move_to(hass, freezer, local("2026-03-10 12:30"))
    err = await refused(hass, entry)
    assert err.translation_key == "dose_too_early_interval"
    assert err.translation_placeholders is not None
    assert err.translation_placeholders["allowed_at"] == "2026-03-10 14:00"
    assert "2026-03-10 14:00" in str(err)

    overridden = await dose(hass, amount=250, override=True)
    assert overridden["overridden"] is True
    assert overridden["amount"] == 250
    assert overridden["next_allowed"] == local("2026-03-10 16:30").isoformat()
    assert events[-1].data["overridden"] is True
    # An override that was not needed is not marked.
    await move_to(hass, freezer, local("2026-03-10 17:00"))
    assert (await dose(hass, override=True))["overridden"] is False


async def test_rolling_24_hours_across_the_spring_change_and_a_late_record(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    # Berlin springs forward at 02:00 on 29 March 2026: that night has 23 hours.
    freezer.move_to(local("2026-03-28 20:00"))
    entry = await setup(hass, medicine("Paracetamol", 4, 3))
    await dose(hass)
    await move_to(hass, freezer, local("2026-03-29 00:00"))
    await dose(hass)
    # 05:00 CEST is 4 real hours after 00:00 CET.
    await move_to(hass, freezer, local("2026-03-29 05:00"))
    await dose(hass)

    await move_to(hass, freezer, local("2026-03-29 10:00"))
    err = await refused(hass, entry)
    assert err.translation_key == "dose_too_early_daily_limit"
    assert err.translation_placeholders is not None
    # 24 real hours after 20:00 CET is 21:00 CEST, not 20:00.
    assert err.translation_placeholders["allowed_at"] == "2026-03-29 21:00"

    # Recorded late, between two doses given: checked against the later one too.
    err = await refused(hass, entry, given_at=local("2026-03-28 22:00").isoformat())
    assert err.translation_key == "dose_too_early_interval"
    assert moment(hass, NEXT_DOSE) == local("2026-03-29 21:00")


async def test_unknown_names_and_a_future_time_change_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass, PARACETAMOL)
    assert (await refused(hass, entry, medicine="Aspirin")).translation_key == (
        "unknown_medicine"
    )
    assert (await refused(hass, entry, member="Zoe")).translation_key == (
        "unknown_member"
    )
    # A medicine is not a member, nor a member a medicine.
    assert (await refused(hass, entry, member="Paracetamol")).translation_key == (
        "unknown_member"
    )
    err = await refused(hass, entry, given_at=local("2026-03-10 11:00").isoformat())
    assert err.translation_key == "dose_in_future"
    err = await refused(hass, entry, amount=0)
    assert err.translation_key == "out_of_range"
    assert state(hass, NEXT_DOSE) == "unknown"


async def test_next_dose_sensor_follows_doses_and_its_timer(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    await setup(hass, PARACETAMOL, IBUPROFEN)
    assert state(hass, NEXT_DOSE) == "unknown"
    assert attributes(hass, NEXT_DOSE)["medicines"] == []
    await dose(hass)
    await move_to(hass, freezer, local("2026-03-10 11:00"))
    await dose(hass, medicine="Ibuprofen")
    # The earliest of the two: paracetamol at 14:00, ibuprofen at 17:00.
    assert moment(hass, NEXT_DOSE) == local("2026-03-10 14:00")
    medicines = attributes(hass, NEXT_DOSE)["medicines"]
    assert [item["medicine"] for item in medicines] == ["Paracetamol", "Ibuprofen"]
    assert medicines[1] == {
        "medicine": "Ibuprofen",
        "next_allowed": local("2026-03-10 17:00").isoformat(),
        "last_given": local("2026-03-10 11:00").isoformat(),
        "doses_in_24h": 1,
        "max_per_day": 3,
    }

    # A reading wakes the member's temperature entities, not this sensor.
    updated = hass.states.get(NEXT_DOSE)
    assert updated is not None
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 37.0})
    assert hass.states.get(NEXT_DOSE) == updated

    changes: list[Event] = []
    hass.bus.async_listen(
        "state_changed",
        lambda event: (
            changes.append(event) if event.data["entity_id"] == NEXT_DOSE else None
        ),
    )
    # Passing the allowed time changes nothing: the time was said already.
    await move_to(hass, freezer, local("2026-03-10 15:00"))
    assert changes == []
    # 24 hours after its dose, paracetamol drops out (a timer, no polling).
    await move_to(hass, freezer, local("2026-03-11 10:00:01"))
    assert len(changes) == 1
    assert moment(hass, NEXT_DOSE) == local("2026-03-10 17:00")
    await move_to(hass, freezer, local("2026-03-11 11:00:01"))
    assert state(hass, NEXT_DOSE) == "unknown"
    assert len(changes) == 2


async def test_doses_in_24h_drops_each_dose_24_hours_after_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 08:00"))
    entry = await setup(hass, PARACETAMOL)
    for given in ("08:00", "14:00", "20:00"):
        await move_to(hass, freezer, local(f"2026-03-10 {given}"))
        await dose(hass)

    def counted() -> int:
        (shown,) = attributes(hass, NEXT_DOSE)["medicines"]
        count: int = shown["doses_in_24h"]
        return count

    assert counted() == 3
    # The 08:00 dose drops out at 08:00 next day, by a timer (no polling):
    # only the clock moves, no service is called.
    await move_to(hass, freezer, local("2026-03-11 07:59"))
    assert counted() == 3
    await move_to(hass, freezer, local("2026-03-11 09:00"))
    assert counted() == 2
    # Timed again after a restart, from the doses kept.
    await reload(hass, entry)
    await move_to(hass, freezer, local("2026-03-11 14:00:01"))
    assert counted() == 1
    await move_to(hass, freezer, local("2026-03-11 20:00:01"))
    assert state(hass, NEXT_DOSE) == "unknown"


async def test_doses_survive_a_restart_and_show_in_the_fever_episode(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 08:00"))
    entry = await setup(hass, PARACETAMOL)
    # Before the fever: on record, but not in the episode.
    await dose(hass)
    await move_to(hass, freezer, local("2026-03-10 13:00"))
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.6})
    assert state(hass, FEVER) == "on"
    assert attributes(hass, FEVER)["doses"] == []
    await dose(hass, amount=250)
    episode_doses = [
        {
            "medicine": "Paracetamol",
            "given_at": local("2026-03-10 13:00").isoformat(),
            "amount": 250,
            "unit": "mg",
            "overridden": False,
        }
    ]
    assert attributes(hass, FEVER)["doses"] == episode_doses

    await reload(hass, entry)
    assert attributes(hass, FEVER)["doses"] == episode_doses
    assert moment(hass, NEXT_DOSE) == local("2026-03-10 17:00")
    doses = entry.runtime_data.doses
    assert [
        item.given_at
        for item in doses.doses_for("member_mia", local("2026-03-10 00:00"))
    ] == [local("2026-03-10 08:00"), local("2026-03-10 13:00")]
    assert all(isinstance(item, Dose) for item in doses.doses_for("member_mia"))
    assert doses.doses_for("member_leo") == []
    # Diagnostics say how many, never which medicine.
    diagnostics = await async_get_config_entry_diagnostics(hass, entry)
    assert diagnostics["medicines"] == 1
    assert [item["doses_recorded"] for item in diagnostics["members"].values()] == [
        2,
        0,
    ]
    assert "Paracetamol" not in str(diagnostics)
    # After the restart the spacing still counts the doses given.
    err = await refused(hass, entry)
    assert err.translation_key == "dose_too_early_interval"


@pytest.fixture
def leo_phone(hass: HomeAssistant) -> list[ServiceCall]:
    """Leo's phone, Mia's caregiver."""
    return async_mock_service(hass, "notify", "mobile_app_leo")


def _dose_messages(calls: list[ServiceCall]) -> list[str]:
    return [
        item.data["message"]
        for item in calls
        if item.data["data"]["tag"].startswith(f"{DOMAIN}_dose_")
    ]


async def test_reminder_once_when_allowed_while_the_fever_persists(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, leo_phone: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass, PARACETAMOL, dose_reminder=True)
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.9})
    await dose(hass)
    await move_to(hass, freezer, local("2026-03-10 13:59"))
    assert _dose_messages(leo_phone) == []
    await move_to(hass, freezer, local("2026-03-10 14:00:01"))
    assert _dose_messages(leo_phone) == [
        "Mia still has a fever. By your settings, Paracetamol may be given again "
        "since 14:00."
    ]
    # Not again: later, nor after a restart.
    await move_to(hass, freezer, local("2026-03-10 16:00"))
    await reload(hass, entry)
    await move_to(hass, freezer, local("2026-03-10 18:00"))
    assert len(_dose_messages(leo_phone)) == 1


async def test_a_member_without_caregivers_is_reminded_on_their_own_phone(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    ada_phone = async_mock_service(hass, "notify", "mobile_app_ada")
    family = async_mock_service(hass, "notify", "mobile_app_family")
    # Ada has her own phone; Ben has no phone and, as Ada, no caregivers.
    await setup_household(
        hass,
        PARACETAMOL,
        members=(
            member("Ada", notify_targets=["notify.mobile_app_ada"]),
            member("Ben"),
        ),
        options={
            "dose_reminder": True,
            "household_targets": ["notify.mobile_app_family"],
        },
    )
    for name in ("Ada", "Ben"):
        await call(hass, "record_temperature", {"member": name, "temperature": 38.9})
        await dose(hass, member=name)
    await move_to(hass, freezer, local("2026-03-10 14:00:01"))
    # A medicine's name can tell an illness: it goes to Ada's phone only.
    assert _dose_messages(ada_phone) == [
        "Ada still has a fever. By your settings, Paracetamol may be given again "
        "since 14:00."
    ]
    # Ben can only be told through the household's shared targets: without it.
    assert _dose_messages(family) == [
        "Ben still has a fever. By your settings, a medicine Ben was given may be "
        "given again since 14:00."
    ]
    assert not any("Paracetamol" in item.data["message"] for item in family)


async def test_no_reminder_once_the_fever_ended_nor_when_off(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, leo_phone: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    # The episode ends two hours after the last fever reading.
    entry = await setup(hass, PARACETAMOL, dose_reminder=True, episode_end_hours=2)
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.9})
    await dose(hass)
    await move_to(hass, freezer, local("2026-03-10 12:00:01"))
    assert state(hass, FEVER) == "off"
    await move_to(hass, freezer, local("2026-03-10 14:00:01"))
    assert _dose_messages(leo_phone) == []

    # Off (the default): no reminder even while the fever persists.
    hass.config_entries.async_update_entry(entry, options={})
    await hass.async_block_till_done()
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.9})
    await dose(hass)
    await move_to(hass, freezer, local("2026-03-10 18:00:01"))
    assert state(hass, FEVER) == "on"
    assert _dose_messages(leo_phone) == []


async def test_a_medicine_added_changed_and_deleted_live(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass)
    registry = er.async_get(hass)
    entities = set(registry.entities)
    mia_temperature = hass.states.get("sensor.mia_body_temperature")
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_MEDICINE), context={"source": "user"}
    )
    assert result["type"] == "menu"
    assert result["menu_options"] == ["custom", "paracetamol", "ibuprofen"]
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "paracetamol"}
    )
    assert result["step_id"] == "medicine"
    # The example is prefilled, to check against the package.
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description
    }
    assert suggested == {
        "name": "Paracetamol",
        "min_interval_hours": 4,
        "max_per_day": 4,
        "usual_amount": 500,
        "amount_unit": "mg",
    }
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], suggested | {"max_per_day": 4.0}
    )
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    (medicine_id,) = [
        subentry_id
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_MEDICINE
    ]
    assert entry.subentries[medicine_id].data["max_per_day"] == 4
    # No entities of its own, no reload: the others are untouched.
    assert set(registry.entities) == entities
    assert hass.states.get("sensor.mia_body_temperature") == mia_temperature
    await dose(hass)
    assert moment(hass, NEXT_DOSE) == local("2026-03-10 14:00")

    # Reconfigure: a longer interval moves the next dose at once.
    result = await entry.start_subentry_reconfigure_flow(hass, medicine_id)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Paracetamol", "min_interval_hours": 6, "max_per_day": 4},
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert moment(hass, NEXT_DOSE) == local("2026-03-10 16:00")
    assert "usual_amount" not in entry.subentries[medicine_id].data

    # A second medicine of the same name is refused.
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, SUBENTRY_MEDICINE), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"next_step_id": "custom"}
    )
    # From scratch, nothing is prefilled.
    assert not any(key.description for key in result["data_schema"].schema)
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "paracetamol", "min_interval_hours": 4, "max_per_day": 4},
    )
    assert result["errors"] == {"name": "name_exists"}

    # Deleted: its doses stay on record, the sensor no longer counts it.
    assert hass.config_entries.async_remove_subentry(entry, medicine_id)
    await hass.async_block_till_done()
    assert state(hass, NEXT_DOSE) == "unknown"
    assert [
        item.medicine for item in entry.runtime_data.doses.doses_for("member_mia")
    ] == ["Paracetamol"]
    assert set(registry.entities) == entities
    assert (
        entry.runtime_data.doses.doses_for(
            "member_mia", end=datetime(2026, 1, 1, tzinfo=UTC)
        )
        == []
    )


async def test_a_stored_dose_that_cannot_be_read_is_kept(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_storage: dict[str, Any]
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass, PARACETAMOL)
    await dose(hass)
    assert await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["doses"]
    broken = {"medicine_id": "medicine_paracetamol", "given_at": "yesterday"}
    stored["members"]["member_mia"].append(broken)
    stored["handled"] = {"member_mia": ["not", "a", "mapping"]}

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # The dose that can be read still counts.
    assert moment(hass, NEXT_DOSE) == local("2026-03-10 14:00")
    await move_to(hass, freezer, local("2026-03-10 12:00"))
    await dose(hass, override=True)
    assert await hass.config_entries.async_unload(entry.entry_id)
    kept = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["doses"]["members"]
    assert len(kept["member_mia"]) == 3
    assert broken in kept["member_mia"]


async def test_reminder_turned_on_in_the_options_reminds_from_then_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, leo_phone: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass, PARACETAMOL, IBUPROFEN)
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.9})
    await dose(hass, medicine="Ibuprofen")
    await move_to(hass, freezer, local("2026-03-10 13:00"))
    await dose(hass)

    # Off by default; turned on in Configure → Health at 16:30, after
    # ibuprofen was allowed (16:00) and before paracetamol is (17:00).
    await move_to(hass, freezer, local("2026-03-10 16:30"))
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "health"}
    )
    suggested = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    assert suggested["dose_reminder"] is False
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], suggested | {"dose_reminder": True}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "save"}
    )
    await hass.async_block_till_done()
    assert entry.options["dose_reminder"] is True
    # Ibuprofen's time had passed: not reminded of it now, nor after a restart.
    assert _dose_messages(leo_phone) == []
    await reload(hass, entry)
    assert _dose_messages(leo_phone) == []
    await move_to(hass, freezer, local("2026-03-10 17:00:01"))
    assert _dose_messages(leo_phone) == [
        "Mia still has a fever. By your settings, Paracetamol may be given again "
        "since 17:00."
    ]


async def test_an_interval_longer_than_a_day_keeps_counting(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass, medicine("Paracetamol", 36, 1))
    await dose(hass)
    # Past 24 hours, still shown until it is allowed again.
    await move_to(hass, freezer, local("2026-03-11 12:00"))
    assert moment(hass, NEXT_DOSE) == local("2026-03-11 22:00")
    err = await refused(hass, entry)
    assert err.translation_key == "dose_too_early_interval"
    assert err.translation_placeholders is not None
    assert err.translation_placeholders["allowed_at"] == "2026-03-11 22:00"
    # Recorded late, 30 hours before the first: too close to it as well.
    err = await refused(hass, entry, given_at=local("2026-03-09 04:00").isoformat())
    assert err.translation_placeholders is not None
    assert err.translation_placeholders["allowed_at"] == "2026-03-11 22:00"
    # Allowed again and more than 24 hours on: it no longer counts.
    await move_to(hass, freezer, local("2026-03-11 22:00:01"))
    assert state(hass, NEXT_DOSE) == "unknown"
    assert (await dose(hass))["next_allowed"] == local(
        "2026-03-13 10:00:01"
    ).isoformat()


async def test_a_reminder_held_through_quiet_hours_is_dropped_when_the_fever_ends(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, leo_phone: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-10 21:00"))
    await setup(
        hass,
        PARACETAMOL,
        dose_reminder=True,
        episode_end_hours=6,
        quiet_start="22:00:00",
        quiet_end="07:00:00",
    )
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.9})
    await dose(hass)
    # Allowed at 01:00, in quiet hours: held for the morning.
    await move_to(hass, freezer, local("2026-03-11 01:00:01"))
    assert _dose_messages(leo_phone) == []
    # The fever is over at 03:00: by the morning nobody needs telling.
    await move_to(hass, freezer, local("2026-03-11 03:00:01"))
    assert state(hass, FEVER) == "off"
    await move_to(hass, freezer, local("2026-03-11 07:00:01"))
    assert _dose_messages(leo_phone) == []
    assert not any("Paracetamol" in item.data["message"] for item in leo_phone), (
        "the morning summary left it out too"
    )


async def test_a_shorter_interval_set_later_sends_no_late_reminder(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, leo_phone: list[ServiceCall]
) -> None:
    freezer.move_to(local("2026-03-10 10:00"))
    entry = await setup(hass, medicine("Paracetamol", 6, 4), dose_reminder=True)
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.9})
    await dose(hass)
    # At 15:00 the interval becomes 4 hours: allowed since 14:00, already past.
    await move_to(hass, freezer, local("2026-03-10 15:00"))
    hass.config_entries.async_update_subentry(
        entry,
        entry.subentries["medicine_paracetamol"],
        data={"min_interval_hours": 4, "max_per_day": 4},
    )
    await hass.async_block_till_done()
    assert moment(hass, NEXT_DOSE) == local("2026-03-10 14:00")
    await reload(hass, entry)
    await move_to(hass, freezer, local("2026-03-10 17:00"))
    assert _dose_messages(leo_phone) == []
