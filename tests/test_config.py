"""The configuration: defaults, the example file, and one clear line for every mistake."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import DEFAULT_AREAS, ConfigError, load_config, parse_config

ROOT = Path(__file__).parent.parent


def test_no_file_means_sensible_defaults_and_the_token_from_the_environment() -> None:
    config = load_config(None, environ={"TELEGRAM_BOT_TOKEN": "42:abc"})
    assert config.token == "42:abc"
    assert config.database_path == Path("amser.db")
    assert config.areas == DEFAULT_AREAS
    assert config.bot_base_url == "https://api.telegram.org/bot"
    assert load_config(None, environ={}).token is None


def test_the_example_config_loads_and_documents_every_key() -> None:
    example = ROOT / "config.example.toml"
    config = load_config(example, environ={})
    assert config.community_name and config.areas and config.categories
    text = example.read_text()
    from bot.config import _SCHEMA

    for section, keys in _SCHEMA.items():
        assert f"[{section}]" in text
        for key in keys:
            assert re.search(rf"^#? ?{key} =", text, re.MULTILINE), f"{section}.{key} undocumented"


def test_housekeeping_defaults_and_settings() -> None:
    assert load_config(None, environ={}).match_notice_days == 90
    assert load_config(None, environ={}).fts_optimise_hours == 24
    config = parse_config(
        {"housekeeping": {"match_notice_days": 7, "fts_optimise_hours": 0.5}}, environ={}
    )
    assert (config.match_notice_days, config.fts_optimise_hours) == (7, 0.5)


def test_environment_token_wins_over_the_file() -> None:
    config = parse_config(
        {"telegram": {"token": "1:file"}}, environ={"TELEGRAM_BOT_TOKEN": "2:env"}
    )
    assert config.token == "2:env"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"telegram": {"tokn": "x"}}, "unknown config key 'telegram.tokn'"),
        ({"databse": {}}, "unknown config section 'databse'"),
        (
            {"community": {"require_approval": "yes"}},
            "'community.require_approval' must be true or false",
        ),
        ({"roles": {"admins": ["me"]}}, "'roles.admins' must be a list of Telegram user ids"),
        ({"community": {"timezone": "Mars/Base"}}, "'community.timezone' is not a known time zone"),
        (
            {"community": {"areas": [{"key": "a", "en": "A"}]}},
            "'community.areas' must be a list of",
        ),
        (
            {"community": {"areas": [{"key": "a b", "en": "A", "cy": "A"}]}},
            "must be letters, digits",
        ),
        ({"onboarding": {"reminder_after_hours": 0}}, "must be a positive number"),
        ({"telegram": "token"}, "config section 'telegram' must be a table"),
        (
            {"housekeeping": {"match_notice_days": 6}},
            "'housekeeping.match_notice_days' must be a whole number of days, at least 7",
        ),
        ({"housekeeping": {"fts_optimise_hours": 0}}, "must be a positive number"),
        ({"updates": {"member_burst": 0}}, "'updates.member_burst' must be a positive whole"),
        ({"updates": {"member_per_second": -1}}, "'updates.member_per_second' must be a positive"),
    ],
)
def test_mistakes_are_named(data: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config(data, environ={})


def test_each_member_may_send_a_burst_then_a_steady_rate() -> None:
    defaults = parse_config({}, environ={})
    assert (defaults.member_burst, defaults.member_per_second) == (20, 2.0)
    config = parse_config({"updates": {"member_burst": 5, "member_per_second": 0.5}}, environ={})
    assert (config.member_burst, config.member_per_second) == (5, 0.5)


def test_organisations_default_to_none_and_are_read_as_names() -> None:
    assert parse_config({}, environ={}).organisations == ()
    config = parse_config(
        {"ledger": {"organisations": ["Canton Library", " Splott Community Centre "]}}, environ={}
    )
    assert config.organisations == ("Canton Library", "Splott Community Centre")
    assert parse_config({"ledger": {"organisations": []}}, environ={}).organisations == ()


@pytest.mark.parametrize(
    ("organisations", "message"),
    [
        ("Canton Library", "'ledger.organisations' must be a list of organisation names"),
        (["Canton Library", 7], "'ledger.organisations' must be a list of organisation names"),
        (["Canton Library", "  "], "'ledger.organisations' must be a list of organisation names"),
        (["x" * 61], "at most 60 characters"),
        (["Canton\nLibrary"], "each on one line"),
        (
            ["Canton Library", "canton library"],
            "config key 'ledger.organisations' has the same organisation twice",
        ),
    ],
)
def test_bad_organisations_are_named(organisations: object, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config({"ledger": {"organisations": organisations}}, environ={})


def test_unreadable_or_malformed_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[telegram\ntoken = 1")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(bad)


def test_event_group_chats_are_chat_ids_each_once() -> None:
    assert load_config(None, environ={}).event_group_chats == ()
    config = parse_config({"events": {"group_chats": [-1001, -1002]}}, environ={})
    assert config.event_group_chats == (-1001, -1002)
    for bad in (["-1001"], [-1001, -1001], -1001, [True]):
        with pytest.raises(ConfigError, match=r"events\.group_chats"):
            parse_config({"events": {"group_chats": bad}}, environ={})


def test_safeguarding_defaults_ship_the_wales_helplines_and_both_languages_words() -> None:
    config = parse_config({}, environ={})
    numbers = [helpline.number for helpline in config.helplines]
    assert numbers == ["116 123", "0808 164 0123", "111", "999"]
    assert "kill myself" in config.crisis_words_en
    assert "lladd fy hun" in config.crisis_words_cy
    assert config.helplines[1].name("cy") == "Samaritans yn Gymraeg"
    # The example file says the same as the defaults.
    example = load_config(ROOT / "config.example.toml", environ={})
    assert example.helplines == config.helplines
    assert example.crisis_words_en == config.crisis_words_en
    assert example.crisis_words_cy == config.crisis_words_cy


def test_safeguarding_settings_are_read() -> None:
    config = parse_config(
        {
            "safeguarding": {
                "crisis_words_en": ["  give  up "],
                "crisis_words_cy": [],
                "helplines": [{"name_en": "Line", "name_cy": "Llinell", "number": "+44 20 1234"}],
            }
        },
        environ={},
    )
    assert config.crisis_words_en == ("give up",)
    assert config.crisis_words_cy == ()
    assert config.helplines[0].note("cy") == ""
    assert config.crisis_words.phrases[0][0] == "give up"


@pytest.mark.parametrize(
    ("safeguarding", "message"),
    [
        ({"crisis_words_en": "suicide"}, "'safeguarding.crisis_words_en' must be a list"),
        ({"crisis_words_cy": ["marw", "MARW"]}, "has the same phrase twice"),
        ({"crisis_words_en": ["  "]}, "must be a list of different words"),
        ({"helplines": []}, "'safeguarding.helplines' must be a list of"),
        ({"helplines": [{"name_en": "A", "number": "1"}]}, "must be a list of"),
        (
            {"helplines": [{"name_en": "A", "name_cy": "A", "number": "call us"}]},
            "is not a phone number",
        ),
        (
            {"helplines": [{"name_en": "A", "name_cy": "A", "number": "1", "web": "x"}]},
            "must be a list of",
        ),
    ],
)
def test_safeguarding_mistakes_are_named(safeguarding: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config({"safeguarding": safeguarding}, environ={})
