"""``manage.py db_worker`` with a heartbeat and the reclaim of the tasks of dead workers (core/workers.py).

An app of its own only so that its command comes before django-tasks-db's of the same name: Django takes a command
from the first app in INSTALLED_APPS that has it, and this one is listed just before ``django_tasks_db``.
"""
