"""Undo: the last completion shows ticked until midnight; unticking takes it back."""

from copy import deepcopy
from datetime import UTC, date, datetime, timedelta
import json
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain.chore import Chore, ChoreSettings, ChoreState
from custom_components.auto_home.domain.schedule import Recurrence, Rotation

from .chore_helpers import attributes, call, local, move_to, reload, setup_household
from .conftest import chore

TZ = ZoneInfo("Europe/Berlin")
DISHES = "sensor.dishes_next_due"
KEYS = ("status", "assignee", "last_completed", "last_completed_by", "streak")


@given(
    st.sampled_from(list(Rotation)),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=0, max_value=6),
    st.lists(st.booleans(), max_size=6),
    st.integers(min_value=0, max_value=23),
)
def test_complete_then_undo_is_what_was_before(
    rotation: Rotation, interval: int, offset: int, history: list[bool], hour: int
) -> None:
    settings = ChoreSettings(
        rule=Recurrence.from_dict(
            {"kind": "daily", "start": "2026-11-01", "interval": interval}
        ),
        assignees=("a", "b", "c"),
        rotation=rotation,
    )
    now = datetime(2026, 11, 2, hour, tzinfo=TZ).astimezone(UTC)
    chore = Chore(settings, None, TZ, now, ["a", "b", "c"])
    # Some history first: completions (True) and skips (False), days apart.
    for done in history:
        now += timedelta(days=offset + 1)
        if done:
            chore.complete(now, now, None)
        else:
            chore.skip(now)
    before = deepcopy(chore.state.as_dict() | {"undo": None})
    if chore.complete(now, now, "b") is None:
        # Already done: nothing changed.
        assert chore.state.as_dict() | {"undo": None} == before
        return
    # Stored as the state before, and restored from the store as it was.
    stored = json.loads(json.dumps(chore.state.as_dict()))
    assert stored["undo"]["before"] == before
    restored = Chore(settings, ChoreState.from_dict(stored), TZ, now, ["a", "b", "c"])
    assert restored.undo(now)
    assert restored.state.as_dict() == before
    assert chore.undoable(now)
    assert chore.undo(now)
    assert chore.state.as_dict() == before
    assert not chore.undo(now)
    # Undone twice over: the first undo shared nothing that changed since.
    assert chore.complete(now, now, "a") is not None
    assert chore.undo(now)
    assert chore.state.as_dict() == before


def test_undo_ends_at_local_midnight() -> None:
    settings = ChoreSettings(
        rule=Recurrence.from_dict({"kind": "daily", "start": "2026-11-01"}),
        assignees=("a",),
    )
    now = datetime(2026, 11, 2, 23, 59, tzinfo=TZ).astimezone(UTC)
    chore = Chore(settings, None, TZ, now, ["a"])
    assert chore.complete(now, now, None) is not None
    midnight = datetime.combine(date(2026, 11, 3), datetime.min.time(), TZ)
    assert chore.next_change(now) == midnight.astimezone(UTC)
    assert chore.undoable(midnight - timedelta(seconds=1))
    assert not chore.undo(midnight)


async def _items(hass: HomeAssistant, entity_id: str = "todo.chores") -> list[Any]:
    response = await hass.services.async_call(
        TODO_DOMAIN,
        "get_items",
        {},
        target={"entity_id": entity_id},
        blocking=True,
        return_response=True,
    )
    return [(item["uid"], item["status"]) for item in response[entity_id]["items"]]


async def _set(hass: HomeAssistant, uid: str, status: str) -> None:
    await hass.services.async_call(
        TODO_DOMAIN,
        "update_item",
        {"item": uid, "status": status},
        target={"entity_id": "todo.chores"},
        blocking=True,
    )
    await hass.async_block_till_done()


async def test_untick_undoes_exactly_across_a_restart(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(
        hass,
        chore(
            "Dishes",
            recurrence="daily",
            start_date="2026-11-23",
            assignees=["member_mia", "member_leo"],
        ),
        chore("Sweep", recurrence="daily", start_date="2026-11-23"),
    )
    await call(hass, "complete_chore", {"chore": "Dishes", "member": "Leo"})
    await move_to(hass, freezer, local("2026-11-24 09:00"))
    before = {key: attributes(hass, DISHES)[key] for key in KEYS}
    before_due = hass.states.get(DISHES).state
    before_counts = attributes(hass, DISHES)["completions"]
    assert before["streak"] == 1

    await _set(hass, "Dishes", "completed")
    assert attributes(hass, DISHES)["streak"] == 2
    # Ticked, after the open ones, on the household's and the member's list.
    assert await _items(hass) == [
        ("chore_sweep", "needs_action"),
        ("chore_dishes.done", "completed"),
    ]
    assert await _items(hass, "todo.leo_chores") == [("chore_dishes.done", "completed")]

    # A restart in between: the undo is kept.
    await reload(hass, entry)
    await move_to(hass, freezer, local("2026-11-24 22:00"))
    await _set(hass, "chore_dishes.done", "needs_action")
    assert {key: attributes(hass, DISHES)[key] for key in KEYS} == before
    assert hass.states.get(DISHES).state == before_due
    assert attributes(hass, DISHES)["completions"] == before_counts
    # Back on the list (after Sweep, overdue since yesterday).
    assert await _items(hass) == [
        ("chore_sweep", "needs_action"),
        ("chore_dishes", "needs_action"),
    ]
    # Undone once: the ticked item is gone, the one before is not undoable.
    with pytest.raises(ServiceValidationError):
        await _set(hass, "chore_dishes.done", "needs_action")
    assert {key: attributes(hass, DISHES)[key] for key in KEYS} == before


async def test_the_done_item_leaves_at_midnight(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(
        hass,
        chore("Bins", recurrence="weekly", weekdays=["mon"], start_date="2026-11-23"),
    )
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert await _items(hass) == [("chore_bins.done", "completed")]
    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    assert await _items(hass) == []
    # Too late to undo: the item is gone, nothing changes.
    with pytest.raises(ServiceValidationError):
        await _set(hass, "chore_bins.done", "needs_action")
    assert attributes(hass, "sensor.bins_next_due")["streak"] == 1
