"""A broadcast as each member gets it: in their language, with "Stop these", which turns
community news off for them in one tap (and "Start them again" turns it back on); and the
"What I hear about" screen, where members turn community news and new events on or off."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from telegram import InlineKeyboardButton, Update

from bot.domain.broadcasts import Hearing, Status, text_for
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from bot.runtime.outbox import NotNow
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import (
    Screen,
    current_member,
    keyboard,
    say,
    show,
    tr_for,
    translator,
    user_id,
)
from handlers.details import active_member
from handlers.menu import back_to_menu
from handlers.notices import Recipient, register_notice
from storage.broadcasts import MESSAGE
from storage.members import Member
from storage.outbox import OutboxItem


class StopNews(ButtonData, prefix="bc:stop"):
    """Under a broadcast: community news off. Signed for the member it was sent to, it can only
    ever change their own choice (as can every button here)."""

    settings: bool = False  # kept so that buttons already sent still parse


class StartNews(ButtonData, prefix="bc:start"):
    settings: bool = False


class Hear(ButtonData, prefix="bc:hear"):
    """A kind of notice on or off. `settings`: pressed on the "What I hear about" screen
    (changed in place) rather than under a notice (answered with a message of its own, so the
    notice stays)."""

    kind: Hearing
    on: bool
    settings: bool = False


class ShowNews(ButtonData, prefix="bc:news"):
    """The "What I hear about" screen, from the profile."""


def _kinds(tr: Translator) -> dict[Hearing, tuple[str, str, str]]:
    """Each kind's line on "What I hear about", and its buttons to stop it and start it again."""
    _ = tr.gettext
    return {
        Hearing.NEWS: (
            _("📣 Community news: {state}"),
            _("🔕 Stop community news"),
            _("🔔 Start community news again"),
        ),
        Hearing.EVENTS: (
            _("📅 New events: {state}"),
            _("🔕 Stop new events"),
            _("🔔 Start new events again"),
        ),
        Hearing.CONFIRM_REMINDERS: (
            _("⏳ Reminders of exchanges waiting for my answer: {state}"),
            _("🔕 Stop exchange reminders"),
            _("🔔 Start exchange reminders again"),
        ),
        Hearing.REQUEST_NUDGES: (
            _("🙋 “Is this still needed?” about my requests: {state}"),
            _("🔕 Stop asking about my requests"),
            _("🔔 Ask about my requests again"),
        ),
        Hearing.QUIET_NUDGES: (
            _("🌱 “What could you offer?” after a quiet spell: {state}"),
            _("🔕 Stop quiet-spell nudges"),
            _("🔔 Start quiet-spell nudges again"),
        ),
    }


def hearing_screen(services: Services, member: Member, wants: Mapping[Hearing, bool]) -> Screen:
    """What a member hears about (community news, new events, the gentle nudges), each with the
    button that turns it on or off."""
    tr = tr_for(services, member)
    _ = tr.gettext
    b = Buttons(services, member.telegram_id or 0)
    on, off = _("on"), _("off")
    kinds = _kinds(tr)
    lines = [
        line.format(state=on if wants.get(kind, True) else off)
        for kind, (line, _s, _a) in kinds.items()
    ]
    text = "\n".join(
        [
            _("<b>📣 What I hear about</b>"),
            _(
                "Now and then ambassadors send a notice to the community, and organisers "
                "announce new events. Choose what you'd like to get."
            ),
            _(
                "I also send a gentle nudge now and then. Each one can be turned off here, or "
                "with the “Stop these” button under it."
            ),
            "",
            *lines,
            "",
            _(
                "An event for those interested in one kind of help reaches members who offer it "
                "or follow it in /notices."
            ),
        ]
    )
    switches = [
        b(
            stop if wants.get(kind, True) else start,
            Hear(kind, not wants.get(kind, True), settings=True),
        )
        for kind, (_line, stop, start) in kinds.items()
    ]
    return Screen(
        text, keyboard(*([switch] for switch in switches), back_to_menu(services, member))
    )


async def _hearing(services: Services, member: Member) -> dict[Hearing, bool]:
    return {kind: await services.preferences.wants(member.id, kind) for kind in Hearing}


