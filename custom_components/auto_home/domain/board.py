"""Which chores each list shows, kept up to date one chore at a time.

A chore's place on the lists (due today, on the To-do list, undoable) only
changes when the chore is refreshed: at each change and at each of its
timers. The board keeps every list sorted as the chores are placed, so a
change costs the same with 3 chores or 300.
"""

from bisect import bisect_left
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum


class OrderedIndex[K: Hashable]:
    """Ids kept sorted by a key given per id (ties by the id's rank)."""

    __slots__ = ("_entries", "_ids", "_keys", "_order")

    def __init__(self) -> None:
        """Start empty."""
        self._entries: list[tuple[object, int, K]] = []
        self._keys: dict[K, tuple[object, int, K]] = {}
        # The ids of `_entries`, moved with them: a change costs no walk.
        self._order: list[K] = []
        self._ids: list[K] | None = []

    def __contains__(self, item_id: object) -> bool:
        """Return whether the id is in the index."""
        return item_id in self._keys

    def __len__(self) -> int:
        """Return how many ids are in the index."""
        return len(self._keys)

    def put(self, item_id: K, key: object, rank: int) -> bool:
        """Place or move an id; return whether anything changed."""
        entry = (key, rank, item_id)
        if (old := self._keys.get(item_id)) == entry:
            return False
        if old is not None:
            self._take(old)
        index = bisect_left(self._entries, entry)
        self._entries.insert(index, entry)
        self._order.insert(index, item_id)
        self._keys[item_id] = entry
        self._ids = None
        return True

    def discard(self, item_id: K) -> bool:
        """Take an id out; return whether it was in."""
        if (old := self._keys.pop(item_id, None)) is None:
            return False
        self._take(old)
        self._ids = None
        return True

    def _take(self, entry: tuple[object, int, K]) -> None:
        index = bisect_left(self._entries, entry)
        del self._entries[index]
        del self._order[index]

    def ids(self) -> list[K]:
        """Return the ids in order (the same list until the index changes)."""
        if self._ids is None:
            # A copy: a list handed out never changes.
            self._ids = self._order.copy()
        return self._ids


class Shelf(Enum):
    """A list a chore can be on."""

    # Due or overdue now: the "chores due today" sensors.
    DUE = "due"
    # Within its window: the To-do lists' open items.
    OPEN = "open"
    # Its last completion can still be undone: the lists' ticked items.
    UNDOABLE = "undoable"


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a chore shows, as of its last refresh."""

    due_at: datetime
    # Start of the pending occurrence (the calendar's order).
    starts_at: datetime
    assignee: str | None
    due: bool
    open: bool
    undoable: bool
    done_by: str | None

    def scopes(self) -> set[tuple[Shelf, str | None]]:
        """Return the lists it is on: (shelf, member), None for the household's."""
        found: set[tuple[Shelf, str | None]] = set()
        for shelf, on, member in (
            (Shelf.DUE, self.due, self.assignee),
            (Shelf.OPEN, self.open, self.assignee),
            (Shelf.UNDOABLE, self.undoable, self.done_by),
        ):
            if on:
                found.add((shelf, None))
                if member is not None:
                    found.add((shelf, member))
        return found


class ChoreBoard:
    """Every chore's lists, and the household's pending occurrences by start."""

    __slots__ = ("_lists", "_next_rank", "_placed", "_ranks", "pending")

    def __init__(self) -> None:
        """Start with no chores."""
        self._placed: dict[str, Placement] = {}
        # The order chores were first placed in: ties keep the household's order.
        self._ranks: dict[str, int] = {}
        self._next_rank = 0
        self._lists: dict[tuple[Shelf, str | None], OrderedIndex[str]] = {}
        self.pending: OrderedIndex[str] = OrderedIndex()

    def place(self, chore_id: str, placement: Placement) -> set[str | None]:
        """Place a chore; return the members whose lists it was or is on.

        None in the answer stands for the household's own lists.
        """
        if (rank := self._ranks.get(chore_id)) is None:
            rank = self._ranks[chore_id] = self._next_rank
            self._next_rank += 1
        before = self._placed.get(chore_id)
        self._placed[chore_id] = placement
        self.pending.put(chore_id, placement.starts_at, rank)
        was = set() if before is None else before.scopes()
        now = placement.scopes()
        for scope in was - now:
            self._lists[scope].discard(chore_id)
        for scope in now:
            shelf = scope[0]
            key = None if shelf is Shelf.UNDOABLE else placement.due_at
            self._lists.setdefault(scope, OrderedIndex()).put(chore_id, key, rank)
        return {member for _, member in was | now}

    def remove(self, chore_id: str) -> set[str | None]:
        """Take a chore off every list; return the members whose lists it was on."""
        self._ranks.pop(chore_id, None)
        self.pending.discard(chore_id)
        if (before := self._placed.pop(chore_id, None)) is None:
            return set()
        for scope in before.scopes():
            self._lists[scope].discard(chore_id)
        return {member for _, member in before.scopes()}

    def on(self, shelf: Shelf, member: str | None = None) -> list[str]:
        """Return the chores on a list, in order (due time; household order)."""
        if (index := self._lists.get((shelf, member))) is None:
            return []
        return index.ids()
