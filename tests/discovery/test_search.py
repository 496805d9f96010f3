"""search(): keyword + semantic fusion, filters, facet counts, freshness, API and CLI."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reelmarket.catalogue.avails.media import Media
from reelmarket.catalogue.inputs import TitleInput
from reelmarket.catalogue.models import Title
from reelmarket.catalogue.selectors import AvailsFilter
from reelmarket.catalogue.services import title_delete, title_save
from reelmarket.discovery.models import IndexChange, SearchDocument
from reelmarket.discovery.selectors import SearchError, SearchQuery, search, similar_titles
from reelmarket.discovery.services import reindex_all
from reelmarket.market.enums import Role
from tests.factories import OrganisationFactory, make_user_with_roles

pytestmark = pytest.mark.django_db

TITLES = [
    {
        "reference": "VN-1",
        "kind": "animation_feature",
        "original_title": "Chuyến phiêu lưu của Mèo Mun",
        "original_language": "vi",
        "year": 2025,
        "genres": ["family", "adventure"],
        "countries": ["VN"],
        "texts": [
            {
                "language": "vi",
                "name": "Chuyến phiêu lưu của Mèo Mun",
                "logline": "Phim hoạt hình gia đình về chú mèo đen đi tìm mẹ.",
                "synopsis": "Một chú mèo nhỏ rời làng chài, vượt sông Mê Kông để tìm mẹ. "
                "Bộ phim hoạt hình dành cho cả gia đình, đầy tiếng cười và nước mắt.",
            }
        ],
        "rights": [
            {"media": "svod", "territories": ["WW"], "starts_on": "2025-01-01"},
        ],
    },
    {
        "reference": "TW-1",
        "kind": "feature",
        "original_title": "青春戀曲",
        "original_language": "zh-Hant",
        "year": 2024,
        "genres": ["romance", "comedy"],
        "countries": ["TW"],
        "texts": [
            {
                "language": "zh-Hant",
                "name": "青春戀曲",
                "logline": "校園愛情喜劇：兩個死對頭被迫合作拍畢業電影。",
                "synopsis": "台北一所高中裡，兩個互看不順眼的學生被分到同一組拍攝畢業電影，"
                "在爭吵與笑聲中慢慢發現彼此的心意。",
            }
        ],
        "rights": [
            {
                "media": "svod",
                "territories": ["ASIA"],
                "starts_on": "2025-01-01",
                "ends_on": "2030-12-31",
            },
            {
                "media": "svod",
                "territories": ["VN"],
                "starts_on": "2026-01-01",
                "ends_on": "2027-12-31",
                "status": "sold",
                "counterparty": "Saigon Stream",
            },
        ],
    },
    {
        "reference": "FR-1",
        "kind": "feature",
        "original_title": "La Nuit de Busan",
        "original_language": "fr",
        "year": 2023,
        "genres": ["crime", "thriller"],
        "countries": ["KR", "FR"],
        "texts": [
            {
                "language": "fr",
                "name": "La Nuit de Busan",
                "logline": "Un polar coréen haletant dans les docks de Busan.",
                "synopsis": "Une inspectrice de Séoul traque un réseau de contrebande sur le "
                "port de Busan pendant une nuit de typhon.",
            }
        ],
    },
    {
        "reference": "HK-1",
        "kind": "feature",
        "original_title": "喪屍列車",
        "original_language": "yue",
        "year": 2025,
        "genres": ["horror"],
        "countries": ["HK"],
        "new_this_market": True,
        "texts": [
            {
                "language": "zh-Hant",
                "name": "喪屍列車",
                "logline": "一班深夜列車上爆發喪屍危機。",
                "synopsis": "尖沙咀開出的末班車上，乘客發現有人變成喪屍，必須在列車到站前求生。",
            },
            {
                "language": "en",
                "name": "Zombie Night Train",
                "logline": "A zombie outbreak on the last train of the night.",
                "synopsis": "Passengers on Hong Kong's last train fight to survive until dawn.",
            },
        ],
    },
    {
        "reference": "EN-1",
        "kind": "documentary",
        "original_title": "Before La Nuit de Busan",
        "original_language": "en",
        "year": 2024,
        "genres": ["documentary"],
        "countries": ["GB"],
        "texts": [
            {
                "language": "en",
                "name": "Before La Nuit de Busan",
                "logline": "The making of a Korean thriller shot on the docks.",
                "synopsis": "A behind-the-scenes documentary following the crew of a crime film.",
            }
        ],
    },
]


@pytest.fixture
def seller():
    org = OrganisationFactory(name="Lotus Sales", slug="lotus-sales", country="SG")
    return org, make_user_with_roles(Role.ORGANISER)


def _save(actor, org, data):
    return title_save(actor=actor, owner=org, data=TitleInput.model_validate(data))[0]


@pytest.fixture
def catalogue(seller):
    org, actor = seller
    titles = {data["reference"]: _save(actor, org, data) for data in TITLES}
    hidden = dict(TITLES[0], reference="VN-HIDDEN", original_title="Mèo Mun bí mật")
    titles["VN-HIDDEN"] = _save(actor, org, hidden)
    Title.objects.filter(pk=titles["VN-HIDDEN"].pk).update(is_published=False)
    reindex_all(embed=False)
    return titles


@pytest.fixture
def embedded(catalogue):
    reindex_all(embed=True)
    return catalogue


def _refs(result) -> list[str]:
    return [hit.title.reference for hit in result.hits]


def test_vietnamese_query_without_diacritics_finds_the_vietnamese_title(catalogue):
    result = search(query=SearchQuery(text="phim hoat hinh gia dinh", mode="keyword"))
    assert _refs(result) == ["VN-1"]
    hit = result.hits[0]
    assert hit.matched_language == "vi"
    assert hit.keyword_rank == 1
    assert any(marked for _text, marked in hit.snippet)


def test_simplified_query_finds_traditional_text(catalogue):
    assert _refs(search(query=SearchQuery(text="丧尸", mode="keyword"))) == ["HK-1"]
    assert _refs(search(query=SearchQuery(text="校园爱情喜剧", mode="keyword"))) == ["TW-1"]


def test_exact_title_ranks_first(catalogue):
    result = search(query=SearchQuery(text="La Nuit de Busan", mode="keyword"))
    assert _refs(result) == ["FR-1", "EN-1"]
    assert result.hits[0].exact is True
    assert result.hits[1].exact is False


def test_every_exact_title_comes_first_even_beyond_the_ranked_depth(seller, monkeypatch):
    # Generated catalogues repeat names: more exact titles than the keyword ranking keeps.
    from reelmarket.discovery import selectors

    org, actor = seller
    base = {"kind": "feature", "original_language": "en", "year": 2024, "rights": []}
    mention = _save(
        actor,
        org,
        {
            **base,
            "reference": "MENTION",
            "original_title": "Harbour Lights",
            "texts": [{"language": "en", "name": "Harbour Lights", "logline": "A night ferry."}],
        },
    )
    same = [
        _save(actor, org, {**base, "reference": f"NF-{n}", "original_title": "Night Ferry"})
        for n in range(4)
    ]
    reindex_all(embed=False)
    monkeypatch.setattr(selectors, "KEYWORD_DEPTH", 2)

    result = search(query=SearchQuery(text="night ferry", mode="keyword"))

    assert [hit.title.pk for hit in result.hits] == [t.pk for t in same] + [mention.pk]
    assert [hit.exact for hit in result.hits] == [True, True, True, True, False]
    assert result.total == 5


def test_unpublished_titles_never_appear(catalogue):
    result = search(query=SearchQuery(text="Mèo Mun", mode="keyword"))
    assert _refs(result) == ["VN-1"]
    assert result.total == 1


def test_browse_without_text_lists_new_titles_first_and_counts_facets(catalogue):
    result = search(query=SearchQuery())
    assert result.total == 5
    assert _refs(result)[0] == "HK-1"
    assert result.facets["kind"] == {"animation_feature": 1, "feature": 3, "documentary": 1}
    assert result.facets["country"]["KR"] == 1
    assert result.facets["new"] == {"true": 1, "false": 4}


def test_browse_pages_follow_new_then_newest_first(catalogue):
    everything = _refs(search(query=SearchQuery(page_size=5)))
    ids = {ref: catalogue[ref].pk for ref in everything}
    rest = sorted(everything[1:], key=ids.__getitem__, reverse=True)
    assert everything == ["HK-1", *rest]
    pages = [_refs(search(query=SearchQuery(page=n, page_size=2))) for n in (1, 2, 3)]
    assert pages == [everything[0:2], everything[2:4], everything[4:5]]


def test_matches_beyond_the_ranked_depth_follow_newest_first(catalogue, seller, monkeypatch):
    from reelmarket.discovery import selectors

    org, actor = seller
    for n in range(4):
        data = dict(TITLES[0], reference=f"HB-{n}", original_title=f"Harbour Lights {n}")
        catalogue[f"HB-{n}"] = _save(actor, org, data)
    reindex_all(embed=False)
    full = search(query=SearchQuery(text="harbour", mode="keyword", page_size=10))
    assert full.total == 4
    monkeypatch.setattr(selectors, "KEYWORD_DEPTH", 1)
    cut = search(query=SearchQuery(text="harbour", mode="keyword", page_size=10))
    first = _refs(cut)[0]
    rest = sorted(
        (ref for ref in _refs(full) if ref != first),
        key=lambda ref: catalogue[ref].pk,
        reverse=True,
    )
    assert cut.total == full.total
    assert _refs(cut) == [first, *rest]
    second = search(query=SearchQuery(text="harbour", mode="keyword", page=2, page_size=2))
    assert _refs(second) == _refs(cut)[2:4]


def test_facet_counts_are_disjunctive(catalogue):
    result = search(query=SearchQuery(kinds=("feature",)))
    assert sorted(_refs(result)) == ["FR-1", "HK-1", "TW-1"]
    # the kind facet ignores its own filter, the others apply it
    assert result.facets["kind"] == {"animation_feature": 1, "feature": 3, "documentary": 1}
    assert result.facets["genre"]["horror"] == 1
    assert "documentary" not in result.facets["genre"]


def test_availability_filter_excludes_a_sold_territory(catalogue):
    in_2026 = AvailsFilter(
        media=Media.SVOD, territory="VN", start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    assert _refs(search(query=SearchQuery(avails=in_2026))) == ["VN-1"]
    in_2028 = AvailsFilter(
        media=Media.SVOD, territory="VN", start=date(2028, 1, 1), end=date(2028, 6, 30)
    )
    assert sorted(_refs(search(query=SearchQuery(avails=in_2028)))) == ["TW-1", "VN-1"]


@pytest.mark.parametrize(
    "text", ['"', "*", "NEAR(", 'NEAR("a" "b")', "AND OR NOT", "title:x", "((", "'; DROP --"]
)
def test_syntax_characters_are_just_characters(catalogue, text):
    result = search(query=SearchQuery(text=text, mode="keyword"))
    assert result.total == 0


def test_too_long_and_nul_queries_are_refused_clearly(catalogue):
    with pytest.raises(SearchError, match="too long"):
        search(query=SearchQuery(text="x" * 10_000))
    with pytest.raises(SearchError, match="NUL"):
        search(query=SearchQuery(text="a\x00b"))


def test_unknown_territory_is_a_clear_error(catalogue):
    avails = AvailsFilter(
        media=Media.SVOD, territory="XX", start=date(2026, 1, 1), end=date(2026, 1, 1)
    )
    with pytest.raises(SearchError) as error:
        search(query=SearchQuery(avails=avails))
    assert error.value.field == "territory"


def test_a_saved_title_is_searchable_at_once_and_a_deleted_one_is_gone(
    catalogue, seller, search_indexing, django_capture_on_commit_callbacks
):
    org, actor = seller
    assert search(query=SearchQuery(text="kaiju", mode="keyword")).total == 0
    data = dict(TITLES[2], reference="FR-1", original_title="La Nuit du Kaiju")
    with django_capture_on_commit_callbacks(execute=True):
        _save(actor, org, data)
    assert _refs(search(query=SearchQuery(text="kaiju", mode="keyword"))) == ["FR-1"]
    with django_capture_on_commit_callbacks(execute=True):
        title_delete(actor=actor, title=Title.objects.get(reference="FR-1"))
    assert search(query=SearchQuery(text="kaiju", mode="keyword")).total == 0
    assert not SearchDocument.objects.filter(title__reference="FR-1").exists()
    assert IndexChange.objects.filter(title_id=data_pk(catalogue, "FR-1")).count() >= 2


def data_pk(catalogue, reference: str) -> int:
    return catalogue[reference].pk


def test_semantic_search_crosses_languages(embedded):
    result = search(query=SearchQuery(text="animated family film about a cat", mode="semantic"))
    assert _refs(result)[0] == "VN-1"
    assert result.hits[0].semantic_rank == 1
    assert result.hits[0].similarity is not None
    assert result.semantic_ready is True


def test_hybrid_search_fuses_both_lists(embedded):
    result = search(query=SearchQuery(text="polar coréen"))
    assert _refs(result)[0] == "FR-1"
    assert result.hits[0].keyword_rank == 1


def test_more_like_this(embedded):
    similar = similar_titles(title_id=embedded["FR-1"].pk, limit=3)
    refs = [hit.title.reference for hit in similar]
    assert "FR-1" not in refs
    assert "VN-HIDDEN" not in refs
    assert len(refs) == 3


def test_cli_json(catalogue):
    out = StringIO()
    call_command("search", "丧尸", "--json", "--mode", "keyword", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["total"] == 1
    assert payload["hits"][0]["original_title"] == "喪屍列車"
    assert payload["facets"]["kind"] == {"feature": 1}


def test_cli_errors_are_clean(catalogue):
    with pytest.raises(CommandError, match="--media and --territory go together"):
        call_command("search", "x", "--media", "svod")
    with pytest.raises(CommandError, match="territory"):
        call_command("search", "x", "--media", "svod", "--territory", "XX")


def test_api_search(client, catalogue):
    response = client.get(
        "/api/v1/search",
        {"q": "phim hoạt hình", "media": "svod", "territory": "VN", "mode": "keyword"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["hits"][0]["original_title"] == "Chuyến phiêu lưu của Mèo Mun"
    assert body["hits"][0]["matched_language"] == "vi"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "x" * 10_000}, "query.q"),
        ({"q": "x", "media": "svod", "territory": "XX"}, "query.territory"),
        ({"q": "x", "mode": "magic"}, "query.mode"),
        ({"q": "x", "page_size": 1000}, "query.page_size"),
    ],
)
def test_api_bad_input_is_a_422_naming_the_field(client, catalogue, params, field):
    response = client.get("/api/v1/search", params)
    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]


def test_api_and_page_say_how_the_query_was_read(client, catalogue):
    body = client.get("/api/v1/search", {"q": "polar coréen"}).json()
    assert body["understood_concepts"] == ["crime"]
    assert body["understood_countries"] == ["KP", "KR"]
    keyword = client.get("/api/v1/search", {"q": "polar coréen", "mode": "keyword"}).json()
    assert keyword["understood_concepts"] == []  # keyword mode boosts nothing, so says nothing
    page = client.get("/search/", {"q": "phim hoạt hình gia đình"}).content.decode()
    assert '<span class="chip">Animation</span> <span class="chip">Family</span>' in page
