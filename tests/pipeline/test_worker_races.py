"""Two workers on one version at once: real threads through the domain code; exactly one does the work."""

# Each claim attempt is held at a barrier until the other thread has made the same attempt, so
# the two certainly overlap at every claim (neither lets go before the other has tried); no
# timing is asserted. The engine's request log and the channel's calls say who did the work.

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from core.settings import DEFAULT_COLUMNS as COLUMNS
from core.settings import Settings
from pipeline import drafting, publishing
from pipeline.drafting import EngineChain
from pipeline.publishing import publish_version
from publishers.base import ChannelResult, Page
from publishers.site import Site
from publishers.site.publisher import SitePublisher
from publishers.wechat import WeChatNotConfigured
from store import claims
from store.db import transaction
from store.models import Publication, Segment, WorkClaim
from tests.notices import write_notice
from tests.pipeline.steps import (
    WECHAT_LANGUAGES,
    approve,
    audit_actions,
    draft,
    override_all,
    queue,
    translations,
)
from tests.standins.libretranslate import LibreTranslateStandIn

WAIT = 60  # seconds a thread waits for the other before the test fails instead of hanging
LANGUAGES = ["en", "fr"]


def race(action: Callable[[], object]) -> list[object]:
    """Run ``action`` in two threads released together; each one's result or exception."""
    start = threading.Barrier(2)
    outcomes: list[object] = [None, None]

    def run(index: int) -> None:
        start.wait(timeout=WAIT)
        try:
            outcomes[index] = action()
        except Exception as error:  # the outcome under test, whatever it is
            outcomes[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * WAIT)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def overlapping_claims(monkeypatch: pytest.MonkeyPatch, *modules: Any) -> Counter[str]:
    """Hold each claim attempt until the other thread attempted the same key; keys won, counted."""
    barriers: dict[str, threading.Barrier] = {}
    lock = threading.Lock()
    won: Counter[str] = Counter()

    @contextmanager
    def overlapping(database_url: str, key: str, lease: Any = None) -> Iterator[Any]:
        with claims.held(database_url, key, lease) as claim:
            with lock:
                barrier = barriers.setdefault(key, threading.Barrier(2))
                if claim is not None:
                    won[key] += 1
            barrier.wait(timeout=WAIT)
            yield claim

    for module in modules:
        monkeypatch.setattr(module, "held", overlapping)
    return won


@pytest.fixture
def version_id(settings: Settings, tmp_path: Path) -> int:
    return queue(settings, write_notice(tmp_path / "notice.md", languages=LANGUAGES)).version_id


def test_two_workers_drafting_one_version_send_each_segment_once(
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    version_id: int,
    chain: EngineChain,
    libretranslate: LibreTranslateStandIn,
) -> None:
    won = overlapping_claims(monkeypatch, drafting)

    outcomes = race(lambda: draft(url, version_id, chain))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert won == {f"draft:{version_id}:{language}": 1 for language in LANGUAGES}
    with transaction(url) as session:
        segment_count = len(session.scalars(select(Segment.id)).all())
        assert session.scalars(select(WorkClaim.key)).all() == []  # every claim let go
    sent = Counter((request["q"], request["target"]) for request in libretranslate.requests)
    assert sent and set(sent.values()) == {1}, sent  # no segment sent by both workers
    for language in LANGUAGES:
        assert len(translations(url, version_id, language)) == segment_count
    actions = audit_actions(url)
    assert actions[("segmented", None)] == 1
    assert actions[("awaiting review", None)] == 1
    assert all(actions[("drafted", language)] == 1 for language in LANGUAGES)


class CountingSite(SitePublisher):
    """The real site channel, counting its calls per language."""

    def __init__(self, site: Site) -> None:
        super().__init__(site)
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    def publish(self, page: Page) -> ChannelResult:
        with self._lock:
            self.calls[page.language] += 1
        return super().publish(page)


def test_two_workers_publishing_one_version_call_each_channel_once(
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    version_id: int,
    chain: EngineChain,
    settings: Settings,
) -> None:
    draft(url, version_id, chain)
    override_all(url, "1", "en", "accepted for the race test")
    approve(url, "1", "en")
    site = CountingSite(Site(Path(settings.site_dir), "https://wsb.example.gov.cn/", COLUMNS))
    channels = {"site": site, "wechat": WeChatNotConfigured(WECHAT_LANGUAGES)}
    won = overlapping_claims(monkeypatch, publishing)

    outcomes = race(lambda: publish_version(url, version_id, channels))

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert site.calls == {"zh": 1, "en": 1}
    assert set(won.values()) == {1} and len(won) == 4  # zh and en, each on site and wechat
    with transaction(url) as session:
        rows = session.execute(select(Publication.language_version_id, Publication.channel)).all()
        assert session.scalars(select(WorkClaim.key)).all() == []
    assert len(rows) == len(set(rows)) == 4
    actions = audit_actions(url)
    for language in ("zh", "en"):
        assert actions[("language published", language)] == 1
        assert actions[("published", language)] == 1


def test_a_claim_of_a_process_that_died_is_taken_over_at_once(url: str) -> None:
    # A child takes a claim and is killed holding it: its row stays, naming a process now gone.
    script = (
        "import os, signal, sys; from store.claims import take; "
        "assert take(sys.argv[1], 'draft:1:en') is not None; os.kill(os.getpid(), signal.SIGKILL)"
    )
    child = subprocess.run([sys.executable, "-c", script, url], capture_output=True)
    assert child.returncode == -9, child.stderr
    with transaction(url) as session:
        assert session.scalars(select(WorkClaim.key)).all() == ["draft:1:en"]

    alive = claims.take(url, "draft:1:en")
    assert alive is not None
    assert claims.take(url, "draft:1:en") is None  # this live process holds it now
    alive.release()


def test_a_lapsed_claim_is_taken_over_and_its_old_holder_told(url: str) -> None:
    # A lease of zero has lapsed by the next call: the live but too slow holder loses the claim.
    slow = claims.take(url, "publish:1:site", timedelta(0))
    assert slow is not None
    taker = claims.take(url, "publish:1:site")
    assert taker is not None and taker.token != slow.token
    assert slow.renew() is False
    slow.release()  # lets go of nothing: the row is the taker's now
    with transaction(url) as session:
        assert session.scalars(select(WorkClaim.token)).all() == [taker.token]
    assert taker.renew() is True
    taker.release()
    with transaction(url) as session:
        assert session.scalars(select(WorkClaim.key)).all() == []
