from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenminghao.campaigns"
    label = "campaigns"
    verbose_name = "创建活动"

    def ready(self):
        from wenminghao.collectives.panels import CollectivePanel, register_panel  # the app registry is ready only now

        from .selectors import collective_filings_panel

        register_panel(CollectivePanel(key="filings", slot="side", order=20,
                                       template="campaigns/panels/collective_filings.html",
                                       context=collective_filings_panel))
