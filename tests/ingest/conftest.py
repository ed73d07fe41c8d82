# The ingest tests read the same seeds and personas as the article tests.
from tests.articles.conftest import _english_messages, editor, ingested_seeds, seed_bytes, seeds_dir  # noqa: F401
