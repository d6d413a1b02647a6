"""The campaign pages: list, detail, create and edit."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.forms import violations_into_form
from wenminghao.core.http import get_visible_or_404, paginate, require_perm
from wenminghao.orgs.models import Unit

from .. import selectors, services
from ..eligibility import Conditions, rule_labels
from ..enums import FilingStatus
from ..forms import CampaignForm
from ..models import Campaign
from .common import share_targets

CANDIDATE_LIMIT = 200


@login_required
@require_GET
def campaign_list(request):
    user = request.user
    page = paginate(request, selectors.campaigns_visible_to(user).order_by("-year", "level", "-id"), per_page=30)
    own_status = {}
    if user.collective_id:
        own_status = dict(
            selectors.filings_visible_to(user)
            .filter(campaign__in=[campaign.pk for campaign in page["object_list"]])
            .values_list("campaign_id", "status")
        )
    rows = [
        (campaign, FilingStatus(own_status[campaign.pk]).label if campaign.pk in own_status else None)
        for campaign in page["object_list"]
    ]
    return render(
        request,
        "campaigns/campaign_list.html",
        {**page, "rows": rows, "can_add": user.has_perm("campaigns.add_campaign")},
    )


@login_required
@require_GET
def campaign_detail(request, pk: int):
    user = request.user
    campaign = get_visible_or_404(selectors.campaigns_visible_to(user), pk=pk)
    context = {
        "campaign": campaign,
        "conditions": rule_labels(Conditions.of(campaign)),
        "targets": share_targets(campaign),
        "can_edit": user.has_perm("campaigns.change_campaign", campaign) and campaign.is_open,
        "may_grant_extension": user.has_perm("campaigns.change_campaign", campaign),
    }
    if user.collective_id:
        collective = user.collective
        own_filing = selectors.filings_visible_to(user).filter(campaign=campaign).first()
        in_scope = collective.unit.path.startswith(campaign.office.path)
        context.update(
            own_filing=own_filing,
            in_scope=in_scope,
            may_file=campaign.is_filing_open
            and in_scope
            and (own_filing is None or own_filing.status == FilingStatus.RETURNED),
        )
    if user.is_admin:
        context["filing_counts"] = (
            selectors.filings_visible_to(user)
            .filter(campaign=campaign)
            .aggregate(
                pending=Count("id", filter=Q(status=FilingStatus.PENDING)),
                accepted=Count("id", filter=Q(status=FilingStatus.ACCEPTED)),
                returned=Count("id", filter=Q(status=FilingStatus.RETURNED)),
            )
        )
        context["admin_may_file"] = campaign.is_filing_open
    return render(request, "campaigns/campaign_detail.html", context)


def _new_campaign_initial(office: Unit) -> dict:
    defaults = {
        name: Campaign._meta.get_field(name).get_default()
        for name in ("min_members", "max_members", "youth_max_age", "leader_max_age", "require_stable_unit")
    }
    contact = "，".join(
        part
        for part in (
            f"联系人：{office.contact_name}" if office.contact_name else "",
            f"联系电话：{office.contact_phone}" if office.contact_phone else "",
            f"电子邮箱：{office.email}" if office.email else "",
        )
        if part
    )
    return {
        **defaults,
        "level": "city",
        "min_youth_share": Decimal("50"),
        "target_former_share": Decimal("30"),
        "target_non_public_share": Decimal("15"),
        "target_social_share": Decimal("5"),
        "contact_info": contact,
    }


@login_required
def campaign_create(request):
    user = request.user
    require_perm(user, "campaigns.add_campaign", denied="只有团市委（或上级团委）管理员可以新建创建活动。")
    form = CampaignForm(request.POST or None, initial=_new_campaign_initial(user.unit))
    violations: list[Violation] = []
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(actor=user, office=user.unit, fields=form.campaign_fields())
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已新建创建活动“{campaign.name}”。")
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(
        request, "campaigns/campaign_form.html", {"form": form, "violations": violations, "campaign": None}
    )


@login_required
def campaign_edit(request, pk: int):
    user = request.user
    campaign = selectors.get_campaign_for(user, pk, "campaigns.change_campaign",
                                          denied="只有主办团委的管理员可以修改创建活动。")
    form = CampaignForm(request.POST or None, initial=CampaignForm.initial_of(campaign))
    violations: list[Violation] = []
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.update_campaign(actor=user, campaign=campaign, fields=form.campaign_fields())
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            messages.success(request, f"已保存“{campaign.name}”的修改。")
            return redirect("campaigns:detail", pk=campaign.pk)
    closed = services.closed_campaign_violation(campaign)
    if closed is not None and closed not in violations:
        violations.append(closed)
    return render(
        request,
        "campaigns/campaign_form.html",
        {"form": form, "violations": violations, "campaign": campaign, "read_only": closed is not None},
    )


