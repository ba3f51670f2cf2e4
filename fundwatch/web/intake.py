"""Public reports and grid reports become signals, and leads where warranted."""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from fundwatch.web.forms import WAN
from fundwatch.web.models import (
    Attachment,
    AuditLog,
    Channel,
    Kind,
    Lead,
    Region,
    Reporter,
    RewardStatus,
    Signal,
    Source,
    Subject,
    open_lead_for,
)


def _receipt(prefix: str) -> str:
    return f"{prefix}{timezone.localdate():%Y%m%d}{secrets.randbelow(10**6):06d}"


def _signal(channel: str, data: dict[str, Any], region: Region, user: Any) -> Signal:
    county = region.county() or region
    subject = Subject.match(data["subject_name"], county)
    amount = data.get("amount_wan")
    return Signal.objects.create(
        channel=channel, received_at=timezone.now(), content=data["content"], subject=subject,
        subject_name=data["subject_name"], address=data.get("address", ""), region=region,
        people=data.get("people"), amount=amount * WAN if amount is not None else None,
        created_by=user if user is not None and user.is_authenticated else None,
        receipt=_receipt("JB" if channel == Channel.PUBLIC_REPORT else "WG"),
    )


def _maybe_open(signal: Signal, source: str, user: Any, urgent: bool) -> Lead | None:
    if not signal.warrants_lead(urgent):
        return None
    lead, _ = open_lead_for(
        signal.subject, source=source, user=user, region=signal.region, subject_name=signal.subject_name,
        title=signal.content[:200], signal=signal, participants=signal.people or 0,
        amount=signal.amount or Decimal(0), business_address=signal.address,
    )
    return lead


@transaction.atomic
def take_public_report(data: dict[str, Any]) -> tuple[Signal, Lead | None]:
    signal = _signal(Channel.PUBLIC_REPORT, data, data["township"], None)
    anonymous = bool(data.get("anonymous"))
    Reporter.objects.create(
        signal=signal, anonymous=anonymous, name="" if anonymous else data.get("name", ""),
        phone="" if anonymous else data.get("phone", ""), id_number="" if anonymous else data.get("id_number", ""),
        reward_status=RewardStatus.APPLIED if data.get("want_reward") else RewardStatus.NONE,
    )
    if data.get("evidence"):
        Attachment.store(data["evidence"], Kind.REPORT, None, signal=signal)
    AuditLog.record(None, AuditLog.Action.CREATE, signal, signal.region_id, after={"channel": signal.channel})
    return signal, _maybe_open(signal, Source.PUBLIC_REPORT, None, urgent=False)


@transaction.atomic
def take_grid_report(data: dict[str, Any], user: Any) -> tuple[Signal, Lead | None]:
    signal = _signal(Channel.GRID, data, data["village"], user)
    Attachment.store(data["photo"], Kind.STOREFRONT, user, signal=signal)
    AuditLog.record(user, AuditLog.Action.CREATE, signal, signal.region_id, after={"channel": signal.channel})
    return signal, _maybe_open(signal, Source.GRID, user, urgent=bool(data.get("urgent")))
