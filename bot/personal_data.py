"""Everything we hold about a member, as the JSON they can download (/mydata)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from storage.due_work import DueItem
from storage.members import Member

PURPOSES = {
    "display_name": "shown to other members and coordinators so people know who they are helping",
    "area": "used to match you with people nearby",
    "offer_categories": "used to match you with people who need that help",
    "offers_text": "shown with your offers, in your own words",
    "what_matters": "helps coordinators and ambassadors support you",
    "language": "so we speak to you in the language you chose",
    "telegram_id": "lets the bot send you messages on Telegram",
}


def member_export(member: Member, scheduled: list[DueItem], role: str, now: datetime) -> bytes:
    record: dict[str, Any] = asdict(member)
    return json.dumps(
        {
            "exported_at": now.isoformat(timespec="seconds"),
            "member": record,
            "role": role,
            "scheduled_messages": [
                {"kind": item.kind, "due_at": item.due_at.isoformat(timespec="seconds")}
                for item in scheduled
            ],
            "why_we_hold_it": PURPOSES,
        },
        indent=2,
        ensure_ascii=False,
        default=_jsonable,
    ).encode()


def _jsonable(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return str(value)
