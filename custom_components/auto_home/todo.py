"""The chores as To-do lists: the household's, and one per member."""

from typing import Self, cast, override

from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import Entity, EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .chore_feature import CHORES, assignee_key
from .const import DOMAIN, SUBENTRY_MEMBER
from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
from .domain.board import Shelf
from .entity import (
    AutoHomeHouseholdEntity,
    BuiltPerChore,
    MemberEntity,
    chore_description,
)
from .views import HouseholdView, MemberView

PARALLEL_UPDATES = 0

MEMBER_CHORES = EntityDescription(key="chores", translation_key="member_chores")
# The uid of a chore's last completion, shown ticked until local midnight.
DONE_SUFFIX = ".done"


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's chore list, and each member's, now and later."""
    async_add_entities([ChoreTodoList(entry.runtime_data, CHORES)])
    entry.runtime_data.async_add_entity_factory(
        Platform.TODO, async_add_entities, _entities_of
    )


def _entities_of(
    coordinator: AutoHomeCoordinator, subentry: ConfigSubentry
) -> list[Entity]:
    if subentry.subentry_type == SUBENTRY_MEMBER:
        return [MemberChoreList(coordinator, subentry, MEMBER_CHORES)]
    return []


class ChoreItem(TodoItem):
    """A chore's To-do item, never changed once built.

    A chore's change builds a new item, and Home Assistant's todo services
    build new items too. Home Assistant copies every item of a list at each
    write, to tell the next write's change: an item nobody changes is its
    own copy.
    """

    def __copy__(self) -> Self:
        """Return the item itself: it never changes."""
        return self


class _ChoreItems(TodoListEntity):
    """An item per chore that is due, overdue, or upcoming within its window."""

    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM | TodoListEntityFeature.DELETE_TODO_ITEM
    )
    coordinator: AutoHomeCoordinator
    # Items as last built: a change rebuilds only those of its chores.
    _built_open: BuiltPerChore[TodoItem] | None = None
    _built_done: BuiltPerChore[TodoItem] | None = None
    # The list as last built, how many of it are open, and the chores'
    # generation then (Home Assistant reads it twice per write).
    _items: tuple[int, int, list[TodoItem]] | None = None

    @property
    def _chores(self) -> HouseholdView | MemberView:
        """Return the view of the list's chores."""
        raise NotImplementedError

    def _built(self) -> tuple[int, int, list[TodoItem]]:
        chores = self._chores
        generation = chores.chores_generation
        if self._items is not None and self._items[0] == generation:
            return self._items
        if self._built_open is None or self._built_done is None:
            self._built_open = BuiltPerChore(self._open_item)
            self._built_done = BuiltPerChore(self._done_item)
        opened = self._built_open.of(chores.ids_on(Shelf.OPEN), chores)
        # Completed ones after the open ones: unticking one undoes it.
        items = opened + self._built_done.of(chores.ids_on(Shelf.UNDOABLE), chores)
        self._items = (generation, len(opened), items)
        return self._items

    @property
    @override
    def todo_items(self) -> list[TodoItem]:
        """Return the chores to do, soonest first, then those just done."""
        return self._built()[2]

    @property
    @override
    def state(self) -> int:
        """Return how many items are to do (the open ones), without a count."""
        return self._built()[1]

    def _open_item(self, chore_id: str) -> TodoItem:
        chore = HouseholdView(self.coordinator).chore(chore_id)
        return ChoreItem(
            summary=chore.title,
            uid=chore_id,
            status=TodoItemStatus.NEEDS_ACTION,
            due=chore.due,
            description=chore_description(self.hass, chore, chore.occurrence, None),
        )

    def _done_item(self, chore_id: str) -> TodoItem:
        return ChoreItem(
            summary=HouseholdView(self.coordinator).chore(chore_id).title,
            uid=f"{chore_id}{DONE_SUFFIX}",
            status=TodoItemStatus.COMPLETED,
        )

    @override
    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Complete the chore of a checked item; rename it when the item is.

        Unticking a completed item undoes that completion.
        """
        # The todo services only pass items of this list: their uid is a chore.
        uid = cast(str, item.uid)
        if uid.endswith(DONE_SUFFIX):
            if item.status == TodoItemStatus.NEEDS_ACTION:
                HouseholdView(self.coordinator).chore(
                    uid.removesuffix(DONE_SUFFIX)
                ).undo()
            return
        chore = HouseholdView(self.coordinator).chore(uid)
        if item.summary and item.summary.strip() != chore.title:
            chore.rename(item.summary)
        if item.status == TodoItemStatus.COMPLETED:
            chore.complete(self._context)

    @override
    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Chores are removed from the integration page, not from the list."""
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="chore_delete_refused"
        )


class ChoreTodoList(AutoHomeHouseholdEntity, _ChoreItems):
    """Every chore of the household."""

    @property
    @override
    def _chores(self) -> HouseholdView:
        return self.view


class MemberChoreList(MemberEntity, _ChoreItems):
    """The chores a member is on (open), or did last (done), on the member's device."""

    @property
    @override
    def listener_key(self) -> str:
        """Follow the chores assigned to the member only."""
        return assignee_key(self.subentry_id)

    @property
    @override
    def _chores(self) -> MemberView:
        return self.view
