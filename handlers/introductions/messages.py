"""Writing to each other through the bot: the "relay" form (one typed message, with Cancel),
passed on escaped, with Reply and Block for the one who receives it."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import Update

from bot.runtime.context import AmserApplication, AmserContext, Services
from handlers import details, forms
from handlers.buttons import Buttons, add_presses
from handlers.common import Screen, deliver, keyboard, say, tr_for
from handlers.credit_common import name_of
from handlers.forms import Form, Step, Turn
from handlers.introductions.presses import AskBlock, Target, Write
from handlers.introductions.shared import open_between, party_press
from storage.introductions import Introduction
from storage.members import Member

MESSAGE_MAX = 500


@dataclass(frozen=True)
class RelayAnswers:
    introduction: int = 0


def relayed_message(
    services: Services, intro: Introduction, sender: Member, recipient: Member, text: str
) -> Screen:
    """A member's words passed on, escaped, with Reply (and Block) for the recipient."""
    tr = tr_for(services, recipient)
    _ = tr.gettext
    b = Buttons(services, recipient.telegram_id or 0)
    heading = _("<b>Message from {name} via Amser:</b>").format(name=name_of(sender, tr))
    return Screen(
        f"{heading}\n\n{escape(text)}",
        keyboard(
            [
                b(_("↩️ Reply"), Write(intro.id)),
                b(_("🚫 Block"), AskBlock(Target.INTRO, intro.id)),
            ]
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
    passed_on = relayed_message(services, intro, member, other, text)
    if not await deliver(turn.context, other, passed_on):
        text = _("Sorry, I couldn't deliver that to {name} just now.")
        await turn.close(Screen(text.format(name=name_of(other, tr))))
        return
    another = turn.b(_("💬 Send another message"), Write(intro.id))
    sent = _("✅ Sent to {name}.").format(name=name_of(other, tr))
    await turn.finish(Screen(sent, keyboard([another])), outcome=intro.id)


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
    forms.register(app, RELAY)
    add_presses(app, {Write: party_press(_write)})
