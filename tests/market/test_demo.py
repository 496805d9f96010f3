"""The demo market generator: the full-scale plan, coherence of the texts, the database
build at a small scale, re-runs, resets and determinism."""

from __future__ import annotations

import re
import zoneinfo
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from reelmarket.catalogue.enums import Genre, TitleKind, WindowStatus
from reelmarket.catalogue.inputs import RightsInput
from reelmarket.catalogue.models import RightsWindow, Title, TitleGenre, TitleText
from reelmarket.catalogue.services import validate_rights
from reelmarket.market.demo.banks import BANKS, CITIES, FRAMES, LANGUAGES, SETTINGS
from reelmarket.market.demo.build import demo_build, plan_counts
from reelmarket.market.demo.countries import COUNTRIES
from reelmarket.market.demo.digest import plan_digest
from reelmarket.market.demo.pavilions import HUB_SLUG, PAVILIONS
from reelmarket.market.demo.plan import DemoError, DemoScale, plan_market
from reelmarket.market.demo.reset import demo_digest, demo_reset
from reelmarket.market.demo.text import Story, compose
from reelmarket.market.demo.titles import iter_titles
from reelmarket.market.enums import Role
from reelmarket.market.models import (
    Booth,
    Edition,
    Exhibitor,
    Organisation,
    Participant,
    ParticipantRole,
    Pavilion,
    Registration,
)
from tests.factories import (
    EditionFactory,
    OrganisationFactory,
    ParticipantFactory,
    RegistrationFactory,
    TitleFactory,
)

SMALL = DemoScale(exhibitors=40, participants=200, titles=120)
PASSWORD = "demo-pass-2025"
NEW_PAVILION_COUNTRIES = {"AU", "KH", "FR", "IN", "MY", "SA", "VN"}


@pytest.fixture(scope="module")
def full_plan():
    return plan_market(seed=2025)


@pytest.fixture(scope="module")
def full_titles(full_plan):
    return list(iter_titles(full_plan))


# --------------------------------------------------------------------------------------
# The full FILMART scale, computed without the database


def test_full_scale_plan_has_filmart_2025_figures(full_plan):
    counts = plan_counts(full_plan)
    assert counts == {
        "exhibitors": 760,
        "exhibitor_countries": 38,
        "pavilions": 32,
        "pavilion_countries": 23,
        "hubs": 1,
        "organisations": counts["organisations"],
        "participants": 7600,
        "participant_countries": 63,
        "titles": 1200,
    }
    assert counts["exhibitors"] >= 750 and counts["exhibitor_countries"] >= 30
    assert counts["participants"] >= 7500 and counts["participant_countries"] >= 50
    assert full_plan.edition == {
        "name": "FILMART 2025",
        "slug": "filmart-2025",
        "starts_on": (2025, 3, 17),
        "ends_on": (2025, 3, 20),
        "venue": "Hong Kong Convention and Exhibition Centre",
        "city": "Hong Kong",
        "time_zone": "Asia/Hong_Kong",
    }


def test_pavilions_are_led_by_agencies_and_the_new_ones_are_marked(full_plan):
    orgs = {o.slug: o for o in full_plan.organisations}
    country_pavilions = [p for p in full_plan.pavilions if p.kind == "country"]
    assert len(country_pavilions) == 32
    assert all(orgs[p.agency].kind == "government_agency" for p in full_plan.pavilions)
    hub = next(p for p in full_plan.pavilions if p.kind == "hub")
    assert (hub.slug, orgs[hub.agency].name, hub.country) == (
        HUB_SLUG,
        "European Film Promotion (EFP)",
        "",
    )
    assert {p.country for p in country_pavilions if p.is_new} == NEW_PAVILION_COUNTRIES
    assert Counter(p.country for p in country_pavilions)["CN"] == 8


