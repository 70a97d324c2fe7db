"""Steps that many end-to-end tests share, written as a member would do them."""

from __future__ import annotations

from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.context import AmserApplication
from handlers import checkins, housekeeping, matches, nudges
from handlers.support import queue
from storage.listings import Listing
from storage.members import Member


async def agree_in(member: SimulatedMember, language: str) -> None:
    """/start, pick the language, give consent: the member is then asked for a name."""
    await member.send("/start")
    await member.press("Cymraeg" if language == "cy" else "English")
    await member.press("rwy'n cytuno" if language == "cy" else "Yes, I agree")


async def join(
    member: SimulatedMember,
    *,
    language: str = "en",
    name: str | None = None,
    area: str | None = None,
    categories: tuple[str, ...] = (),
) -> None:
    """Join with the given details, skipping the optional questions."""
    welsh = language == "cy"
    await agree_in(member, language)
    await member.send(name or member.first_name)
    await member.press(area or ("Treganna" if welsh else "Canton"))
    for category in categories:
        await member.press(category)
    await member.press("Gorffen" if welsh else "Done")
    await member.press("Hepgor" if welsh else "Skip")
    await member.press("Hepgor" if welsh else "Skip")
    await member.press("Dim nawr" if welsh else "Not now")  # check-ins


# Due work every bot schedules for itself, rescheduling itself: housekeeping, the check-in
# pass, the daily look for quiet members and the support queue's look.
STANDING_KINDS = (
    *housekeeping.KINDS,
    checkins.due.PASS_KIND,
    nudges.QUIET_KIND,
    queue.SWEEP_KIND,
)


async def due_work_done(app: AmserApplication) -> int:
    """Run the due work; how many items were done, leaving out the standing work that every
    bot schedules for itself, so tests count only their own."""
    due = await app.services.due_work.due(app.services.clock.now())
    standing = sum(item.kind in STANDING_KINDS for item in due)
    return await app.run_due_work() - standing


def texts(member: SimulatedMember) -> list[str]:
    return [message.text for message in member.messages]


async def joined(
    emulator: BotApiEmulator,
    user_id: int,
    name: str,
    *,
    language: str = "en",
    categories: tuple[str, ...] = (),
    username: str | None = None,
) -> SimulatedMember:
    person = emulator.member(user_id, name, username=username)
    await join(person, language=language, categories=categories)
    return person


async def member_of(app: AmserApplication, person: SimulatedMember) -> Member:
    member = await app.services.members.by_telegram_id(person.user_id)
    assert member is not None
    return member


def signed(app: AmserApplication, person: SimulatedMember, *parts: str | int) -> str:
    return app.services.callbacks.sign(person.user_id, *parts)


async def tap(app: AmserApplication, person: SimulatedMember, *parts: str | int) -> None:
    """Press the newest button whose (verified) data starts with `parts`."""
    want = [str(part) for part in parts]
    for message in reversed(person.messages):
        for row in message.buttons:
            for button in row:
                payload = app.services.callbacks.verify(person.user_id, button.callback_data or "")
                if payload is not None and payload[: len(want)] == want:
                    await person.press_data(button.callback_data or "", message.message_id)
                    return
    raise LookupError(f"{person.first_name} has no button {want}")


async def announce(app: AmserApplication, listing: Listing) -> None:
    """Tell the members who fit about a listing made straight in storage, as posting it would
    (one write), and wait until the notices due now are sent."""
    services = app.services
    planned = await matches.plan(services, listing)
    now = services.clock.now()
    await services.db.write(
        lambda tx: matches.announce_in(tx, services.config, listing, planned, now)
    )
    await app.settle()


async def audit_actions(app: AmserApplication) -> list[str]:
    """The kinds of the actions audited so far, oldest first."""
    rows = await app.services.db.fetch_all("SELECT action FROM audit ORDER BY id")
    return [row["action"] for row in rows]
