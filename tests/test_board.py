"""The chore board: each list as a full re-sort of every chore would give it."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, strategies as st

from custom_components.auto_home.domain.board import ChoreBoard, Placement, Shelf

T0 = datetime(2026, 11, 23, tzinfo=UTC)
CHORES = [f"chore_{index}" for index in range(6)]
MEMBERS = [None, "mia", "leo"]

placements = st.builds(
    Placement,
    # Few distinct times: ties must keep the household's order.
    due_at=st.integers(0, 3).map(lambda hours: T0 + timedelta(hours=hours)),
    starts_at=st.integers(0, 3).map(lambda hours: T0 + timedelta(hours=hours)),
    assignee=st.sampled_from(MEMBERS),
    due=st.booleans(),
    open=st.booleans(),
    undoable=st.booleans(),
    done_by=st.sampled_from(MEMBERS),
)
steps = st.lists(
    st.tuples(st.sampled_from(CHORES), st.none() | placements), max_size=40
)


def _expected(
    placed: dict[str, Placement], shelf: Shelf, member: str | None
) -> list[str]:
    """Re-sort every chore, as the lists did before the board."""
    order = list(placed)
    on = [
        chore_id
        for chore_id, placement in placed.items()
        if {
            Shelf.DUE: placement.due,
            Shelf.OPEN: placement.open,
            Shelf.UNDOABLE: placement.undoable,
        }[shelf]
        and (
            member is None
            or member
            == (placement.done_by if shelf is Shelf.UNDOABLE else placement.assignee)
        )
    ]
    if shelf is Shelf.UNDOABLE:
        return on
    return sorted(
        on, key=lambda chore_id: (placed[chore_id].due_at, order.index(chore_id))
    )


@given(steps)
def test_each_list_is_what_a_full_sort_gives(
    changes: list[tuple[str, Placement | None]],
) -> None:
    board = ChoreBoard()
    # A dict keeps the order chores arrived in, as the household's does.
    placed: dict[str, Placement] = {}
    for chore_id, placement in changes:
        before = placed.get(chore_id)
        if placement is None:
            touched = board.remove(chore_id)
            placed.pop(chore_id, None)
        else:
            touched = board.place(chore_id, placement)
            placed[chore_id] = placement
        # Told: every member whose list it was or is on, no other.
        lists = {
            member
            for state in (before, placement)
            if state is not None
            for _, member in state.scopes()
        }
        assert touched == lists
        for shelf in Shelf:
            for member in MEMBERS:
                assert board.on(shelf, member) == _expected(placed, shelf, member)
        assert board.pending.ids() == sorted(
            placed,
            key=lambda chore_id: (
                placed[chore_id].starts_at,
                list(placed).index(chore_id),
            ),
        )


def test_a_list_handed_out_never_changes() -> None:
    board = ChoreBoard()
    placement = Placement(T0, T0, None, True, True, False, None)
    board.place("chore_0", placement)
    handed_out = board.on(Shelf.DUE)
    board.place("chore_1", placement)
    board.remove("chore_0")
    assert handed_out == ["chore_0"]
    assert board.on(Shelf.DUE) == ["chore_1"]
