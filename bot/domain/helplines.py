"""What crisis replies offer by default: the phrases that call for them, in English and Welsh,
and the helplines for Wales (domain notes §6); the config may replace each."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Helpline:
    """A helpline offered with crisis replies: its name and a short note in both languages."""

    name_en: str
    name_cy: str
    number: str
    note_en: str = ""
    note_cy: str = ""

    def name(self, language: str) -> str:
        return self.name_cy if language == "cy" else self.name_en

    def note(self, language: str) -> str:
        return self.note_cy if language == "cy" else self.note_en


DEFAULT_CRISIS_WORDS_EN = (
    "suicide",
    "suicidal",
    "kill myself",
    "end my life",
    "end it all",
    "take my own life",
    "want to die",
    "wanna die",
    "better off dead",
    "self harm",
    "self harming",
    "want to hurt myself",
    "no reason to live",
    "don't want to live",
    "dont want to live",
    "don't want to be here anymore",
    "killing myself",
    "ending my life",
    "end my own life",
    "hurting myself",
    "self harmed",
    "harming myself",
    "wish I was dead",
    "wish I were dead",
)
DEFAULT_CRISIS_WORDS_CY = (
    "lladd fy hun",
    "hunanladdiad",
    "eisiau marw",
    "diwedd ar fy mywyd",
    "rhoi diwedd ar y cyfan",
    "niweidio fy hun",
    "hunan niweidio",
    "hunanniweidio",
    "brifo fy hun",
    "dim rheswm i fyw",
    "ddim eisiau byw",
    "hunanladdol",  # "lladd fy hunan" and "brifo fy hunan": "hun" matches "hunan" already
)
DEFAULT_HELPLINES = (
    Helpline("Samaritans", "Samaritans", "116 123", "free, day or night", "am ddim, ddydd a nos"),
    Helpline(
        "Samaritans in Welsh",
        "Samaritans yn Gymraeg",
        "0808 164 0123",
        "free, Welsh-language line",
        "am ddim, llinell Gymraeg",
    ),
    Helpline(
        "NHS 111 Wales",
        "GIG 111 Cymru",
        "111",
        "press 2 for mental health help, free, day or night",
        "pwyswch 2 am help iechyd meddwl, am ddim, ddydd a nos",
    ),
    Helpline(
        "Emergency", "Argyfwng", "999", "if you are in danger now", "os ydych chi mewn perygl nawr"
    ),
)
