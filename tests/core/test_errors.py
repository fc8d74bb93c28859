"""The refusal every package raises for bad input: where, field and rule, as a person reads them."""

from __future__ import annotations

import pytest

from content.notice import IntakeRules, NoticeRefused, Problem, parse_notice
from content.safe_yaml import BoundedLoader, YamlRefused
from core.errors import Refused
from translators.tmx import TmxError, read_tmx
from translators.xliff import XliffError, read_xliff


@pytest.mark.parametrize(
    ("refused", "text"),
    [
        (Refused("notice.md", "title", "is required"), "notice.md: title: is required"),
        (Refused("notice.md", rule="is not UTF-8 text"), "notice.md: is not UTF-8 text"),
        (Refused(field="line 3", rule="uses an alias"), "line 3: uses an alias"),
        (Refused(rule="nothing to do"), "nothing to do"),
    ],
)
def test_a_refusal_reads_where_field_and_rule_leaving_out_empty_parts(
    refused: Refused, text: str
) -> None:
    assert str(refused) == text
    assert refused.reasons() == [text]


def test_a_tmx_refusal_names_the_file_the_unit_and_the_rule() -> None:
    document = b'<tmx><header srclang="zh"/><body><tu><tuv><seg>a</seg></tuv></tu></body></tmx>'
    with pytest.raises(Refused) as caught:
        read_tmx(document, path="in.tmx")
    assert isinstance(caught.value, TmxError)
    assert (caught.value.where, caught.value.field, caught.value.rule) == (
        "in.tmx",
        "<tu> #1",
        "<tuv> without xml:lang",
    )


def test_an_xliff_refusal_names_the_file_the_line_and_the_rule() -> None:
    with pytest.raises(Refused) as caught:
        read_xliff(b"<xliff version='1.2'>\n<file>", path="agency.xlf")
    assert isinstance(caught.value, XliffError)
    assert caught.value.where == "agency.xlf"
    assert caught.value.field.startswith("line 2, column ")
    assert caught.value.rule == "not well-formed XML"


def test_a_yaml_refusal_names_the_line_and_leaves_the_file_to_its_reader() -> None:
    with pytest.raises(Refused) as caught:
        BoundedLoader("a: &x 1\nb: *x\n").get_single_data()
    assert isinstance(caught.value, YamlRefused)
    assert (caught.value.where, caught.value.field, caught.value.line) == ("", "line 2", 2)
    assert str(caught.value).startswith("line 2: uses the YAML alias *x")


def test_a_refused_notice_gives_every_problem_and_is_where_its_first_one_is() -> None:
    with pytest.raises(Refused) as caught:
        parse_notice("queue/x.md", b"---\ntitle: x\n---\nbody\n", IntakeRules(columns=("a",)))
    refused = caught.value
    assert isinstance(refused, NoticeRefused)
    first: Problem = refused.problems[0]
    assert len(refused.problems) > 1
    assert (refused.where, refused.field, refused.rule) == (first.path, first.field, first.rule)
    assert refused.reasons() == [str(problem) for problem in refused.problems]
    assert str(refused) == "\n".join(refused.reasons())
