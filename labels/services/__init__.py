"""Quality labels' writes, one module per subject: ``applications`` (apply, assign, inspect, decide),
``certificates`` (suspend, reinstate, revoke, expire), ``chain`` (the hash-chained history) and
``inspectors`` (groups, conflicts of interest). Callers import from here."""

from .applications import EVIDENCE_MAX_FILES, label_apply, label_assign, label_decide, label_inspection_record
from .certificates import (
    CERTIFICATE_DECISIONS,
    EXPIRY_NOTICE_DAYS,
    IN_FORCE,
    label_certificate_decisions,
    label_certificate_reinstate,
    label_certificate_revocation_confirm,
    label_certificate_revocation_request,
    label_certificate_suspend,
    label_certificates_expire,
    label_certificates_expiring,
)
from .chain import GENESIS_HASH, label_chain_first_broken_event
from .inspectors import (
    CONFLICT_OVERRIDDEN,
    CONFLICTED,
    LABEL_GROUP_PERMISSIONS,
    NOT_CONFLICTED,
    is_label_inspector,
    is_lead_inspector,
    label_conflict,
    label_groups_ensure,
    label_inspectors_eligible,
    label_inspectors_group,
)

__all__ = [
    "CERTIFICATE_DECISIONS", "CONFLICTED", "CONFLICT_OVERRIDDEN", "EVIDENCE_MAX_FILES", "EXPIRY_NOTICE_DAYS",
    "GENESIS_HASH", "IN_FORCE", "LABEL_GROUP_PERMISSIONS", "NOT_CONFLICTED", "is_label_inspector", "is_lead_inspector",
    "label_apply", "label_assign", "label_certificate_decisions", "label_certificate_reinstate",
    "label_certificate_revocation_confirm", "label_certificate_revocation_request", "label_certificate_suspend",
    "label_certificates_expire", "label_certificates_expiring", "label_chain_first_broken_event", "label_conflict",
    "label_decide", "label_groups_ensure", "label_inspection_record", "label_inspectors_eligible",
    "label_inspectors_group",
]
