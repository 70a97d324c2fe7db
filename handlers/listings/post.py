"""/offer and /request: a short guided form with a preview, then Post; the same form changes a
listing from /mylistings (it then opens on the preview, and ends with Save)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.domain.listings import AVAILABILITY, DETAILS_MAX, REMOTE, TITLE_MAX, Kind, ListingStatus
from bot.runtime.context import AmserApplication, AmserContext
from handlers import forms, matches
from handlers.buttons import on_press
from handlers.cards import card_text
from handlers.common import Screen, keyboard, pairs, say
from handlers.details import active_member
from handlers.forms import Form, FormButton, Step, Turn, never
from handlers.listings.ageing import schedule_ageing
from handlers.listings.buttons import StartPosting
from handlers.menu import back_to_menu, main_menu
from storage.listings import Listing
from storage.members import ELSEWHERE, Member

ANY_TIME = "any"
DURATIONS = (7, 14, 30, 60)
LIVE = (ListingStatus.OPEN, ListingStatus.PAUSED, ListingStatus.MATCHED)


class Field(StrEnum):
    """The questions, in order; each one can be changed again from the preview."""

    CATEGORY = "category"
    TITLE = "title"
    DETAILS = "details"
    PLACE = "place"
    AVAILABILITY = "availability"
    DAYS = "days"


@dataclass(frozen=True)
class ListingAnswers:
    kind: str = Kind.OFFER
    listing_id: int | None = None  # set when changing a posted listing
    category: str | None = None
    title: str | None = None
    details: str | None = None
    place: str | None = None  # an area key, ELSEWHERE or REMOTE
    availability: str | None = None  # an AVAILABILITY key, or ANY_TIME
    days: int | None = None

    def complete(self) -> bool:
        return all(getattr(self, field) is not None for field in Field)


@dataclass(frozen=True)
class PickCategory(FormButton, prefix="ls:cat"):
    key: str


@dataclass(frozen=True)
class PickPlace(FormButton, prefix="ls:place"):
    key: str


@dataclass(frozen=True)
class PickTime(FormButton, prefix="ls:when"):
    key: str


@dataclass(frozen=True)
class PickDays(FormButton, prefix="ls:days"):
    days: int


@dataclass(frozen=True)
class PostIt(FormButton, prefix="ls:post"):
    pass


@dataclass(frozen=True)
class ChangeSomething(FormButton, prefix="ls:change"):
    pass


@dataclass(frozen=True)
class ChangeField(FormButton, prefix="ls:field"):
    field: Field


@dataclass(frozen=True)
class ShowPreview(FormButton, prefix="ls:show"):
    pass


Listed = Turn[ListingAnswers]


def _offering(turn: Listed) -> bool:
    return turn.answers.kind == Kind.OFFER


# --- the questions -----------------------------------------------------------------------------


async def _ask_category(turn: Listed) -> Screen:
    _ = turn.gettext
    text = (
        _("What kind of help could you offer?")
        if _offering(turn)
        else _("What kind of help do you need?")
    )
    language = turn.tr.language
    choices = [
        turn.b(c.label(language), PickCategory(turn.form.id, c.key))
        for c in turn.services.config.categories
    ]
    return Screen(text, keyboard(*pairs(choices)))


async def _category_picked(turn: Listed, press: PickCategory) -> None:
    if turn.services.config.category(press.key) is None:
        await turn.ask()
        return
    await turn.save(category=press.key)
    await turn.next()


async def _ask_title(turn: Listed) -> Screen:
    _ = turn.gettext
    text = (
        _("In a few words, what could you do? For example: “Help with your garden”.")
        if _offering(turn)
        else _("In a few words, what do you need? For example: “Help with my garden”.")
    )
    return Screen(text + "\n" + _("(Up to {limit} characters.)").format(limit=TITLE_MAX))


async def _title_typed(turn: Listed, text: str) -> None:
    await turn.save(title=text)
    await turn.next()


async def _ask_details(turn: Listed) -> Screen:
    _ = turn.gettext
    return Screen(
        _(
            "Tell people a little more (up to {limit} characters). Please don't include your "
            "phone number or address: we'll introduce you safely."
        ).format(limit=DETAILS_MAX)
    )


async def _details_typed(turn: Listed, text: str) -> None:
    await turn.save(details=text)
    await turn.next()


async def _ask_place(turn: Listed) -> Screen:
    _ = turn.gettext
    language = turn.tr.language
    choices = [
        turn.b(a.label(language), PickPlace(turn.form.id, a.key))
        for a in turn.services.config.areas
    ]
    choices.append(turn.b(_("Somewhere else"), PickPlace(turn.form.id, ELSEWHERE)))
    remote = [turn.b(_("Remotely or by phone"), PickPlace(turn.form.id, REMOTE))]
    return Screen(_("Where?"), keyboard(*pairs(choices), remote))


async def _place_picked(turn: Listed, press: PickPlace) -> None:
    known = press.key in (REMOTE, ELSEWHERE) or turn.services.config.area(press.key) is not None
    if not known:
        await turn.ask()
        return
    await turn.save(place=press.key)
    await turn.next()


async def _ask_availability(turn: Listed) -> Screen:
    _ = turn.gettext
    choices = [turn.b(_(label), PickTime(turn.form.id, key)) for key, label in AVAILABILITY.items()]
    anytime = [turn.b(_("Any time"), PickTime(turn.form.id, ANY_TIME))]
    return Screen(_("When suits you best?"), keyboard(*pairs(choices), anytime))


async def _time_picked(turn: Listed, press: PickTime) -> None:
    if press.key != ANY_TIME and press.key not in AVAILABILITY:
        await turn.ask()
        return
    await turn.save(availability=press.key)
    await turn.next()


async def _ask_days(turn: Listed) -> Screen:
    tr = turn.tr
    choices = [
        turn.b(
            tr.ngettext("{n} day", "{n} days", days).format(n=days), PickDays(turn.form.id, days)
        )
        for days in DURATIONS
    ]
    # Listings stay "ar gael" in Welsh: available, not the calque "aros i fyny".
    return Screen(tr.gettext("How long should it stay up?"), keyboard(*pairs(choices)))


async def _days_picked(turn: Listed, press: PickDays) -> None:
    if press.days not in DURATIONS:
        await turn.ask()
        return
    await turn.save(days=press.days)
    await turn.next()


# --- the preview -------------------------------------------------------------------------------


async def _ask_preview(turn: Listed) -> Screen:
    tr, answers = turn.tr, turn.answers
    _ = tr.gettext
    days = answers.days or turn.services.config.listing_days
    text = "\n\n".join(
        [
            _("<b>Here's how it will look:</b>"),
            card_text(turn.services, answers, tr, turn.member.display_name),
            tr.ngettext(
                "It will stay up for {n} day.", "It will stay up for {n} days.", days
            ).format(n=days),
        ]
    )
    post = _("✅ Save changes") if answers.listing_id else _("✅ Post it")
    return Screen(
        text,
        keyboard(
            [turn.b(post, PostIt(turn.form.id))],
            [turn.b(_("✏️ Change something"), ChangeSomething(turn.form.id))],
        ),
    )


async def _change_something(turn: Listed, press: ChangeSomething) -> None:
    """Which answer to change; the preview's step stays, so typing here is asked again."""
    _ = turn.gettext
    labels = {
        Field.CATEGORY: _("Kind of help"),
        Field.TITLE: _("Title"),
        Field.DETAILS: _("Details"),
        Field.PLACE: _("Where"),
        Field.AVAILABILITY: _("When"),
        Field.DAYS: _("How long"),
    }
    options = [turn.b(label, ChangeField(turn.form.id, field)) for field, label in labels.items()]
    back = [turn.b(_("« Back"), ShowPreview(turn.form.id))]
    await turn.show(Screen(_("What would you like to change?"), keyboard(*pairs(options), back)))