def test_every_exhibitor_has_a_booth_and_joins_its_countrys_pavilion(full_plan):
    orgs = {o.slug: o for o in full_plan.organisations}
    booths = {b.number: b for b in full_plan.booths}
    pavilions = {p.slug: p for p in full_plan.pavilions}
    pavilion_countries = {p.country for p in full_plan.pavilions if p.country}
    hub_countries = next(s for s in PAVILIONS if s.slug == HUB_SLUG).countries
    assert len(booths) == len(full_plan.exhibitors)
    assert {code for code, _ in full_plan.halls} >= {"1A", "1B", "1C", "1D", "1E"}
    for exhibitor in full_plan.exhibitors:
        booth = booths[exhibitor.booth]
        assert re.fullmatch(rf"{booth.hall}-[A-HJ-NP-Z]+\d{{1,2}}", booth.number)
        assert 1 <= booth.tables <= 4
        country = orgs[exhibitor.organisation].country
        if country in pavilion_countries:
            assert pavilions[exhibitor.pavilion].country == country
        elif country in hub_countries:
            assert exhibitor.pavilion == HUB_SLUG
        else:
            assert exhibitor.pavilion is None
    kenji_booth = next(e for e in full_plan.exhibitors if e.booth == "1C-D12")
    assert orgs[kenji_booth.organisation].name == "Hoshizora Pictures International"
    assert booths["1C-D12"].tables == 2


def test_people_are_plausible_and_their_time_zones_match_their_country(full_plan):
    roles = Counter(role for person in full_plan.people for role in person.roles)
    assert set(roles) == {r.value for r in Role}
    emails = [p.email for p in full_plan.people]
    assert len(set(emails)) == len(emails)
    assert all(e.endswith("demo.example") for e in emails)
    for person in full_plan.people:
        assert person.time_zone in COUNTRIES[person.country].zones
        zoneinfo.ZoneInfo(person.time_zone)
        assert person.display_name.strip() and person.languages
    attendance = Counter(p.attendance for p in full_plan.people)
    vetting = Counter(p.vetting for p in full_plan.people)
    assert attendance["online"] > 1000 and attendance["in_person"] > 4000
    assert vetting["approved"] > 0.85 * len(full_plan.people) and vetting["pending"] > 100
    assert len({p.profile_visibility for p in full_plan.people}) == 3


def test_full_catalogue_covers_every_kind_and_language(full_titles):
    assert len(full_titles) == 1200
    assert {t.kind for t in full_titles} == set(TitleKind.values)
    assert {text.language for t in full_titles for text in t.texts} == set(LANGUAGES)
    new = sum(t.new_this_market for t in full_titles)
    assert 0.1 * 1200 < new < 0.2 * 1200
    assert sum(t.stage == "development" for t in full_titles) > 30


def test_printed_logins_follow_the_user_journeys(full_plan):
    logins = {p.login: p for p in full_plan.logins()}
    assert set(logins) == {"organiser", "exhibitor", "buyer"}
    assert (logins["organiser"].email, logins["organiser"].roles) == (
        "mei@demo.example",
        ("organiser",),
    )
    kenji = logins["exhibitor"]
    assert (kenji.email, kenji.roles, kenji.time_zone) == (
        "kenji@demo.example",
        ("seller",),
        "Asia/Tokyo",
    )
    linh = logins["buyer"]
    assert (linh.email, linh.roles, linh.attendance, linh.time_zone, linh.country) == (
        "linh@demo.example",
        ("buyer",),
        "online",
        "Asia/Ho_Chi_Minh",
        "VN",
    )


# --------------------------------------------------------------------------------------
# Phrase banks and texts


def test_banks_cover_every_genre_with_eight_parallel_languages():
    assert set(BANKS) == set(Genre.values) - {"animation"}
    for genre, bank in BANKS.items():
        for field in ("heroes", "setups", "turns", "hooks", "titles"):
            for phrase in getattr(bank, field):
                assert len(phrase) == 8, (genre, field, phrase[0])
                placeholders = {tuple(sorted(set(re.findall(r"\{(\w+)\}", s)))) for s in phrase}
                assert len(placeholders) == 1, (genre, field, phrase[0])
    for table in (CITIES, SETTINGS, FRAMES):
        for key, phrase in table.items():
            assert len(phrase) == 8, key


