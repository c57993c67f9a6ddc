"""Thin wrapper around the Google Calendar API (events.list only)."""

import httpx

EVENTS_URL = "https://www.googleapis.com/calendar/v3/calendars/{calendar_id}/events"


class GoogleCalendarClient:
    def __init__(self, access_token: str) -> None:
        self._headers = {"Authorization": f"Bearer {access_token}"}

    def list_events(self, calendar_id: str = "primary", page_token: str | None = None) -> dict:
        params = {"singleEvents": "true", "maxResults": 250}
        if page_token:
            params["pageToken"] = page_token
        response = httpx.get(EVENTS_URL.format(calendar_id=calendar_id), headers=self._headers, params=params)
        response.raise_for_status()
        return response.json()