async def _change_field(turn: Listed, press: ChangeField) -> None:
    await turn.go(press.field.value)


async def _show_preview(turn: Listed, press: ShowPreview) -> None:
    await turn.ask()


async def _post(turn: Listed, press: PostIt) -> None:
    answers = turn.answers
    if not answers.complete():
        await turn.next()  # the first question still unanswered
        return
    if answers.listing_id is not None:
        await _save_changes(turn, answers.listing_id)
        return
    services, member = turn.services, turn.member
    now = services.clock.now()
    listing, _made = await services.listings.create_for_form(
        turn.form.id,
        member.id,
        answers.kind,
        now=now,
        expires_at=now + timedelta(days=answers.days or services.config.listing_days),
        **_fields(answers),
    )
    await schedule_ageing(services, listing)
    _ = turn.gettext
    note = _(
        "Posted! Thank you. We'll let the people who fit best know, and tell you when someone "
        "responds."
    )
    if await turn.finish(Screen(note), outcome=listing.id):
        await say(turn.update, turn.context, main_menu(services, member))
        await matches.announce(turn.context, listing)


async def _save_changes(turn: Listed, listing_id: int) -> None:
    services, member, answers = turn.services, turn.member, turn.answers
    listing = await services.listings.get(listing_id)
    if listing is None or listing.member_id != member.id or listing.status not in LIVE:
        note = turn.gettext("That one is already closed.")
        await turn.close(main_menu(services, member).after(note))
        return
    now = services.clock.now()
    days = answers.days or services.config.listing_days
    listing = await services.listings.update(
        listing.id, now, expires_at=now + timedelta(days=days), **_fields(answers)
    )
    await schedule_ageing(services, listing)
    if await turn.finish(Screen(turn.gettext("Saved. Thank you!")), outcome=listing.id):
        await say(turn.update, turn.context, main_menu(services, member))


