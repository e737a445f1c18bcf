"""When the household's files are written: readings in batches, changes soon."""

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.store import READING_SAVE_DELAY, SAVE_DELAY

START = datetime.fromisoformat("2026-06-15T10:00:00+00:00")


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float):
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


async def test_readings_are_written_in_batches(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A thermometer every minute writes once per READING_SAVE_DELAY, not after
    each reading and not only once it stops; a chore done meanwhile is written
    within seconds, with the readings so far."""
    freezer.move_to(START)
    entry = await setup_entry()
    await _tick(hass, freezer, SAVE_DELAY + 1)
    household = f"{DOMAIN}.{entry.entry_id}"
    month = f"{household}.temperature.member_mia.2026-06"
    minutes = READING_SAVE_DELAY // 60
    for minute in range(minutes + 30):
        if 0 < minute < minutes:
            assert month not in hass_storage
            assert household not in hass_storage, minute
        await hass.services.async_call(
            DOMAIN,
            "record_temperature",
            {"member": "Mia", "temperature": 36.5 + minute % 5 / 10},
            blocking=True,
        )
        if minute == 0:
            # The first reading of a month is noted soon: the month has a file now.
            await _tick(hass, freezer, SAVE_DELAY + 1)
            assert hass_storage.pop(household)["data"]["temperature"]["member_mia"]
            await _tick(hass, freezer, 60 - SAVE_DELAY - 1)
        else:
            await _tick(hass, freezer, 60)
    # Each file an hour after its first unsaved reading (the household's
    # batch started with the second reading, the first had its own write).
    assert len(hass_storage[month]["data"]["t"]) == minutes
    stored = hass_storage[household]["data"]["temperature"]["member_mia"]
    assert stored["readings"] == minutes + 1

    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Water plants"}, blocking=True
    )
    await _tick(hass, freezer, SAVE_DELAY + 1)
    stored = hass_storage[household]["data"]["temperature"]["member_mia"]
    assert stored["readings"] == minutes + 30
    assert len(hass_storage[month]["data"]["t"]) == minutes

    await _tick(hass, freezer, READING_SAVE_DELAY)
    assert len(hass_storage[month]["data"]["t"]) == minutes + 30
