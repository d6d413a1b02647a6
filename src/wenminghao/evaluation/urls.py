"""Evaluation and dynamic management, mounted at /evaluation/: the dashboards and their reminders
(views/dashboard.py, views/reminders.py), field inspections (views/inspections.py), the central evaluation
(views/assessments.py), leader training, exchange visits and new-and-old pairs (views/development.py), naming and
titles (views/naming.py)."""

from .views import assessments, dashboard, development, inspections, naming, reminders

app_name = "evaluation"

urlpatterns = [
    *dashboard.urlpatterns,
    *reminders.urlpatterns,
    *inspections.urlpatterns,
    *assessments.urlpatterns,
    *development.urlpatterns,
    *naming.urlpatterns,
]
