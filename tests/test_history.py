"""Reading journals: appends only, old columnar months still read, no loss."""

import asyncio
from datetime import UTC, datetime, timedelta
import errno
import json
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.history import (
    MonthColumns,
    ReadingHistory,
    RowRule,
    encode_lines,
    parse_journal,
)

JUNE = datetime.fromisoformat("2026-06-15T10:00:00+00:00")
KEY = "auto_home.entry.temperature.member_mia"


def _journal(hass: HomeAssistant, month: str) -> Path:
    return Path(hass.config.path(".storage", f"{KEY}.{month}.log"))


async def test_flush_appends_only_new_readings(hass: HomeAssistant) -> None:
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE, 37.0, "oral")
    history.async_add(JUNE + timedelta(minutes=1), 37.1, "oral")
    assert history.has_pending
    assert await history.async_flush() == 1
    assert not history.has_pending
    size = _journal(hass, "2026-06").stat().st_size
    history.async_add(JUNE + timedelta(minutes=2), 37.2, "ear")
    # A back-filled reading goes to its own month's journal.
    history.async_add(JUNE - timedelta(days=20), 36.9, "oral")
    assert await history.async_flush() == 2
    journal = _journal(hass, "2026-06").read_bytes()
    assert journal[size:] == encode_lines([(JUNE.timestamp() + 120, 37.2, "ear")])
    assert await history.async_flush() == 0

    again = ReadingHistory(hass, "entry", "temperature.member_mia")
    june = await again.async_month("2026-06")
    assert june.values == [37.0, 37.1, 37.2]
    assert june.tags == ["oral", "oral", "ear"]
    assert (await again.async_month("2026-05")).values == [36.9]


async def test_month_of_an_earlier_version_is_merged_with_its_journal(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """A month written as one columnar store file keeps its readings, and
    readings added later (back-filled) are read with them, in time order."""
    start = JUNE.timestamp()
    hass_storage[f"{KEY}.2026-06"] = {
        "version": 1,
        "key": f"{KEY}.2026-06",
        "data": {"t": [start, start + 120], "v": [37.0, 37.2], "g": ["oral", "oral"]},
    }
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE + timedelta(minutes=1), 37.1, "ear")
    await history.async_flush()
    june = await ReadingHistory(hass, "entry", "temperature.member_mia").async_month(
        "2026-06"
    )
    assert june.times == [start, start + 60, start + 120]
    assert june.values == [37.0, 37.1, 37.2]

    await history.async_remove(["2026-06"])
    assert f"{KEY}.2026-06" not in hass_storage
    assert not _journal(hass, "2026-06").exists()


async def test_pending_readings_are_part_of_a_month_loaded_later(
    hass: HomeAssistant,
) -> None:
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE, 37.0, "oral")
    june = await history.async_month("2026-06")
    assert june.values == [37.0]
    # Loaded months take new readings in memory as well as in the journal.
    history.async_add(JUNE + timedelta(minutes=1), 37.4, "oral")
    assert june.values == [37.0, 37.4]
    await history.async_flush()
    assert len(_journal(hass, "2026-06").read_text().splitlines()) == 2


async def test_a_failed_write_keeps_the_readings(hass: HomeAssistant) -> None:
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE, 37.0, "oral")
    with (
        patch(
            "custom_components.auto_home.history.os.write",
            side_effect=OSError("No space left on device"),
        ),
        pytest.raises(OSError, match="No space"),
    ):
        await history.async_flush()
    assert history.has_pending
    assert await history.async_flush() == 1
    assert parse_journal(_journal(hass, "2026-06").read_bytes()) == (
        [(JUNE.timestamp(), 37.0, "oral")],
        [],
    )


async def test_a_failed_append_is_taken_back(hass: HomeAssistant) -> None:
    """A batch that fails halfway leaves the journal as it was, so the retry
    writes each reading once."""
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE, 37.0, "oral")
    await history.async_flush()
    before = _journal(hass, "2026-06").read_bytes()
    history.async_add(JUNE + timedelta(minutes=1), 37.1, "oral")
    history.async_add(JUNE + timedelta(minutes=2), 37.2, "oral")
    with (
        patch(
            "custom_components.auto_home.history.os.fsync",
            side_effect=OSError("No space left on device"),
        ),
        pytest.raises(OSError, match="No space"),
    ):
        await history.async_flush()
    assert _journal(hass, "2026-06").read_bytes() == before
    await history.async_flush()
    lines, damaged = parse_journal(_journal(hass, "2026-06").read_bytes())
    assert [value for _, value, _ in lines] == [37.0, 37.1, 37.2]
    assert damaged == []


def test_a_line_torn_by_a_power_cut_is_skipped() -> None:
    data = encode_lines([(1.0, 37.0, "oral"), (2.0, 37.5, "ear")])
    good = [(1.0, 37.0, "oral"), (2.0, 37.5, "ear")]
    assert parse_journal(data + b"[3.0,38.") == (good, [b"[3.0,38."])
    assert parse_journal(b"") == ([], [])
    assert parse_journal(data) == (good, [])
    # Numbers only where numbers go: no booleans, NaN or a missing site.
    bad = b'[true,37.0,"oral"]\n[1.0,NaN,"oral"]\n[1.0,1e999,"oral"]\n[1.0,37.0]\n'
    assert parse_journal(data + bad) == (good, bad.split(b"\n")[:-1])


