"""The pages of evaluation, one module per part (each with its urlpatterns)."""
