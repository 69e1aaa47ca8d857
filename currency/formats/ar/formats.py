"""Arabic number formats, over Django's own (which leave thousands ungrouped in Arabic).

Separators follow CLDR's ar-MA with Latin digits, as Django already does: "12.345,50". Django reads
the names defined here first and falls back to its own ar/formats.py for the rest.
"""

NUMBER_GROUPING = 3
