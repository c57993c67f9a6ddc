from fastapi import APIRouter

router = APIRouter(prefix="/profile")


@router.get("")
def get_profile() -> dict:
    return {"display_name": "", "locale": "en", "avatar_url": None}


@router.put("")
def update_profile(payload: dict) -> dict:
    return payload
