"""Translation memory keys and the in-memory implementation."""

from __future__ import annotations

from translators.memory import DictMemory, normalise_source


def test_normalise_source() -> None:
    # U+3000 ideographic space, NBSP, newline; "e" + combining acute -> NFC "é".
    assert normalise_source("\u3000上海\u00a0 市\n外办 ") == "上海 市 外办"
    assert normalise_source("cafe\u0301") == "caf\u00e9"


def test_dict_memory_matches_after_normalisation() -> None:
    memory = DictMemory()
    memory.add("上海市  外事办公室", "en", "Shanghai Foreign Affairs Office")
    assert memory.exact("上海市 外事办公室\n", "en") == "Shanghai Foreign Affairs Office"
    assert memory.exact("上海市 外事办公室", "ja") is None
    assert memory.exact("上海市外事办公室", "en") is None
    assert len(memory) == 1
