"""The household's chores due today: everyone's, unassigned ones included."""

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from .chore_helpers import attributes, call, local, move_to, setup_household
from .conftest import chore

HOUSEHOLD = "sensor.household_chores_due_today"


def _count(hass: HomeAssistant) -> str:
    state = hass.states.get(HOUSEHOLD)
    assert state is not None
    return state.state


async def test_unassigned_chores_count_for_the_household(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-03-27 10:00"))
    await setup_household(
        hass,
        chore("Dishes", recurrence="daily", start_date="2026-03-27"),
        chore(
            "Bins",
            recurrence="daily",
            start_date="2026-03-27",
            due_time="19:00:00",
            assignees=["member_mia"],
        ),
        chore("Windows", recurrence="daily", start_date="2026-03-30"),
    )
    assert _count(hass) == "2"
    chores = attributes(hass, HOUSEHOLD)["chores"]
    assert [(item["chore"], item["assignee"]) for item in chores] == [
        ("Dishes", None),
        ("Bins", "Mia"),
    ]
    assert attributes(hass, HOUSEHOLD)["unassigned"] == 1
    # Mia's own sensor counts only hers.
    mia = hass.states.get("sensor.mia_chores_due_today")
    assert mia is not None
    assert mia.state == "1"

    await call(hass, "complete_chore", {"chore": "Dishes"})
    assert _count(hass) == "1"
    assert attributes(hass, HOUSEHOLD)["unassigned"] == 0
    # Mia away: Bins is nobody's, still the household's to do.
    await call(hass, "set_away", {"member": "Mia"})
    assert _count(hass) == "1"
    assert attributes(hass, HOUSEHOLD)["unassigned"] == 1
    # The next day both are due again (live, by the chores' own timers).
    await move_to(hass, freezer, local("2026-03-28 00:00:01"))
    assert _count(hass) == "2"
    assert attributes(hass, HOUSEHOLD)["unassigned"] == 2
