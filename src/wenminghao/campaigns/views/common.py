"""What the campaign pages share."""

from decimal import Decimal

from ..models import Campaign


def share_targets(campaign: Campaign) -> list[tuple[str, Decimal]]:
    return [
        ("往届青年文明号集体", campaign.target_former_share),
        ("非公经济组织集体", campaign.target_non_public_share),
        ("社会组织集体", campaign.target_social_share),
    ]


