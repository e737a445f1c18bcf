"""The household's chores as a To-do list."""

from typing import cast, override

from homeassistant.components.todo.const import TodoItemStatus, TodoListEntityFeature
from homeassistant.components.todo.entity import TodoItem, TodoListEntity
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .chore_feature import CHORES
from .const import CONF_DESCRIPTION, DOMAIN
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
        chores = self.coordinator.chores
        now = dt_util.utcnow()
        visible = sorted(
            (
                (chore_id, chore)
                for chore_id, chore in chores.chores.items()
                if chore.visible(now)
            ),
            key=lambda item: item[1].due_at,
        )
        return [
            TodoItem(
                summary=chores.title(chore_id),
                uid=chore_id,
                status=TodoItemStatus.NEEDS_ACTION,
                due=chore.state.day
                if chore.occurrence.all_day and chore.state.snoozed_until is None
                else dt_util.as_local(chore.due_at),
                description=self.coordinator.entry.subentries[chore_id].data.get(
                    CONF_DESCRIPTION
                ),
            )
            for chore_id, chore in visible
        ]

    @override
    async def async_update_todo_item(self, item: TodoItem) -> None:
        """Complete the chore of a checked item; rename it when the item is."""
        chores = self.coordinator.chores
        # The todo services only pass items of this list: their uid is a chore.
        chore_id = cast(str, item.uid)
        if item.summary and item.summary.strip() != chores.title(chore_id):
            chores.rename(chore_id, item.summary)
        if item.status == TodoItemStatus.COMPLETED:
            chores.complete(chore_id)

    @override
    async def async_delete_todo_items(self, uids: list[str]) -> None:
        """Chores are removed from the integration page, not from the list."""
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="chore_delete_refused"
        )