def test_every_turn_and_hook_names_its_genre_in_every_language():
    for genre, bank in BANKS.items():
        for phrase in (*bank.turns, *bank.hooks):
            for language, sentence in zip(LANGUAGES, phrase, strict=True):
                words = bank.keywords_for(language)
                assert any(w.casefold() in sentence.casefold() for w in words), (
                    genre,
                    language,
                    sentence,
                )


def test_compose_renders_one_story_in_every_language():
    story = Story(
        genre="horror",
        hero=0,
        setup=0,
        turns=(0,),
        hook=1,
        setting="hospital",
        city="seoul",
        title=1,
        with_city=True,
        frame="series",
        values={"episodes": 8, "minutes": 50},
    )
    texts = {lang: compose(story, lang) for lang in LANGUAGES}
    assert texts["en"].name == "Night Whispers in Seoul"
    assert texts["en"].synopsis == (
        "When a young night-shift nurse arrives at a city hospital in Seoul, strange whispers "
        "begin at night. The ghost of a girl who died there decades ago begins to haunt the "
        "nurse. Some doors should stay closed; some spirits never rest. Series: 8 episodes × "
        "50 minutes."
    )
    assert texts["ko"].name == "서울의 밤의 속삭임"
    assert texts["ko"].logline == (
        "젊은 야간 간호사가 서울의 시립 병원에 온 뒤부터 밤마다 이상한 속삭임이 들려온다."
    )
    assert texts["ja"].synopsis.startswith("夜勤の若い看護師がソウルの市立病院にやって来てから")
    assert texts["zh-Hans"].name == "首尔夜半低语"
    assert texts["vi"].name == "Tiếng thì thầm lúc nửa đêm ở Seoul"


# --------------------------------------------------------------------------------------
# Determinism (pure)


def test_same_seed_gives_the_same_market_and_another_seed_does_not():
    scale = DemoScale(exhibitors=30, participants=120, titles=60)
    first = plan_digest(plan_market(seed=7, scale=scale))
    assert first == plan_digest(plan_market(seed=7, scale=scale))
    assert first != plan_digest(plan_market(seed=8, scale=scale))


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ({"exhibitors": 5}, "at least 10 exhibitors"),
        ({"exhibitors": 100, "participants": 50}, "too few for 100 exhibitors: give at least 140"),
        ({"titles": -1}, "cannot be negative"),
    ],
)
def test_impossible_scales_are_refused_with_a_message(scale, message):
    with pytest.raises(DemoError, match=message):
        DemoScale(**scale)


# --------------------------------------------------------------------------------------
# The database build at a small scale


@pytest.fixture
def small_demo(db):
    return demo_build(seed=2025, scale=SMALL, password=PASSWORD)


def _demo_titles():
    return Title.objects.filter(owner__slug__startswith="demo-")


def test_build_writes_exactly_the_plan(small_demo):
    plan = plan_market(seed=2025, scale=SMALL)
    assert small_demo.created is True
    edition = Edition.objects.get(slug="filmart-2025")
    assert (edition.name, edition.is_current, edition.time_zone) == (
        "FILMART 2025",
        True,
        "Asia/Hong_Kong",
    )
    assert Organisation.objects.count() == len(plan.organisations)
    assert Exhibitor.objects.filter(edition=edition, booth__isnull=False).count() == 40
    assert Pavilion.objects.filter(edition=edition, kind="country").count() == 32
    assert Pavilion.objects.filter(edition=edition, kind="hub").count() == 1
    assert Participant.objects.count() == 200
    assert Registration.objects.filter(edition=edition).count() == 200
    assert ParticipantRole.objects.count() == sum(len(p.roles) for p in plan.people)
    assert _demo_titles().count() == 120
    assert Booth.objects.get(number="1C-D12").tables == 2


def test_built_titles_cover_every_kind_and_all_eight_languages(small_demo):
    assert set(_demo_titles().values_list("kind", flat=True)) == set(TitleKind.values)
    assert set(TitleText.objects.values_list("language", flat=True)) == set(LANGUAGES)
    for title in _demo_titles().prefetch_related("texts"):
        languages = [t.language for t in title.texts.all()]
        assert "en" in languages and title.original_language in languages
        assert 2 <= len(languages) <= 4
        original = next(t for t in title.texts.all() if t.language == title.original_language)
        assert original.name == title.original_title


