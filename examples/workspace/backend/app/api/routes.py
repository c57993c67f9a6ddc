from datetime import date

from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
def health() -> dict:
    return {"status": "ok", "version": "0.4.0"}


@router.get("/users")
def list_users() -> list[dict]:
    return []


@router.get("/admin/audit")
def list_audit(limit: int = 100) -> list[dict]:
    return []


@router.get("/reports")
def list_reports(start: date | None = None, end: date | None = None) -> list[dict]:
    return []
