"""The city office's deadline extensions of a campaign (报送延期)."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from wenminghao.campaigns import services as campaign_services
from wenminghao.campaigns.models import DeadlineExtension
from wenminghao.campaigns.selectors import get_campaign_for
from wenminghao.collectives.selectors import collectives_visible_to
from wenminghao.core.errors import RuleViolationError, Violation
from wenminghao.core.forms import violations_into_form
from wenminghao.orgs.selectors import units_visible_to

from ..deadlines import shanghai_text
from ..forms import ExtensionForm

# --- deadline extensions (the city office) -------------------------------------------------------------------


@login_required
def extensions(request, pk: int):
    """The campaign's deadline extensions, and (for its office) the form to grant one to a unit or a collective."""
    user = request.user
    campaign = get_campaign_for(user, pk, "campaigns.change_campaign", denied="只有主办团委的管理员可以批准报送延期。")
    office = campaign.office
    units = units_visible_to(user).filter(path__startswith=office.path).order_by("path")
    collectives = collectives_visible_to(user).filter(unit__path__startswith=office.path)
    form = ExtensionForm(request.POST or None, units=units, collectives=collectives, base_depth=office.depth)
    violations: list[Violation] = []
    if request.method == "POST" and form.is_valid():
        try:
            extension = campaign_services.grant_extension(actor=user, campaign=campaign, **form.grant_arguments())
        except RuleViolationError as error:
            violations = violations_into_form(form, error)
        else:
            target = extension.unit or extension.collective
            messages.success(request, f"已批准{target}延期报送至{shanghai_text(extension.until)}。")
            return redirect("works:extensions", pk=campaign.pk)
    granted = (
        DeadlineExtension.objects.filter(campaign=campaign)
        .select_related("unit", "collective", "collective__unit", "granted_by")
        .order_by("-granted_at", "-id")
    )
    return render(request, "works/extensions.html", {
        "campaign": campaign, "form": form, "violations": violations, "extensions": granted,
        "deadline_text": shanghai_text(campaign.deadline), "now": timezone.now(),
    })
