"""The contract every quality check keeps, as pytest tests a check's test class inherits.

Built-in checks and checks of outside packages alike::

    from translators.checks.testing import CheckContract

    class TestShoutingCheck(CheckContract):
        check = ShoutingCheck()
        good = [("请提交申请。", "Please apply.", "en")]   # (source, target, language): no error
        bad = [("请提交申请。", "APPLY NOW!", "en")]      # at least one finding

Set `glossary` when the check reads the office glossary from its context.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.languages import SHIPPED_TARGETS
from translators.checks.base import SEVERITIES, CheckContext, Finding, QualityCheck, broken_rules
from translators.glossary import Glossary

__all__ = ["AWKWARD_PAIRS", "EMPTY_PAIRS", "CheckContract", "Row"]

Row = tuple[str, str, str]  # (Chinese source, translation, target language)

EMPTY_PAIRS: tuple[tuple[str, str], ...] = (
    ("", ""),
    ("", "Please apply."),
    ("请提交申请。", ""),
    ("  \n", " \t "),
)
# Texts as they reach a check: the engine chain's markup placeholders ({1}, full-width ｛2｝),
# Markdown, emoji (with a joiner and a flag), full-width digits and punctuation, and
# private-use characters.
AWKWARD_PAIRS: tuple[tuple[str, str], ...] = (
    ("请点击{1}查看{2}。", "Click {1} to see {2}."),
    ("请点击｛1｝查看｛2｝。", "Cliquez sur ｛1｝ pour voir ｛2｝."),
    ("详见[通知](https://a.cn/x)和**附件**。", "See the [notice](https://a.cn/x) and **annex**."),
    ("欢迎光临🎉🇨🇳👩‍💻", "Welcome 🎉🇨🇳👩‍💻"),
    ("（一）申请人：张三；电话：１２３４５。", "（一）申請者：張三；電話：１２３４５。"),
    ("“通知”《办法》【附件】……——", "「通知」『弁法』【別紙】……——"),
    ("\ue000领事认证\ue001", "\ue000영사 확인\ue001"),
)


class CheckContract:
    """Inherit, then set `check` (the instance under test) and the `good` and `bad` rows."""

    check: QualityCheck
    good: Sequence[Row] = ()
    bad: Sequence[Row] = ()
    glossary: Glossary | None = None

    def run(self, source: str, target: str, language: str) -> list[Finding]:
        """The check's findings on one pair, with this class's glossary in the context."""
        return self.check.check(source, target, CheckContext(language, glossary=self.glossary))

    def malformed(self, pairs: Sequence[Row]) -> list[str]:
        """What is wrong with the findings on these rows (empty when every one is well formed)."""
        wrong = []
        for row in pairs:
            findings = self.run(*row)
            if not isinstance(findings, list):
                wrong.append(f"{row}: check() returned {type(findings).__name__}, not a list")
                continue
            for finding in findings:
                if not isinstance(finding, Finding):
                    wrong.append(f"{row}: {finding!r} is not a Finding")
                elif finding.check_id != self.check.id:
                    wrong.append(f"{row}: {finding} does not carry the id {self.check.id!r}")
                elif finding.severity not in SEVERITIES:
                    wrong.append(f"{row}: {finding} has a severity outside {SEVERITIES}")
                elif not finding.message.strip():
                    wrong.append(f"{row}: {finding} has no message")
        return wrong

    def test_id_name_and_description_are_well_formed(self) -> None:
        broken = broken_rules(self.check)
        assert not broken, "; ".join(broken)

    def test_good_and_bad_rows_are_given(self) -> None:
        assert self.good, "give at least one (source, target, language) row the check accepts"
        assert self.bad, "give at least one (source, target, language) row the check flags"

    def test_good_rows_give_no_error(self) -> None:
        flagged = [
            f"{row}: {errors}"
            for row in self.good
            if (errors := [f for f in self.run(*row) if f.severity == "error"])
        ]
        assert not flagged, "good rows with an error: " + "; ".join(flagged)

    def test_bad_rows_give_a_finding(self) -> None:
        missed = [row for row in self.bad if not self.run(*row)]
        assert not missed, f"bad rows without a finding: {missed}"

    def test_findings_carry_the_check_id_and_a_valid_severity(self) -> None:
        wrong = self.malformed([*self.good, *self.bad])
        assert not wrong, "; ".join(wrong)

    def test_the_same_pair_always_gives_the_same_findings(self) -> None:
        pairs = [*self.good, *self.bad, *_in_every_language(EMPTY_PAIRS + AWKWARD_PAIRS)]
        before = dict(getattr(self.check, "__dict__", {}))
        first = [self.run(*row) for row in pairs]
        # Backwards, so a result that leaks into the next call shows up as a difference.
        second = [self.run(*row) for row in reversed(pairs)][::-1]
        changed = [row for row, a, b in zip(pairs, first, second, strict=True) if a != b]
        assert not changed, f"different findings the second time on {changed}"
        after = getattr(self.check, "__dict__", {})
        assert after == before, f"a check keeps no state between calls: {before} became {after}"

    def test_empty_texts_are_handled(self) -> None:
        wrong = self.malformed(_in_every_language(EMPTY_PAIRS))
        assert not wrong, "; ".join(wrong)

    def test_placeholders_emoji_and_full_width_text_are_handled(self) -> None:
        wrong = self.malformed(_in_every_language(AWKWARD_PAIRS))
        assert not wrong, "; ".join(wrong)


def _in_every_language(pairs: Sequence[tuple[str, str]]) -> list[Row]:
    return [(source, target, language) for source, target in pairs for language in SHIPPED_TARGETS]
