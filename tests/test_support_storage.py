"""The support queue's repository directly: notices written with a request, a race-free claim,
only the claimer closing, and erasure taking a reported member's words out of reports."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.membership import Status
from storage.database import Database
from storage.forms import FormRepository
from storage.members import Member, MemberRepository
from storage.reports import ReportAbout, ReportReason
from storage.staff import StaffRepository
from storage.support import ContactReason, SupportRepository
from storage.timestamps import to_db

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "queue.db")
    yield database
    await database.close()


async def active(members: MemberRepository, telegram_id: int) -> Member:
    member = await members.join(telegram_id, "en", NOW)
    return await members.update(
        member.id, NOW, status=Status.ACTIVE, display_name=f"M{telegram_id}"
    )


async def test_a_request_queues_a_notice_for_each_active_staff_member_but_the_asker(
    db: Database,
) -> None:
    members, support = MemberRepository(db), SupportRepository(db)
    asker = await active(members, 1)
    ambassador = await active(members, 2)
    admin = await active(members, 3)
    await members.join(4, "en", NOW)  # an ambassador still joining hears nothing
    await StaffRepository(db).set_staff(admins=[3, 1], ambassadors=[2, 4])
    assert await support.ask_for_contact(asker.id, ContactReason.CHECKIN, NOW)
    rows = await db.fetch_all("SELECT purpose, member_id FROM outbox ORDER BY member_id")
    assert [(r["purpose"], r["member_id"]) for r in rows] == [
        ("support.asked", ambassador.id),
        ("support.asked", admin.id),
    ]


async def test_of_many_claims_at_once_one_wins_and_only_the_claimer_closes(db: Database) -> None:
    members, support = MemberRepository(db), SupportRepository(db)
    asker = await active(members, 1)
    staff = [await active(members, 10 + n) for n in range(5)]
    await support.ask_for_contact(asker.id, ContactReason.CRISIS, NOW)
    (request,), _more = await support.waiting(reports=False, offset=0, limit=5)
    results = await asyncio.gather(*(support.claim(request.id, m.id, NOW) for m in staff))
    winners = [r for r in results if r.changed]
    assert len(winners) == 1
    winner = winners[0].request
    assert winner is not None and winner.state == "claimed"
    other = next(m for m in staff if m.id != winner.claimed_by)
    assert not (await support.close(request.id, other.id, False, "no", NOW)).changed
    assert not (await support.hand_back(request.id, other.id, False, NOW)).changed
    closed = await support.close(request.id, winner.claimed_by or 0, False, "rang", NOW)
    assert closed.changed and closed.request is not None and closed.request.note == "rang"
    assert not (await support.close(request.id, winner.claimed_by or 0, False, "x", NOW)).changed


async def test_escalation_happens_once(db: Database) -> None:
    members, support = MemberRepository(db), SupportRepository(db)
    asker = await active(members, 1)
    admin = await active(members, 3)
    await StaffRepository(db).set_staff(admins=[3], ambassadors=[])
    await support.ask_for_contact(asker.id, ContactReason.CHECKIN, NOW)
    later = NOW + timedelta(hours=49)
    for hour in range(3):
        moment = later + timedelta(hours=hour)
        await support.look_at_waiting(
            moment, timedelta(hours=24), timedelta(hours=48), moment, moment.date().isoformat()
        )
    rows = await db.fetch_all("SELECT purpose FROM outbox WHERE member_id = ?", (admin.id,))
    assert sorted(r["purpose"] for r in rows) == [
        "support.asked",
        "support.escalated",
        "support.reminder",
    ]


async def test_a_report_is_made_once_per_form_and_erasure_takes_the_reported_words(
    db: Database,
) -> None:
    members, support, forms = MemberRepository(db), SupportRepository(db), FormRepository(db)
    reporter = await active(members, 1)
    reported = await active(members, 2)
    await active(members, 3)
    await StaffRepository(db).set_staff(admins=[3], ambassadors=[])
    form = await forms.start(reporter.id, "report", "words", {}, NOW, frozenset())
    made = [
        await support.report(
            form.id,
            reporter.id,
            ReportAbout.MESSAGE,
            7,
            reported.id,
            ReportReason.UNKIND,
            "rude",
            "their words",
            NOW,
        )
        for _ in range(2)
    ]
    assert made[0] == made[1]
    rows = await db.fetch_all("SELECT purpose FROM outbox WHERE purpose = 'support.reported'")
    assert len(rows) == 1
    assert await members.erase(reported.id, NOW)
    report = await support.get(made[0])
    assert report is not None and report.excerpt is None and report.subject_member is None
    assert report.details == "rude"  # the reporter's own words stay


async def test_erasing_an_ambassador_puts_what_they_had_taken_back_in_the_queue(
    db: Database,
) -> None:
    members, support = MemberRepository(db), SupportRepository(db)
    asker = await active(members, 1)
    ambassador = await active(members, 2)
    await support.ask_for_contact(asker.id, ContactReason.CHECKIN, NOW)
    (request,), _more = await support.waiting(reports=False, offset=0, limit=5)
    assert (await support.claim(request.id, ambassador.id, NOW)).changed
    assert await members.erase(ambassador.id, NOW)
    reopened = await support.get(request.id)
    assert reopened is not None and reopened.state == "open" and reopened.claimed_by is None
    assert reopened.claimed_at is None
    assert (await support.claim(request.id, (await active(members, 3)).id, NOW)).changed


async def test_mydata_shows_a_members_requests_without_staff_ids(db: Database) -> None:
    members, support = MemberRepository(db), SupportRepository(db)
    asker = await active(members, 1)
    ambassador = await active(members, 2)
    await support.ask_for_contact(asker.id, ContactReason.CHECKIN, NOW)
    (request,), _more = await support.waiting(reports=False, offset=0, limit=5)
    await support.claim(request.id, ambassador.id, NOW)
    await support.close(request.id, ambassador.id, False, "rang, all well", NOW)
    held = await members.personal_data(asker.id)
    (row,) = held["support_requests"]
    assert row["reason"] == "checkin" and row["note"] == "rang, all well"
    assert "claimed_by" not in row and "closed_by" not in row and "subject_member" not in row


async def test_a_check_in_request_waits_for_the_morning_and_crisis_words_make_it_urgent(
    db: Database,
) -> None:
    members, support = MemberRepository(db), SupportRepository(db)
    asker = await active(members, 1)
    ambassador = await active(members, 2)
    await StaffRepository(db).set_staff(admins=[], ambassadors=[2])
    morning = NOW + timedelta(hours=10)
    assert await support.ask_for_contact(asker.id, ContactReason.CHECKIN, NOW, not_before=morning)
    assert await support.ask_for_contact(asker.id, ContactReason.CRISIS, NOW)
    assert not await support.ask_for_contact(asker.id, ContactReason.CRISIS, NOW)
    rows = await db.fetch_all(
        "SELECT not_before FROM outbox WHERE member_id = ? ORDER BY id", (ambassador.id,)
    )
    assert [row["not_before"] for row in rows] == [to_db(morning), to_db(NOW)]
    (request,), _more = await support.waiting(reports=False, offset=0, limit=5)
    assert request.reason == "crisis"
