"""The conversation engine: every multi-step form is declared once, as steps in order, and
kept in the `forms` table so that a restart loses nothing.

A feature declares its answers (a dataclass with defaults), its steps and what happens at the
end; the engine does the rest the same way for every form: asking a step with « Back and
Cancel under its own buttons, taking typed answers (length-limited and cleaned) only where a
step takes them, asking again kindly after bad input, refusing stale and foreign buttons,
going back, cancelling, and resuming where the member was.

    class Amount(FormButton, prefix="cr:amt"):
        minutes: int

    DONATE = Form(
        name="donate", command="donate", answers=DonateAnswers, who=active_member,
        steps=(
            Step("amount", ask=ask_amount, typed=typed_amount, buttons={Amount: picked}),
            Step("check", ask=ask_check, buttons={Send: give}, done=never),
        ),
    )
    forms.register(app, DONATE)                 # in the feature's register()
    await forms.start(update, context, member, DONATE)

After an answer a step calls `turn.save(...)` and `turn.next()`: the next step is the first one
(in order, among those that apply) that is not `done` -- by default, not yet answered once.
When none is left, the form's `complete` runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.text import SHORT_TEXT_MAX
from bot.runtime.context import AmserApplication, AmserContext, Services
from bot.runtime.i18n import Translator
from handlers.buttons import ButtonData, Buttons, on_press
from handlers.common import Screen, current_member, say, show, tr_for, translator, typed_answer
from storage.forms import FormRow
from storage.members import Member

A = TypeVar("A")
P = TypeVar("P", bound="FormButton")


class FormButton(ButtonData):
    """A button belonging to one form in progress: it carries the form's id, so a button from
    an earlier form (or someone else's) does nothing."""

    form: int


class Back(FormButton, prefix="f:back"):
    step: str


class Cancel(FormButton, prefix="f:stop"):
    pass


class Page(FormButton, prefix="f:page"):
    step: str
    page: int


StepAsk = Callable[["Turn[A]"], Awaitable[Screen]]
StepTyped = Callable[["Turn[A]", str], Awaitable[None]]
StepPress = Callable[["Turn[A]", Any], Awaitable[None]]
TurnAction = Callable[["Turn[A]"], Awaitable[None]]
Who = Callable[[Update, AmserContext], Awaitable[Member | None]]


def never(turn: Turn[Any]) -> bool:
    """For `done=`: a step that is never finished by answering it (a review, a list)."""
    return False


@dataclass(frozen=True)
class Step(Generic[A]):
    """One question of a form.

    `ask` builds the question (the engine adds « Back and Cancel); `typed` takes a typed
    answer, already cleaned and within `limit` (None: buttons only); `buttons` maps each kind
    of button the question shows to what a press does; `done` says whether the step still
    needs asking (default: answered once); `when` says whether it applies at all.
    """

    name: str
    ask: StepAsk[A]
    typed: StepTyped[A] | None = None
    limit: int = SHORT_TEXT_MAX
    one_line: bool = True
    buttons: Mapping[type[FormButton], StepPress[A]] = field(default_factory=dict)
    done: Callable[[Turn[A]], bool] | None = None
    when: Callable[[Turn[A]], bool] | None = None

    def is_done(self, turn: Turn[A]) -> bool:
        return self.done(turn) if self.done is not None else self.name in turn.form.seen

    def applies(self, turn: Turn[A]) -> bool:
        return self.when(turn) if self.when is not None else True


@dataclass(frozen=True)
class Form(Generic[A]):
    """A multi-step form: its name (kept in the table), the command that starts it, who may
    use it (checked again on every press and typed answer), its answers and its steps."""

    name: str
    command: str
    answers: type[A]
    steps: Sequence[Step[A]]
    who: Who
    # When no step is left to ask. Forms that end with a Send button finish from there.
    complete: TurnAction[A] | None = None
    # « Back on the first step: the screen before the form (None: no « Back there).
    back_out: TurnAction[A] | None = None
    # Cancel and /cancel; the default forgets the form and says nothing was changed.
    cancel: TurnAction[A] | None = None
    cancel_button: bool = True
    # A press on a finished form, e.g. Send tapped twice: say what happened, again.
    finished: TurnAction[A] | None = None
    # Said over the question when a member comes back to it (/start, the command, a restart).
    resume_note: Callable[[Translator], str] | None = None

    def step(self, name: str) -> Step[A] | None:
        return next((step for step in self.steps if step.name == name), None)


@dataclass
class Turn(Generic[A]):
    """One moment in a member's form: who, which form, the answers so far, and what to do next.

    Every step handler gets one; its methods save answers and move the form along.
    """

    update: Update
    context: AmserContext
    member: Member
    spec: Form[A]
    form: FormRow
    answers: A
    page: int = 0

    @property
    def services(self) -> Services:
        return self.context.services

    @property
    def tr(self) -> Translator:
        return tr_for(self.services, self.member)

    def gettext(self, message: str) -> str:
        return self.tr.gettext(message)

    @property
    def b(self) -> Buttons:
        return Buttons(self.services, self.member.telegram_id or 0)

    @property
    def step(self) -> Step[A]:
        step = self.spec.step(self.form.step)
        if step is None:
            raise LookupError(f"form {self.spec.name} has no step {self.form.step!r}")
        return step

    async def save(self, **changes: Any) -> None:
        """Change some answers; the form stays on its step."""
        answers = replace(self.answers, **changes)  # type: ignore[type-var]
        await self._move(answers=answers)
        self.answers = answers

    async def next(self, *, note: str | None = None) -> None:
        """The current step is answered: ask the first step still to do, or complete."""
        self.form = replace(self.form, seen=self.form.seen | {self.form.step})
        await self._move(seen=self.form.seen)
        following = next(
            (s for s in self.spec.steps if s.applies(self) and not s.is_done(self)), None
        )
        if following is not None:
            await self.go(following.name, note=note)
        elif self.spec.complete is not None:
            await self.spec.complete(self)
        else:
            raise LookupError(f"form {self.spec.name} has nothing left to ask and no end")

    async def go(self, step: str, *, note: str | None = None, page: int = 0) -> None:
        """Ask a step (typed answers go to it from now on)."""
        if self.spec.step(step) is None:
            raise LookupError(f"form {self.spec.name} has no step {step!r}")
        if step != self.form.step:
            await self._move(step=step)
            self.form = replace(self.form, step=step)
        self.page = page
        await self.ask(note=note)

    async def ask(self, *, note: str | None = None, new: bool | None = None) -> None:
        """Show the current step's question; a new message after typing, else in place."""
        screen = await self.step.ask(self)
        screen = Screen(screen.text, _with_controls(screen.markup, self._controls()))
        if note:
            screen = screen.after(note)
        fresh = self.update.callback_query is None if new is None else new
        await (say if fresh else show)(self.update, self.context, screen)

    async def back(self) -> None:
        """The step before this one (among those that apply), or out of the form."""
        earlier = self._earlier()
        if earlier is not None:
            await self.go(earlier.name)
        elif self.spec.back_out is not None:
            await self.spec.back_out(self)
        else:
            await self.ask()

    async def finish(self, screen: Screen, *, outcome: int | None = None) -> bool:
        """The form is done: keep what it made, and show the last screen. False if it had
        already been finished (a double tap): the caller should then not act again."""
        finished = await self.services.forms.finish(
            self.form.id, self.services.clock.now(), outcome
        )
        if finished:
            self.form = replace(self.form, finished=True, outcome=outcome)
        await self.show(screen)
        return finished

    async def close(self, screen: Screen | None = None) -> None:
        """Forget the form (nothing it asked is kept) and, maybe, show a screen."""
        await self.services.forms.discard(self.form.id)
        if screen is not None:
            await self.show(screen)

    async def show(self, screen: Screen) -> None:
        """A screen of the form's own: in place after a press, new after typing."""
        if self.update.callback_query is None:
            await say(self.update, self.context, screen)
        else:
            await show(self.update, self.context, screen)

    def page_button(self, label: str, page: int) -> InlineKeyboardButton:
        """A button showing another page of the current step (amounts, a list, results)."""
        return self.b(label, Page(form=self.form.id, step=self.form.step, page=page))

    def _earlier(self) -> Step[A] | None:
        steps = list(self.spec.steps)
        index = next(i for i, s in enumerate(steps) if s.name == self.form.step)
        return next((s for s in reversed(steps[:index]) if s.applies(self)), None)

    def _controls(self) -> list[InlineKeyboardButton]:
        _ = self.gettext
        row = []
        if self._earlier() is not None or self.spec.back_out is not None:
            row.append(self.b(_("« Back"), Back(form=self.form.id, step=self.form.step)))
        if self.spec.cancel_button:
            row.append(self.b(_("Cancel"), Cancel(form=self.form.id)))
        return row

    async def _move(self, **changes: Any) -> None:
        moved = await self.services.forms.move(self.form.id, self.services.clock.now(), **changes)
        if moved is None:
            raise FormClosed(self.form.id)


class FormClosed(Exception):
    """The form was finished or replaced while this turn was using it."""


# --- starting and coming back ------------------------------------------------------------------


async def start(
    update: Update,
    context: AmserContext,
    member: Member,
    spec: Form[A],
    answers: A | None = None,
    *,
    seen: frozenset[str] = frozenset(),
    note: str | None = None,
    new: bool | None = None,
) -> Turn[A]:
    """Begin a form (replacing any the member had), at the first step still to do: in place
    of the message whose button was pressed, unless `new` (e.g. to keep a card in view)."""
    services = context.services
    answers = answers if answers is not None else spec.answers()
    form = await services.forms.start(
        member.id, spec.name, spec.steps[0].name, answers, services.clock.now(), seen
    )
    turn = Turn(update, context, member, spec, form, answers)
    first = next((s for s in spec.steps if s.applies(turn) and not s.is_done(turn)), None)
    if first is None:
        raise LookupError(f"form {spec.name} starts with nothing to ask")
    if first.name != turn.form.step:
        await turn._move(step=first.name)
        turn.form = replace(turn.form, step=first.name)
    await turn.ask(note=note, new=new)
    return turn


async def current(update: Update, context: AmserContext, member: Member) -> Turn[Any] | None:
    """The member's unfinished form, ready to act on; None if they are not in one."""
    form = await context.services.forms.of_member(member.id)
    spec = _registry(context.application).get(form.name) if form is not None else None
    if form is None or spec is None or form.finished or spec.step(form.step) is None:
        return None
    return Turn(update, context, member, spec, form, form.answers_as(spec.answers))


async def resume(
    update: Update, context: AmserContext, member: Member, *, note: str | None = None
) -> bool:
    """Show the member the question they were on, as a new message; False if in no form."""
    turn = await current(update, context, member)
    if turn is None:
        return False
    if note is None and turn.spec.resume_note is not None:
        note = turn.spec.resume_note(turn.tr)
    await turn.ask(note=note, new=True)
    return True


async def cancel(update: Update, context: AmserContext, member: Member) -> bool:
    """/cancel: leave the member's form as that form says; False if in no form."""
    turn = await current(update, context, member)
    if turn is None:
        return False
    await _cancel(turn)
    return True


async def take_typed(update: Update, context: AmserContext, member: Member) -> bool:
    """A typed message: the answer to the step the member is on. False if in no form."""
    turn = await current(update, context, member)
    if turn is None or update.message is None:
        return False
    if await turn.spec.who(update, context) is None:
        return True  # refused, and told why
    step = turn.step
    if step.typed is None:
        await turn.ask(note=turn.gettext("Please choose from the buttons below."), new=True)
        return True
    text, problem = typed_answer(update.message, turn.tr, step.limit, one_line=step.one_line)
    if problem is not None or text is None:
        await turn.ask(note=problem, new=True)
        return True
    try:
        await step.typed(turn, text)
    except FormClosed:
        await _closed(turn)
    return True


async def _cancel(turn: Turn[Any]) -> None:
    if turn.spec.cancel is not None:
        await turn.spec.cancel(turn)
        return
    from handlers.menu import back_to_menu  # the menu imports forms' users; only needed here

    await turn.close(
        Screen(
            turn.gettext("Okay, nothing was changed."),
            InlineKeyboardMarkup([back_to_menu(turn.services, turn.member)]),
        )
    )


# --- presses -----------------------------------------------------------------------------------


def register(app: AmserApplication, spec: Form[Any]) -> None:
    """Make a form known: its buttons are handled, typed answers and /cancel reach it."""
    registry = _registry(app)
    if spec.name in registry:
        raise ValueError(f"two forms are called {spec.name!r}")
    # Forms may share kinds of button (an amount, a day, Skip): a press names its form, and
    # acts only if the step the form is on takes that kind.
    taken = {kind for other in registry.values() for kind in _kinds(other)}
    registry[spec.name] = spec
    for kind in _kinds(spec) - taken:
        app.add_handler(on_press(kind, _pressed))


def register_controls(app: AmserApplication) -> None:
    """« Back, Cancel and paging, the same for every form."""
    for kind in (Back, Cancel, Page):
        app.add_handler(on_press(kind, _pressed))


def _kinds(spec: Form[Any]) -> set[type[FormButton]]:
    return {kind for step in spec.steps for kind in step.buttons}


async def _pressed(update: Update, context: AmserContext, press: FormButton) -> None:
    turn = await _turn_for(update, context, press)
    if turn is None:
        return
    if turn.form.finished:
        if turn.spec.finished is not None:
            await turn.spec.finished(turn)
        else:
            await _closed(turn)
        return
    if isinstance(press, Cancel):
        await _cancel(turn)
        return
    try:
        if isinstance(press, Back | Page) and press.step != turn.form.step:
            await _stale(turn)
        elif isinstance(press, Back):
            await turn.back()
        elif isinstance(press, Page):
            turn.page = max(press.page, 0)
            await turn.ask()
        elif (handler := turn.step.buttons.get(type(press))) is not None:
            await handler(turn, press)
        else:
            await _stale(turn)
    except FormClosed:  # finished or replaced while this press was being handled
        await _closed(turn)


async def _turn_for(update: Update, context: AmserContext, press: FormButton) -> Turn[Any] | None:
    """The press's form, if it is the presser's and they may still use it; else say why."""
    member = await current_member(update, context)
    form = await context.services.forms.get(press.form)
    spec = _registry(context.application).get(form.name) if form is not None else None
    if member is None or form is None or spec is None or form.member_id != member.id:
        await _gone(update, context, member)
        return None
    member = await spec.who(update, context)
    if member is None or member.id != form.member_id:
        return None
    if spec.step(form.step) is None:
        await _gone(update, context, member)
        return None
    return Turn(update, context, member, spec, form, form.answers_as(spec.answers))


async def _stale(turn: Turn[Any]) -> None:
    note = turn.gettext("That button is from an earlier question. Here's where we are now:")
    await turn.ask(note=note, new=True)


async def _closed(turn: Turn[Any]) -> None:
    text = turn.gettext("That form has closed. Send /{command} to start again.")
    await turn.show(Screen(text.format(command=turn.spec.command)))


async def _gone(update: Update, context: AmserContext, member: Member | None) -> None:
    """A button from a form that is no longer there (replaced, finished long ago, erased)."""
    _ = translator(update, context, member).gettext
    await show(update, context, Screen(_("That form has closed. Send /start to carry on.")))


def _with_controls(
    markup: InlineKeyboardMarkup | None, controls: list[InlineKeyboardButton]
) -> InlineKeyboardMarkup | None:
    rows = [list(row) for row in markup.inline_keyboard] if markup is not None else []
    if controls:
        rows.append(controls)
    return InlineKeyboardMarkup(rows) if rows else None


def _registry(app: Any) -> dict[str, Form[Any]]:
    forms: dict[str, Form[Any]] = app.forms
    return forms
