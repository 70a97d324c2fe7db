"""Behaviours a review found no test guarding (breaking them left the suite green), and known
defects once fixed: each test here fails if its behaviour breaks."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.admin import give_starter_credits
from tests.conftest import ADMIN_ID
from tests.helpers import join, member_of


async def post_through_the_form(
    member: SimulatedMember,
    command: str,
    *,
    category: str,
    title: str,
    details: str = "Any day suits me.",
    place: str = "Canton",
) -> None:
    """Post an offer or request the way a member does: every step of the form, then Post it."""
    await member.send(command)
    await member.press(category)
    await member.send(title)
    await member.send(details)
    await member.press(place)
    await member.press("Any time")
    await member.press("7 days")
    await member.press("Post it")


def told_about(member: SimulatedMember, title: str) -> list[str]:
    return [m.text for m in member.messages if title in m.text and "Post it" not in m.text]


# --- match notices, wired to the real posting flow ----------------------------------------------


async def test_a_request_posted_through_the_form_reaches_a_helper_who_fits(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    asker, helper = emulator.member(801, "Dilys"), emulator.member(802, "Ann")
    bystander = emulator.member(803, "Cai")
    await join(asker)
    await join(helper, categories=("Gardening",))
    await join(bystander, categories=("Phones and computers",))
    await post_through_the_form(asker, "/request", category="Gardening", title="Pruning roses")

    [notice] = told_about(helper, "Pruning roses")
    assert "Could you help with this?" in notice
    assert "Request for help · Gardening" in notice
    assert told_about(bystander, "Pruning roses") == []


async def test_a_member_with_notices_off_hears_nothing_of_a_matching_offer(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    quiet, keen = emulator.member(811, "Dilys"), emulator.member(812, "Bryn")
    offerer = emulator.member(813, "Ann")
    for member in (quiet, keen, offerer):
        await join(member)
    await post_through_the_form(quiet, "/request", category="Gardening", title="Weeding beds")
    await post_through_the_form(keen, "/request", category="Gardening", title="Mowing a lawn")
    await quiet.send("/notices")
    await quiet.press("Turn notices off")
    assert "Match notices are off" in quiet.last.text

    await post_through_the_form(offerer, "/offer", category="Gardening", title="Garden jobs")

    assert len(told_about(keen, "Garden jobs")) == 1  # the offer does reach those who want it
    assert told_about(quiet, "Garden jobs") == []


# --- ageing listings --------------------------------------------------------------------------


async def test_the_expiry_warning_shows_a_title_with_markup_characters_as_typed(
    bot: AmserApplication, emulator: BotApiEmulator, clock: FakeClock
) -> None:
    owner = emulator.member(821, "Jo")
    await join(owner)
    title = "Fish & chips <for> two > one"
    await post_through_the_form(owner, "/request", category="Shopping and errands", title=title)
    clock.advance(timedelta(days=4, minutes=1))  # 7 days, warned 3 days before the end
    await bot.run_due_work()
    warning = owner.last
    assert "Is this still needed?" in warning.text
    assert title in warning.text
    assert "Renew" in " ".join(warning.button_texts)


# --- starter credits ---------------------------------------------------------------------------


async def test_starter_credits_are_given_once_when_approval_comes_days_after_joining(
    config: Config, clock: FakeClock, emulator: BotApiEmulator
) -> None:
    settings = replace(config, starter_hours=3, require_approval=True)
    async with running_bot(settings, emulator, clock) as app:
        coordinator = emulator.member(ADMIN_ID, "Siân")
        await join(coordinator)
        gwen = emulator.member(831, "Gwen")
        await join(gwen)
        member = await member_of(app, gwen)
        assert await app.services.ledger.balance(member.id) == 0  # not before approval
        card = coordinator.last
        approve = card.button("Approve").callback_data or ""

        clock.advance(timedelta(days=2, hours=3))
        await coordinator.press_data(approve, card.message_id)
        assert await app.services.ledger.balance(member.id) == 180
        clock.advance(timedelta(days=1, hours=5))
        await coordinator.press_data(approve, card.message_id)  # pressed again, a day later
        assert await give_starter_credits(app.services, await member_of(app, gwen)) == 0
        await gwen.send("/start")

        assert await app.services.ledger.balance(member.id) == 180
        row = await app.services.db.fetch_one(
            "SELECT count(*) AS n FROM transfers WHERE kind = 'starter'"
        )
        staff = 1  # the coordinator's own, given when they joined
        assert row is not None and row["n"] == staff + 1
        welcomes = [m for m in gwen.messages if "starter credits" in m.text]
        assert len(welcomes) == 1
        assert not app.services.errors


# --- updates that name no user ------------------------------------------------------------------


async def test_a_message_with_no_sender_is_ignored_without_raising(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    """Sent on behalf of a chat: no `from`. The `bot` fixture fails the test if a handler raised."""
    joined_member, newcomer = emulator.member(841, "Ann"), emulator.member(842, "Bryn")
    await join(joined_member)
    seen = len(joined_member.messages)
    for text in ("/start", "/browse", "hello"):
        await joined_member.send_without_sender(text)
        await newcomer.send_without_sender(text)
    assert len(joined_member.messages) == seen and newcomer.messages == []
    assert await bot.services.members.by_telegram_id(newcomer.user_id) is None
    await newcomer.send("/start")  # the same person, now named: served as usual
    assert "Which language would you like?" in newcomer.last.text
