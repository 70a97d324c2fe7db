"""The `amser` command as a coordinator uses it: clear one-line errors, and a bot that runs."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import sys
from pathlib import Path

import pytest

from bot.emulator import BotApiEmulator


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    return {**env, **extra}


# The installed `amser` script, beside this Python; `python -m bot` must behave the same.
SCRIPT = shutil.which("amser", path=str(Path(sys.executable).parent)) or "amser"
MODULE = (sys.executable, "-m", "bot")


async def amser(
    *args: str, cwd: Path, env: dict[str, str] | None = None, launcher: tuple[str, ...] = MODULE
) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *launcher,
        *args,
        cwd=cwd,
        env=env or environment(),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def assert_one_line_error(code: int, err: str, *needles: str) -> None:
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("amser: error:"), err
    for needle in needles:
        assert needle in lines[0]


async def test_no_token_names_the_environment_variable(tmp_path: Path) -> None:
    code, _, err = await amser("run", cwd=tmp_path)
    assert_one_line_error(code, err, "TELEGRAM_BOT_TOKEN")


async def test_unknown_config_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text('[community]\nnmae = "x"\n')
    code, _, err = await amser(
        "run", "--config", "c.toml", cwd=tmp_path, env=environment(TELEGRAM_BOT_TOKEN="1:a")
    )
    assert_one_line_error(code, err, "community.nmae")


async def test_malformed_config_is_reported(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text("[community\n")
    code, _, err = await amser("run", "--config", "c.toml", cwd=tmp_path)
    assert_one_line_error(code, err, "not valid TOML")


async def emulator_config(tmp_path: Path, emulator: BotApiEmulator, **values: str) -> Path:
    lines = [
        "[telegram]",
        f'api_base_url = "{emulator.base_url.removesuffix("/bot")}"',
        "poll_timeout = 1",
        "[database]",
        f'path = "{values.get("database", tmp_path / "amser.db")}"',
    ]
    path = tmp_path / "config.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


async def test_unwritable_database_path(tmp_path: Path, emulator: BotApiEmulator) -> None:
    config = await emulator_config(
        tmp_path, emulator, database=str(tmp_path / "missing" / "dir" / "a.db")
    )
    code, _, err = await amser(
        "run",
        "--config",
        str(config),
        cwd=tmp_path,
        env=environment(TELEGRAM_BOT_TOKEN=emulator.token),
    )
    assert_one_line_error(code, err, "cannot use the database", "a.db")


async def test_a_token_telegram_rejects(tmp_path: Path, emulator: BotApiEmulator) -> None:
    config = await emulator_config(tmp_path, emulator)
    code, _, err = await amser(
        "run",
        "--config",
        str(config),
        cwd=tmp_path,
        env=environment(TELEGRAM_BOT_TOKEN="999:WRONG"),
    )
    assert_one_line_error(code, err, "rejected the bot token")


async def test_run_serves_a_member_through_the_configured_api(
    tmp_path: Path, emulator: BotApiEmulator
) -> None:
    config = await emulator_config(tmp_path, emulator)
    process = await asyncio.create_subprocess_exec(
        SCRIPT,
        "run",
        "--config",
        str(config),
        cwd=tmp_path,
        env=environment(TELEGRAM_BOT_TOKEN=emulator.token),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await emulator.wait_for_long_poll(timeout=30)
        member = emulator.member(301, "Elin")
        await member.send("/start")
        reply = await emulator.wait_for_call(
            lambda call: call.method == "sendMessage" and call.params.get("chat_id") == 301,
            timeout=30,
        )
        assert reply.ok and "Which language would you like?" in reply.params["text"]
    finally:
        process.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()


async def test_backup_without_a_database_is_one_line(tmp_path: Path) -> None:
    code, _, err = await amser("backup", "copy.db", cwd=tmp_path)
    assert_one_line_error(code, err, "there is no database")


@pytest.mark.parametrize("launcher", [MODULE, (SCRIPT,)], ids=["python -m bot", "amser"])
async def test_demo_plays_the_community_and_exits_0(
    tmp_path: Path, launcher: tuple[str, ...]
) -> None:
    code, out, err = await amser("demo", cwd=tmp_path, launcher=launcher)
    assert code == 0, err
    assert "Eleri presses [Cymraeg]" in out and "Tom presses [English]" in out
    assert "Croeso i Amser Caerdydd, Eleri!" in out and "Welcome to Amser Caerdydd, Tom!" in out
    assert "Hello again! You were part-way through joining" in out
    assert "Bot → Tom: Could you help with this?" in out  # the match notice
    assert "You can now talk to Eleri on Telegram directly." in out  # contact, by consent
    # Act two: an ambassador's event, with a waiting list and a reminder, and a community notice.
    assert "Tom: /start event-1\nBot → Tom: 📅 Repair café" in out  # the card, from its link
    assert "Bot → Tom: 📣 A new event in Amser Caerdydd:" in out  # announced to everyone
    assert "You're on the waiting list (number 1)." in out
    assert "Bot → Tom: 🎉 Good news: a place has come up and it's yours." in out
    assert "Bot → Tom: ⏰ A reminder: you're going to this, Saturday 28 November 2026" in out
    assert "Bot → Siân: ⏰ Nodyn atgoffa: rydych chi'n mynd i hwn" in out
    # Siân volunteered: credited from the pot, and told in Welsh.
    assert "Bot → Siân: 🙋 Diolch am wirfoddoli yn Repair café!" in out
    assert "Sending your broadcast to everyone" in out
    assert "Bot → Eleri: Diolch i bawb a ddaeth i'r caffi trwsio!" in out  # her own language
    assert "Bot → Eleri: Thank you to all" not in out
    assert "Your broadcast to everyone has finished\n   Delivered: 5" in out  # the summary
    # A crisis reply, in Welsh, with the helplines, and Eleri asking for a person.
    assert "Bot → Eleri: Diolch am ddweud wrthon ni." in out and "0808 164 0123" in out
    assert "Eleri presses [Iawn, gofynnwch i rywun gysylltu â fi]" in out
    # Her weekly check-in, answered with one tap; the request reaching Gwen, who takes it.
    assert "Bot → Eleri: Helo! Sut mae pethau?" in out and "Eleri presses [🙂 Da]" in out
    assert "Bot → Gwen: 🙋 Eleri would like someone from the community to get in touch" in out
    assert "🟢 Gwen has taken this." in out and "isio marw" not in out.split("Bot → Gwen: 🙋")[1]
    assert "Bot → Eleri: Newyddion da: mae Gwen o Amser Caerdydd wedi gweld eich cais" in out
    # Act four: a role given by chat, told in Welsh with the commands it adds; a warning with
    # its Appeal button; the appeal reaching the other coordinator only, who lifts it.
    act_four = out.split("— Act four: coordinators at work —")[1]
    assert "Bot → Eleri: 🎉 Rydych chi nawr yn llysgennad yn Amser Caerdydd." in act_four
    assert "/event — Creu digwyddiad cymunedol" in act_four
    assert "Bot → Tom: ⚠️ A warning from the coordinators of Amser Caerdydd" in act_four
    assert "Tom presses [✋ Appeal]" in act_four
    assert "Bot → Huw: ✋ An appeal from Tom" in act_four and "Given by Siân." in act_four
    assert "Bot → Siân: ✋" not in act_four  # not to the coordinator who gave it
    assert "Bot edits message → Huw: ↩️ You lifted it. I've let Tom know." in act_four
    assert "Bot → Tom: ↩️ A coordinator has looked at your appeal and agreed" in act_four
    assert "Traceback" not in err


async def test_an_unreachable_api_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text('[telegram]\napi_base_url = "http://127.0.0.1:9"\n')
    code, _, err = await amser(
        "run", "--config", "c.toml", cwd=tmp_path, env=environment(TELEGRAM_BOT_TOKEN="1:a")
    )
    assert_one_line_error(code, err, "cannot reach the Bot API at http://127.0.0.1:9")
