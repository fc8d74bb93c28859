"""The Prefect automation that marks a flow run *Crashed* once its heartbeats stop.

A worker sees its flow run's process die and reports the run crashed; when the worker dies with
it (a machine lost, a container evicted), nothing does, and the run stays *Running* in the Prefect
UI for ever. Prefect's own remedy is an automation on the server: after a run's heartbeat, expect
another heartbeat or a final state within a while, and change the run to *Crashed* if none came.
waiwen's work is not waiting on it (the sweep takes a dead run's claims over, docs/recovery.md);
it keeps the UI and the run history true.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from prefect.events.schemas.automations import AutomationCore

AUTOMATION_NAME = "waiwen: flow runs without heartbeats crashed"
# Heartbeats missed before a run is taken for dead: one may be late on a busy machine, or two.
MISSED_HEARTBEATS = 3
# Events that show a run alive or ended: after any of them, no need to mark it.
ALIVE_OR_ENDED = (
    "prefect.flow-run.heartbeat",
    "prefect.flow-run.Completed",
    "prefect.flow-run.Failed",
    "prefect.flow-run.Cancelled",
    "prefect.flow-run.Crashed",
)


def crash_detection(heartbeat_seconds: float) -> AutomationCore:
    """The automation for flow runs that send a heartbeat every ``heartbeat_seconds``."""
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture
    from prefect.events.schemas.events import ResourceSpecification

    # Prefect refuses a proactive trigger with a window under 10 s.
    within = max(10.0, MISSED_HEARTBEATS * heartbeat_seconds)
    return AutomationCore(
        name=AUTOMATION_NAME,
        description=(
            f"Marks a flow run Crashed when neither a heartbeat nor a final state follows its last "
            f"heartbeat within {within:g} s ({MISSED_HEARTBEATS} heartbeats missed). Kept by "
            f"`waiwen up`; changes made here are undone at its next start."
        ),
        enabled=True,
        trigger=EventTrigger(
            match=ResourceSpecification({"prefect.resource.id": "prefect.flow-run.*"}),
            after={"prefect.flow-run.heartbeat"},
            expect=set(ALIVE_OR_ENDED),
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive,
            threshold=1,
            within=timedelta(seconds=within),
        ),
        actions=[
            ChangeFlowRunState(
                name="Crashed",
                state=StateType.CRASHED,
                force=False,
                message=(
                    f"no heartbeat for {within:g} s: the process running this flow run is gone "
                    f"(marked by the automation {AUTOMATION_NAME!r})"
                ),
            )
        ],
    )


def ensure_crash_detection(heartbeat_seconds: float) -> str:
    """Create the automation, or put it back as waiwen wants it; says which ("created", "updated",
    "unchanged"). Copies of it beyond the first (two services started at once) are removed."""
    from prefect.client.orchestration import get_client

    wanted = crash_detection(heartbeat_seconds)
    with get_client(sync_client=True) as client:
        held = client.read_automations_by_name(AUTOMATION_NAME)
        for extra in held[1:]:
            client.delete_automation(extra.id)
        if not held:
            client.create_automation(wanted)
            return "created"
        first = held[0]
        if _same(first, wanted):
            return "unchanged"
        client.update_automation(first.id, wanted)
        return "updated"


def _same(held: AutomationCore, wanted: AutomationCore) -> bool:
    """The parts waiwen sets, compared as values (sets without their order)."""
    fields = {"name", "description", "enabled", "trigger", "actions"}
    return held.model_dump(include=fields) == wanted.model_dump(include=fields)
