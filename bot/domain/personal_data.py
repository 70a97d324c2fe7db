"""Everything we hold about a member, as the JSON they can download (/mydata)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

PURPOSES = {
    "display_name": "shown to other members and coordinators so people know who they are helping",
    "area": "used to match you with people nearby",
    "offer_categories": "used to match you with people who need that help",
    "offers_text": "shown with your offers, in your own words",
    "what_matters": "helps coordinators and ambassadors support you",
    "language": "so we speak to you in the language you chose",
    "telegram_id": "lets the bot send you messages on Telegram",
    "listings": "your offers and requests, shown to other members until they close",
    "introductions": "who you were introduced to, so you can keep in touch through Amser",
    "match_notices": "which offers and requests we told you about, so we don't ask too often",
    "blocks": "members you blocked, so you are never matched or introduced again",
    "time_credits": "your time-credit account and exchanges, so your balance is right",
    "wellbeing_consent": "that you agreed to the wellbeing questions, so we only ask if you did",
    "wellbeing_answers": (
        "your answers to the wellbeing questions, kept apart from your name under a code, "
        "seen by nobody and counted only with everyone else's"
    ),
    "checkin_schedules": "how often and when you asked us to check in with you",
    "checkin_answers": "your answers to check-ins, kept under a code instead of your name; only"
    " you see them",
    "support_requests": (
        "when you asked for someone to get in touch, and reports you made, so that ambassadors "
        "and coordinators can follow them up"
    ),
}


def member_export(held: dict[str, list[dict[str, Any]]], role: str, now: datetime) -> bytes:
    """The member's record first, then every other table that holds something about them."""
    [member] = held["members"]
    record = {
        **member,
        "offer_categories": [row["category"] for row in held.get("member_offer_categories", [])],
    }
    others = {
        table: rows
        for table, rows in held.items()
        if table not in ("members", "member_offer_categories", "due_work")
    }
    return json.dumps(
        {
            "exported_at": now.isoformat(timespec="seconds"),
            "member": record,
            "role": role,
            "scheduled_messages": [
                {"kind": row["kind"], "due_at": row["due_at"]} for row in held.get("due_work", [])
            ],
            **others,
            "why_we_hold_it": PURPOSES,
        },
        indent=2,
        ensure_ascii=False,
    ).encode()
