"""The check-in itself: "How are things?" with five one-tap answers, each kept once under the
member's pseudonym, then "Would you like someone from the community to get in touch?".
Staff never see the answer: a yes reaches the ambassadors' queue as a request to get in touch."""

from __future__ import annotations

from datetime import date, datetime, time

from telegram import Update

from bot.domain.checkins import needs_helplines, too_late
from bot.domain.membership import Status
from bot.runtime.context import AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons
from handlers.checkins.settings import ShowCheckins
from handlers.common import Screen, keyboard, show, tr_for
from handlers.details import active_member
from handlers.notices import Recipient
from handlers.safeguarding import helplines_screen
from handlers.support.contact import ask_for_contact
from storage.outbox import OutboxItem
from storage.support import ContactReason


class Answer(ButtonData, prefix="ci:ans"):
    day: date  # the check-in's local day: one answer a day
    answer: int  # 1 very good .. 5 bad


class GetInTouch(ButtonData, prefix="ci:touch"):
    yes: bool


def answer_words(tr: Translator) -> dict[int, str]:
    _ = tr.gettext
    return {
        1: _("😀 Very good"),
        2: _("🙂 Good"),
        3: _("😐 OK"),
        4: _("🙁 Not great"),
        5: _("😞 Not good at all"),
    }


def checkin_screen(services: Services, tr: Translator, telegram_id: int, day: date) -> Screen:
    _ = tr.gettext
    b = Buttons(services, telegram_id)
    options = [[b(words, Answer(day, answer))] for answer, words in answer_words(tr).items()]
    settings = [b(_("⚙️ Change or stop check-ins"), ShowCheckins())]
    return Screen(_("Hello! How are things?"), keyboard(*options, settings))


def contact_screen(services: Services, tr: Translator, telegram_id: int, note: str) -> Screen:
    _ = tr.gettext
    b = Buttons(services, telegram_id)
    question = _("Would you like someone from the community to get in touch?")
    return Screen(
        f"{note}\n\n{question}",
        keyboard([b(_("Yes, please"), GetInTouch(True)), b(_("No, thank you"), GetInTouch(False))]),
    )


async def render(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    """Worded when sent: nothing if the member stopped, paused or moved check-ins meanwhile,
    is no longer an active member, or the check-in's slot is more than 12 hours gone."""
    member = recipient.member
    if member is None or member.status is not Status.ACTIVE or member.telegram_id is None:
        return None
    day = date.fromisoformat(str(item.data["day"]))
    found = await services.checkins.get(member.id)
    if found is None or not found.schedule.on or found.schedule.paused_on(day):
        return None
    if "hour" in item.data:  # queued before the slot's hour was kept with it: no more to check
        hour = int(item.data["hour"])
        if (found.schedule.weekday, found.schedule.hour) != (day.weekday(), hour):
            return None  # a different day or time chosen after it was queued
        slot = datetime.combine(day, time(hour), tzinfo=services.config.timezone)
        if too_late(slot, services.clock.now()):
            return None
    return checkin_screen(services, recipient.tr, member.telegram_id, day)


async def on_answer(update: Update, context: AmserContext, press: Answer) -> None:
    member = await active_member(update, context)
    if member is None or not 1 <= press.answer <= 5:
        return
    services = context.services
    tr = tr_for(services, member)
    _ = tr.gettext
    # Kept only with the wellbeing consent; the reply and the offer are the same either way.
    await services.checkins.answer(member.id, press.day, press.answer)
    # A second tap changes nothing kept; it asks the same question again.
    if press.answer >= 4:
        note = _("Thank you for telling me. I'm sorry things are hard just now.")
    else:
        note = _("Thank you for letting me know.")
    if needs_helplines(press.answer):
        screen = helplines_screen(services, member, member.language, ContactReason.CHECKIN)
        await show(update, context, screen.after(note))
        return
    await show(update, context, contact_screen(services, tr, member.telegram_id or 0, note))


async def on_get_in_touch(update: Update, context: AmserContext, press: GetInTouch) -> None:
    member = await active_member(update, context)
    if member is None:
        return
    services = context.services
    _ = tr_for(services, member).gettext
    if press.yes:
        await ask_for_contact(services, member.id, ContactReason.CHECKIN)
        text = _(
            "Thank you. I've asked someone from the community to get in touch with you here "
            "soon. They won't see your answer, only that you'd like a chat."
        )
    else:
        text = _("That's fine. Take care, and I'll check in again next time.")
    await show(update, context, Screen(text))


PRESSES = {Answer: on_answer, GetInTouch: on_get_in_touch}
