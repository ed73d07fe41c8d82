"""Where articles come from: paths expanded to files, files read into articles or failures."""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from archive.articles.jsonl import IncomingArticle, parse_jsonl_record
from archive.articles.parsing import IngestError, parse_article_bytes

TEXT, JSONL = "text", "jsonl"
FORMATS = (TEXT, JSONL)
_SUFFIXES = {".txt": TEXT, ".jsonl": JSONL}


@dataclass(frozen=True)
class IngestFailure:
    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def expand_paths(paths: Iterable[Path | str], fmt: str | None) -> Iterator[tuple[Path, str] | IngestFailure]:
    """Files with their format; folders give their .txt and .jsonl files (all files with --format).

    A folder that cannot be listed is a failure naming it, not a silent gap in the import.
    """
    for path in map(Path, paths):
        if path.is_dir():
            yield from _folder_files(path, fmt)
        elif path.is_file():
            yield path, fmt or _SUFFIXES.get(path.suffix.lower(), TEXT)
        else:
            yield IngestFailure(str(path), _("no such file or folder"))


def _folder_files(folder: Path, fmt: str | None) -> Iterator[tuple[Path, str] | IngestFailure]:
    unreadable: list[OSError] = []
    found = []
    for root, folders, files in os.walk(folder, onerror=unreadable.append):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in files:
            kind = fmt or _SUFFIXES.get(Path(name).suffix.lower())
            if kind and not name.startswith("."):
                found.append((Path(root) / name, kind))
    yield from sorted(found)
    for error in unreadable:
        reason = _("folder cannot be read (%(error)s)") % {"error": error.strerror}
        yield IngestFailure(str(error.filename), reason)


def count_items(sources: list[tuple[Path, str] | IngestFailure]) -> int:
    total = 0
    for source in sources:
        if isinstance(source, tuple) and source[1] == JSONL:
            try:
                with source[0].open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), _("cannot be read (%(error)s)") % {"error": exc.strerror}) from exc


@dataclass(frozen=True)
class RawInput:
    """One article as read, before parsing: a text file (read by whoever parses it), or a JSON Lines
    record's bytes. Picklable, so that worker processes can parse it."""

    kind: str
    label: str  # the file, or file:line for a JSON Lines record
    data: bytes = b""


def read_raw(sources: list[tuple[Path, str] | IngestFailure]) -> Iterator[RawInput | IngestFailure]:
    """The inputs of these sources in order, unparsed; a file that cannot be read is a failure."""
    for source in sources:
        if isinstance(source, IngestFailure):
            yield source
            continue
        path, kind = source
        if kind != JSONL:
            yield RawInput(TEXT, str(path))
            continue
        try:
            yield from _jsonl_lines(path)
        except IngestError as exc:
            yield IngestFailure(exc.source, exc.reason)


def parse_raw(raw: RawInput) -> IncomingArticle | IngestFailure:
    """Parse one input (a pure function of the file's bytes: safe in a worker process)."""
    try:
        if raw.kind == JSONL:
            try:
                line = raw.data.decode("utf-8")
            except UnicodeDecodeError:
                return IngestFailure(raw.label, _("not valid UTF-8"))
            return parse_jsonl_record(line, label=raw.label)
        path = Path(raw.label)
        parsed, text = parse_article_bytes(read_bytes(path), source=raw.label)
        return IncomingArticle(origin=path.name, parsed=parsed, original_text=text, label=raw.label)
    except IngestError as exc:
        return IngestFailure(exc.source, exc.reason)


def _jsonl_lines(path: Path) -> Iterator[RawInput]:
    records = 0
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise IngestError(str(path), _("cannot be read (%(error)s)") % {"error": exc.strerror}) from exc
    with handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            records += 1
            yield RawInput(JSONL, f"{path}:{number}", raw)
    if not records:
        raise IngestError(str(path), _("empty file"))


def failure_reason(exc: Exception) -> str:
    """Why an input failed, for its line in the summary: the fields named when it did not validate."""
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "; ".join(
            _("field '%(field)s': %(reason)s") % {"field": name, "reason": " ".join(messages)}
            for name, messages in exc.message_dict.items()
        )
    return f"{type(exc).__name__}: {exc}"
