"""Back-filled readings into the sensors' own long-term statistics.

A reading recorded with a past `measured_at` (typed in later, or caught up
from a thermometer's recorded states) never was the sensor's state at that
time, so the recorder's hourly statistics of that hour do not have it. The
hour's row of the sensor's own statistic (its entity id, source `recorder`:
the one History and the statistics graph already show) is written again from
Auto Home's journals: mean, min and max of every reading measured in that hour.

The recorder compiles an hour ten seconds after it ends and adds that row
without looking for one; an import queued before would make it fail. Hours
are therefore imported once `COMPILED` has passed after their end: the
recorder's queue runs in order, so the import follows the compilation.
"""

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
import logging
from typing import Final

from homeassistant.components.recorder.models import (
    StatisticData,
    StatisticMeanType,
    StatisticMetaData,
)
from homeassistant.components.recorder.statistics import async_import_statistics
from homeassistant.components.sensor import DOMAIN as SENSOR_DOMAIN
from homeassistant.const import ATTR_UNIT_OF_MEASUREMENT, UnitOfMass, UnitOfTemperature
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import (
    BaseUnitConverter,
    MassConverter,
    TemperatureConverter,
)

from .const import DOMAIN
from .coordinator import AutoHomeCoordinator
from .signals import ReadingAdded
from .views import MemberView

_LOGGER = logging.getLogger(__name__)

# Measured this long before it was recorded: the sensor's state never showed it then.
BACKFILLED: Final = timedelta(minutes=5)
# After an hour ends, the recorder has queued its compilation by then.
COMPILED: Final = timedelta(minutes=5)
# Readings caught up in a burst are imported together.
BATCH_DELAY: Final = 1.0
HOUR: Final = timedelta(hours=1)


async def _temperatures(
    view: MemberView, start: datetime, end: datetime
) -> list[float]:
    return [
        reading.value_c for reading in await view.async_temperature_readings(start, end)
    ]


async def _weights(view: MemberView, start: datetime, end: datetime) -> list[float]:
    return [kg for _, kg in await view.async_weights(start, end)]


type Readings = Callable[[MemberView, datetime, datetime], Awaitable[list[float]]]

# Per kind of reading: its sensor's key, its unit in the journals, the
# converter, and how to read an hour's values from the journals.
SENSORS: Final[dict[str, tuple[str, str, type[BaseUnitConverter], Readings]]] = {
    "temperature": (
        "body_temperature",
        UnitOfTemperature.CELSIUS,
        TemperatureConverter,
        _temperatures,
    ),
    "weight": ("weight", UnitOfMass.KILOGRAMS, MassConverter, _weights),
}


def hour_of(moment: datetime) -> datetime:
    """Return the start of the UTC hour `moment` is in."""
    return dt_util.as_utc(moment).replace(minute=0, second=0, microsecond=0)


class StatisticsImport:
    """Writes the hours of back-filled readings into their sensors' statistics."""

    def __init__(self, coordinator: AutoHomeCoordinator) -> None:
        """Initialize for the household; `async_start` follows its readings."""
        self._hass: HomeAssistant = coordinator.hass
        self._coordinator = coordinator
        # (member id, kind) -> the UTC hours waiting to be imported.
        self._pending: dict[tuple[str, str], set[datetime]] = {}
        self._timer: CALLBACK_TYPE | None = None

    @callback
    def async_start(self) -> None:
        """Follow the readings filed from now on, until the household stops."""
        disconnect = self._coordinator.signals.connect(ReadingAdded, self._added)
        self._coordinator.async_on_shutdown(disconnect)
        self._coordinator.async_on_shutdown(self._cancel)

    @callback
    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer()
            self._timer = None

    def _shown(self, signal: ReadingAdded) -> bool:
        """Return whether the sensor's state shows the reading about when taken."""
        view = MemberView(self._coordinator, signal.member_id)
        latest = view.temperature if signal.kind == "temperature" else view.weight
        # Older than the newest reading: the state never showed it.
        newest = latest is None or latest.measured_at <= signal.measured_at
        return newest and dt_util.utcnow() - signal.measured_at < BACKFILLED

    @callback
    def _added(self, signal: ReadingAdded) -> None:
        if self._shown(signal):
            return
        if "recorder" not in self._hass.config.components:
            return
        self._pending.setdefault((signal.member_id, signal.kind), set()).add(
            hour_of(signal.measured_at)
        )
        self._schedule()

    @callback
    def _schedule(self) -> None:
        self._cancel()
        if not self._pending:
            return
        ready = min(hour for hours in self._pending.values() for hour in hours)
        at = ready + HOUR + COMPILED
        if at <= dt_util.utcnow():
            self._timer = async_call_later(self._hass, BATCH_DELAY, self._async_run)
        else:
            self._timer = async_track_point_in_utc_time(self._hass, self._async_run, at)

    async def _async_run(self, now: datetime) -> None:
        self._timer = None
        for key, hours in list(self._pending.items()):
            ready = {hour for hour in hours if hour + HOUR + COMPILED <= now}
            if not ready:
                continue
            if left := hours - ready:
                self._pending[key] = left
            else:
                del self._pending[key]
            await self._async_import(*key, sorted(ready))
        self._schedule()

    async def _async_import(
        self, member_id: str, kind: str, hours: list[datetime]
    ) -> None:
        """Write the rows of `hours` of a member's sensor of `kind`."""
        if member_id not in self._coordinator.entry.subentries:
            return
        key, unit, converter, readings_of = SENSORS[kind]
        entity_id = er.async_get(self._hass).async_get_entity_id(
            SENSOR_DOMAIN, DOMAIN, f"{member_id}_{key}"
        )
        state = self._hass.states.get(entity_id) if entity_id else None
        if entity_id is None or state is None:
            return
        # The recorder keeps the statistics in the unit the state shows.
        shown = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT) or unit
        view = MemberView(self._coordinator, member_id)
        rows: list[StatisticData] = []
        for hour in hours:
            values = await readings_of(view, hour, hour + HOUR)
            if not values:
                continue
            shown_values = [converter.convert(value, unit, shown) for value in values]
            rows.append(
                StatisticData(
                    start=hour,
                    mean=sum(shown_values) / len(shown_values),
                    min=min(shown_values),
                    max=max(shown_values),
                )
            )
        if not rows:
            return
        metadata = StatisticMetaData(
            has_sum=False,
            mean_type=StatisticMeanType.ARITHMETIC,
            name=None,
            source="recorder",
            statistic_id=entity_id,
            unit_class=converter.UNIT_CLASS,
            unit_of_measurement=shown,
        )
        _LOGGER.debug("Importing %s back-filled hours of %s", len(rows), entity_id)
        async_import_statistics(self._hass, metadata, rows)
