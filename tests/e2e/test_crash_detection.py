"""The automation waiwen keeps on the Prefect server marks a run crashed once its heartbeats stop.

A real Prefect server (the session's), with its triggers service: a flow run is set running and
sends one heartbeat, as a run does before its machine is lost, and then nothing.
"""

from __future__ import annotations

import asyncio
import time
from uuid import UUID

import pytest
from prefect import flow
from prefect.client.orchestration import SyncPrefectClient, get_client
from prefect.client.schemas.objects import State, StateType
from prefect.events import Event
from prefect.events.clients import PrefectEventsClient
from prefect.events.schemas.events import Resource
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Running

from flows.crash_detection import AUTOMATION_NAME, crash_detection, ensure_crash_detection
from tests.e2e.conftest import PATIENCE

pytestmark = pytest.mark.e2e


@flow(name="lost-with-its-machine")
def lost_with_its_machine() -> None:
    """Never run: only its flow run is made, by hand."""


async def _heartbeat(api_url: str, flow_run_id: UUID) -> None:
    """One heartbeat of the run, sent as Prefect's flow engine sends it."""
    async with PrefectEventsClient(api_url) as events:
        await events.emit(
            Event(
                event="prefect.flow-run.heartbeat",
                resource=Resource({"prefect.resource.id": f"prefect.flow-run.{flow_run_id}"}),
            )
        )


def _after_running(client: SyncPrefectClient, run_id: UUID, until: float) -> State | None:
    """The run's state once it is no longer running, or at ``until``."""
    state = client.read_flow_run(run_id).state
    while state is not None and state.type == StateType.RUNNING and time.monotonic() < until:
        time.sleep(0.5)
        state = client.read_flow_run(run_id).state
    return state


def test_a_run_whose_heartbeats_stop_is_marked_crashed(prefect_api_url: str) -> None:
    with temporary_settings({PREFECT_API_URL: prefect_api_url}):
        # Heartbeats every 3 s: three missed is under Prefect's least window, so it waits 10 s.
        assert ensure_crash_detection(3) in {"created", "updated"}
        assert ensure_crash_detection(3) == "unchanged"
        with get_client(sync_client=True) as client:
            [held] = client.read_automations_by_name(AUTOMATION_NAME)
            assert held.trigger.within.total_seconds() == 10.0  # type: ignore[union-attr]
            run = client.create_flow_run(lost_with_its_machine, state=Running())
            # The server's triggers service takes a new automation up a moment after it is made,
            # and only a heartbeat it sees after that starts the wait: so the test sends one again,
            # watching longer each time, until one has started it.
            watch, state = 15.0, None
            deadline = time.monotonic() + PATIENCE
            while state is None or state.type == StateType.RUNNING:
                assert time.monotonic() < deadline, "the run was never marked crashed"
                asyncio.run(_heartbeat(prefect_api_url, run.id))
                state = _after_running(client, run.id, time.monotonic() + watch)
                watch *= 2
            assert state is not None and state.type == StateType.CRASHED
            assert "no heartbeat for 10 s" in (state.message or "")

        # Back to what `waiwen up` keeps (180 s heartbeats); a second copy (two services started
        # at once) is removed.
        assert ensure_crash_detection(180) == "updated"
        with get_client(sync_client=True) as client:
            client.create_automation(crash_detection(180))
            assert ensure_crash_detection(180) == "unchanged"
            [held] = client.read_automations_by_name(AUTOMATION_NAME)
            assert held.trigger.within.total_seconds() == 540.0  # type: ignore[union-attr]
