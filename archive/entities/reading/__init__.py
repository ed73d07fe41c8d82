"""Reading officials, meetings, statements and agenda topics from an article's text.

Pure functions over strings (no Django, no database), so that ingest can run them in worker processes
and outside any transaction; `archive.entities.services` records what they read.
"""
