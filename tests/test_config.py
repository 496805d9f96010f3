from __future__ import annotations

import pytest

from reelmarket.config.env import SettingError, env_bool, env_list, env_str, persistent_secret


def test_env_reads_the_prefixed_variables(monkeypatch):
    monkeypatch.setenv("REELMARKET_ALLOWED_HOSTS", "a.example, b.example ,")
    monkeypatch.setenv("REELMARKET_DEBUG", "Yes")
    monkeypatch.setenv("REELMARKET_X", "value")
    assert env_list("ALLOWED_HOSTS", []) == ["a.example", "b.example"]
    assert env_bool("DEBUG", default=False) is True
    assert env_str("X") == "value"
    assert env_str("MISSING", "fallback") == "fallback"


def test_a_bad_boolean_names_the_variable(monkeypatch):
    monkeypatch.setenv("REELMARKET_DEBUG", "maybe")
    with pytest.raises(SettingError, match=r"REELMARKET_DEBUG='maybe'"):
        env_bool("DEBUG", default=False)


def test_the_generated_secret_is_kept_and_private(tmp_path):
    path = tmp_path / "var" / "secret_key"
    first = persistent_secret(path)
    assert len(first) == 50
    assert persistent_secret(path) == first
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_console_script_runs_django_commands(capsys):
    from reelmarket.__main__ import main

    main(["check", "--fail-level", "ERROR"])
    assert "System check identified no issues" in capsys.readouterr().out


def _settings_with(monkeypatch, tmp_path, url: str) -> dict:
    """The settings module's DATABASES for ``REELMARKET_DATABASE_URL=url``."""
    import importlib.util

    from reelmarket.config import settings as module

    monkeypatch.setenv("REELMARKET_DATABASE_URL", url)
    monkeypatch.setenv("REELMARKET_VAR_DIR", str(tmp_path))
    spec = importlib.util.spec_from_file_location("settings_copy", module.__file__)
    copy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(copy)
    return copy.DATABASES["default"]


def test_postgresql_connections_turn_jit_off_unless_the_url_sets_options(monkeypatch, tmp_path):
    plain = _settings_with(monkeypatch, tmp_path, "postgres://u@127.0.0.1:5432/db")
    assert plain["OPTIONS"]["options"] == "-c jit=off"
    own = _settings_with(
        monkeypatch, tmp_path, "postgres://u@127.0.0.1:5432/db?options=-c%20work_mem%3D64MB"
    )
    assert own["OPTIONS"]["options"] == "-c work_mem=64MB"
    sqlite = _settings_with(monkeypatch, tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert "options" not in sqlite.get("OPTIONS", {})
