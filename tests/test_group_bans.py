"""A ban from the time bank (/ban in private) bans the member from the community's group chats
too, as due work written with the ban (so a restart before it runs still does it); lifting the
ban lets them back; a group that refuses is recorded once and never tried again and again."""

from __future__ import annotations

from datetime import timedelta

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedGroup, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.duework import RETRY_DELAY
from bot.runtime.harness import running_bot
from handlers.audit.words import line
from storage.audit import AuditAction, AuditRecord
from tests.conftest import ADMIN_ID
from tests.helpers import due_work_done, joined, member_of

CANTON = -1_002_222_222_222  # the lower id: the first the bot tries
GRANGE = -1_001_111_111_111
ALSO = "I'm also removing them from the community's group chats."


async def groups_with(
    emulator: BotApiEmulator, ann: SimulatedMember, *, rights_in_grange: bool = True
) -> tuple[SimulatedGroup, SimulatedGroup]:
    """Two community groups with Ann in them, the bot an admin in both, who may ban in the
    first and (unless not `rights_in_grange`) in the second."""
    owner = emulator.member(701, "Sian")
    canton = emulator.group(CANTON, "Amser Canton", supergroup=True)
    grange = emulator.group(GRANGE, "Amser Grangetown", supergroup=True)
    for group, rights in ((canton, True), (grange, rights_in_grange)):
        group.add(owner, "creator")
        group.add(ann)
        await group.set_bot("administrator", can_restrict_members=rights, can_delete_messages=True)
    return canton, grange


async def group_rows(app: AmserApplication, action: AuditAction) -> list[AuditRecord]:
    """The audit rows of the ban (or its lifting) reaching a group, oldest first."""
    rows = await app.services.audit.recent(action=action)
    return sorted((r for r in rows if r.chat_id is not None), key=lambda r: r.id)


def log_lines(app: AmserApplication, records: list[AuditRecord]) -> list[str]:
    return [line(app.services.catalogs["en"], record) for record in records]


async def test_a_ban_reaches_every_group_and_lifting_it_lets_them_back(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    canton, grange = await groups_with(emulator, ann)
    await cai.send("/ban Ann selling in the groups")
    assert cai.last.text.endswith(ALSO)
    assert await due_work_done(bot) == 2
    assert canton.status(ann) == "kicked" and grange.status(ann) == "kicked"
    banned = await group_rows(bot, AuditAction.BAN)
    her = await member_of(bot, ann)
    me = await member_of(bot, cai)
    assert [(r.chat_id, r.actor_id, r.target_id) for r in banned] == [
        (CANTON, me.id, her.id),
        (GRANGE, me.id, her.id),
    ]
    assert log_lines(bot, banned) == [
        "#BAN Cai → Ann: banned from the group chat Amser Canton",
        "#BAN Cai → Ann: banned from the group chat Amser Grangetown",
    ]
    assert await due_work_done(bot) == 0  # done once
    await cai.send("/unsuspend Ann")  # lifts the ban
    assert await due_work_done(bot) == 2
    assert canton.status(ann) == "left" and grange.status(ann) == "left"
    assert log_lines(bot, await group_rows(bot, AuditAction.UNBAN)) == [
        "#UNBAN Cai → Ann: may join the group chat Amser Canton again",
        "#UNBAN Cai → Ann: may join the group chat Amser Grangetown again",
    ]
    await ann.join(canton)  # free to come back
    assert canton.status(ann) == "member"
    assert not bot.services.errors


async def test_a_ban_before_a_restart_still_reaches_the_groups(
    config: Config, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    async with running_bot(config, emulator, clock) as app:
        cai = await joined(emulator, ADMIN_ID, "Cai")
        ann = await joined(emulator, 401, "Ann")
        canton, grange = await groups_with(emulator, ann)
        await cai.send("/ban Ann")
        assert cai.last.text.endswith(ALSO)
        assert canton.status(ann) == "member"  # not yet: the bot stops first
    async with running_bot(config, emulator, clock) as app:
        assert await due_work_done(app) == 2
        assert canton.status(ann) == "kicked" and grange.status(ann) == "kicked"
        assert await due_work_done(app) == 0
        assert not app.services.errors


async def test_lifting_a_ban_before_it_reached_the_groups_leaves_them_there(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    canton, grange = await groups_with(emulator, ann)
    await cai.send("/ban Ann")
    await cai.send("/unsuspend Ann")
    assert await due_work_done(bot) == 2  # the lifting, in each group: nothing to undo
    assert canton.status(ann) == "member" and grange.status(ann) == "member"
    assert await group_rows(bot, AuditAction.BAN) == []


async def test_a_group_that_refuses_is_recorded_once_and_a_network_error_is_retried(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    canton, grange = await groups_with(emulator, ann, rights_in_grange=False)
    emulator.fail("banChatMember", kind="502", chat_id=CANTON)
    await cai.send("/ban Ann")
    assert await due_work_done(bot) == 1  # Grangetown refused; Canton to try again
    assert grange.status(ann) == "member" and canton.status(ann) == "member"
    (refused,) = log_lines(bot, await group_rows(bot, AuditAction.BAN))
    assert refused.startswith(
        "#BAN Cai → Ann: not banned from the group chat Amser Grangetown: Telegram said “"
    )
    assert "rights" in refused
    clock.advance(RETRY_DELAY)
    assert await due_work_done(bot) == 1  # Canton, this time
    assert canton.status(ann) == "kicked"
    clock.advance(timedelta(hours=2))
    assert await due_work_done(bot) == 0  # Grangetown is not asked again
    assert grange.status(ann) == "member"
    assert [r.chat_id for r in await group_rows(bot, AuditAction.BAN)] == [GRANGE, CANTON]
    assert not bot.services.errors


async def test_a_suspension_leaves_the_groups_alone(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    canton, _grange = await groups_with(emulator, ann)
    await cai.send("/suspend Ann 3d")
    assert ALSO not in cai.last.text
    assert await due_work_done(bot) == 0
    assert canton.status(ann) == "member"


async def test_lifting_the_ban_of_someone_who_then_forgot_lets_them_back_into_the_groups(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    cai = await joined(emulator, ADMIN_ID, "Cai")
    ann = await joined(emulator, 401, "Ann")
    canton, grange = await groups_with(emulator, ann)
    await cai.send("/ban Ann")
    assert await due_work_done(bot) == 2
    assert canton.status(ann) == "kicked" and grange.status(ann) == "kicked"
    await ann.send("/forget")
    await ann.press("Yes, erase my details")
    assert await bot.services.members.by_telegram_id(401) is None
    await cai.send("/unsuspend 401")  # only her digest is left: the coordinator gives the id
    assert "The ban is lifted" in cai.last.text
    assert await due_work_done(bot) == 2
    assert canton.status(ann) == "left" and grange.status(ann) == "left"
    lines = log_lines(bot, await group_rows(bot, AuditAction.UNBAN))
    assert lines == [
        "#UNBAN Cai → a former member: may join the group chat Amser Canton again",
        "#UNBAN Cai → a former member: may join the group chat Amser Grangetown again",
    ]
    assert not bot.services.errors