async def _render(services: Services, recipient: Recipient, item: OutboxItem) -> Screen | None:
    broadcast = await services.broadcasts.get(item.about or 0)
    member = recipient.member
    if broadcast is None or broadcast.status is Status.CANCELLED or member is None:
        return None
    if broadcast.status is Status.PAUSED:
        raise NotNow  # paused after the sender took this batch: its hold keeps it from now on
    if not await services.preferences.wants(member.id, Hearing.NEWS):
        return None  # they stopped these after it was queued
    tr = recipient.tr
    _ = tr.gettext
    words = text_for(member.language, broadcast.text_en, broadcast.text_cy)
    footer = _("📣 Community news from {community}").format(
        community=escape(services.config.community_name)
    )
    return Screen(
        f"{escape(words)}\n\n<i>{footer}</i>",
        keyboard([stop_button(services, recipient, Hearing.NEWS)]),
    )


def _switched(tr: Translator, kind: Hearing, on: bool) -> str:
    _ = tr.gettext
    if on:
        return {
            Hearing.NEWS: _("Community news is back on: you'll get the next one. Welcome back!"),
            Hearing.EVENTS: _("New events are back on: you'll hear of the next one. Welcome back!"),
            Hearing.CONFIRM_REMINDERS: _(
                "Exchange reminders are back on: I'll remind you when one waits for your answer."
            ),
            Hearing.REQUEST_NUDGES: _(
                "I'll ask again when a request of yours has been open a while. Thank you!"
            ),
            Hearing.QUIET_NUDGES: _(
                "Quiet-spell nudges are back on. It's good to have you with us!"
            ),
        }[kind]
    if kind is Hearing.NEWS:
        return _(
            "Done: you won't get community news any more. Thank you for letting us know.\n"
            "If you change your mind, tap below, or find “What I hear about” in your /profile."
        )
    if kind is Hearing.EVENTS:
        return _(
            "Done: you won't hear of new events any more. You can still see them all with "
            "/events.\n"
            "If you change your mind, tap below, or find “What I hear about” in your /profile."
        )
    done = {
        Hearing.CONFIRM_REMINDERS: _(
            "Done: no more reminders about exchanges waiting for your answer. You'll still find "
            "them in /balance, and a coordinator steps in if one waits a week."
        ),
        Hearing.REQUEST_NUDGES: _(
            "Done: I won't ask about your open requests any more. You can see them any time "
            "with /mylistings."
        ),
        Hearing.QUIET_NUDGES: _(
            "Done: no more nudges after a quiet spell. You're welcome back whenever you like."
        ),
    }[kind]
    again = _("If you change your mind, tap below, or find “What I hear about” in your /profile.")
    return f"{done}\n{again}"


async def switch(
    update: Update, context: AmserContext, kind: Hearing, on: bool, settings: bool
) -> None:
    """A kind of notice on or off for the member pressing (and only them); a second tap
    changes nothing and says the same."""
    services = context.services
    member = await current_member(update, context)
    tr = translator(update, context, member)
    _ = tr.gettext
    if member is None:
        await say(update, context, Screen(_("You haven't joined yet. Send /start to join.")))
        return
    await services.preferences.set(member.id, kind, on)
    if settings:
        await show(
            update, context, hearing_screen(services, member, await _hearing(services, member))
        )
        return
    b = Buttons(services, user_id(update))
    label = _("🔕 Stop these") if on else _("🔔 Start them again")
    await say(
        update, context, Screen(_switched(tr, kind, on), keyboard([b(label, Hear(kind, not on))]))
    )


def stop_button(services: Services, recipient: Recipient, kind: Hearing) -> InlineKeyboardButton:
    """ "Stop these" under a notice of this kind."""
    b = Buttons(services, recipient.chat_id)
    return b(recipient.tr.gettext("🔕 Stop these"), Hear(kind, False))


async def on_stop(update: Update, context: AmserContext, press: StopNews) -> None:
    await switch(update, context, Hearing.NEWS, False, press.settings)


async def on_start(update: Update, context: AmserContext, press: StartNews) -> None:
    await switch(update, context, Hearing.NEWS, True, press.settings)


async def on_hear(update: Update, context: AmserContext, press: Hear) -> None:
    await switch(update, context, press.kind, press.on, press.settings)


async def on_show(update: Update, context: AmserContext, press: ShowNews) -> None:
    member = await active_member(update, context)
    if member is not None:
        services = context.services
        await show(
            update, context, hearing_screen(services, member, await _hearing(services, member))
        )


async def _delivered(
    services: Services, recipient: Recipient, item: OutboxItem, message_id: int
) -> None:
    await services.broadcasts.delivered(item.about or 0)


def register(app: AmserApplication) -> None:
    register_notice(app, MESSAGE, _render, remember=_delivered)
    add_presses(app, {StopNews: on_stop, StartNews: on_start, Hear: on_hear, ShowNews: on_show})
