from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "wenminghao.ledger"
    label = "ledger"
    verbose_name = "台账"
