"""The process's search engine: caches rebuilt from the database, caught up from the log."""

from __future__ import annotations

import pytest

from reelmarket.discovery.documents import changes_log
from reelmarket.discovery.engine import GLOBAL_CHANGE, engine, engine_reset
from reelmarket.discovery.models import IndexChange, TextEmbedding
from reelmarket.discovery.services import reindex_all, titles_index
from tests.factories import TitleFactory, TitleTextFactory

pytestmark = pytest.mark.django_db


def vector_count() -> int:
    """Two vectors per text: the full passage and the name + logline."""
    return TextEmbedding.objects.count()


@pytest.fixture
def titles(owner_org):
    made = []
    for ref, (name, logline) in enumerate(
        [
            ("Night Train", "Zombies take over the last train from Busan."),
            ("Summer Lanterns", "Two sisters open a noodle shop in Osaka."),
            ("The Long Race", "A marathon runner trains in the mountains of Kenya."),
        ]
    ):
        title = TitleFactory(owner=owner_org, reference=f"E-{ref}", original_title=name)
        TitleTextFactory(title=title, language="en", name=name, logline=logline, synopsis="")
        made.append(title)
    reindex_all(embed=True)
    return made


def test_a_new_process_loads_the_saved_vector_index(titles, settings):
    first = engine()
    assert first.vectors is not None and len(first.vectors) == vector_count() == 6
    assert any((settings.SEARCH_INDEX_DIR).iterdir())  # the cache files were written
    engine_reset()
    second = engine()
    assert second.vectors is not first.vectors
    assert len(second.vectors) == 6
    assert second.seen_change == IndexChange.objects.order_by("-id").first().id


def test_a_saved_index_older_than_a_global_change_is_rebuilt(titles):
    engine()
    engine_reset()
    changes_log(title_ids=[GLOBAL_CHANGE])  # e.g. a demo reset after the cache was saved
    eng = engine()  # used to recurse between loading everything and catching up
    assert eng.vectors is not None and len(eng.vectors) == 6
    assert eng.facets is not None and eng.facets.size == 3


def test_a_new_process_catches_up_on_titles_changed_since_the_cache(titles):
    engine()
    engine_reset()
    changed = titles[1]
    changed.texts.update(logline="A chef cooks ramen for ghosts.")
    titles_index(title_ids=[changed.pk])
    eng = engine()
    assert len(eng.vectors) == 6
    assert changed.pk in set(eng.facets.title_ids(eng.facets.mask_of([changed.pk])).tolist())


def test_every_search_sees_a_change_logged_by_another_process(titles):
    eng = engine()
    seen = eng.seen_change
    gone = titles[0].pk
    titles[0].delete()
    changes_log(title_ids=[gone])
    eng = engine()
    assert eng.seen_change > seen
    assert eng.facets.size == 2
    assert all(
        t != titles[0].pk
        for t, _label, _sim in eng.vectors.search(
            eng.vectors.vector_of(int(eng.vectors.labels()[0])), k=5
        )
    )
