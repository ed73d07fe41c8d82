"""The apps form layers, and each imports only from the layers below it (and from itself)."""

import ast
from pathlib import Path

from django.conf import settings

LAYERS = ["text", "articles", "entities", "search", "ingest", "web"]
ARCHIVE = Path(settings.BASE_DIR) / "archive"


def imported_apps(path: Path) -> set[str]:
    """The archive apps a module imports, at the top or inside a function."""
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "archive" and parts[1] in LAYERS:
                apps.add(parts[1])
    return apps


def upward_imports() -> list[str]:
    found = []
    for app in LAYERS:
        for path in sorted((ARCHIVE / app).rglob("*.py")):
            for other in imported_apps(path):
                if LAYERS.index(other) > LAYERS.index(app):
                    found.append(f"{path.relative_to(ARCHIVE.parent)} imports archive.{other}")
    return found


def test_it_finds_no_import_from_an_app_to_an_app_above_it():
    assert upward_imports() == []


def test_it_would_notice_an_upward_import(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    from archive.search.indexing import search_index_sync\n")
    assert imported_apps(module) == {"search"}
