"""Input types shared by the API routers.

``InstantIn`` is a date-time as the API accepts it: the offset must be one that exists on Earth
(-12:00 to +14:00) and the value is stored as UTC (a value without an offset is read as UTC). PostgreSQL refused an offset like ``-21:22``
that Python parses happily, which was a 500 (found by fuzzing the live server, issue 16 item 14);
now it is a 422 naming the field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator

_WEST, _EAST = timedelta(hours=-12), timedelta(hours=14)


def _instant(value: datetime) -> datetime:
    offset = value.utcoffset()
    if offset is None:
        return value.replace(tzinfo=UTC)  # no offset given: read as UTC, as documented
    if not _WEST <= offset <= _EAST:
        raise ValueError("The time-zone offset must be between -12:00 and +14:00.")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("This date is out of range.") from None


InstantIn = Annotated[datetime, AfterValidator(_instant)]
