"""The stand-in in a process of its own answers as in-process and hands back when requests came."""

from __future__ import annotations

import time

import httpx

from tests.standins.libretranslate import pseudo_translate
from tests.standins.process import LibreTranslateProcess


def test_the_engine_process_answers_and_reports_each_arrival_on_this_machines_clock() -> None:
    with LibreTranslateProcess() as engine:
        before = time.monotonic()
        answers = [
            httpx.post(
                f"{engine.url}translate",
                json={"q": "通知", "source": "zh", "target": "en"},
                timeout=30,
            ).json()
            for _ in range(2)
        ]
        after = time.monotonic()
        assert httpx.get(f"{engine.url}languages", timeout=30).status_code == 200
    assert answers == [{"translatedText": pseudo_translate("通知", "en")}] * 2
    assert len(engine.stamps) == 2  # the languages list is not a translation
    assert before <= engine.stamps[0] <= engine.stamps[1] <= after
