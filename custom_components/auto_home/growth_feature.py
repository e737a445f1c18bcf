"""Children's growth: the WHO tables, and the midnights a child's age steps on.

Nothing is stored: a percentile is of a reading at the age it was taken, so
it never ages; what changes with the days is which entities a child has (and
which are on by default), and that only at a few birthdays, each timed once.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.util import dt as dt_util

from .const import CONF_BIRTH_DATE, SUBENTRY_MEMBER
from .domain.growth import (
    GrowthResult,
    GrowthTables,
    Indicator,
    age_days,
    load_who_tables,
    next_age_step,
)
from .feature import HouseholdFeature
from .subentries import birth_date_of, sex_of

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator


class GrowthFeature(HouseholdFeature):
    """Scores children's readings and times the days their age steps on.

    Not one of the stored features: it has nothing to save.
    """

    key = "growth"

    def __init__(
        self, coordinator: AutoHomeCoordinator, entry: AutoHomeConfigEntry
    ) -> None:
        """Initialize without tables: they are read on load."""
        super().__init__(coordinator, entry)
        self.tables: GrowthTables | None = None

    async def async_load_tables(self) -> None:
        """Read the WHO tables (a file) off the event loop."""
        self.tables = await self.hass.async_add_executor_job(load_who_tables)

    def assess(
        self, member_id: str, indicator: Indicator, measured_at: datetime, value: float
    ) -> GrowthResult | None:
        """Score a weight or BMI measured at `measured_at` at the age it was taken."""
        data = self.entry.subentries[member_id].data
        birth = birth_date_of(data)
        if self.tables is None or birth is None:
            return None
        measured_on = dt_util.as_local(measured_at).date()
        return self.tables.assess(
            indicator, sex_of(data), age_days(birth, measured_on), value
        )

    async def async_start(self) -> None:
        """Time every member's next age step."""
        for member_id in self.subentries():
            self._time_step(member_id)

    def _time_step(self, member_id: str) -> None:
        """Wake at the local midnight the member's age next reaches a step."""
        self.timers.cancel(member_id)
        birth = birth_date_of(self.entry.subentries[member_id].data)
        today = dt_util.now().date()
        if birth is None or (day := next_age_step(birth, max(birth, today))) is None:
            return

        @callback
        def _stepped(_: datetime) -> None:
            self.timers.fired(member_id)
            self._time_step(member_id)
            self.coordinator.async_age_stepped(member_id)

        self.timers.set(
            member_id,
            async_track_point_in_time(
                self.hass, _stepped, dt_util.start_of_local_day(day)
            ),
        )

    async def async_subentry_added(self, subentry: ConfigSubentry) -> None:
        """Time a new member's next age step."""
        if subentry.subentry_type == SUBENTRY_MEMBER:
            self._time_step(subentry.subentry_id)

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Re-time a member whose birth date changed."""
        if subentry.subentry_type == SUBENTRY_MEMBER and before.get(
            CONF_BIRTH_DATE
        ) != subentry.data.get(CONF_BIRTH_DATE):
            self._time_step(subentry.subentry_id)

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Stop timing a deleted member."""
        self.timers.cancel(subentry_id)
