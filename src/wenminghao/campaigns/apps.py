from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "wenminghao.campaigns"
    label = "campaigns"
    verbose_name = "创建活动"

    def ready(self):
        # Imported here, not at the top: models may be imported only once the app registry is ready (Django).
        from wenminghao.collectives.panels import CollectivePanel, register_panel

        from .selectors import collective_filings_panel

        register_panel(CollectivePanel(key="filings", slot="side", order=20,
                                       template="campaigns/panels/collective_filings.html",
                                       context=collective_filings_panel))
