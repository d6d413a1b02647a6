"""The WSGI entry point freezes the startup heap (core.wsgi.freeze_startup_heap): the full collections a page
sets off then skip Django's, the apps' and the URL patterns' objects, which made every page's slow tail. Checked
in a fresh interpreter, as a server worker starts: nothing is imported or frozen there beforehand."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
before = "wenminghao.reviews.views.rounds" in sys.modules
import wenminghao.wsgi
frozen = gc.get_freeze_count()
gc.collect()
print(json.dumps({"views_before": before, "views_after": "wenminghao.reviews.views.rounds" in sys.modules,
                  "frozen": frozen, "frozen_after_collect": gc.get_freeze_count(),
                  "app": callable(wenminghao.wsgi.application)}))
"""


def test_loading_the_wsgi_module_imports_every_view_and_freezes_the_live_objects(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wenminghao.settings", "WMH_DEMO": "1",
           "WMH_DATA_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)
    completed = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=ROOT,
                               timeout=120, check=True)
    facts = json.loads(completed.stdout.strip().splitlines()[-1])
    assert facts["app"]
    assert not facts["views_before"] and facts["views_after"]  # the URL patterns imported the views
    assert facts["frozen"] > 10_000  # Django, the apps, the models, the URL patterns
    assert facts["frozen_after_collect"] == facts["frozen"]  # a collection leaves them where they are