def test_synopses_speak_of_their_genres_in_their_language(small_demo):
    checked = Counter()
    texts = TitleText.objects.filter(title__in=_demo_titles())
    genres: dict[int, list[str]] = {}
    for title_id, genre in TitleGenre.objects.values_list("title_id", "genre"):
        genres.setdefault(title_id, []).append(genre)
    for text in texts:
        for genre in genres[text.title_id]:
            if genre == "animation":
                continue
            words = BANKS[genre].keywords_for(text.language)
            assert any(w.casefold() in text.synopsis.casefold() for w in words), (
                genre,
                text.language,
                text.synopsis,
            )
            checked[genre] += 1
    assert checked["horror"] > 0 and checked["family"] > 0 and checked["romance"] > 0


def test_avails_sell_and_hold_without_conflict(small_demo):
    statuses = Counter(RightsWindow.objects.values_list("status", flat=True))
    assert statuses[WindowStatus.SOLD] > 0 and statuses[WindowStatus.ON_HOLD] > 0
    assert RightsWindow.objects.filter(exclusive=False).exists()
    assert RightsWindow.objects.filter(territories=["WW"]).exclude(excluded=[]).exists()
    for title in _demo_titles().prefetch_related("rights"):
        windows = [RightsInput.model_validate(w, from_attributes=True) for w in title.rights.all()]
        assert 3 <= len(windows) <= 12
        validate_rights(windows)
        for window in windows:
            assert (window.status == WindowStatus.AVAILABLE) == (window.counterparty == "")


def test_printed_logins_work_and_other_accounts_cannot_log_in(small_demo):
    assert [login.email for login in small_demo.logins[:3]] == [
        "mei@demo.example",
        "kenji@demo.example",
        "linh@demo.example",
    ]
    # then the journeys' stand-ins the small demo has (market/demo/personas.py), each once
    personas = small_demo.logins[3:]
    roles = [login.role for login in personas]
    assert roles == sorted(roles, key=["producer", "foundation", "applicant", "juror"].index)
    assert {"producer", "applicant", "juror"} <= set(roles)  # this small demo has no FR foundation
    assert len({login.email for login in small_demo.logins}) == len(small_demo.logins)
    for login in personas:
        assert authenticate(username=login.email, password=PASSWORD) is not None, login
    mei = authenticate(username="mei@demo.example", password=PASSWORD)
    assert (mei.is_staff, mei.is_superuser) == (True, True)
    assert mei.participant.role_set == {Role.ORGANISER}
    kenji = authenticate(username="kenji@demo.example", password=PASSWORD)
    exhibitor = Exhibitor.objects.get(organisation=kenji.participant.organisation)
    assert (exhibitor.booth.number, exhibitor.pavilion.slug) == ("1C-D12", "japan-film")
    assert kenji.participant.organisation.titles.count() == 4
    linh = authenticate(username="linh@demo.example", password=PASSWORD)
    assert (linh.participant.time_zone, linh.participant.organisation.kind) == (
        "Asia/Ho_Chi_Minh",
        "streamer",
    )
    assert linh.participant.registrations.get().attendance == "online"
    others = get_user_model().objects.exclude(
        username__in=[login.email for login in small_demo.logins]
    )
    assert not any(user.has_usable_password() for user in others)


# --------------------------------------------------------------------------------------
# Re-runs and resets


def test_running_again_adds_nothing_and_only_resets_the_passwords(small_demo):
    before = demo_digest()
    again = demo_build(seed=2025, scale=SMALL, password="another-pass-1")
    assert again.created is False
    assert demo_digest() == before
    assert Participant.objects.count() == 200 and _demo_titles().count() == 120
    assert authenticate(username="linh@demo.example", password="another-pass-1") is not None
    assert authenticate(username="linh@demo.example", password=PASSWORD) is None


def test_running_again_with_other_settings_asks_for_reset(small_demo):
    with pytest.raises(DemoError, match="--reset"):
        demo_build(seed=2025, scale=DemoScale(exhibitors=40, participants=200, titles=50))
    with pytest.raises(DemoError, match="other settings"):
        demo_build(seed=99, scale=SMALL)
    assert _demo_titles().count() == 120


