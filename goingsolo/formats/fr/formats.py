# French: lowercase days and months, abbreviated months with their full stop ("déc."),
# "18 h 30" with non-breaking spaces, "1er" for the first of the month. docs/voice.md.
# Django's names:
DATE_FORMAT = "j N Y"  # 3 déc. 2026
DATETIME_FORMAT = "j N Y à G\xa0\\h\xa0i"  # 3 déc. 2026 à 18 h 30
TIME_FORMAT = "G\xa0\\h\xa0i"  # 18 h 30, 9 h 05
MONTH_DAY_FORMAT = "j F"  # 3 décembre
YEAR_MONTH_FORMAT = "F Y"  # décembre 2026
# One set of formats: the short ones are the same as the others.
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

# Ours (goingsolo.core.dates):
LONG_DATE_FORMAT = "l j F Y"  # jeudi 3 décembre 2026
LONG_DATETIME_FORMAT = "l j F Y à G\xa0\\h\xa0i"  # jeudi 3 décembre 2026 à 18 h 30
DAY_FORMAT = "j"  # 3
MONTH_ABBR_FORMAT = "N"  # déc. (Django's "M" would give "Déc")
# The first day of a month is "1er": "1er décembre 2026".
FIRST_DAY_FORMAT = "j\\e\\r"
