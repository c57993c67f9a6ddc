from fastapi import FastAPI

from app.api.profile import router as profile_router
from app.api.routes import router

app = FastAPI(title="Acme Planner", version="0.4.0")
app.include_router(router)
app.include_router(profile_router)
