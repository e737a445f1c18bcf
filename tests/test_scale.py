"""Household scale: a chore's change writes only what it changed, with 3 chores or 30."""

from collections import Counter

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import attributes, call, local, open_items
from .conftest import chore, member

# What completing Chore 2 (Mia's, due today) changes: its sensor, the lists it
# was on (household and Mia's To-do lists, due-today counts). Not its button,
# not the calendar (Chore 0's occurrence is still the first), nothing of Leo's.
CHANGED = {
    "sensor.chore_2_next_due",
    "todo.chores",
    "todo.mia_chores",
    "sensor.mia_chores_due_today",
    "sensor.household_chores_due_today",
}


def _household(chores: int) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        subentries_data=[
            member("Mia"),
            member("Leo"),
            *(
                chore(
                    f"Chore {index}",
                    recurrence="daily",
                    start_date="2026-11-23",
                    # Even ones are Mia's, odd ones Leo's.
                    assignees=[f"member_{('mia', 'leo')[index % 2]}"],
                )
                for index in range(chores)
            ),
        ],
    )


def _writes(hass: HomeAssistant) -> Counter[str]:
    """Count each entity's state writes from now on."""
    written: Counter[str] = Counter()

    @callback
    def _count(event: Event) -> None:
        written[event.data["entity_id"]] += 1

    @callback
    def _every(_: object) -> bool:
        return True

    # A write with nothing new is reported, not changed: both count.
    hass.bus.async_listen(EVENT_STATE_CHANGED, _count)
    hass.bus.async_listen(EVENT_STATE_REPORTED, _count, event_filter=_every)
    return written


@pytest.mark.parametrize("chores", [3, 30])
async def test_a_completion_writes_only_what_it_changed(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, chores: int
) -> None:
    freezer.move_to(local("2026-11-23 08:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = _household(chores)
    entry.add_to_hass(hass)
    written = _writes(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # A start writes each entity once: the caught-up state, not a second time.
    assert written
    assert {e: n for e, n in written.items() if n > 1} == {}
    open_before = await open_items(hass, "todo.mia_chores")
    calendar_before = hass.states.get("calendar.chores")

    written.clear()
    await call(hass, "complete_chore", {"chore": "Chore 2"})

    assert set(written) == CHANGED
    assert set(written.values()) == {1}
    # Visible at once, on every list it was on.
    assert attributes(hass, "sensor.chore_2_next_due")["last_completed_by"] == "Mia"
    assert await open_items(hass, "todo.mia_chores") == [
        name for name in open_before if name != "Chore 2"
    ]
    assert "Chore 2" not in await open_items(hass, "todo.chores")
    due = attributes(hass, "sensor.household_chores_due_today")["chores"]
    assert "Chore 2" not in [item["chore"] for item in due]
    assert len(due) == chores - 1
    assert hass.states.get("calendar.chores") == calendar_before


async def test_the_calendar_follows_the_first_occurrence(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 08:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = _household(3)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert attributes(hass, "calendar.chores")["message"] == "Chore 0"
    written = _writes(hass)

    # The first event's chore done: the calendar shows the next one at once.
    await call(hass, "complete_chore", {"chore": "Chore 0"})

    assert "calendar.chores" in written
    assert attributes(hass, "calendar.chores")["message"] == "Chore 1"
    assert "button.chore_0_complete" not in written
