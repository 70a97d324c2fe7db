"""Appeals: a warned, suspended or banned member taps Appeal and says why; the coordinators other
than the one who acted get it with Uphold and Lift; the first decision counts, lifting undoes
the warning or the sanction, and the member is told."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import InlineKeyboardButton, Update

from bot.domain.membership import Status
from bot.domain.permissions import Action
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.access import authorised
from handlers.buttons import ButtonData, Buttons, add_presses
from handlers.common import Screen, current_member, keyboard, say, show, translator
from handlers.credit_common import name_of
from handlers.forms import Form, Step, Turn
from handlers.moderation.others import resumed_notices
from handlers.moderation.shared import moment_words, reason_line
from handlers.notices import Recipient, register_notice
from storage.appeals import Appeal, Appealed
from storage.members import Member
from storage.moderation import SanctionKind
from storage.outbox import Notice, OutboxItem

APPEAL_MAX = 1000  # characters of an appeal
APPEALED = "moderation.appealed"  # to each coordinator who may decide it
DECIDED = "moderation.decided"  # to the member: upheld or lifted


class StartAppeal(ButtonData, prefix="md:ap"):
    """The member's Appeal button, under what they were told."""

    warning: int | None
    sanction: int | None


class Decide(ButtonData, prefix="md:dc"):
    """A coordinator's decision on an appeal."""

    appeal: int
    lift: bool


def appeal_button(
    services: Services,
    recipient: Recipient,
    *,
    warning_id: int | None = None,
    sanction_id: int | None = None,
) -> InlineKeyboardButton:
    b = Buttons(services, recipient.chat_id)
    return b(recipient.tr.gettext("✋ Appeal"), StartAppeal(warning_id, sanction_id))


@dataclass(frozen=True)
class AppealAnswers:
    warning: int | None = None
    sanction: int | None = None


async def appellant(update: Update, context: AmserContext) -> Member | None:
    """A member who may appeal: one who is active or suspended (a ban is a suspension)."""
    member = await current_member(update, context)
    if member is not None and member.status in (Status.ACTIVE, Status.SUSPENDED):
        return member
    tr = translator(update, context, member)
    await say(update, context, Screen(tr.gettext("There is nothing for you to appeal.")))
    return None


async def _still_there(services: Services, member: Member, answers: AppealAnswers) -> bool:
    """Whether the warning still counts, or the sanction is still in force, and is theirs."""
    if answers.warning is not None:
        live = await services.moderation.live_warnings(member.id, services.clock.now())
        return any(warning.id == answers.warning for warning in live)
    held = await services.moderation.in_force(member.id)
    return held is not None and held.id == answers.sanction


def _gone(tr: Translator) -> Screen:
    return Screen(
        tr.gettext("That is no longer in force, or you have appealed against it already.")
    )


async def on_start(update: Update, context: AmserContext, press: StartAppeal) -> None:
    member = await appellant(update, context)
    if member is None:
        return
    answers = AppealAnswers(press.warning, press.sanction)
    if not await _still_there(context.services, member, answers):
        await say(update, context, _gone(translator(update, context, member)))
        return
    await forms.start(update, context, member, APPEAL, answers, new=True)


async def _ask(turn: Turn[AppealAnswers]) -> Screen:
    _ = turn.gettext
    return Screen(
        _(
            "<b>✋ Your appeal</b>\nTell the coordinators, in a few words, why you think this "
            "isn't fair (up to {limit} characters). A coordinator who didn't make the decision "
            "will look at it."
        ).format(limit=APPEAL_MAX)
    )


async def _typed(turn: Turn[AppealAnswers], text: str) -> None:
    services = turn.services
    member = turn.member
    answers = turn.answers

    def then(made: Appealed | None) -> list[Notice]:
        if made is None:
            return []
        return [
            Notice(
                APPEALED,
                member_id=reviewer,
                about=made.appeal.id,
                key=f"{APPEALED}:{made.appeal.id}:{reviewer}",
            )
            for reviewer in made.reviewers
        ]

    made = await services.appeals.appeal(
        member.id,
        text,
        services.clock.now(),
        warning_id=answers.warning,
        sanction_id=answers.sanction,
        then=then,
    )
    if made is None:
        await turn.close(_gone(turn.tr))
        return
    await turn.finish(
        Screen(
            turn.gettext(
                "Thank you. Your appeal has gone to the coordinators, and I'll tell you here "
                "what they decide."
            )
        )
    )


