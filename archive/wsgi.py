import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
application = get_wsgi_application()

# The modules, classes and functions loaded so far live as long as the process: moved out of the
# collector's sight, a full collection no longer walks them, which cut the longest pause a search could
# meet from about 0.5 s to a tenth of that (benchmarks/query_fuzz.py).
gc.freeze()
