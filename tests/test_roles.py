"""/promote and /demote through the emulator, in English and Welsh: a role given by chat works
at once (commands, menu) and after a restart, is taken away again, is written to the audit with
the change, and each refusal changes nothing."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from bot.config import Config
from bot.domain.roles import Role
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from storage.audit import AuditAction
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import join, joined, member_of, signed, tap
from tests.test_introductions import introduced

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "promoted": "You're now an ambassador",
        "admin": "You're now a coordinator",
        "can": "/queue",
        "ended": "Your role as an ambassador",
        "refused": "this is for ambassadors and coordinators",
        "queue": "Requests for someone to get in touch",
    },
    "cy": {
        "promoted": "Rydych chi nawr yn llysgennad",
        "admin": "Rydych chi nawr yn gydlynydd",
        "can": "/queue",
        "ended": "Mae eich rôl fel llysgennad",
        "refused": "ar gyfer llysgenhadon a chydlynwyr yn unig",
        "queue": "Ceisiadau",
    },
}


def menu(emulator: BotApiEmulator, person: SimulatedMember) -> set[str]:
    commands = emulator.commands({"type": "chat", "chat_id": person.user_id})
    return {command["command"] for command in commands}


async def audit_rows(app: AmserApplication) -> list[tuple[Any, ...]]:
    rows = await app.services.audit.recent()
    return [(row.action, row.actor_id, row.target_id, row.reason, row.details) for row in rows]


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_promoted_at_once_and_after_a_restart_then_demoted(
    config: Config, clock: FakeClock, language: str
) -> None:
    words = WORDS[language]
    async with BotApiEmulator() as emulator:
        async with running_bot(config, emulator, clock) as app:
            admin = await joined(emulator, ADMIN_ID, "Cai")
            ann = await joined(emulator, 401, "Ann", language=language, username="ann_w")
            await ann.send("/queue")
            assert words["refused"] in ann.last.text
            assert "queue" not in menu(emulator, ann)
            await admin.send("/promote @ann_w ambassador because she runs the repair café")
            assert "Ann is now an ambassador" in admin.last.text
            await app.settle()
            told = ann.last.text
            assert words["promoted"] in told and words["can"] in told
            assert "queue" in menu(emulator, ann) and "promote" not in menu(emulator, ann)
            await ann.send("/queue")
            assert words["refused"] not in ann.last.text
            admin_id, ann_id = (await member_of(app, admin)).id, (await member_of(app, ann)).id
            assert await audit_rows(app) == [
                (
                    AuditAction.PROMOTE,
                    admin_id,
                    ann_id,
                    "because she runs the repair café",
                    {"role": "ambassador", "before": "member"},
                )
            ]
            # The same again (a double tap, an update delivered twice) changes nothing.
            await admin.send("/promote @ann_w ambassador")
            assert "Ann is already an ambassador" in admin.last.text
            assert len(await audit_rows(app)) == 1
        async with running_bot(config, emulator, clock) as app:
            await ann.send("/queue")
            assert words["refused"] not in ann.last.text
            assert "queue" in menu(emulator, ann)
            await admin.send("/demote Ann")
            assert "Ann is now a member without a role" in admin.last.text
            await app.settle()
            assert words["ended"] in ann.last.text
            assert "queue" not in menu(emulator, ann)
            await ann.send("/queue")
            assert words["refused"] in ann.last.text
            [demoted, _promoted] = await audit_rows(app)
            assert demoted == (
                AuditAction.DEMOTE,
                admin_id,
                ann_id,
                None,
                {"role": "member", "before": "ambassador"},
            )
            await admin.send("/demote Ann")
            assert "Ann has no role to take away" in admin.last.text
            assert len(await audit_rows(app)) == 2
            assert not app.services.errors


REFUSALS: dict[str, dict[str, str]] = {
    "en": {
        "not_admin": "this is for coordinators",
        "who": "Who is it about?",
        "no_username": "I don't know anyone as @nobody",
        "no_id": "No member has the Telegram id 999999",
        "no_name": "I can't find a member called “Zed”",
        "self": "That's you!",
        "which_role": "Which role should Ann have?",
        "no_role": "Ann has no role to take away",
        "config": "Alys's role is set in the config file",
        "long": "That reason is a little long",
        "promoted": "Bob is now an ambassador",
        "left": "They have left Amser",
    },
    "cy": {
        "not_admin": "ar gyfer cydlynwyr yn unig",
        "who": "Am bwy mae e?",
        "no_username": "Dydw i ddim yn adnabod neb fel @nobody",
        "no_id": "Does dim aelod â'r rhif adnabod Telegram 999999",
        "no_name": "Alla i ddim dod o hyd i aelod o'r enw “Zed”",
        "self": "Chi yw hwnna!",
        "which_role": "Pa rôl ddylai fod gan Ann?",
        "no_role": "Does gan Ann ddim rôl",
        "config": "Mae rôl Alys wedi'i gosod yn y ffeil ffurfweddu",
        "long": "Mae'r rheswm braidd yn hir",
        "promoted": "Mae Bob yn llysgennad nawr",
        "left": "Maen nhw wedi gadael Amser",
    },
}


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_every_refusal_is_explained_and_changes_nothing(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = REFUSALS[language]
    admin = await joined(emulator, ADMIN_ID, "Cai", language=language)
    alys = await joined(emulator, AMBASSADOR_ID, "Alys", language=language)
    ann = await joined(emulator, 401, "Ann", language=language)
    for person, typed in ((ann, "/promote Alys admin"), (alys, "/promote Ann ambassador")):
        await person.send(typed)
        assert words["not_admin"] in person.last.text
    for typed, said in (
        ("/promote", "who"),
        ("/demote", "who"),
        ("/promote @nobody ambassador", "no_username"),
        ("/promote 999999 admin", "no_id"),
        ("/promote Zed admin", "no_name"),
        ("/promote Cai admin", "self"),
        ("/demote Cai", "self"),
        ("/promote Ann", "which_role"),
        ("/promote Ann boss", "which_role"),
        ("/demote Ann", "no_role"),
        ("/demote Alys", "config"),
        ("/promote Alys admin", "config"),
        ("/promote Ann ambassador " + "x" * 201, "long"),
    ):
        await admin.send(typed)
        assert words[said] in admin.last.text, typed
    assert await audit_rows(bot) == []
    assert bot.services.role_of(ann.user_id) is Role.MEMBER
    assert bot.services.role_of(AMBASSADOR_ID) is Role.AMBASSADOR


@pytest.mark.parametrize("language", ["en", "cy"])
async def test_by_reply_to_a_relayed_message_and_not_once_they_have_left(
    bot: AmserApplication, emulator: BotApiEmulator, language: str
) -> None:
    words = REFUSALS[language]
    admin = await joined(emulator, ADMIN_ID, "Cai", language=language)
    bob = await joined(emulator, 402, "Bob")
    await introduced(bot, admin, bob)
    await tap(bot, bob, "in", "msg")
    await bob.send("I run the repair café on Saturdays")
    await bot.settle()
    relayed = next(m for m in reversed(admin.messages) if "repair café" in m.text)
    await admin.send("/promote ambassador", reply_to=relayed)
    assert words["promoted"] in admin.last.text
    assert bot.services.role_of(bob.user_id) is Role.AMBASSADOR
    await admin.send("/promote admin", reply_to=admin.messages[0])  # not relayed
    assert "@" in admin.last.text and bot.services.role_of(bob.user_id) is Role.AMBASSADOR
    await bob.send("/forget")
    await bob.press("Yes, erase my details")
    assert bot.services.role_of(bob.user_id) is Role.MEMBER  # a chat role goes with them
    await admin.send("/demote", reply_to=relayed)
    assert words["left"] in admin.last.text
    assert len(await audit_rows(bot)) == 1


async def test_several_with_the_name_are_offered_as_buttons(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    admin = await joined(emulator, ADMIN_ID, "Cai")
    first = emulator.member(401, "Ann")
    await join(first, area="Canton")
    second = emulator.member(402, "Ann")
    await join(second, area="Riverside")
    await admin.send("/promote ann admin for the north")
    assert "More than one member has that name" in admin.last.text
    choice = admin.last.button("Ann · Riverside · 402")
    # Someone else pressing it (forged for themselves) is refused: they are not a coordinator.
    forged = signed(
        bot, first, *bot.services.callbacks.verify(ADMIN_ID, choice.callback_data or "") or []
    )
    await first.press_data(forged)
    assert bot.services.role_of(second.user_id) is Role.MEMBER
    await admin.press("Ann · Riverside · 402")
    assert "You chose Ann" in admin.messages[-2].text
    assert "Ann is now a coordinator" in admin.last.text
    await admin.press_data(choice.callback_data or "", admin.messages[-2].message_id)  # again
    assert bot.services.role_of(second.user_id) is Role.ADMIN
    assert bot.services.role_of(first.user_id) is Role.MEMBER
    [row] = await audit_rows(bot)
    assert row[3] == "for the north"


async def test_promoted_to_coordinator_by_telegram_id(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    admin = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    await joined(emulator, 402, "Bob")
    await admin.send("/promote 401 admin")
    assert "Telegram id 401 is Ann." in admin.last.text
    assert "Ann is now a coordinator" in admin.last.text
    await bot.settle()
    assert "You're now a coordinator" in ann.last.text and "/promote" in ann.last.text
    assert {"promote", "demote", "pending"} <= menu(emulator, ann)
    await ann.send("/promote Bob ambassador")  # at once, without a restart
    assert "Bob is now an ambassador" in ann.last.text
    await ann.send("/demote Cai")
    assert "Cai's role is set in the config file" in ann.last.text


async def test_a_coordinator_named_in_the_config_cannot_be_demoted_by_chat(
    config: Config, clock: FakeClock
) -> None:
    async with BotApiEmulator() as emulator:
        both = replace(config, admins=frozenset({ADMIN_ID, 9003}))
        async with running_bot(both, emulator, clock) as app:
            admin = await joined(emulator, ADMIN_ID, "Cai")
            await joined(emulator, 9003, "Dai")
            await admin.send("/demote Dai")
            assert "Dai's role is set in the config file" in admin.last.text
            assert app.services.role_of(9003) is Role.ADMIN
            assert await audit_rows(app) == []
            assert not app.services.errors


async def test_a_welsh_coordinator_names_the_role_in_welsh(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    admin = await joined(emulator, ADMIN_ID, "Cai", language="cy")
    ann = await joined(emulator, 401, "Ann", language="cy")
    await admin.send("/promote ann llysgennad am ei gwaith gyda'r caffi trwsio")
    assert "Mae Ann yn llysgennad nawr" in admin.last.text
    await bot.settle()
    assert "Rydych chi nawr yn llysgennad" in ann.last.text
    [row] = await audit_rows(bot)
    assert row[3] == "am ei gwaith gyda'r caffi trwsio"
