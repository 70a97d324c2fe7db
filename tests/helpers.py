"""Steps that many end-to-end tests share, written as a member would do them."""

from __future__ import annotations

from bot.emulator import SimulatedMember


async def agree_in(member: SimulatedMember, language: str) -> None:
    """/start, pick the language, give consent: the member is then asked for a name."""
    await member.send("/start")
    await member.press("Cymraeg" if language == "cy" else "English")
    await member.press("rwy'n cytuno" if language == "cy" else "Yes, I agree")


async def join(
    member: SimulatedMember,
    *,
    language: str = "en",
    name: str | None = None,
    area: str | None = None,
    categories: tuple[str, ...] = (),
) -> None:
    """Join with the given details, skipping the optional questions."""
    welsh = language == "cy"
    await agree_in(member, language)
    await member.send(name or member.first_name)
    await member.press(area or ("Treganna" if welsh else "Canton"))
    for category in categories:
        await member.press(category)
    await member.press("Gorffen" if welsh else "Done")
    await member.press("Hepgor" if welsh else "Skip")
    await member.press("Hepgor" if welsh else "Skip")


def texts(member: SimulatedMember) -> list[str]:
    return [message.text for message in member.messages]
