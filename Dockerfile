# The Diwan web image: everything is installed at build time, nothing is downloaded when a container starts.
FROM python:3.11-slim-bookworm

RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY archive ./archive
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_DEBUG=1 python manage.py compilemessages --ignore=.venv -v 0

# The server runs as an unprivileged user: the code stays root-owned and read-only to it, and only the data
# folder (a volume: Docker copies this ownership into a new named volume) is its to write.
RUN useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent diwan \
    && mkdir -p /data \
    && chown diwan:diwan /data \
    && chmod 700 /data

ENV ARCHIVE_DATA_DIR=/data
USER diwan
EXPOSE 8000
# One process with threads: the Whoosh index has a single writer, and the searcher is shared between threads.
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py collectstatic --no-input -v 0 && python manage.py ingest seeds/ && python manage.py rebuild_search_index && exec gunicorn archive.wsgi --bind 0.0.0.0:8000 --workers 2 --threads 4"]
