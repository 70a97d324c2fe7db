"""Whom a moderation command is about, the one way for every such command: a reply to the
member's message (in private, to a message relayed from them), their @username, their display
name (buttons to choose when several members share it) or their Telegram id; the words after
the target are the command's own (a role, a reason). In a group chat (`resolve_user`) the
target is anyone there, a member or not: by reply, @username (of a member) or Telegram id."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from html import escape

from telegram import Message, Update
from telegram.ext import CommandHandler, filters

from bot.domain.membership import Status
from bot.domain.targets import TargetWords, command_arguments, same_name, split_arguments
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.common import Screen, keyboard, say, tr_for
from handlers.credit_common import button_name, name_of
from handlers.details import area_label
from handlers.forms import Form, FormButton, Step, Turn, Who, never
from handlers.support.reports import pointed_at, subject_of
from storage.members import Member

CHOICES_MAX = 8  # members offered as buttons when several share a name
# Whom a command can be about: not someone erased, nor someone who has not chosen a name yet.
TARGETS = (Status.ACTIVE, Status.SUSPENDED, Status.PENDING)


class TargetBy(StrEnum):
    REPLY = "reply"
    USERNAME = "username"
    TELEGRAM_ID = "telegram_id"
    NAME = "name"


@dataclass(frozen=True)
class Target:
    """The member a command is about, and the rest of its words."""

    member: Member
    rest: str
    by: TargetBy

    def note(self, tr: Translator) -> str | None:
        """Said before the answer when the target was found by a number, so it can be checked."""
        if self.by is not TargetBy.TELEGRAM_ID:
            return None
        return tr.gettext("Telegram id {number} is {name}.").format(
            number=self.member.telegram_id, name=name_of(self.member, tr)
        )


@dataclass(frozen=True)
class UserTarget:
    """Whom a command in a group chat is about: a Telegram user there, a member or not."""

    telegram_id: int
    name: str  # plain text: escape it for HTML
    member: Member | None
    rest: str
    by: TargetBy


# Something to say instead, in whichever language(s) the group is spoken to in.
Words = Callable[[Translator], str]


# What a command does once it knows its target (the actor is already authorised).
Act = Callable[[Update, AmserContext, Member, Target], Awaitable[None]]


@dataclass(frozen=True)
class ChooseAnswers:
    words: str = ""  # what was typed after the command


class PickTarget(FormButton, prefix="mod:who"):
    member: int


def chooser(command: str, who: Who, act: Act) -> Form[ChooseAnswers]:
    """The form asking which member was meant, when several share the name typed; `who` (the
    command's authorisation) is asked again on the press."""

    async def ask(turn: Turn[ChooseAnswers]) -> Screen:
        _ = turn.gettext
        candidates, _rest = await named(turn.services, split_arguments(turn.answers.words))
        rows = [
            [
                turn.b(
                    choice_label(turn.services, turn.tr, member),
                    PickTarget(turn.form.id, member.id),
                )
            ]
            for member in candidates
        ]
        return Screen(
            _("More than one member has that name. Which one do you mean?"), keyboard(*rows)
        )

    async def picked(turn: Turn[ChooseAnswers], press: PickTarget) -> None:
        candidates, rest = await named(turn.services, split_arguments(turn.answers.words))
        chosen = next((member for member in candidates if member.id == press.member), None)
        if chosen is None:
            await turn.ask(
                note=turn.gettext("They aren't one of these any more. Please choose again.")
            )
            return
        text = turn.gettext("You chose {name}.").format(name=name_of(chosen, turn.tr))
        if await turn.finish(Screen(text)):  # a second tap acts no more
            await act(turn.update, turn.context, turn.member, Target(chosen, rest, TargetBy.NAME))

    return Form(
        name=f"{command}.who",
        command=command,
        answers=ChooseAnswers,
        who=who,
        steps=(Step("who", ask=ask, buttons={PickTarget: picked}, done=never),),
    )


def choice_label(services: Services, tr: Translator, member: Member) -> str:
    """A button for one of several members with the same name: their name, area and Telegram
    id (never their @username: members are told it is not shown)."""
    return " · ".join(
        [button_name(member, tr), area_label(services, member, tr), str(member.telegram_id or "")]
    )


async def named(services: Services, words: TargetWords) -> tuple[list[Member], str]:
    """The members whose whole name is the longest start of the words, with the words after
    it; else those whose name has the first word in it."""
    for name, rest in words.name_splits():
        found = await services.members.find_by_name(name, CHOICES_MAX, statuses=TARGETS)
        exact = [m for m in found if m.display_name and same_name(name, m.display_name)]
        if exact:
            return exact, rest
    if not words.words:
        return [], ""
    found = await services.members.find_by_name(words.words[0], CHOICES_MAX, statuses=TARGETS)
    return found, " ".join(words.words[1:])


class TargetedCommand:
    """A private-chat command about one member (/warn Ann rude): `who` authorises the sender
    (asked again on every press), the target is resolved (with the choose form when several
    share the name), then `act` does the command's work."""

    def __init__(self, command: str, who: Who, act: Act) -> None:
        self.command = command
        self.who = who
        self.act = act
        self.choose = chooser(command, who, act)

    async def __call__(self, update: Update, context: AmserContext) -> None:
        actor = await self.who(update, context)
        if actor is not None:
            await self.about(update, context, actor)

    async def about(self, update: Update, context: AmserContext, actor: Member) -> None:
        """The rest of the command, for an actor already authorised."""
        if target := await resolve(update, context, actor, self.choose):
            await self.act(update, context, actor, target)

    def register(self, app: AmserApplication) -> None:
        app.add_handler(CommandHandler(self.command, self, filters.ChatType.PRIVATE))
        forms.register(app, self.choose)


async def resolve(
    update: Update, context: AmserContext, actor: Member, choose: Form[ChooseAnswers]
) -> Target | None:
    """The member the command names, and the rest of its words; else the actor is told why
    not (no target, nobody known so, themselves) or, for a shared name, asked to choose."""
    services = context.services
    tr = tr_for(services, actor)
    _ = tr.gettext
    message = update.effective_message
    typed = command_arguments(message.text or "") if message is not None else ""
    replied = message.reply_to_message if message is not None else None
    words = split_arguments(typed)
    if replied is not None:
        found, relayed = await _replied(update, context, actor, replied)
        target = Target(found, typed, TargetBy.REPLY) if found is not None else None
        if target is None:
            # A relayed message whose introduction has gone: its sender has left (/forget).
            text = _left(tr) if relayed else _not_from_a_member(tr)
            await say(update, context, Screen(text))
            return None
    elif words.username is not None:
        found = await services.members.by_username(words.username)
        target = Target(found, words.rest, TargetBy.USERNAME) if found is not None else None
    elif words.telegram_id is not None:
        found = await services.members.by_telegram_id(words.telegram_id)
        target = Target(found, words.rest, TargetBy.TELEGRAM_ID) if found is not None else None
    elif words.words:
        candidates, rest = await named(services, words)
        if len(candidates) > 1:
            await forms.start(update, context, actor, choose, ChooseAnswers(typed), new=True)
            return None
        target = Target(candidates[0], rest, TargetBy.NAME) if candidates else None
    else:
        await say(
            update,
            context,
            Screen(
                _(
                    "Who is it about? Reply to a message from them with /{command}, or name "
                    "them after it: @username, their name, or their Telegram id."
                ).format(command=choose.command)
            ),
        )
        return None
    if target is None:
        await say(update, context, Screen(_unknown(words, tr)))
        return None
    if target.member.status is Status.ERASED:
        await say(update, context, Screen(_left(tr)))
        return None
    if target.member.id == actor.id:
        await say(update, context, Screen(_("That's you! This is for acting on someone else.")))
        return None
    return target


def _unknown(words: TargetWords, tr: Translator) -> str:
    _ = tr.gettext
    if words.username is not None:
        return _(
            "I don't know anyone as @{username}. I learn a member's @username when they use "
            "the bot; try their name or their Telegram id."
        ).format(username=escape(words.username))
    if words.telegram_id is not None:
        return _("No member has the Telegram id {number}.").format(number=words.telegram_id)
    return _(
        "I can't find a member called “{name}”. Check the spelling, or try their @username "
        "or Telegram id."
    ).format(name=escape(words.words[0] if words.words else ""))


def _left(tr: Translator) -> str:
    return tr.gettext("They have left Amser, so there is no one to act on.")


def _not_from_a_member(tr: Translator) -> str:
    return tr.gettext(
        "That message isn't one passed on to you from a member. Reply to a message from them, "
        "or name them: @username, their name, or their Telegram id."
    )


async def _replied(
    update: Update, context: AmserContext, actor: Member, replied: Message
) -> tuple[Member | None, bool]:
    """The member a replied-to message is from: relayed by the bot (its 🚩 Report button says
    from whom), or, in a group, their own; and whether it was relayed."""
    services = context.services
    press = pointed_at(context, update)
    if press is not None:
        subject, _excerpt = await subject_of(services, actor, press)
        return await services.members.get(subject), True
    sender = replied.from_user
    if sender is None or sender.is_bot:
        return None, False
    return await services.members.by_telegram_id(sender.id), False


async def resolve_user(
    update: Update, context: AmserContext, command: str, actor_id: int
) -> UserTarget | Words:
    """Whom a command in a group chat names (a reply to their message, their @username if
    they are a member, their Telegram id), and the rest of its words; else what to say."""
    members = context.services.members
    message = update.effective_message
    typed = command_arguments(message.text or "") if message is not None else ""
    replied = message.reply_to_message if message is not None else None
    words = split_arguments(typed)
    if replied is not None:
        sender = replied.from_user
        if replied.sender_chat is not None or sender is None or sender.is_bot:
            return _not_a_person
        member = await members.by_telegram_id(sender.id)
        target = UserTarget(sender.id, sender.full_name, member, typed, TargetBy.REPLY)
    elif words.username is not None:
        member = await members.by_username(words.username)
        if member is None or member.telegram_id is None or member.status is Status.ERASED:
            username = escape(words.username)
            return lambda tr: tr.gettext(
                "I don't know anyone as @{username}. Reply to one of their messages with "
                "/{command}, or give their Telegram id."
            ).format(username=username, command=command)
        name = member.display_name or words.username
        target = UserTarget(member.telegram_id, name, member, words.rest, TargetBy.USERNAME)
    elif words.telegram_id is not None:
        member = await members.by_telegram_id(words.telegram_id)
        name = member.display_name if member is not None else None
        number = words.telegram_id
        target = UserTarget(number, name or str(number), member, words.rest, TargetBy.TELEGRAM_ID)
    else:
        return lambda tr: tr.gettext(
            "Who is it about? Reply to a message from them with /{command}, or name them after "
            "it: @username or their Telegram id."
        ).format(command=command)
    if target.telegram_id == actor_id:
        return lambda tr: tr.gettext("That's you! This is for acting on someone else.")
    return target


def _not_a_person(tr: Translator) -> str:
    return tr.gettext(
        "That message was sent by a bot or on behalf of the group or a channel, so there is "
        "no one to act on."
    )
