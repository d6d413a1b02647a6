from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "wenminghao.ledger"
    label = "ledger"
    verbose_name = "台账"

    def ready(self):
        # Imported here, not at the top: models may be imported only once the app registry is ready (Django).
        from django.db.models.signals import post_delete

        from wenminghao.collectives.models import Member
        from wenminghao.collectives.panels import CollectivePanel, register_panel

        from . import tallies
        from .views.entries import collective_panel

        # A member's attendances go with it: the tallies that count attended members are recounted.
        post_delete.connect(tallies.member_removed, sender=Member, dispatch_uid="ledger.tallies.member_removed")

        register_panel(CollectivePanel(key="ledger", slot="bottom", order=10,
                                       template="ledger/panels/collective_ledger.html", context=collective_panel))
