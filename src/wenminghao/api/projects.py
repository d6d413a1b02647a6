"""Joint projects (项目联创、区域联创): GET/POST /api/v1/projects (docs/api.md)."""

from ninja import Router

router = Router(tags=["联创项目"])
