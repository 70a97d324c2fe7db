"""Writing to each other through the bot: the "relay" form (one typed message, with Cancel),
passed on escaped, with Reply and Block for the one who receives it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import Update

from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import details, forms
from handlers.buttons import Buttons, add_presses
from handlers.common import Screen, keyboard, say, tr_for
from handlers.credit_common import name_of
from handlers.forms import Form, Step, Turn
from handlers.introductions.presses import AskBlock, Target, Write
from handlers.introductions.shared import open_between, party_press
from handlers.notices import Recipient, register_notice
from handlers.support.buttons import StartReport
from storage.introductions import Introduction
from storage.members import Member
from storage.outbox import Notice, OutboxItem
from storage.reports import ReportAbout

MESSAGE_MAX = 500
MESSAGE = "introduction.message"  # a member's words, passed on ("from": whose words they are)
UNDELIVERED = "introduction.undelivered"  # the writer, told their words could not be passed on


@dataclass(frozen=True)
class RelayAnswers:
    introduction: int = 0


def relayed_message(
    services: Services,
    tr: Translator,
    intro: Introduction,
    sender: Member,
    recipient_id: int,
    text: str,
) -> Screen:
    """A member's words passed on, escaped, with Reply (and Block) for the recipient."""
    _ = tr.gettext
    b = Buttons(services, recipient_id)
    heading = _("<b>Message from {name} via Amser:</b>").format(name=name_of(sender, tr))
    return Screen(
        f"{heading}\n\n{escape(text)}",
        keyboard(
            [
                b(_("↩️ Reply"), Write(intro.id)),
                b(_("🚫 Block"), AskBlock(Target.INTRO, intro.id)),
            ],
            [b(_("🚩 Report"), StartReport(ReportAbout.MESSAGE, intro.id))],
        ),
    )


def undeliverable(services: Services, member: Member) -> Screen:
    _ = tr_for(services, member).gettext
    return Screen(
        _(
            "Sorry, I can't pass messages on in this introduction any more. "
            "Thank you for being part of {community}."
        ).format(community=escape(services.config.community_name))
    )


async def _between(
    turn: Turn[RelayAnswers],
) -> tuple[Introduction, Member] | tuple[None, None]:
    """The introduction and the other member, if messages may still pass between them."""
    services, member = turn.services, turn.member
    intro = await services.introductions.get(turn.answers.introduction)
    if intro is None or not intro.involves(member.id):
        return None, None
    other = await services.members.get(intro.other(member.id))
    if other is None or not await open_between(services, intro, other):
        return None, None
    return intro, other


async def _ask_message(turn: Turn[RelayAnswers]) -> Screen:
    intro = await turn.services.introductions.get(turn.answers.introduction)
    other = (
        await turn.services.members.get(intro.other(turn.member.id))
        if intro is not None and intro.involves(turn.member.id)
        else None
    )
    text = turn.gettext(
        "Type your message to {name} below (up to {limit} characters). It goes through Amser, "
        "so your contact details stay private."
    ).format(name=name_of(other, turn.tr), limit=MESSAGE_MAX)
    return Screen(text)


async def _message_typed(turn: Turn[RelayAnswers], text: str) -> None:
    services, member = turn.services, turn.member
    intro, other = await _between(turn)
    if intro is None or other is None:
        await turn.close(undeliverable(services, member))
        return
    tr = turn.tr
    _ = tr.gettext
    # The words go in the notice, naming whose they are, so that erasing the writer removes
    # them; who it goes to is checked again when it is sent.
    data = {"from": member.id, "text": text}
    notice = Notice(MESSAGE, member_id=other.id, about=intro.id, data=data)
    now = services.clock.now()
    await services.introductions.pass_on(
        turn.form.id, intro.id, now, then=lambda finished: [notice] if finished else []
    )
    another = turn.b(_("💬 Send another message"), Write(intro.id))
    sent = _("✅ Sent to {name}.").format(name=name_of(other, tr))
    await turn.show(Screen(sent, keyboard([another])))


async def _render_message(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    intro = await services.introductions.get(item.about or 0)
    sender = await services.members.get(int(item.data["from"]))
    if intro is None or sender is None or recipient.member is None:
        return None
    if not intro.involves(sender.id) or not await open_between(services, intro, recipient.member):
        return None  # ended or blocked meanwhile: nothing passes between them any more
    return relayed_message(
        services, recipient.tr, intro, sender, recipient.chat_id, str(item.data["text"])
    )


async def _message_unreachable(services: Services, item: OutboxItem) -> list[Notice]:
    """The one it was for can't be reached: the writer is told kindly (without their words)."""
    if item.member_id is None:
        return []
    data = {"to": item.member_id}
    return [Notice(UNDELIVERED, member_id=int(item.data["from"]), about=item.about, data=data)]


async def _render_undelivered(services: Services, recipient: Recipient, item: OutboxItem) -> Screen:
    tr = recipient.tr
    other = await services.members.get(int(item.data["to"]))
    text = tr.gettext(
        "Sorry, I couldn't pass your message on to {name}: they can't be reached on Telegram "
        "just now."
    )
    return Screen(text.format(name=name_of(other, tr)))


async def _nothing_sent(turn: Turn[RelayAnswers]) -> None:
    await turn.close(Screen(turn.gettext("Okay, nothing was sent.")))


RELAY = Form(
    name="relay",
    command="introductions",
    answers=RelayAnswers,
    who=details.active_member,
    steps=(
        Step(
            "message",
            ask=_ask_message,
            typed=_message_typed,
            limit=MESSAGE_MAX,
            one_line=False,
        ),
    ),
    cancel=_nothing_sent,
)


async def _write(
    update: Update, context: AmserContext, member: Member, intro: Introduction, other: Member
) -> None:
    """ "💬 Send a message" or "↩️ Reply": ask for the message, under the card (which stays)."""
    services = context.services
    if not await open_between(services, intro, other):
        await say(update, context, undeliverable(services, member))
        return
    answers = RelayAnswers(introduction=intro.id)
    # A new message, so the card that was pressed stays in view.
    await forms.start(update, context, member, RELAY, answers, new=True)


async def forget_writing_to(context: AmserContext, member: Member, other_id: int) -> None:
    """After a block: a message the member was writing to them is dropped."""
    services = context.services
    row = await services.forms.of_member(member.id)
    if row is None or row.name != RELAY.name or row.finished:
        return
    intro = await services.introductions.get(row.answers_as(RelayAnswers).introduction)
    if intro is not None and intro.involves(other_id):
        await services.forms.discard(row.id)


def register(app: AmserApplication) -> None:
    register_notice(app, MESSAGE, _render_message, instead=_message_unreachable)
    register_notice(app, UNDELIVERED, _render_undelivered)
    forms.register(app, RELAY)
    add_presses(app, {Write: party_press(_write)})
