from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "wenminghao.ledger"
    label = "ledger"
    verbose_name = "台账"

    def ready(self):
        # Imported here, not at the top: models may be imported only once the app registry is ready (Django).
        from wenminghao.collectives.panels import CollectivePanel, register_panel

        from .views.entries import collective_panel

        register_panel(CollectivePanel(key="ledger", slot="bottom", order=10,
                                       template="ledger/panels/collective_ledger.html", context=collective_panel))
