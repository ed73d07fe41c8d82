"""`makemessages` that also reads the SVG chart templates, whose <title> tooltips are translated strings.

Django's own command reads only .html, .txt and .py files unless told otherwise, so the charts' tooltips
never reached the catalogs and stayed English on Arabic pages.
"""

from django.core.management.commands import makemessages

DEFAULT_EXTENSIONS = ["html", "txt", "py"]
TEMPLATE_EXTENSIONS = ["svg"]


class Command(makemessages.Command):
    def handle(self, *args, **options):
        if options.get("domain", "django") == "django":
            extensions = list(options.get("extensions") or DEFAULT_EXTENSIONS)
            options["extensions"] = extensions + [e for e in TEMPLATE_EXTENSIONS if e not in extensions]
        super().handle(*args, **options)
