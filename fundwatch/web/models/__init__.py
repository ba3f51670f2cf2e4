"""The platform's models, one module per domain."""

from fundwatch.web.models.accounts import ROLE_PERMS, Perm, Role, User
from fundwatch.web.models.attachments import Attachment, Kind
from fundwatch.web.models.audit import AuditImmutable, AuditLog
from fundwatch.web.models.funds import FundsWarning, ImportProblem, TransactionImport
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
from fundwatch.web.models.linking import (
    ChangeRecord,
    Decision,
    Link,
    LinkRun,
    Listed,
    MatchReview,
    Person,
    Watch,
    WatchKind,
    WatchlistEntry,
)
from fundwatch.web.models.regions import Region, Unit
from fundwatch.web.models.subjects import Channel, Hit, Reporter, RewardStatus, Signal, Subject

__all__ = [
    "EDITABLE",
    "ROLE_PERMS",
    "Attachment",
    "AuditImmutable",
    "AuditLog",
    "ChangeRecord",
    "Channel",
    "Decision",
    "FollowUp",
    "FundsWarning",
    "Hit",
    "ImportProblem",
    "Kind",
    "Lead",
    "LeadClass",
    "Link",
    "LinkRun",
    "Listed",
    "MatchReview",
    "Online",
    "Perm",
    "Person",
    "Refund",
    "Region",
    "Reporter",
    "RewardStatus",
    "Role",
    "Signal",
    "Source",
    "StaleEdit",
    "Subject",
    "TransactionImport",
    "Transition",
    "Unit",
    "User",
    "Watch",
    "WatchKind",
    "WatchlistEntry",
    "WorkflowError",
    "open_lead_for",
]
