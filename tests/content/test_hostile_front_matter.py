"""Front matter a careless or hostile editor writes: refused at once with file, field and rule."""

from __future__ import annotations

import tracemalloc

import pytest

from tests.content.test_notice import FRONT, PATH, edit, notice, refusal

BILLION_LAUGHS = """---
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
""" + FRONT.removeprefix("---\n")


def test_a_yaml_bomb_is_refused_before_anything_expands() -> None:
    tracemalloc.start()
    try:
        [problem] = refusal(notice(front=BILLION_LAUGHS))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem.path == PATH
    assert problem.field == "front matter"
    assert problem.rule.startswith("line 3: uses the YAML alias *a")
    assert "aliases are not accepted" in problem.rule
    # Expanded, the bomb is hundreds of megabytes; refused while composing, it costs its size.
    assert peak < 5_000_000


def test_a_recursive_alias_is_refused_not_looped() -> None:
    front = edit("title: ", "loop: &x [*x]\ntitle: ")
    [problem] = refusal(notice(front=front))
    assert (problem.field, problem.rule[:7]) == ("front matter", "line 2:")
    assert "alias *x" in problem.rule


def test_a_merge_key_is_an_alias_too() -> None:
    front = edit("approval:\n", "base: &base {drafter: 甲}\napproval:\n  <<: *base\n")
    [problem] = refusal(notice(front=front))
    assert "alias *base" in problem.rule


def test_deep_nesting_is_refused() -> None:
    front = edit("title: ", "deep: " + "[" * 50 + "]" * 50 + "\ntitle: ")
    [problem] = refusal(notice(front=front))
    assert problem.field == "front matter"
    assert "nested more than 10 levels" in problem.rule


def test_too_many_values_are_refused() -> None:
    front = edit("title: ", "many: [" + ",".join(["1"] * 3000) + "]\ntitle: ")
    [problem] = refusal(notice(front=front))
    assert "more than 2000 values" in problem.rule


def test_an_oversized_front_matter_is_refused_before_yaml_reads_it() -> None:
    front = edit("title: ", "padding: '" + "甲" * 30_000 + "'\ntitle: ")
    [problem] = refusal(notice(front=front))
    assert (problem.field, problem.rule) == (
        "front matter",
        "is larger than 64 KiB; a notice's record is short",
    )


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("formed_on", "formed_on: 2025-03-03", "formed_on: 9999-12-31"),
        ("formed_on", "formed_on: 2025-03-03", "formed_on: 1999-12-31"),
        ("approval.approved_on", "approved_on: 2025-03-04", "approved_on: 2101-01-01"),
    ],
)
def test_dates_outside_the_sane_range_are_refused(field: str, old: str, new: str) -> None:
    problems = refusal(notice(front=edit(old, new)))
    assert any(
        p.field == field and p.rule.startswith("must be a date between 2000 and 2100")
        for p in problems
    ), problems


def test_approval_before_the_notice_was_formed_is_refused() -> None:
    [problem] = refusal(notice(front=edit("approved_on: 2025-03-04", "approved_on: 2025-03-02")))
    assert problem.field == "approval.approved_on"
    assert problem.rule == (
        "is 2025-03-02, before formed_on 2025-03-03: a notice is approved after it is formed"
    )


def test_approval_on_the_day_it_was_formed_is_fine() -> None:
    from content.notice import parse_notice
    from tests.content.test_notice import RULES

    parse_notice(
        PATH, notice(front=edit("approved_on: 2025-03-04", "approved_on: 2025-03-03")), RULES
    )
