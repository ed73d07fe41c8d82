"""Haystack's command names run the project's commands: one build, a real clear, an in-place update."""

import io

import pytest
from django.core.management import call_command, get_commands

from archive.articles.models import Article
from archive.search.engine import search_engine
from archive.search.indexing import search_index_check
from archive.search.service import SearchParams, article_search
from archive.search.whoosh_engine.store import VERSION_PREFIX


def found(q: str = "طاجيكستان") -> int:
    return article_search(params=SearchParams(q=q)).count


def versions() -> list[str]:
    return sorted(
        child.name for child in search_engine().root.iterdir() if child.name.startswith(VERSION_PREFIX)
    )


def test_django_runs_the_search_apps_commands_and_not_haystacks():
    commands = get_commands()
    assert {name: commands[name] for name in ("rebuild_index", "clear_index", "update_index")} == {
        "rebuild_index": "archive.search",
        "clear_index": "archive.search",
        "update_index": "archive.search",
    }


@pytest.mark.whoosh_only
def test_rebuild_index_builds_one_new_version_and_search_finds_every_article(seeded, capsys):
    before = versions()
    call_command("rebuild_index", "--noinput")
    after = versions()
    assert len(after) == len(before) + 1  # one build swapped in; the previous version kept for its readers
    assert "5" in capsys.readouterr().out
    assert found() == 5


def test_clear_index_empties_search_until_rebuild_index_brings_the_articles_back(seeded):
    assert found() == 5
    call_command("clear_index", "--noinput")
    assert found() == 0
    assert len(search_index_check().missing) == 5  # the database still has them all
    call_command("rebuild_index", "--noinput")
    assert found() == 5


def test_clear_index_asks_first_and_clears_nothing_unless_told_yes(seeded, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    call_command("clear_index")
    assert "لم يُفرَّغ شيء" in capsys.readouterr().out  # "Nothing was cleared", in the default language
    assert found() == 5
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    call_command("clear_index")
    assert found() == 0


@pytest.mark.whoosh_only
def test_update_index_repairs_what_drifted_in_place(seeded, capsys):
    hidden = Article.objects.get(origin__endswith="000_900ead7f2c160cfd.txt")
    Article.objects.filter(pk=hidden.pk).update(is_visible=False)  # no signal: the index missed it
    live = versions()
    call_command("update_index")
    assert "أُصلح 1 من المقالات" in capsys.readouterr().out  # "repaired 1 articles"
    assert search_index_check().clean
    assert versions() == live  # written into the live index, not rebuilt


@pytest.mark.parametrize("command", ["rebuild_index", "clear_index"])
def test_the_commands_take_haystacks_noinput_spelled_either_way(seeded, command):
    call_command(command, "--no-input")
    call_command(command, "--noinput")
