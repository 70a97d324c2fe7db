"""Due work: reminders live in the database, so a simulated day later they still go out."""

from __future__ import annotations

from datetime import timedelta

from bot.config import Config
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.harness import running_bot
from storage.due_work import DueItem
from tests.helpers import STANDING_KINDS, agree_in, due_work_done, join


async def test_a_member_who_stops_half_way_is_reminded_once_after_a_day(
    config: Config, clock: FakeClock
) -> None:
    async with BotApiEmulator() as emulator:
        owen = emulator.member(401, "Owen")
        async with running_bot(config, emulator, clock):
            await agree_in(owen, "cy")
            await owen.send("Owen")
        # The bot restarts; the reminder was never in memory, so it is not lost.
        async with running_bot(config, emulator, clock) as app:
            clock.advance(timedelta(hours=23))
            assert await due_work_done(app) == 0
            clock.advance(timedelta(hours=2))
            assert await due_work_done(app) == 1
            assert "Roeddech chi hanner ffordd drwy ymuno" in owen.last.text
            assert await due_work_done(app) == 0  # once only
            await owen.press("Parhau i ymuno")
            assert "Ym mha ardal" in owen.last.text
            assert not app.services.errors


async def test_each_answer_pushes_the_reminder_back_and_joining_cancels_it(
    bot, emulator, clock
) -> None:
    ffion = emulator.member(402, "Ffion")
    await agree_in(ffion, "en")
    clock.advance(timedelta(hours=20))
    await ffion.send("Ffion")
    clock.advance(timedelta(hours=20))
    assert await due_work_done(bot) == 0
    await ffion.press("Canton")
    await ffion.press("Done")
    await ffion.press("Skip")
    await ffion.press("Skip")
    await ffion.press("Not now")
    clock.advance(timedelta(days=3))
    assert await due_work_done(bot) == 0
    assert not any("part-way through joining" in m.text for m in ffion.messages)


async def test_a_member_who_blocked_the_bot_is_not_retried(bot, emulator, clock) -> None:
    gwyn = emulator.member(403, "Gwyn")
    await agree_in(gwyn, "en")
    gwyn.block_bot()
    clock.advance(timedelta(days=2))
    assert await due_work_done(bot) == 1
    later = await bot.services.due_work.due(clock.now() + timedelta(days=30))
    assert [item for item in later if item.kind not in STANDING_KINDS] == []


async def test_failing_work_is_retried_later_not_lost(bot, emulator, clock) -> None:
    calls: list[DueItem] = []

    async def flaky(app, item: DueItem) -> None:
        calls.append(item)
        if len(calls) == 1:
            raise RuntimeError("temporary trouble")

    bot.due_work_runner.register("test_flaky", flaky)
    await bot.services.due_work.schedule("flaky:1", "test_flaky", clock.now())
    assert await due_work_done(bot) == 0
    assert await due_work_done(bot) == 0  # not due again yet
    clock.advance(timedelta(minutes=11))
    assert await due_work_done(bot) == 1
    assert [item.attempts for item in calls] == [0, 1]


async def test_joined_members_get_no_reminder(bot, emulator, clock) -> None:
    await join(hana := emulator.member(404, "Hana"))
    clock.advance(timedelta(days=2))
    assert await due_work_done(bot) == 0
    assert "part-way" not in hana.last.text


async def test_the_repeating_job_does_due_work_by_itself(config: Config, clock: FakeClock) -> None:
    """In production nobody calls run_due_work: the job, first run a second after start, does."""
    from dataclasses import replace

    async with BotApiEmulator() as emulator:
        iolo = emulator.member(405, "Iolo")
        async with running_bot(config, emulator, clock):
            await agree_in(iolo, "en")
        clock.advance(timedelta(days=2))
        fast = replace(config, due_work_interval_seconds=3600)
        async with running_bot(fast, emulator, clock, automatic_due_work=True) as app:
            [job] = app.job_queue.get_jobs_by_name("due-work")
            assert job.trigger.interval.total_seconds() == 3600
            reminder = await emulator.wait_for_call(
                lambda call: (
                    call.method == "sendMessage"
                    and call.params.get("chat_id") == 405
                    and "part-way through joining" in call.params.get("text", "")
                ),
                timeout=10,
            )
            assert reminder.ok
            assert not app.services.errors
