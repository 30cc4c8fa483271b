# English (British, as the site writes): day before month, 24-hour clock. docs/voice.md.
# Django's names:
DATE_FORMAT = "j M Y"  # 3 Dec 2026
DATETIME_FORMAT = "j M Y, H:i"  # 3 Dec 2026, 18:30
TIME_FORMAT = "H:i"  # 18:30
MONTH_DAY_FORMAT = "j F"  # 3 December
YEAR_MONTH_FORMAT = "F Y"  # December 2026
# One set of formats: the short ones are the same as the others.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# Ours (goingsolo.core.dates):
LONG_DATE_FORMAT = "l j F Y"  # Thursday 3 December 2026
LONG_DATETIME_FORMAT = "l j F Y, H:i"  # Thursday 3 December 2026, 18:30
DAY_FORMAT = "j"  # 3
MONTH_ABBR_FORMAT = "M"  # Dec
# The first day of a month is written like the others: 1 December.
FIRST_DAY_FORMAT = "j"
