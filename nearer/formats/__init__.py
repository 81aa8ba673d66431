"""Date formats per language (``FORMAT_MODULE_PATH``): one way of writing a date in each language.

Templates and Python code name the format (``|date:"DATE_FORMAT"``,
``formats.date_format(d, "MONTH_DAY_FORMAT")``) instead of spelling a pattern, so every page, chart,
report and email writes dates the same way; ``tests/test_date_formats.py`` checks that
nothing spells its own.  Formats Django has and these modules leave out (input formats, number
separators) come from Django's own locale files.
"""