APPEAL: Form[AppealAnswers] = Form(
    name="moderation.appeal",
    command="appeal",
    answers=AppealAnswers,
    who=appellant,
    steps=(Step("why", ask=_ask, typed=_typed, limit=APPEAL_MAX, one_line=False),),
)


# --- the coordinators' side -------------------------------------------------------------------


async def _about(services: Services, tr: Translator, appeal: Appeal) -> str:
    """What the appeal is against, as a coordinator reads it."""
    _ = tr.gettext
    if appeal.warning_id is not None:
        warning = await services.moderation.warning_by_id(appeal.warning_id)
        given = moment_words(services, tr, warning.given_at) if warning else "?"
        reason = reason_line(tr, warning.reason if warning else None)
        return _("A warning given {given}. {reason}").format(given=given, reason=reason)
    held = await services.moderation.sanction_by_id(appeal.sanction_id or 0)
    given = moment_words(services, tr, held.given_at) if held else "?"
    reason = reason_line(tr, held.reason if held else None)
    if held is not None and held.kind is SanctionKind.BAN:
        return _("A ban given {given}. {reason}").format(given=given, reason=reason)
    return _("A suspension given {given}. {reason}").format(given=given, reason=reason)


async def _render_appealed(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    appeal = await services.appeals.get(item.about or 0)
    if appeal is None or appeal.decided_at is not None:
        return None
    member = await services.members.get(appeal.member_id)
    actor = await services.members.get(appeal.acted_by) if appeal.acted_by else None
    tr = recipient.tr
    _ = tr.gettext
    lines = [
        _("✋ <b>An appeal from {name}</b>").format(name=name_of(member, tr)),
        await _about(services, tr, appeal),
        _("Given by {name}.").format(name=name_of(actor, tr)) if actor else _("Given by the bot."),
        "",
        _("They wrote:"),
        f"<i>{escape(appeal.text)}</i>",
    ]
    b = Buttons(services, recipient.chat_id)
    buttons = [b(_("✅ Uphold"), Decide(appeal.id, False)), b(_("↩️ Lift"), Decide(appeal.id, True))]
    return Screen("\n".join(lines), keyboard(buttons))


async def _action(services: Services, appeal: Appeal) -> Action:
    """Who may decide: whoever may give what the appeal is against."""
    if appeal.warning_id is not None:
        return Action.WARN
    held = await services.moderation.sanction_by_id(appeal.sanction_id or 0)
    return Action.BAN if held is not None and held.kind is SanctionKind.BAN else Action.SUSPEND


async def on_decide(update: Update, context: AmserContext, press: Decide) -> None:
    services = context.services
    appeal = await services.appeals.get(press.appeal)
    if appeal is None:
        return
    admin = await authorised(update, context, await _action(services, appeal))
    if admin is None:
        return
    tr = translator(update, context, admin)
    _ = tr.gettext
    member = await services.members.get(appeal.member_id)
    name = name_of(member, tr)
    now = services.clock.now()
    decided = await services.appeals.decide(
        appeal.id,
        admin.id,
        press.lift,
        now,
        services.config.log_chat,
        alongside=lambda tx, held: resumed_notices(tx, held, now),
        then=lambda done: (
            [Notice(DECIDED, member_id=done.member_id, about=done.id)] if done else []
        ),
    )
    again = await services.appeals.get(appeal.id)
    if decided is None and again is not None and again.decided_at is None:
        text = _("You made that decision, so another coordinator decides the appeal.")
        await say(update, context, Screen(text))  # the card stays for the others
        return
    if decided is None:
        text = _("This appeal has been decided already. Nothing has been changed.")
    elif press.lift:
        text = _("↩️ You lifted it. I've let {name} know.").format(name=name)
    else:
        text = _("✅ You upheld it. I've let {name} know.").format(name=name)
    await show(update, context, Screen(text))


async def _render_decided(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    appeal = await services.appeals.get(item.about or 0)
    if appeal is None or appeal.lifted is None:
        return None
    _ = recipient.tr.gettext
    if appeal.lifted:
        text = _(
            "↩️ A coordinator has looked at your appeal and agreed: it has been lifted. Thank "
            "you for telling us."
        )
    else:
        text = _(
            "A coordinator has looked at your appeal carefully and decided to keep it as it is. "
            "Thank you for telling us."
        )
    return Screen(text)


def register(app: AmserApplication) -> None:
    forms.register(app, APPEAL)
    add_presses(app, {StartAppeal: on_start, Decide: on_decide})
    register_notice(app, APPEALED, _render_appealed)
    register_notice(app, DECIDED, _render_decided)
