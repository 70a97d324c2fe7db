"""The audit end to end: each admin and ambassador action writes one row in its own write and
one line in the log chat; a failure after the action undoes both; repeated refusals are
audited; /audit shows them, paged and filtered, in the coordinator's language."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.config import Config
from bot.domain.membership import Status
from bot.emulator import BotApiEmulator
from bot.runtime.clock import FakeClock
from bot.runtime.context import AmserApplication
from bot.runtime.harness import running_bot
from handlers.audit.log import audited
from handlers.audit.words import line
from storage import effects
from storage.audit import AuditAction, AuditEntry, AuditRecord
from tests.conftest import ADMIN_ID, AMBASSADOR_ID
from tests.helpers import join, joined, member_of

LOG = -1009876543210
HOUR = 60


@pytest.fixture
def config(config: Config) -> Config:
    return replace(config, log_chat=LOG)


async def rows(app: AmserApplication) -> list[tuple]:
    found = await app.services.db.fetch_all(
        "SELECT action, actor_id, target_id, reason, details FROM audit ORDER BY id"
    )
    return [tuple(row) for row in found]


async def test_a_grant_writes_one_row_and_one_log_line(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    log = emulator.group(LOG, "Amser log")
    gwen = await joined(emulator, ADMIN_ID, "Gwen")
    sian = await joined(emulator, 401, "Siân <3")
    dai = await joined(emulator, 402, "Dai")
    services = bot.services
    await services.ledger.donate(
        "seed", (await member_of(bot, dai)).id, 5 * HOUR, services.clock.now()
    )
    await gwen.send("/grant")
    await gwen.send("Siân")
    await gwen.press("Siân <3")
    await gwen.press("2")
    await gwen.send("volunteering")
    grant = gwen.last.button("Grant").callback_data
    await gwen.press("Grant")
    await gwen.press_data(grant, gwen.last.message_id)  # a double tap audits nothing twice
    await bot.settle()
    me, her = await member_of(bot, gwen), await member_of(bot, sian)
    assert await rows(bot) == [("grant", me.id, her.id, "volunteering", '{"minutes": 120}')]
    (line,) = log.messages
    assert line.text == "#GRANT Gwen → Siân <3: 2 hours from the pot (volunteering)"
    assert "Siân &lt;3" in (line.html or "")


async def test_a_failure_after_the_action_undoes_the_action_and_its_audit(
    bot: AmserApplication, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    gwen = await joined(emulator, ADMIN_ID, "Gwen")
    tom = await joined(emulator, 401, "Tom")
    services = bot.services
    me, him = await member_of(bot, gwen), await member_of(bot, tom)
    await services.ledger.donate("seed", him.id, 5 * HOUR, services.clock.now())
    outbox_before = await services.db.fetch_all("SELECT id FROM outbox")

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(effects, "audit_in", broken)
    entry = AuditEntry(AuditAction.GRANT, me.id, him.id, "help", details={"minutes": HOUR})
    with pytest.raises(RuntimeError):
        await services.ledger.grant(
            "k", me.id, him.id, HOUR, "help", services.clock.now(),
            then=lambda made: [audited(services, entry)],
        )  # fmt: skip
    assert await services.ledger.balance(him.id) == -5 * HOUR  # what he gave the pot
    assert (await services.ledger.pot()).balance == 5 * HOUR
    assert await rows(bot) == []
    assert await services.db.fetch_all("SELECT id FROM outbox") == outbox_before
    monkeypatch.undo()
    await services.ledger.grant(
        "k", me.id, him.id, HOUR, "help", services.clock.now(),
        then=lambda made: [audited(services, entry)],
    )  # fmt: skip
    assert [row[0] for row in await rows(bot)] == ["grant"]


async def test_approving_and_declining_newcomers_are_audited(
    config: Config, clock: FakeClock, emulator: BotApiEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = emulator.group(LOG, "Amser log")
    async with running_bot(replace(config, require_approval=True), emulator, clock) as app:
        rob = emulator.member(ADMIN_ID, "Rob")
        await join(rob)
        gwen = emulator.member(111, "Gwen")
        await join(gwen, language="cy")
        gwen_card = rob.last
        ifan = emulator.member(112, "Ifan")
        await join(ifan)
        ifan_card = rob.last
        # The audit fails after the approval's writes: nothing of it stays.
        monkeypatch.setattr(effects, "audit_in", lambda *a, **k: 1 / 0)
        await rob.press("Approve", gwen_card)
        assert [type(e) for e in app.services.errors] == [ZeroDivisionError]
        app.services.errors.clear()
        assert (await app.services.members.by_telegram_id(111)).status is Status.PENDING
        monkeypatch.undo()
        await rob.press("Approve", gwen_card)
        await rob.press("Decline", ifan_card)
        await app.settle()
        me = await member_of(app, rob)
        her = await member_of(app, gwen)
        assert [row[:3] for row in await rows(app)] == [
            ("approve", me.id, her.id),
            ("decline", me.id, her.id + 1),
        ]
        assert [m.text for m in log.messages] == [
            "#APPROVE Rob → Gwen: approved to join",
            "#DECLINE Rob → a former member: not approved to join",
        ]
        assert not app.services.errors


async def test_probing_is_refused_kindly_and_audited_once(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    log = emulator.group(LOG, "Amser log")
    eli = await joined(emulator, 401, "Eli", language="cy")
    amb = await joined(emulator, AMBASSADOR_ID, "Alun")
    await eli.send("/queue")
    assert eli.last.text == "Mae'n ddrwg gen i, mae hyn ar gyfer llysgenhadon a chydlynwyr yn unig."
    await amb.send("/pending")
    assert amb.last.text == "Sorry, this is for coordinators."
    for _ in range(4):
        await eli.send("/pending")
    await bot.settle()
    me = await member_of(bot, eli)
    assert [row[:3] for row in await rows(bot)] == [("refused", me.id, None)]
    (line,) = log.messages
    assert line.text.startswith("#REFUSED Eli: ") and "approve_members" in line.text


async def test_audit_pages_and_filters_in_the_coordinators_language(
    bot: AmserApplication, emulator: BotApiEmulator
) -> None:
    sian = await joined(emulator, ADMIN_ID, "Siân", language="cy")
    tom = await joined(emulator, 401, "Tom")
    services = bot.services
    me, him = await member_of(bot, sian), await member_of(bot, tom)
    now = services.clock.now()
    for n in range(12):
        action = AuditAction.WARN if n % 2 else AuditAction.GRANT
        entry = AuditEntry(action, me.id, him.id, f"reason {n}", details={"minutes": 60})
        await services.audit.add(entry, now, None)
    await tom.send("/audit")
    assert tom.last.text == "Sorry, this is for coordinators."
    await sian.send("/audit")
    page = sian.last
    assert page.text.startswith("📜 Camau diweddar")
    assert "#WARN Siân → Tom: wedi cael rhybudd (reason 11)" in page.text
    assert "reason 2)" in page.text and "reason 1)" not in page.text
    assert "« Mwy newydd" not in page.button_texts
    await sian.press("Hŷn »", page)
    assert "(reason 1)" in page.text and "(reason 0)" in page.text and "reason 11" not in page.text
    await sian.press("« Mwy newydd", page)
    assert "reason 11" in page.text
    await sian.press("🔎 Dewis math", page)
    await sian.press("#GRANT", page)
    assert "Dim ond #GRANT" in page.text and "#WARN" not in page.text.split("\n", 2)[2]
    assert "#GRANT Siân → Tom: 1 awr o'r gronfa (reason 10)" in page.text
    assert "Hŷn »" not in page.button_texts  # six grants: one page
    # About one member, named as every moderation command names them.
    await joined(emulator, 402, "Ffion")
    await sian.send("/audit Ffion")
    assert "Does dim byd wedi'i wneud eto sy'n cyfateb." in sian.last.text
    await sian.send("/audit Tom")
    assert "#WARN Siân → Tom: wedi cael rhybudd (reason 11)" in sian.last.text
    await sian.send("/audit Neb")
    assert "#WARN" not in sian.last.text
    assert not services.errors


async def test_a_line_in_welsh_names_a_former_member_and_escapes_names(
    bot: AmserApplication,
) -> None:
    record = AuditRecord(
        id=1,
        at=datetime(2026, 3, 1, tzinfo=UTC),
        action=AuditAction.GRANT,
        actor_id=1,
        actor_name="Gwen <b>",
        actor_erased=False,
        target_id=2,
        target_name=None,
        target_erased=True,
        chat_id=None,
        subject=None,
        reason="gwirfoddoli & mwy",
        details={"minutes": 150, "organisation": "Llyfrgell Treganna"},
    )
    cy = bot.services.catalogs["cy"]
    assert line(cy, record) == (
        "#GRANT Gwen &lt;b&gt; → cyn-aelod: 2½ awr gan Llyfrgell Treganna (gwirfoddoli &amp; mwy)"
    )
    long = replace(record, reason="x" * 200)
    assert line(cy, long, reason_limit=80).endswith("x…)")
