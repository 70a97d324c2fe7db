"""Small helpers every feature's handlers share: who is this, in which language, and replying."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.domain.membership import Status
from bot.domain.text import TextRejected, clean_line, clean_paragraphs
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import LANGUAGE_KEY, Translator
from storage.members import Member

logger = logging.getLogger(__name__)

SENDER_CHECK_GROUP = -1000

Row = Sequence[InlineKeyboardButton]


@dataclass(frozen=True)
class Screen:
    """A message as the member will see it: HTML text and, maybe, buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None

    def after(self, note: str) -> Screen:
        """The same screen with a line in front, e.g. why we are asking again."""
        return Screen(f"{note}\n\n{self.text}", self.markup)


def user_id(update: Update) -> int:
    """Who sent the update; `ignore_without_sender` keeps updates naming no one from handlers."""
    if update.effective_user is None:
        raise LookupError(f"update {update.update_id} names no user")
    return update.effective_user.id


async def ignore_without_sender(update: Update, context: AmserContext) -> None:
    """Runs before every handler: an update naming no user (a message sent on behalf of a
    chat, a channel post) is not from a member, so no handler sees it."""
    if update.effective_user is None:
        logger.info("ignored update %s: it names no user", update.update_id)
        raise ApplicationHandlerStop


def register_sender_check(app: AmserApplication) -> None:
    """Every handler may then rely on `user_id`."""
    # A group of its own before all others: within one group only the first match runs.
    app.add_handler(TypeHandler(Update, ignore_without_sender), group=SENDER_CHECK_GROUP)


async def current_member(update: Update, context: AmserContext) -> Member | None:
    return await context.services.members.by_telegram_id(user_id(update))


def language_of(update: Update, context: AmserContext, member: Member | None) -> str:
    """The member's chosen language; before they have chosen, a guess from their Telegram app."""
    if member is not None:
        return member.language
    chosen = context.user_data.get(LANGUAGE_KEY) if context.user_data is not None else None
    if chosen:
        return str(chosen)
    code = update.effective_user.language_code if update.effective_user else None
    return "cy" if code and code.startswith("cy") else "en"


def tr_for(services: Services, member: Member) -> Translator:
    """The words in the member's own language."""
    return services.catalogs[member.language]


def translator(update: Update, context: AmserContext, member: Member | None) -> Translator:
    return context.services.catalogs[language_of(update, context, member)]


def typed_answer(
    message: Message, tr: Translator, limit: int, *, one_line: bool = False
) -> tuple[str, None] | tuple[None, str]:
    """The member's typed text, cleaned; or, if it won't do, a kind note to ask again with."""
    _ = tr.gettext
    if message.text is None:
        return None, _("Sorry, I can only read typed words here.")
    try:
        return (clean_line if one_line else clean_paragraphs)(message.text, limit), None
    except TextRejected as rejected:
        if rejected.reason == "too_long":
            return None, _(
                "That's a little long: please keep it to {limit} characters (yours had {length})."
            ).format(limit=limit, length=rejected.length)
        return None, _("I didn't catch any words there. Please type a few.")


def keyboard(*rows: Row) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def pairs(buttons: Sequence[InlineKeyboardButton]) -> list[Row]:
    """Buttons two to a row, wide enough to tap on a phone."""
    return [buttons[index : index + 2] for index in range(0, len(buttons), 2)]


async def send(context: AmserContext, chat_id: int, screen: Screen) -> Message:
    return await context.bot.send_message(chat_id, screen.text, reply_markup=screen.markup)


async def say(update: Update, context: AmserContext, screen: Screen) -> Message:
    """Send the screen as a new message to the member."""
    if update.effective_chat is None:
        raise LookupError("this update has no chat to answer in")
    return await send(context, update.effective_chat.id, screen)


async def hand_over(
    update: Update, context: AmserContext, content: bytes, filename: str, caption: str
) -> Message:
    """Send a file (a data export, a calendar entry, a QR code) as the answer to the member."""
    if update.effective_chat is None:
        raise LookupError("this update has no chat to answer in")
    return await context.bot.send_document(
        update.effective_chat.id, InputFile(content, filename=filename), caption=caption
    )


async def show(update: Update, context: AmserContext, screen: Screen) -> None:
    """Replace the message whose button was pressed; otherwise send a new one."""
    query = update.callback_query
    if query is not None and isinstance(query.message, Message):
        try:
            await query.edit_message_text(screen.text, reply_markup=screen.markup)
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return
            logger.info("could not edit message, sending a new one: %s", exc.message)
    await say(update, context, screen)


async def edit_card(
    sender: AmserContext | AmserApplication,
    member: Member | None,
    message_id: int,
    screen: Screen | None,
) -> bool:
    """Change a card sent to a member earlier, in place: to `screen`, or (None) only take its
    buttons away. False if it could not be changed (too old, deleted, already so, or Telegram
    not answering: it is only tidying, and a stale button is refused on arrival anyway)."""
    if member is None or member.telegram_id is None or member.status is Status.ERASED:
        return False
    try:
        if screen is None:
            await sender.bot.edit_message_reply_markup(member.telegram_id, message_id)
        else:
            await sender.bot.edit_message_text(
                screen.text, member.telegram_id, message_id, reply_markup=screen.markup
            )
    except TelegramError as exc:
        logger.info("could not change card %s of user %s: %s", message_id, member.telegram_id, exc)
        return False
    return True


async def username_of(bot: Bot, member: Member) -> str | None:
    """The member's @username if Telegram tells us; nothing is stored. A network failure
    is raised, so that a notice showing it is sent again later, with it."""
    if member.telegram_id is None:
        return None
    try:
        chat = await bot.get_chat(member.telegram_id)
    except (BadRequest, Forbidden):  # about another member: not a reason to keep trying
        return None
    return chat.username
