"""Date filters for the bilingual pages: Gregorian and Hijri dates in the active language.

Usage: ``{% load dates %}`` then ``{{ article.published_on|long_date }}``,
``{{ article.published_on|hijri_date }}`` and, when the analyst prefers Arabic-Indic digits,
``{{ value|digits:"arab" }}``.
"""

from django import template

from archive.web import presenters

register = template.Library()

# The labels of archive.web.presenters, as filters.
register.filter("long_date", presenters.long_date)
register.filter("month_year", presenters.month_year)
register.filter("hijri_date", presenters.hijri_date)
register.filter("digits", presenters.digits, is_safe=True)
