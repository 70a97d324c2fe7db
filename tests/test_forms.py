"""Every step of every declared form, in both languages: typed and bad input, « Back, Cancel,
and a restart in the middle. A new form is covered by declaring it and adding its scenario
in tests/scenarios/."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.config import Config
from bot.emulator import BotApiEmulator, SimulatedMember
from bot.runtime.app import build_application
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.forms import Form
from storage.forms import FormRow
from tests.helpers import member_of, tap
from tests.scenarios import SCENARIOS, load_all

load_all()


def declared_forms() -> dict[str, Form[Any]]:
    app = build_application(
        Config(database_path=Path("unused.db"), token="1:declared", admins=frozenset({1}))
    )
    return dict(app.forms)


FORMS = declared_forms()
STEPS = [(name, step.name) for name, spec in FORMS.items() for step in spec.steps]
LANGUAGES = ("en", "cy")


def test_every_form_has_a_scenario() -> None:
    assert set(FORMS) == set(SCENARIOS), "add a scenario in tests/scenarios/ for each form"


async def place(app: AmserApplication, person: SimulatedMember, form: str, step: str,
                answers: object) -> FormRow:  # fmt: skip
    """The member's form at `step`, with every step before it answered."""
    spec = FORMS[form]
    names = [s.name for s in spec.steps]
    member = await member_of(app, person)
    now = app.services.clock.now()
    seen = frozenset(names[: names.index(step)])
    return await app.services.forms.start(member.id, form, step, answers, now, seen)


async def bad_input(app: AmserApplication, person: SimulatedMember, form: str, step: str,
                    language: str) -> None:  # fmt: skip
    """Text the step cannot take: asked again kindly, on the same step, with its buttons."""
    spec = FORMS[form]
    declared = spec.step(step)
    assert declared is not None
    _ = app.services.catalogs[language].gettext
    if declared.typed is None:
        await person.send("hello there")
        expected = _("Please choose from the buttons below.")
    else:
        await person.send("x" * (declared.limit + 1))
        expected = _(
            "That's a little long: please keep it to {limit} characters (yours had {length})."
        ).format(limit=declared.limit, length=declared.limit + 1)
    assert expected in person.last.text
    assert person.last.buttons, "asked again with the step's buttons"
    member = await member_of(app, person)
    row = await app.services.forms.of_member(member.id)
    assert row is not None and row.step == step and not row.finished


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("form", "step"), STEPS)
async def test_bad_input_back_and_cancel_at_every_step(
    bot: AmserApplication, emulator: BotApiEmulator, form: str, step: str, language: str
) -> None:
    setup = await SCENARIOS[form](bot, emulator, language)
    person, spec = setup.person, FORMS[form]
    row = await place(bot, person, form, step, setup.answers)
    await bad_input(bot, person, form, step, language)
    _ = bot.services.catalogs[language].gettext

    names = [s.name for s in spec.steps]
    has_back = _("« Back") in person.last.button_texts
    if has_back:
        asked = person.last.text
        await tap(bot, person, "f", "back", row.id, step)
        after = await bot.services.forms.of_member((await member_of(bot, person)).id)
        if after is not None and after.id == row.id and not after.finished:
            assert names.index(after.step) < names.index(step), "« Back goes to a step before"
        assert person.last.text != asked
    else:  # the first step that applies (a step's `when` reads the services and answers)
        now = SimpleNamespace(services=bot.services, answers=setup.answers, form=row)
        earlier = spec.steps[: names.index(step)]
        assert not any(s.applies(now) for s in earlier) and spec.back_out is None  # type: ignore[arg-type]

    row = await place(bot, person, form, step, setup.answers)
    await bad_input(bot, person, form, step, language)
    if spec.cancel_button:
        await tap(bot, person, "f", "stop", row.id)
        after = await bot.services.forms.of_member((await member_of(bot, person)).id)
        assert after is None or spec.cancel is not None
        await person.send("hello there")  # no longer an answer to the form
        assert _("Please choose from the buttons below.") not in person.last.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("form", "step"), STEPS)
async def test_a_restart_in_the_middle_resumes_the_form(
    config: Config,
    emulator: BotApiEmulator,
    clock: FakeClock,
    form: str,
    step: str,
    language: str,
) -> None:
    async with running_bot(config, emulator, clock) as app:
        setup = await SCENARIOS[form](app, emulator, language)
        row = await place(app, setup.person, form, step, setup.answers)
        assert not app.services.errors
    async with running_bot(config, emulator, clock) as app:
        await setup.person.send("/start")
        controls = [
            app.services.callbacks.verify(setup.person.user_id, button.callback_data or "")
            for row_ in setup.person.last.buttons
            for button in row_
        ]
        cancel = ["f", "stop", str(row.id)]
        assert cancel in [c[:3] for c in controls if c] or not FORMS[form].cancel_button
        await bad_input(app, setup.person, form, step, language)
        assert not app.services.errors
