"""/broadcast: an ambassador's community notice, as a form. Who to (everyone, an area, an
interest), the English, the Welsh (either may be skipped, with a warning to confirm), then a
preview with both texts and the number of recipients, and Send."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from telegram import Message, Update
from telegram.ext import CommandHandler, filters

from bot.domain.broadcasts import (
    TEXT_MAX,
    Audience,
    AudienceKind,
    Status,
    needs_approval,
    telegram_length,
)
from bot.domain.permissions import Action
from bot.runtime.context import AmserApplication, AmserContext
from handlers import forms
from handlers.access import authorised
from handlers.broadcasts.approval import approval_cards
from handlers.broadcasts.progress import progress_screen
from handlers.broadcasts.words import (
    approvers,
    audience_label,
    both_texts,
    members_count,
)
from handlers.common import Screen, keyboard, pairs
from handlers.forms import Form, FormButton, Step, Turn, never
from storage.members import Member


class PickAudience(FormButton, prefix="bc:to"):
    kind: AudienceKind


class PickArea(FormButton, prefix="bc:area"):
    key: str


class PickInterest(FormButton, prefix="bc:cat"):
    key: str


class SkipLanguage(FormButton, prefix="bc:skip"):
    pass


class OneLanguage(FormButton, prefix="bc:one"):
    pass


class SendBroadcast(FormButton, prefix="bc:send"):
    pass


@dataclass(frozen=True)
class BroadcastAnswers:
    audience: AudienceKind | None = None
    key: str | None = None  # the area or the category
    english: str | None = None
    welsh: str | None = None
    no_english: bool = False
    no_welsh: bool = False
    one_language_ok: bool = False  # they saw the one-language warning and said go ahead


def audience_of(answers: BroadcastAnswers) -> Audience | None:
    if answers.audience is None:
        return None
    if answers.audience is AudienceKind.EVERYONE:
        return Audience(AudienceKind.EVERYONE)
    return Audience(answers.audience, answers.key) if answers.key else None


# --- who to ---------------------------------------------------------------------------------


async def _ask_audience(turn: Turn[BroadcastAnswers]) -> Screen:
    _ = turn.gettext
    pick = [
        turn.b(_("Everyone"), PickAudience(turn.form.id, AudienceKind.EVERYONE)),
        turn.b(_("An area"), PickAudience(turn.form.id, AudienceKind.AREA)),
        turn.b(_("An interest"), PickAudience(turn.form.id, AudienceKind.INTEREST)),
    ]
    text = "\n".join(
        [
            _("<b>📣 A community notice</b>"),
            _("Who should it go to? Members who have turned community news off won't get it."),
        ]
    )
    return Screen(text, keyboard(pick))


async def _audience_picked(turn: Turn[BroadcastAnswers], press: PickAudience) -> None:
    await turn.save(audience=press.kind, key=None)
    await turn.next()


async def _ask_area(turn: Turn[BroadcastAnswers]) -> Screen:
    language = turn.tr.language
    buttons = [
        turn.b(area.label(language), PickArea(turn.form.id, area.key))
        for area in turn.services.config.areas
    ]
    return Screen(turn.gettext("Which area?"), keyboard(*pairs(buttons)))


async def _area_picked(turn: Turn[BroadcastAnswers], press: PickArea) -> None:
    if turn.services.config.area(press.key) is None:
        await turn.ask()  # not one of ours (any more)
        return
    await turn.save(key=press.key)
    await turn.next()


async def _ask_interest(turn: Turn[BroadcastAnswers]) -> Screen:
    language = turn.tr.language
    buttons = [
        turn.b(category.label(language), PickInterest(turn.form.id, category.key))
        for category in turn.services.config.categories
    ]
    text = turn.gettext(
        "Which interest? It goes to members who offer that kind of help or asked to hear about it."
    )
    return Screen(text, keyboard(*pairs(buttons)))


async def _interest_picked(turn: Turn[BroadcastAnswers], press: PickInterest) -> None:
    if turn.services.config.category(press.key) is None:
        await turn.ask()
        return
    await turn.save(key=press.key)
    await turn.next()


# --- the words --------------------------------------------------------------------------------


def _limit_note(turn: Turn[BroadcastAnswers]) -> str:
    return turn.gettext("Up to {limit} characters.").format(limit=TEXT_MAX)


async def _ask_english(turn: Turn[BroadcastAnswers]) -> Screen:
    _ = turn.gettext
    text = "\n".join(
        [
            _("<b>The notice in English</b>"),
            _("Type it as members should read it. {limit}").format(limit=_limit_note(turn)),
            _("Writing only in Welsh? Tap Skip."),
        ]
    )
    return Screen(text, keyboard([turn.b(_("Skip"), SkipLanguage(turn.form.id))]))


async def _fits(turn: Turn[BroadcastAnswers], text: str) -> bool:
    """Within Telegram's own measure too (the engine counted characters); else asked again."""
    length = telegram_length(text)
    if length <= TEXT_MAX:
        return True
    note = turn.gettext(
        "That's a little long: please keep it to {limit} characters (yours had {length})."
    ).format(limit=TEXT_MAX, length=length)
    await turn.ask(note=note, new=True)
    return False


