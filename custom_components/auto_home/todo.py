"""The chores as To-do lists: the household's, and one per member."""

from typing import cast, override

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
from .views import ChoreView, HouseholdView

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


def _done_item(chore: ChoreView) -> TodoItem:
    return TodoItem(
        summary=chore.title,
        uid=f"{chore.subentry_id}{DONE_SUFFIX}",
        status=TodoItemStatus.COMPLETED,
    )


class _ChoreItems(TodoListEntity):
    """An item per chore that is due, overdue, or upcoming within its window."""

    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM | TodoListEntityFeature.DELETE_TODO_ITEM
    )
    coordinator: AutoHomeCoordinator
    # Items as last built: a change rebuilds only those of its chore.
    _built_open: BuiltPerChore[TodoItem] | None = None
    _built_done: BuiltPerChore[TodoItem] | None = None
    # The list as last built, and the chores' generation then (Home Assistant
    # reads it twice per write).
    _items: tuple[int, list[TodoItem]] | None = None

    def _on(self, shelf: Shelf) -> list[ChoreView]:
        """Return the chores of this list on a shelf (open or undoable)."""
        raise NotImplementedError

    def _generation(self) -> int:
        """Return the chores' generation."""
        raise NotImplementedError

    @property
    @override
    def todo_items(self) -> list[TodoItem]:
        """Return the chores to do, soonest first, then those just done."""
        generation = self._generation()
        if self._items is not None and self._items[0] == generation:
            return self._items[1]
        if self._built_open is None or self._built_done is None:
            self._built_open, self._built_done = BuiltPerChore(), BuiltPerChore()
        # Completed ones after the open ones: unticking one undoes it.
        items = self._built_open.of(
            self._on(Shelf.OPEN), self._open_item
        ) + self._built_done.of(self._on(Shelf.UNDOABLE), _done_item)
        self._items = (generation, items)
        return items

    def _open_item(self, chore: ChoreView) -> TodoItem:
        return TodoItem(
            summary=chore.title,
            uid=chore.subentry_id,
            status=TodoItemStatus.NEEDS_ACTION,
            due=chore.due,
            description=chore_description(self.hass, chore, chore.occurrence, None),
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

    @override
    def _on(self, shelf: Shelf) -> list[ChoreView]:
        return self.view.on(shelf)

    @override
    def _generation(self) -> int:
        return self.view.chores_generation


class MemberChoreList(MemberEntity, _ChoreItems):
    """The chores a member is on, on the member's device."""

    @property
    @override
    def listener_key(self) -> str:
        """Follow the chores assigned to the member only."""
        return assignee_key(self.subentry_id)

    @override
    def _on(self, shelf: Shelf) -> list[ChoreView]:
        """Return the member's open chores, or those the member did last."""
        return self.view.on(shelf)

    @override
    def _generation(self) -> int:
        return self.view.chores_generation
