"""The household's chores as a To-do list."""

from typing import cast, override

from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .chore_feature import CHORES
from .const import DOMAIN
from .coordinator import AutoHomeConfigEntry
from .entity import AutoHomeHouseholdEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: AutoHomeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the household's chore list."""
    async_add_entities([ChoreTodoList(entry.runtime_data, CHORES)])


class ChoreTodoList(AutoHomeHouseholdEntity, TodoListEntity):
    """An item per chore that is due, overdue, or upcoming within its window."""

    _attr_supported_features = (
        TodoListEntityFeature.UPDATE_TODO_ITEM | TodoListEntityFeature.DELETE_TODO_ITEM
    )

    @property
    @override
    def todo_items(self) -> list[TodoItem]:
        """Return the chores to do, soonest first."""
        now = dt_util.utcnow()
        visible = sorted(
            (chore for chore in self.view.chores if chore.visible(now)),
            key=lambda chore: chore.due_at,
        )
        return [
            TodoItem(
                summary=chore.title,
                uid=chore.subentry_id,
                status=TodoItemStatus.NEEDS_ACTION,
                due=chore.due,
                description=chore.description,
            )
            for chore in visible
        ]

    @override
    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Complete the chore of a checked item; rename it when the item is."""
        # The todo services only pass items of this list: their uid is a chore.
        chore = self.view.chore(cast(str, item.uid))
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
