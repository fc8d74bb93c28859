"""The frame's lists written in Python: the same bytes as the template loops they replace."""

from __future__ import annotations

from jinja2 import Environment

from publishers.site.frame_lists import (
    LanguageLink,
    alternate_links,
    column_items,
    language_link,
    switch_items,
)

# The loops base.html had before the lists were written in Python.
LOOPS = Environment(autoescape=True, keep_trailing_newline=True)
ALTERNATES = LOOPS.from_string(
    '{% for alt_lang, url in alternates %}<link rel="alternate" hreflang="{{ alt_lang }}" '
    'href="{{ url }}">\n{% endfor %}'
)
SWITCH = LOOPS.from_string(
    '{% for other in switch %}<li><a href="{{ other.link }}" hreflang="{{ other.bcp47 }}" '
    'lang="{{ other.bcp47 }}" dir="{{ other.direction }}" data-script="{{ other.script }}">'
    "{{ other.name }}</a></li>\n{% endfor %}"
)
COLUMNS = LOOPS.from_string(
    '{% for name, link in column_links %}<li><a href="{{ link }}">{{ name }}</a></li>\n{% endfor %}'
)
AWKWARD = ['a"b', "<script>x</script>", "R&D 'quoted'", "政务公开", "الأخبار", ""]


def test_alternates_are_written_as_the_loop_wrote_them() -> None:
    pairs = [
        (lang, f"https://example.gov.cn/{text}?a=1&b=2")
        for lang, text in zip(["zh-Hans", "x-default", 'e"n', "ar"], AWKWARD, strict=False)
    ]
    assert str(alternate_links(pairs)) == ALTERNATES.render(alternates=pairs)
    assert str(alternate_links([])) == ""


def test_the_language_switcher_is_written_as_the_loop_wrote_it() -> None:
    links = [
        language_link(code, f"../{code}/{text}.html")
        for code in ("en", "ar", "ja")
        for text in AWKWARD
    ]
    links.append(LanguageLink("xx", 'x"y', "<b>name</b>", "rtl", "Arab&", "a'b"))
    assert str(switch_items(links)) == SWITCH.render(switch=links)


def test_the_column_navigation_is_written_as_the_loop_wrote_it() -> None:
    columns = [(name, f"columns/{name}/index.html") for name in AWKWARD]
    assert str(column_items(columns)) == COLUMNS.render(column_links=columns)
    assert column_items(columns) is column_items(list(columns))  # written once per folder