async def _english_typed(turn: Turn[BroadcastAnswers], text: str) -> None:
    if not await _fits(turn, text):
        return
    await turn.save(english=text, no_english=False, one_language_ok=False)
    await turn.next()


async def _english_skipped(turn: Turn[BroadcastAnswers], press: SkipLanguage) -> None:
    await turn.save(english=None, no_english=True, one_language_ok=False)
    await turn.next()


async def _ask_welsh(turn: Turn[BroadcastAnswers]) -> Screen:
    _ = turn.gettext
    text = "\n".join(
        [
            _("<b>The notice in Welsh</b>"),
            _("Members who chose Cymraeg will get this one. {limit}").format(
                limit=_limit_note(turn)
            ),
            _("No Welsh? Tap Skip."),
        ]
    )
    return Screen(text, keyboard([turn.b(_("Skip"), SkipLanguage(turn.form.id))]))


async def _welsh_typed(turn: Turn[BroadcastAnswers], text: str) -> None:
    if not await _fits(turn, text):
        return
    await turn.save(welsh=text, no_welsh=False, one_language_ok=False)
    await turn.next()


async def _welsh_skipped(turn: Turn[BroadcastAnswers], press: SkipLanguage) -> None:
    if not turn.answers.english:
        note = turn.gettext("A notice needs words in at least one language: please write it.")
        await turn.ask(note=note)  # here, in Welsh; « Back goes to the English
        return
    await turn.save(welsh=None, no_welsh=True, one_language_ok=False)
    await turn.next()


def _one_language(turn: Turn[BroadcastAnswers]) -> bool:
    return bool(turn.answers.english) != bool(turn.answers.welsh)


async def _ask_one_language(turn: Turn[BroadcastAnswers]) -> Screen:
    _ = turn.gettext
    if turn.answers.english:
        text = _(
            "<b>Only English?</b>\nWelsh speakers will get the English. "
            "Tap « Back to add the Welsh, or send it in English only."
        )
        label = _("Send it in English only")
    else:
        text = _(
            "<b>Only Welsh?</b>\nEnglish speakers will get the Welsh. "
            "Tap « Back to add the English, or send it in Welsh only."
        )
        label = _("Send it in Welsh only")
    return Screen(text, keyboard([turn.b(label, OneLanguage(turn.form.id))]))


async def _one_language_ok(turn: Turn[BroadcastAnswers], press: OneLanguage) -> None:
    await turn.save(one_language_ok=True)
    await turn.next()


# --- the preview and Send -------------------------------------------------------------------


async def _ask_preview(turn: Turn[BroadcastAnswers]) -> Screen:
    _ = turn.gettext
    services, answers = turn.services, turn.answers
    audience = audience_of(answers)
    if audience is None:  # not reachable through the steps; kept safe all the same
        return Screen(_("Please choose who it goes to first."))
    count = await services.broadcasts.count_audience(audience)
    lines = [
        _("<b>📣 Check your notice</b>"),
        _("It will go {audience}: {count} now.").format(
            audience=audience_label(services, audience, turn.tr),
            count=members_count(turn.tr, count),
        ),
        "",
        both_texts(turn.tr, answers.english, answers.welsh),
        "",
    ]
    threshold = services.config.broadcast_approval_above
    if needs_approval(count, threshold):
        lines.append(
            _(
                "It goes to more than {limit} members, so another ambassador or a coordinator "
                "will be asked to approve it first."
            ).format(limit=threshold)
        )
    lines.append(_("Each member gets it in their own language, with a button to stop these."))
    return Screen(
        "\n".join(lines), keyboard([turn.b(_("📣 Send it"), SendBroadcast(turn.form.id))])
    )


