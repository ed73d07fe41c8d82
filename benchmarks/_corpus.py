"""ANT Corpus v2.1 reader: TREC-like records streamed from the tar.xz, converted to Diwan's JSON Lines import.

The corpus is read straight from the archive with `tarfile` (no unpacking), one member at a time, so a
`--limit 500` run only decompresses what it needs. `--scale K` derives K-1 further copies of every
article deterministically (other dates, other titles, other paragraph order plus one paragraph borrowed
from another article) so that the copies are distinct articles with a realistic vocabulary, not
duplicates that the ingest's content hash would fold together.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

TARBALL = "ant_corpus_v2.1_multisource.tar.xz"

# Display names of the five outlets, as an Arabic reader knows them (they become the `source` facet).
SOURCES = {
    "skynews": "سكاي نيوز عربية",
    "alarabia": "العربية",
    "france24": "فرانس 24",
    "bbc": "بي بي سي عربي",
    "cnn": "سي إن إن بالعربية",
}

_FIELD = re.compile(r"<(DOCNO|URL|SRC|CAT|TITLE|TIME|AUTHOR|TEXT)>(.*?)</\1>", re.S)
_DOCNO_DATE = re.compile(r"-(\d{8})$")

# Words put in front of the title of a scaled copy: kinds of follow-up a news desk really publishes.
_TITLE_PREFIXES = ("متابعة", "تحديث", "تقرير", "تحليل", "خلفيات", "ردود فعل", "بالتفصيل", "قراءة")


@dataclass(frozen=True)
class Record:
    docno: str
    url: str
    source: str
    category: str
    title: str
    published_on: dt.date | None
    paragraphs: tuple[str, ...]

    @property
    def text_bytes(self) -> int:
        """UTF-8 size of the article text (title and body) as a reader sees it."""
        return len(self.title.encode()) + len("\n\n".join(self.paragraphs).encode())


def corpus_tarball(path: Path) -> Path:
    """Accept the corpus folder or the tarball itself."""
    return path / TARBALL if path.is_dir() else path


def _parse_date(raw: str, docno: str) -> dt.date | None:
    try:
        return email.utils.parsedate_to_datetime(raw.strip()).date()
    except (TypeError, ValueError):
        match = _DOCNO_DATE.search(docno)
        return dt.datetime.strptime(match.group(1), "%Y%m%d").date() if match else None


def parse_record(text: str) -> Record:
    """One `<DOC>`: the format is pseudo-XML (text is not escaped), so tags are found with a regex."""
    fields = {name: value.strip() for name, value in _FIELD.findall(text)}
    docno = fields["DOCNO"]
    src = fields.get("SRC", "").lower()
    paragraphs = tuple(line.strip() for line in fields.get("TEXT", "").splitlines() if line.strip())
    return Record(
        docno=docno,
        url=fields.get("URL", ""),
        source=SOURCES.get(src, src),
        category=fields.get("CAT", ""),
        title=fields.get("TITLE", ""),
        published_on=_parse_date(fields.get("TIME", ""), docno),
        paragraphs=paragraphs,
    )


def read_corpus(path: Path, *, limit: int | None = None) -> Iterator[Record]:
    """Stream records in archive order (sorted by name: outlet, category, number), at most `limit`."""
    count = 0
    with tarfile.open(corpus_tarball(path), "r:xz") as archive:
        for member in archive:
            if not member.isfile() or not member.name.endswith(".txt"):
                continue
            handle = archive.extractfile(member)
            if handle is None:
                continue
            record = parse_record(handle.read().decode("utf-8"))
            if not record.paragraphs:
                continue  # two corpus files have no text: the ingest would rightly reject them
            yield record
            count += 1
            if limit is not None and count >= limit:
                return


def scaled_copy(record: Record, *, copy: int, donor: Record) -> Record:
    """Copy number `copy` (>= 1) of an article: another date, title and body, same language and outlet."""
    paragraphs = record.paragraphs
    shift = copy % len(paragraphs)
    body = paragraphs[shift:] + paragraphs[:shift] + donor.paragraphs[-1:]
    published = record.published_on + dt.timedelta(days=364 * copy) if record.published_on else None
    prefix = _TITLE_PREFIXES[(copy - 1) % len(_TITLE_PREFIXES)]
    return Record(
        docno=f"{record.docno}-x{copy}",
        url=f"{record.url}#x{copy}" if record.url else "",
        source=record.source,
        category=record.category,
        title=f"{prefix}: {record.title}",
        published_on=published,
        paragraphs=body,
    )


def scaled(records: list[Record], *, scale: int) -> Iterator[Record]:
    """The originals, then copy 1 of each, copy 2 of each... (dates move a year further each copy)."""
    yield from records
    total = len(records)
    for copy in range(1, scale):
        for index, record in enumerate(records):
            # A prime stride picks a donor from another outlet/category most of the time.
            donor = records[(index + 7919 * copy) % total]
            yield scaled_copy(record, copy=copy, donor=donor)


def to_jsonl_row(record: Record) -> dict:
    """The import schema of `manage.py ingest` for `.jsonl` files."""
    row = {
        "external_id": f"ant:{record.docno}",
        "title": record.title,
        "body": "\n\n".join(record.paragraphs),
        "source": record.source,
        "url": record.url,
        "language": "ar",
    }
    if record.published_on:
        row["date"] = record.published_on.isoformat()
    return row


def write_jsonl(records: list[Record], *, scale: int, path: Path) -> dict:
    """Write the (scaled) corpus; return counts and raw text size for the index-size ratio."""
    articles = 0
    text_bytes = 0
    with path.open("w", encoding="utf-8") as handle:
        for record in scaled(records, scale=scale):
            handle.write(json.dumps(to_jsonl_row(record), ensure_ascii=False))
            handle.write("\n")
            articles += 1
            text_bytes += record.text_bytes
    return {"articles": articles, "text_bytes": text_bytes, "jsonl_bytes": path.stat().st_size}


def iter_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
