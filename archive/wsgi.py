import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# The modules, classes and functions loaded so far live as long as the process: moved out of the
# collector's sight, a full collection no longer walks them (the longest pause a search met in
# benchmarks/query_fuzz.py went from 0.52 s to 0.23 s).
gc.freeze()
