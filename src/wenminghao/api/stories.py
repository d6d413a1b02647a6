"""Good practices and typical stories (好做法、典型事迹): GET/POST /api/v1/stories (docs/api.md)."""

from ninja import Router

router = Router(tags=["好做法与典型事迹"])
