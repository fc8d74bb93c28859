"""draft_segment with the output cache, markup protection and the glossary."""

from __future__ import annotations

import pytest

from tests.standins.libretranslate import LibreTranslateStandIn
from tests.translators.test_chain import FakeEngine, no_wait
from translators.cache import DictOutputCache
from translators.chain import draft_segment
from translators.glossary import Glossary, Term
from translators.libretranslate import LibreTranslateEngine
from translators.memory import DictMemory
from translators.protect import mask

LINKED = "详见[报名表](https://wsb.sh.gov.cn/form.docx)，或致电021-6321 7000。"


def test_a_text_already_sent_to_an_engine_is_never_sent_again() -> None:
    engine = FakeEngine("a", ["first answer"])
    cache = DictOutputCache()
    for _ in range(3):
        result = draft_segment(
            "请提交申请。",
            "en",
            memory=DictMemory(),
            engines=[engine],
            cache=cache,
            backoff=no_wait,
        )
        assert result.text == "first answer"
    assert len(engine.calls) == 1
    assert result.note == "from the engine cache"


def test_the_cache_is_kept_per_engine_and_language() -> None:
    cache = DictOutputCache()
    a, b = FakeEngine("a", ["A"]), FakeEngine("b", ["B"])
    draft_segment("请提交申请。", "en", memory=DictMemory(), engines=[a], cache=cache)
    draft_segment("请提交申请。", "fr", memory=DictMemory(), engines=[a], cache=cache)
    draft_segment("请提交申请。", "en", memory=DictMemory(), engines=[b], cache=cache)
    assert len(a.calls) == 2 and len(b.calls) == 1


def test_a_failed_request_is_not_cached() -> None:
    from translators.errors import EngineUnavailable

    engine = FakeEngine("a", [EngineUnavailable("a", "down"), "late answer"])
    cache = DictOutputCache()
    first = draft_segment(
        "请提交申请。", "en", memory=DictMemory(), engines=[engine], cache=cache, attempts=1
    )
    assert first.text is None and len(cache) == 0
    second = draft_segment(
        "请提交申请。", "en", memory=DictMemory(), engines=[engine], cache=cache, attempts=1
    )
    assert second.text == "late answer"


def test_only_text_reaches_the_engine_and_markup_comes_back(
    libretranslate: LibreTranslateStandIn,
) -> None:
    engine = LibreTranslateEngine(libretranslate.url)
    result = draft_segment(LINKED, "en", memory=DictMemory(), engines=[engine])
    [sent] = [r["q"] for r in libretranslate.requests]
    assert "https://" not in sent and "6321" not in sent and "](" not in sent
    assert result.text is not None
    assert "](https://wsb.sh.gov.cn/form.docx)" in result.text
    assert "021-6321 7000" in result.text
    assert result.origin == "engine:libretranslate"


def test_a_glossary_term_comes_out_as_the_official_translation(
    libretranslate: LibreTranslateStandIn,
) -> None:
    glossary = Glossary([Term("领事认证", "en", "consular legalization")])
    engine = LibreTranslateEngine(libretranslate.url)
    result = draft_segment(
        "办理领事认证须预约。", "en", memory=DictMemory(), engines=[engine], glossary=glossary
    )
    assert result.text is not None and "consular legalization" in result.text
    assert "领事认证" not in libretranslate.requests[0]["q"]


class PlaceholderEater(FakeEngine):
    """An engine that drops everything that is not a letter: placeholders are lost."""

    def translate(self, text: str, source: str, target: str) -> str:
        self.calls.append((text, source, target))
        return "lost everything"


def test_an_answer_that_lost_a_placeholder_passes_to_the_next_engine() -> None:
    eater, good = PlaceholderEater("eater"), FakeEngine("good")
    masked = mask(LINKED, "en")
    good.script = [masked.text.replace("详见", "See ").replace("或致电", " or call ")]
    result = draft_segment(LINKED, "en", memory=DictMemory(), engines=[eater, good])
    assert result.origin == "engine:good"
    assert "https://wsb.sh.gov.cn/form.docx" in (result.text or "")


def test_when_every_answer_lost_a_placeholder_the_segment_needs_translation() -> None:
    result = draft_segment(LINKED, "en", memory=DictMemory(), engines=[PlaceholderEater("eater")])
    assert result.text is None and result.origin == "none"
    assert result.note.startswith("eater:")


@pytest.mark.parametrize("attempts", [0, -1])
def test_attempts_must_be_positive(attempts: int) -> None:
    with pytest.raises(ValueError, match="attempts"):
        draft_segment("请提交申请。", "en", memory=DictMemory(), engines=[], attempts=attempts)
