"""The WSGI entry point freezes the startup heap (core.wsgi.freeze_startup_heap): the full collections a page
sets off then skip Django's, the apps' and the URL patterns' objects, which made every page's slow tail."""

import gc
import importlib
import sys

from wenminghao.core.wsgi import freeze_startup_heap


def test_freezing_imports_every_view_and_moves_the_live_objects_out_of_the_collectors_generations():
    gc.unfreeze()
    sys.modules.pop("wenminghao.reviews.views.rounds", None)
    try:
        freeze_startup_heap()
        assert "wenminghao.reviews.views.rounds" in sys.modules  # the URL patterns imported the views
        assert gc.get_freeze_count() > 10_000
        before = gc.get_freeze_count()
        gc.collect()
        assert gc.get_freeze_count() == before  # a collection leaves them where they are
    finally:
        gc.unfreeze()


def test_the_wsgi_module_freezes_the_heap_when_the_server_loads_it():
    gc.unfreeze()
    try:
        module = importlib.reload(importlib.import_module("wenminghao.wsgi"))
        assert callable(module.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
