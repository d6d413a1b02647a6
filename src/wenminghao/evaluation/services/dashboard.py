"""The dashboard changes nothing; its one write is the audit entry of a download of its figures."""

from django.db import transaction

from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted


@transaction.atomic
def record_indicators_export(*, actor, unit, campaign, collectives: int, ip_address: str | None = None) -> None:
    """Write to the audit log that ``actor`` downloaded the dashboard's .xlsx of ``unit`` in ``campaign``
    (``evaluation.indicators_export``: the campaign, the unit, how many creating collectives it covers). Side
    effects: one AuditEntry. NotPermitted unless the actor may look at that unit's dashboard."""
    if not actor.has_perm("evaluation.view_dashboard", unit):
        raise NotPermitted("只有该单位及上级团委的管理员可以导出其创建指标。")
    record_audit(actor=actor, action="evaluation.indicators_export", target=unit, unit_path=unit.path,
                 after={"format": "xlsx", "campaign": campaign.pk, "unit": unit.pk, "collectives": collectives},
                 ip_address=ip_address)