async def _send(turn: Turn[BroadcastAnswers], press: SendBroadcast) -> None:
    services, answers, member = turn.services, turn.answers, turn.member
    audience = audience_of(answers)
    if audience is None or not (answers.english or answers.welsh):
        await turn.next()  # something is missing: ask for it
        return
    approving = await approvers(services, member)
    broadcast, _created = await services.broadcasts.create(
        member.id,
        audience,
        answers.english,
        answers.welsh,
        turn.form.id,
        services.clock.now(),
        approval_above=services.config.broadcast_approval_above,
        then=lambda made: (
            approval_cards(approving, made) if made.status is Status.AWAITING_APPROVAL else []
        ),
    )
    progress = await services.broadcasts.progress(broadcast)
    screen = progress_screen(services, broadcast, progress, turn.tr, member.telegram_id or 0)
    if broadcast.status is Status.AWAITING_APPROVAL and not approving:
        screen = screen.after(
            turn.gettext("There is nobody else to approve it yet: please ask a coordinator.")
        )
    await turn.finish(screen, outcome=broadcast.id)
    query = turn.update.callback_query
    if query is not None and isinstance(query.message, Message):
        await services.broadcasts.set_progress_message(
            broadcast.id, query.message.chat_id, query.message.message_id
        )


async def _sent_already(turn: Turn[BroadcastAnswers]) -> None:
    text = turn.gettext("That notice has been sent already. Send /broadcast to write another.")
    await turn.show(Screen(text))


def _answered(field: str, skipped: str) -> Callable[[Turn[BroadcastAnswers]], bool]:
    """For `done=`: the text was typed or skipped."""
    return lambda turn: getattr(turn.answers, field) is not None or getattr(turn.answers, skipped)


async def _author(update: Update, context: AmserContext) -> Member | None:
    """An ambassador or coordinator, checked on every command, press and typed answer."""
    return await authorised(update, context, Action.BROADCAST)


BROADCAST = Form(
    name="broadcast",
    command="broadcast",
    answers=BroadcastAnswers,
    who=_author,
    steps=(
        Step(
            "audience",
            ask=_ask_audience,
            buttons={PickAudience: _audience_picked},
            done=lambda turn: turn.answers.audience is not None,
        ),
        Step(
            "area",
            ask=_ask_area,
            buttons={PickArea: _area_picked},
            done=lambda turn: turn.answers.key is not None,
            when=lambda turn: turn.answers.audience is AudienceKind.AREA,
        ),
        Step(
            "interest",
            ask=_ask_interest,
            buttons={PickInterest: _interest_picked},
            done=lambda turn: turn.answers.key is not None,
            when=lambda turn: turn.answers.audience is AudienceKind.INTEREST,
        ),
        Step(
            "english",
            ask=_ask_english,
            typed=_english_typed,
            limit=TEXT_MAX,
            one_line=False,
            buttons={SkipLanguage: _english_skipped},
            done=_answered("english", "no_english"),
        ),
        Step(
            "welsh",
            ask=_ask_welsh,
            typed=_welsh_typed,
            limit=TEXT_MAX,
            one_line=False,
            buttons={SkipLanguage: _welsh_skipped},
            done=_answered("welsh", "no_welsh"),
        ),
        Step(
            "one_language",
            ask=_ask_one_language,
            buttons={OneLanguage: _one_language_ok},
            done=lambda turn: turn.answers.one_language_ok,
            when=_one_language,
        ),
        Step("preview", ask=_ask_preview, buttons={SendBroadcast: _send}, done=never),
    ),
    finished=_sent_already,
)


async def broadcast_command(update: Update, context: AmserContext) -> None:
    member = await _author(update, context)
    if member is not None:
        await forms.start(update, context, member, BROADCAST)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("broadcast", broadcast_command, filters.ChatType.PRIVATE))
    forms.register(app, BROADCAST)
