"""Telegram-HTML parsing and UTF-16 entity arithmetic."""

from __future__ import annotations

import pytest

from bot.emulator.entities import command_entities, strip_text, utf16_len, utf16_slice
from bot.emulator.html import HtmlParseError, parse_html


def test_supported_tags_become_entities() -> None:
    text, entities = parse_html(
        '<b>bold</b> <i>it</i> <u>u</u> <s>s</s> <code>c</code> <a href="https://x.org/?a=1&amp;b=2">l</a>'
        ' <span class="tg-spoiler">sp</span> <tg-spoiler>sp2</tg-spoiler>'
    )
    assert text == "bold it u s c l sp sp2"
    kinds = [(e["type"], utf16_slice(text, e["offset"], e["length"])) for e in entities]
    assert kinds == [
        ("bold", "bold"),
        ("italic", "it"),
        ("underline", "u"),
        ("strikethrough", "s"),
        ("code", "c"),
        ("text_link", "l"),
        ("spoiler", "sp"),
        ("spoiler", "sp2"),
    ]
    assert entities[5]["url"] == "https://x.org/?a=1&b=2"


def test_synonyms_nesting_and_escapes() -> None:
    text, entities = parse_html("<strong>a<em>b</em></strong> &lt;&gt;&amp;&quot;&#39;&#x1F600;")
    assert text == "ab <>&\"'😀"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "italic", "offset": 1, "length": 1},
    ]


def test_pre_with_language_blockquote_and_custom_emoji() -> None:
    text, entities = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote expandable>q</blockquote><blockquote>r</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert text == "x = 1qr👍"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "expandable_blockquote", "offset": 5, "length": 1},
        {"type": "blockquote", "offset": 6, "length": 1},
        {
            "type": "custom_emoji",
            "offset": 7,
            "length": 2,
            "custom_emoji_id": "5368324170671202286",
        },
    ]


def test_offsets_count_utf16_units() -> None:
    text, entities = parse_html("😀 <b>é😀</b>")
    assert entities == [{"type": "bold", "offset": 3, "length": 3}]
    assert utf16_slice(text, 3, 3) == "é😀"


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("é<b", "Unclosed start tag at byte offset 2"),
        ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;" at byte offset 1'),
        ("Q&A", 'Character "&" must be escaped as "&amp;" at byte offset 1'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ('<a title="x">x</a>', 'Tag "a" must have a non-empty attribute "href"'),
        ("<b class>x</b>", "Expected equal sign"),
    ],
)
def test_invalid_markup_is_rejected(source: str, message: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert message in str(caught.value)


def test_utf16_helpers() -> None:
    assert utf16_len("aé😀") == 4
    assert strip_text("  <x>  ", [{"type": "bold", "offset": 0, "length": 5}]) == (
        "<x>",
        [{"type": "bold", "offset": 0, "length": 3}],
    )


def test_command_entity_detection() -> None:
    assert command_entities("/start") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert command_entities("/start@amser_test_bot x") == [
        {"type": "bot_command", "offset": 0, "length": 21}
    ]
    assert command_entities("hello /start") == []
    assert command_entities("/") == []