_LINES = st.lists(
    st.tuples(
        st.floats(0, 2e9, allow_nan=False),
        st.floats(-50, 500, allow_nan=False),
        st.sampled_from(["oral", "ear", "", "sensor.scale"]),
    ),
    max_size=20,
)


@given(lines=_LINES, cut=st.integers(min_value=0))
def test_a_cut_anywhere_costs_at_most_the_line_it_tore(
    lines: list[tuple[float, float, str]], cut: int
) -> None:
    """Whatever the point a power cut stops an append, every line before it
    reads back exactly, and at most one damaged line is left."""
    data = encode_lines(lines)
    torn = data[: cut % (len(data) + 1)]
    good, damaged = parse_journal(torn)
    assert good == lines[: len(good)]
    assert len(damaged) <= 1
    # Every line that was whole is read (a last one may lack only its newline).
    assert len(good) >= torn.count(b"\n")
    assert parse_journal(data) == (lines, [])


def test_merging_journal_lines_keeps_time_order() -> None:
    base = MonthColumns([1.0, 5.0], [36.0, 36.5], ["oral", "oral"])
    merged = MonthColumns.from_lines(base, [(3.0, 37.0, "ear"), (0.5, 35.9, "oral")])
    assert merged.times == [0.5, 1.0, 3.0, 5.0]
    assert merged.values == [35.9, 36.0, 37.0, 36.5]
    assert MonthColumns.from_lines(base, []) is base


async def test_a_month_loaded_while_a_flush_runs_has_every_reading(
    hass: HomeAssistant,
) -> None:
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE, 37.0, "oral")
    await history.async_flush()
    history.async_add(JUNE + timedelta(minutes=1), 37.1, "oral")
    reader = ReadingHistory(hass, "entry", "temperature.member_mia")
    # The same history object: a flush and a first load racing each other.
    flushed, june = await asyncio.gather(
        history.async_flush(), history.async_month("2026-06")
    )
    assert flushed == 1
    assert june.values == [37.0, 37.1]
    assert (await reader.async_month("2026-06")).values == [37.0, 37.1]


async def test_reindexing_a_year_is_one_executor_job(hass: HomeAssistant) -> None:
    """Reading, merging, counting and keeping the newest of a year of months
    is work for the executor, in one job, not for the event loop."""
    months = [datetime(2025, month, 10, tzinfo=UTC) for month in range(1, 13)]
    _journal(hass, "2025-01").parent.mkdir(parents=True, exist_ok=True)
    for at in months:
        # Written out of order, as back-filled readings are.
        _journal(hass, f"{at:%Y-%m}").write_bytes(
            encode_lines(
                [(at.timestamp() + 60 * i, 36.5 + i / 10, "oral") for i in (2, 0, 1)]
            )
        )
    # An earlier version's columnar month, merged with its journal.
    columnar = {"version": 1, "key": "k", "data": {"t": [1.0], "v": [9.0], "g": [""]}}
    await hass.async_add_executor_job(
        Path(hass.config.path(".storage", f"{KEY}.2025-12")).write_text,
        json.dumps(columnar),
    )
    jobs: list[Any] = []
    add_job = hass.async_add_executor_job

    def _counting(target: Any, *args: Any) -> Any:
        jobs.append(target)
        return add_job(target, *args)

    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    with patch.object(hass, "async_add_executor_job", _counting):
        index = await history.async_index(60.0)
    assert len(jobs) == 1
    assert index.months == [f"{at:%Y-%m}" for at in months]
    assert index.readings == 37
    newest = months[-1].timestamp()
    assert index.recent == [(newest + 60, 36.6, "oral"), (newest + 120, 36.7, "oral")]


async def test_a_full_disk_names_the_journal(hass: HomeAssistant) -> None:
    """os.write's ENOSPC carries no file name: the error names the journal,
    which the repair then shows."""
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE, 37.0, "oral")
    with (
        patch(
            "custom_components.auto_home.history.os.write",
            side_effect=OSError(errno.ENOSPC, "No space left on device"),
        ),
        pytest.raises(OSError, match="No space") as raised,
    ):
        await history.async_flush()
    assert raised.value.errno == errno.ENOSPC
    assert raised.value.filename == str(_journal(hass, "2026-06"))


async def test_an_append_that_cannot_be_taken_back_is_logged(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    """If the take-back fails too, the retry writes those lines again: say so."""
    history = ReadingHistory(hass, "entry", "temperature.member_mia")
    history.async_add(JUNE, 37.0, "oral")
    with (
        patch(
            "custom_components.auto_home.history.os.fsync",
            side_effect=OSError(errno.EIO, "I/O error"),
        ),
        patch(
            "custom_components.auto_home.history.os.ftruncate",
            side_effect=OSError(errno.EIO, "I/O error"),
        ),
        pytest.raises(OSError, match="I/O error"),
    ):
        await history.async_flush()
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "could not be taken back" in warning.getMessage()
    assert str(_journal(hass, "2026-06")) in warning.getMessage()


def test_a_journals_rule_is_its_month_and_kind() -> None:
    """December's rows end at January's start; a weight takes any tag."""
    december = RowRule.of(Path("auto_home.e.temperature.m.2026-12.log"))
    assert december.start == datetime(2026, 12, 1, tzinfo=UTC).timestamp()
    assert december.end == datetime(2027, 1, 1, tzinfo=UTC).timestamp()
    assert december.tags is not None
    assert "oral" in december.tags
    assert RowRule.of(Path("auto_home.e.weight.m.2026-06.log")).tags is None
    assert RowRule.of(Path("notes.log")) == RowRule()