def _fields(answers: ListingAnswers) -> dict[str, str | None]:
    return {
        "category": answers.category or "",
        "title": answers.title or "",
        "details": answers.details or "",
        "place": answers.place or "",
        "availability": None if answers.availability == ANY_TIME else answers.availability,
    }


async def _posted_already(turn: Listed) -> None:
    """Post (or Save) pressed again: one listing was made; show it as it is now."""
    services, tr = turn.services, turn.tr
    listing = await services.listings.get(turn.form.outcome or 0)
    text = tr.gettext("That's done already. Here's how it looks now:")
    if listing is not None:
        text += "\n\n" + card_text(services, listing, tr, turn.member.display_name)
    await turn.show(Screen(text, keyboard(back_to_menu(services, turn.member))))


async def _cancelled(turn: Listed) -> None:
    screen = main_menu(turn.services, turn.member)
    await turn.close(screen.after(turn.gettext("Cancelled: nothing was posted.")))


LISTING: Form[ListingAnswers] = Form(
    name="listing",
    command="mylistings",  # where both /offer and /request can be started again
    answers=ListingAnswers,
    who=active_member,
    steps=(
        Step(
            Field.CATEGORY.value,
            ask=_ask_category,
            buttons={PickCategory: _category_picked},
            done=lambda turn: turn.answers.category is not None,
        ),
        Step(
            Field.TITLE.value,
            ask=_ask_title,
            typed=_title_typed,
            limit=TITLE_MAX,
            done=lambda turn: turn.answers.title is not None,
        ),
        Step(
            Field.DETAILS.value,
            ask=_ask_details,
            typed=_details_typed,
            limit=DETAILS_MAX,
            one_line=False,
            done=lambda turn: turn.answers.details is not None,
        ),
        Step(
            Field.PLACE.value,
            ask=_ask_place,
            buttons={PickPlace: _place_picked},
            done=lambda turn: turn.answers.place is not None,
        ),
        Step(
            Field.AVAILABILITY.value,
            ask=_ask_availability,
            buttons={PickTime: _time_picked},
            done=lambda turn: turn.answers.availability is not None,
        ),
        Step(
            Field.DAYS.value,
            ask=_ask_days,
            buttons={PickDays: _days_picked},
            done=lambda turn: turn.answers.days is not None,
        ),
        Step(
            "preview",
            ask=_ask_preview,
            buttons={
                PostIt: _post,
                ChangeSomething: _change_something,
                ChangeField: _change_field,
                ShowPreview: _show_preview,
            },
            done=never,
        ),
    ),
    cancel=_cancelled,
    finished=_posted_already,
)


# --- starting --------------------------------------------------------------------------------


async def start_posting(update: Update, context: AmserContext, member: Member, kind: Kind) -> None:
    await forms.start(update, context, member, LISTING, ListingAnswers(kind=kind))


async def start_changing(
    update: Update, context: AmserContext, member: Member, listing: Listing
) -> None:
    """Change a posted listing: the form opens on its preview, every answer filled in."""
    answers = ListingAnswers(
        kind=listing.kind,
        listing_id=listing.id,
        category=listing.category,
        title=listing.title,
        details=listing.details,
        place=listing.place,
        availability=listing.availability or ANY_TIME,
        days=context.services.config.listing_days,
    )
    await forms.start(update, context, member, LISTING, answers)


async def offer_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await start_posting(update, context, member, Kind.OFFER)


async def request_command(update: Update, context: AmserContext) -> None:
    member = await active_member(update, context)
    if member is not None:
        await start_posting(update, context, member, Kind.REQUEST)


async def on_start_posting(update: Update, context: AmserContext, press: StartPosting) -> None:
    member = await active_member(update, context)
    if member is not None:
        await start_posting(update, context, member, press.kind)


def register(app: AmserApplication) -> None:
    app.add_handler(CommandHandler("offer", offer_command, filters.ChatType.PRIVATE))
    app.add_handler(CommandHandler("request", request_command, filters.ChatType.PRIVATE))
    app.add_handler(on_press(StartPosting, on_start_posting))
    forms.register(app, LISTING)
