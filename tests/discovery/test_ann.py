"""VectorIndex: graph search equals exact search at small n, writes, filters, files."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from reelmarket.discovery import ann
from reelmarket.discovery.ann import VectorIndex, best_per_title

DIM = 16


def unit(rows: np.ndarray) -> np.ndarray:
    rows = np.asarray(rows, dtype=np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def random_vectors(n: int, seed: int = 0) -> np.ndarray:
    return unit(np.random.default_rng(seed).standard_normal((n, DIM)))


@pytest.fixture
def built() -> tuple[VectorIndex, np.ndarray, np.ndarray, np.ndarray]:
    """500 vectors, labels 1000.., two texts per title (title = label // 2)."""
    vectors = random_vectors(500)
    labels = np.arange(1000, 1500)
    titles = labels // 2
    index = VectorIndex(DIM, model="test", threads=1)
    index.build(labels, titles, vectors)
    return index, labels, titles, vectors


def test_graph_search_equals_exact_search_at_small_n(built):
    index, _labels, _titles, _vectors = built
    queries = random_vectors(30, seed=1)
    for query in queries:
        assert index.search(query, k=10) == index.exact_search(query, k=10)


def test_search_returns_best_text_per_title(built):
    index, _labels, _titles, vectors = built
    hits = index.search(vectors[6], k=5)  # label 1006 belongs to title 503
    assert hits[0][:2] == (503, 1006)
    assert hits[0][2] == pytest.approx(1.0, abs=1e-5)
    assert len({title for title, _label, _sim in hits}) == 5
    sims = [sim for _t, _l, sim in hits]
    assert sims == sorted(sims, reverse=True)


def test_best_per_title_keeps_first_hit_of_each_title():
    titles = np.array([7, 7, 8, 9, 8])
    labels = np.array([1, 2, 3, 4, 5])
    sims = np.array([0.5, 0.9, 0.8, 0.1, 0.95], dtype=np.float32)
    hits = best_per_title(titles, labels, sims, 2)
    assert [(t, lab) for t, lab, _s in hits] == [(8, 5), (7, 2)]


def test_remove_then_add_reuses_the_slot(built):
    index, _labels, _titles, vectors = built
    assert index.remove([1006, 1007, 424242]) == 2
    assert len(index) == 498
    assert 1006 not in index
    assert all(title != 503 for title, _l, _s in index.search(vectors[6], k=10))
    assert index.search(vectors[6], k=10) == index.exact_search(vectors[6], k=10)

    index.add([5000], [77], vectors[6:7])
    assert index._used == 500  # took a freed slot, no new one
    assert len(index) == 499
    assert index.search(vectors[6], k=1)[0][:2] == (77, 5000)
    assert index.title_of(5000) == 77
    assert index.title_of(1006) is None


def test_add_updates_an_existing_label_in_place(built):
    index, _labels, _titles, vectors = built
    index.add([1000], [500], vectors[300:301])
    assert len(index) == 500
    assert np.allclose(index.vector_of(1000), vectors[300])
    top_two = {label for _t, label, _s in index.search(vectors[300], k=2)}
    assert top_two == {1000, 1300}


def test_add_grows_past_capacity():
    index = VectorIndex(DIM, threads=1)
    vectors = random_vectors(3000, seed=3)
    index.add(np.arange(100), np.arange(100), vectors[:100])
    index.add(np.arange(100, 3000), np.arange(100, 3000), vectors[100:])
    assert len(index) == 3000
    assert index.search(vectors[2500], k=1)[0][:2] == (2500, 2500)


def test_remove_titles_removes_all_their_texts(built):
    index, _labels, _titles, _vectors = built
    assert index.remove_titles([500, 501]) == 4
    assert sorted(set(index.labels().tolist()) & {1000, 1001, 1002, 1003}) == []


def test_allowed_titles_as_mask_or_ids_exact_path(built):
    index, _labels, _titles, _vectors = built
    query = random_vectors(1, seed=5)[0]
    allowed = [510, 520, 530, 740]
    mask = np.zeros(800, dtype=bool)
    mask[allowed] = True
    by_ids = index.search(query, k=10, allowed_titles=set(allowed))
    assert by_ids == index.search(query, k=10, allowed_titles=mask)
    assert by_ids == index.search(query, k=10, allowed_titles=np.array(allowed))
    assert sorted(t for t, _l, _s in by_ids) == allowed
    assert by_ids == index.exact_search(query, k=10, allowed_titles=mask)


def test_allowed_titles_graph_path(monkeypatch, built):
    index, _labels, titles, _vectors = built
    monkeypatch.setattr(ann, "EXACT_MIN_VECTORS", 0)  # force the filtered graph walk
    allowed = np.unique(titles)[::3]
    queries = random_vectors(20, seed=6)
    for query in queries:
        hits = index.search(query, k=10, allowed_titles=allowed)
        assert hits == index.exact_search(query, k=10, allowed_titles=allowed)
        assert {t for t, _l, _s in hits} <= set(allowed.tolist())


def test_mask_shorter_than_title_ids_excludes_the_rest(built):
    index, _labels, _titles, _vectors = built
    mask = np.ones(600, dtype=bool)  # titles 500..749 exist; 600.. are outside the mask
    hits = index.search(random_vectors(1, seed=9)[0], k=300, allowed_titles=mask)
    assert {t for t, _l, _s in hits} == set(range(500, 600))


def test_empty_index_and_nothing_allowed():
    index = VectorIndex(DIM)
    assert index.search(random_vectors(1)[0], k=5) == []
    index.add([1], [1], random_vectors(1))
    assert index.search(random_vectors(1)[0], k=5, allowed_titles=set()) == []


def test_save_and_load_round_trip(tmp_path, built):
    index, _labels, _titles, vectors = built
    index.remove([1010])
    index.save(tmp_path / "idx", last_change_id=41)
    assert VectorIndex.read_sidecar(tmp_path / "idx") == {
        "format": 1,
        "model": "test",
        "dim": DIM,
        "count": 499,
        "slots": 500,
        "last_change_id": 41,
        "m": 16,
        "ef_construction": 128,
    }
    loaded = VectorIndex.load(tmp_path / "idx", model="test")
    assert loaded.last_change_id == 41
    assert len(loaded) == 499
    for query in random_vectors(10, seed=7):
        assert loaded.search(query, k=10) == index.search(query, k=10)
    loaded.add([9999], [1], vectors[10:11])  # the freed slot is reused after loading too
    assert loaded._used == 500
    assert loaded.search(vectors[10], k=1)[0][:2] == (1, 9999)
    index.save(tmp_path / "idx", last_change_id=42)  # replaces the directory as a whole
    assert VectorIndex.read_sidecar(tmp_path / "idx")["last_change_id"] == 42
    with pytest.raises(ValueError, match="built for 'test'"):
        VectorIndex.load(tmp_path / "idx", model="other")
    with pytest.raises(FileNotFoundError):
        VectorIndex.load(tmp_path / "missing")


def test_bad_input_is_refused():
    index = VectorIndex(DIM)
    with pytest.raises(ValueError, match="dimension 16"):
        index.add([1], [1], np.zeros((1, 8), dtype=np.float32))
    with pytest.raises(ValueError, match="duplicate"):
        index.build([1, 1], [1, 1], random_vectors(2))
    with pytest.raises(ValueError, match="differ in length"):
        index.add([1, 2], [1], random_vectors(2))


def test_searches_while_another_thread_adds():
    index = VectorIndex(DIM, threads=1)
    vectors = random_vectors(4000, seed=11)
    index.build(np.arange(1000), np.arange(1000), vectors[:1000])
    errors: list[BaseException] = []
    results: list[int] = []

    def searcher() -> None:
        try:
            for query in vectors[:200]:
                results.append(len(index.search(query, k=10)))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=searcher) for _ in range(3)]
    for thread in threads:
        thread.start()
    for start in range(1000, 4000, 100):
        index.add(
            np.arange(start, start + 100),
            np.arange(start, start + 100),
            vectors[start : start + 100],
        )
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == [10] * 600
    assert len(index) == 4000
    assert index.search(vectors[3999], k=1)[0][:2] == (3999, 3999)
