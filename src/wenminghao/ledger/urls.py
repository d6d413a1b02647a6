"""The ledger's pages, mounted at /ledger/: a collective's ledger and its entries (views/entries.py), the 助千家
pairings (views/pairings.py), the 查阅台账 overview of a unit's collectives and the printable files (views/review.py
and views/exports.py)."""

from .views import entries, exports, pairings, review

app_name = "ledger"

urlpatterns = [*review.urlpatterns, *entries.urlpatterns, *pairings.urlpatterns, *exports.urlpatterns]
