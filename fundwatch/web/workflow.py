"""The lead workflow: its states and the transitions allowed between them (000/002/004)."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):
    FOUND = "found", "发现"
    TRIAGE = "triage", "研判"
    DESK_CHECK = "desk_check", "书面核查"
    INSPECTION = "inspection", "现场核查"
    MONITORING = "monitoring", "持续监测"
    RECTIFYING = "rectifying", "责令整改"
    REFERRED_POLICE = "referred_police", "移送公安"
    DISMISSED = "dismissed", "排除风险"
    CLOSED = "closed", "办结"
    REOPENED = "reopened", "死灰复燃（重新打开）"


S = State
# Verification (desk check, on-site inspection) precedes any disposal; closed leads come back only as reopened.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.FOUND: (S.TRIAGE, S.DISMISSED),
    S.TRIAGE: (S.DESK_CHECK, S.INSPECTION, S.DISMISSED),
    S.DESK_CHECK: (S.INSPECTION, S.MONITORING, S.RECTIFYING, S.REFERRED_POLICE, S.DISMISSED),
    S.INSPECTION: (S.MONITORING, S.RECTIFYING, S.REFERRED_POLICE, S.DISMISSED),
    S.MONITORING: (S.INSPECTION, S.RECTIFYING, S.REFERRED_POLICE, S.CLOSED),
    S.RECTIFYING: (S.INSPECTION, S.MONITORING, S.REFERRED_POLICE, S.CLOSED),
    S.REFERRED_POLICE: (S.CLOSED,),
    S.DISMISSED: (S.CLOSED,),
    S.CLOSED: (S.REOPENED,),
    S.REOPENED: (S.TRIAGE, S.INSPECTION, S.RECTIFYING, S.REFERRED_POLICE),
}
OPEN_STATES = tuple(s for s in State if s != S.CLOSED)


def allowed(from_state: str, to_state: str) -> bool:
    return to_state in TRANSITIONS.get(from_state, ())


def next_states(from_state: str) -> list[State]:
    return [State(s) for s in TRANSITIONS.get(from_state, ())]
