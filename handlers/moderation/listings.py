"""Taking a listing down: a coordinator taps "🗑 Take down" on a listing's card, gives a reason
(a button or a few words) and confirms; the listing closes, the action is audited in the same
write, and its owner is told why, in their language."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from telegram import Update

from bot.domain.permissions import Action
from bot.domain.targets import REASON_MAX
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers import forms
from handlers.access import authorised
from handlers.buttons import add_presses
from handlers.common import Screen, keyboard, say, tr_for
from handlers.credit_common import name_of
from handlers.forms import Form, FormButton, Step, Turn, never
from handlers.listings.buttons import TakeDown
from handlers.listings.post import LIVE
from handlers.listings.removal import TAKEN_DOWN, reason_words, taking_down_in
from handlers.moderation.shared import reason_line
from handlers.notices import Recipient, register_notice
from handlers.support.buttons import REASONS
from storage.listings import Listing
from storage.members import Member
from storage.outbox import OutboxItem
from storage.reports import ReportReason

PRESETS = (ReportReason.MISLEADING, ReportReason.SPAM, ReportReason.UNKIND)


@dataclass(frozen=True)
class TakeDownAnswers:
    listing: int = 0
    preset: str | None = None  # a ReportReason: worded in each reader's language
    words: str | None = None  # or the coordinator's own words


class PickPreset(FormButton, prefix="td:why"):
    reason: ReportReason


class Confirm(FormButton, prefix="td:yes"):
    pass


async def may_take_down(update: Update, context: AmserContext) -> Member | None:
    return await authorised(update, context, Action.REMOVE_LISTING)


async def _live(turn: Turn[TakeDownAnswers]) -> Listing | None:
    listing = await turn.services.listings.get(turn.answers.listing)
    return listing if listing is not None and listing.status in LIVE else None


def _gone(tr: Translator) -> Screen:
    return Screen(tr.gettext("That listing has closed already, so there is nothing to take down."))


async def _summary(services: Services, tr: Translator, listing: Listing) -> str:
    owner = await services.members.get(listing.member_id)
    return tr.gettext("🗑 <b>Taking down “{title}”</b>, by {name}.").format(
        title=escape(listing.title), name=name_of(owner, tr)
    )


async def _ask_reason(turn: Turn[TakeDownAnswers]) -> Screen:
    listing = await _live(turn)
    if listing is None:
        return _gone(turn.tr)
    _ = turn.gettext
    text = "\n".join(
        [
            await _summary(turn.services, turn.tr, listing),
            "",
            _(
                "Why? Its owner will read this. Tap a reason, or type your own in a few words "
                "(up to {limit} characters)."
            ).format(limit=REASON_MAX),
        ]
    )
    rows = [[turn.b(_(REASONS[reason]), PickPreset(turn.form.id, reason))] for reason in PRESETS]
    return Screen(text, keyboard(*rows))


async def _preset(turn: Turn[TakeDownAnswers], press: PickPreset) -> None:
    await turn.save(preset=press.reason.value, words=None)
    await turn.next()


async def _typed(turn: Turn[TakeDownAnswers], text: str) -> None:
    await turn.save(preset=None, words=text)
    await turn.next()


async def _ask_confirm(turn: Turn[TakeDownAnswers]) -> Screen:
    listing = await _live(turn)
    if listing is None:
        return _gone(turn.tr)
    _ = turn.gettext
    owner = await turn.services.members.get(listing.member_id)
    text = "\n".join(
        [
            await _summary(turn.services, turn.tr, listing),
            reason_line(turn.tr, reason_words(turn.tr, turn.answers.preset, turn.answers.words)),
            "",
            _("It will close at once, and {name} will be told why.").format(
                name=name_of(owner, turn.tr)
            ),
        ]
    )
    return Screen(text, keyboard([turn.b(_("🗑 Take it down"), Confirm(turn.form.id))]))


async def _confirmed(turn: Turn[TakeDownAnswers], press: Confirm) -> None:
    services, answers = turn.services, turn.answers
    listing = await services.listings.get(answers.listing)
    if listing is None:
        await turn.close(_gone(turn.tr))
        return
    now = services.clock.now()
    write = taking_down_in(
        services, listing, turn.member.id, now, preset=answers.preset, words=answers.words
    )
    if not await services.db.write(write):
        await turn.close(_gone(turn.tr))
        return
    owner = await services.members.get(listing.member_id)
    done = turn.gettext("✅ “{title}” has been taken down, and {name} has been told why.")
    title = escape(listing.title)
    await turn.finish(Screen(done.format(title=title, name=name_of(owner, turn.tr))))


async def _finished(turn: Turn[TakeDownAnswers]) -> None:
    await turn.show(Screen(turn.gettext("That listing has been taken down already.")))


TAKE_DOWN: Form[TakeDownAnswers] = Form(
    name="takedown",
    command="browse",
    answers=TakeDownAnswers,
    who=may_take_down,
    steps=(
        Step(
            "reason",
            ask=_ask_reason,
            typed=_typed,
            limit=REASON_MAX,
            buttons={PickPreset: _preset},
            done=lambda turn: turn.answers.preset is not None or turn.answers.words is not None,
        ),
        Step("confirm", ask=_ask_confirm, buttons={Confirm: _confirmed}, done=never),
    ),
    finished=_finished,
)


async def _take_down_pressed(update: Update, context: AmserContext, press: TakeDown) -> None:
    member = await authorised(update, context, Action.REMOVE_LISTING)
    if member is None:
        return
    listing = await context.services.listings.get(press.listing)
    if listing is None or listing.status not in LIVE:
        await say(update, context, _gone(tr_for(context.services, member)))
        return
    answers = TakeDownAnswers(listing=listing.id)
    await forms.start(update, context, member, TAKE_DOWN, answers, new=True)


async def _render_taken_down(
    services: Services, recipient: Recipient, item: OutboxItem
) -> Screen | None:
    listing = await services.listings.get(item.about or 0)
    if listing is None:
        return None
    tr = recipient.tr
    _ = tr.gettext
    preset, words = item.data.get("preset"), item.data.get("words")
    if listing.kind == "offer":
        taken = _("🗑 The coordinators have taken down your offer “{title}”.")
    else:
        taken = _("🗑 The coordinators have taken down your request “{title}”.")
    lines = [
        taken.format(title=escape(listing.title)),
        reason_line(tr, reason_words(tr, preset, words)),
        "",
        _(
            "Nothing else has changed for you. If you think this was a mistake, or you'd like "
            "help to word it differently, please talk to a coordinator; you are welcome to post "
            "it again with changes."
        ),
    ]
    return Screen("\n".join(lines))


def register(app: AmserApplication) -> None:
    add_presses(app, {TakeDown: _take_down_pressed})
    forms.register(app, TAKE_DOWN)
    register_notice(app, TAKEN_DOWN, _render_taken_down)
