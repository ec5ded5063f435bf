"""Legal time: Awb period arithmetic, the Algemene termijnenwet, Regulation 1182/71, dwangsom."""

from keten.time.calendar import (
    CalendarRangeError,
    CalendarSystem,
    LegalCalendar,
    atw_calendar,
    eu_calendar,
)
from keten.time.counting import Counting, Settled, count_period, count_period_array, settle_end
from keten.time.dated import DatedValue, NoValueError, Version
from keten.time.periods import Period, PeriodError, Unit, period_end, period_end_array
from keten.time.trail import Trail, TrailStep, format_day

__all__ = [
    "CalendarRangeError",
    "CalendarSystem",
    "Counting",
    "DatedValue",
    "LegalCalendar",
    "NoValueError",
    "Period",
    "PeriodError",
    "Settled",
    "Trail",
    "TrailStep",
    "Unit",
    "Version",
    "atw_calendar",
    "count_period",
    "count_period_array",
    "eu_calendar",
    "format_day",
    "period_end",
    "period_end_array",
    "settle_end",
]
