"""Dates and times as each language writes them (FORMAT_MODULE_PATH): docs/voice.md.

Django reads its named formats here (DATE_FORMAT, DATETIME_FORMAT, TIME_FORMAT…), and
`goingsolo.core.dates` the few of ours (LONG_DATE_FORMAT…). What is not here (input
formats, number separators) comes from Django's own locale files.
"""