def test_reset_rebuilds_the_same_rows_and_keeps_everything_else(db, monkeypatch):
    monkeypatch.setattr("reelmarket.market.demo.reset._DELETE_CHUNK", 16)  # many chunks
    other_edition = EditionFactory(is_current=True, name="FILMART 2024", slug="filmart-2024")
    other_org = OrganisationFactory(name="Real Pictures", slug="real-pictures")
    other_title = TitleFactory(owner=other_org, reference="R-1")
    other_person = RegistrationFactory(edition=other_edition).participant

    demo_build(seed=2025, scale=SMALL, password=PASSWORD)
    first = demo_digest()
    assert Edition.objects.get(slug="filmart-2025").is_current is False  # 2024 stays current
    demo_build(seed=2025, scale=SMALL, password=PASSWORD, reset=True)
    assert demo_digest() == first

    # As if another app referred to titles: they go through the ORM, chunk by chunk.
    monkeypatch.setattr(
        "reelmarket.market.demo.reset.only_catalogue_points_at_titles", lambda: False
    )
    deleted = demo_reset()
    assert deleted["titles"] == 120 and deleted["accounts"] == 200 and deleted["editions"] == 1
    assert not Organisation.objects.filter(slug__startswith="demo-").exists()
    assert not get_user_model().objects.filter(username__endswith="demo.example").exists()
    assert list(Edition.objects.values_list("slug", flat=True)) == ["filmart-2024"]
    assert Title.objects.get() == other_title
    assert Participant.objects.get() == other_person
    assert Organisation.objects.filter(pk=other_org.pk).exists()


def test_reset_refuses_when_someone_elses_rows_sit_in_the_demo_edition(small_demo):
    edition = Edition.objects.get(slug="filmart-2025")
    RegistrationFactory(edition=edition, participant=ParticipantFactory())
    with pytest.raises(DemoError, match="1 registrations that the demo did not create"):
        demo_reset()
    assert _demo_titles().count() == 120


def test_an_edition_the_demo_did_not_make_is_left_alone(db):
    EditionFactory(slug="filmart-2025", name="FILMART 2025", is_current=True)
    with pytest.raises(DemoError, match="was not made by the demo"):
        demo_build(seed=2025, scale=SMALL)
    assert not Organisation.objects.exists()


# --------------------------------------------------------------------------------------
# The command


def test_command_prints_the_logins_with_the_url(db):
    out = StringIO()
    call_command(
        "demo",
        "--exhibitors",
        "20",
        "--participants",
        "80",
        "--titles",
        "30",
        "--password",
        PASSWORD,
        "--quiet",
        stdout=out,
    )
    output = out.getvalue()
    assert "Demo market built in" in output
    assert "20 exhibitors" in output and "30 titles" in output
    assert "Open http://127.0.0.1:8000" in output
    lines = output.splitlines()
    for role, email in (
        ("organiser", "mei@demo.example"),
        ("exhibitor", "kenji@demo.example"),
        ("buyer", "linh@demo.example"),
    ):
        line = next(line for line in lines if line.startswith(f"  {role:<10} {email} "))
        assert line.endswith("  password: demo-pass-2025"), line
    assert "Kenji Sato — Hoshizora Pictures International, Tokyo; booth 1C-D12; 1 titles" in output


def test_command_turns_bad_settings_into_a_message(db):
    with pytest.raises(CommandError, match="too few for 100 exhibitors"):
        call_command("demo", "--exhibitors", "100", "--participants", "30", "--quiet")
    with pytest.raises(CommandError, match="password cannot be empty"):
        call_command("demo", "--password", " ", "--titles", "0", "--quiet")


def test_catalogue_scale_multiplies_the_default_catalogue(db):
    out = StringIO()
    call_command(
        "demo",
        "--exhibitors",
        "20",
        "--participants",
        "80",
        "--catalogue-scale",
        "1",
        "--batch-size",
        "500",
        "--quiet",
        stdout=out,
    )
    assert "1,200 titles." in out.getvalue()
    assert Title.objects.count() == 1200
