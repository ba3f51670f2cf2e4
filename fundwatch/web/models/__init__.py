"""The platform's models, one module per domain."""

from fundwatch.web.models.accounts import ROLE_PERMS, Perm, Role, User
from fundwatch.web.models.attachments import Attachment, Kind
from fundwatch.web.models.audit import AuditImmutable, AuditLog
from fundwatch.web.models.leads import (
    EDITABLE,
    FollowUp,
    Lead,
    LeadClass,
    Online,
    Refund,
    Source,
    StaleEdit,
    Transition,
    WorkflowError,
    open_lead_for,
)
from fundwatch.web.models.regions import Region, Unit
from fundwatch.web.models.subjects import Channel, Hit, Reporter, RewardStatus, Signal, Subject

__all__ = [
    "EDITABLE", "ROLE_PERMS", "Attachment", "AuditImmutable", "AuditLog", "Channel", "FollowUp", "Hit", "Kind",
    "Lead", "LeadClass", "Online", "Perm", "Refund", "Region", "Reporter", "RewardStatus", "Role", "Signal",
    "Source", "StaleEdit", "Subject", "Transition", "Unit", "User", "WorkflowError", "open_lead_for",
]
