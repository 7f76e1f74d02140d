"""English as our readers write it: "7 December 2026, 14:30", day before month, a 24-hour clock.

Django's "en" formats are American ("Dec. 7, 2026, 2:30 p.m.", "12/07/2026"); pages that name
their own format ("j F Y") already wrote British dates, so English pages mixed the two.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
