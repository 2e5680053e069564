"""Log entries' parameters as the API shows them (list=logevents, list=recentchanges)."""

from __future__ import annotations

from typing import Any

from wikigate.timeutil import format_expiry


def api_log_params(log_type: str, stored: dict[str, Any]) -> dict[str, Any]:
    """Stored parameters with their expiries in words or ISO 8601."""
    params = dict(stored)
    if log_type == "protect" and "details" in params:
        params["details"] = [{**item, "expiry": format_expiry(item.get("expiry"), infinity="infinite")}
                             for item in params["details"]]
    if log_type in ("block", "suppress") and "expiry" in params:
        params["expiry"] = format_expiry(params["expiry"])
    if log_type == "rights":
        for key in ("oldmetadata", "newmetadata"):
            if key in params:
                params[key] = [{**item, "expiry": format_expiry(item.get("expiry"))} for item in params[key]]
    return params
