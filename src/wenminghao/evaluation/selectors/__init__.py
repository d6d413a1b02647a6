"""The reads of evaluation, scoped to the user, one module per part."""
