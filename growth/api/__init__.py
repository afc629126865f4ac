"""My growth over the API: /api/v1/me/… (the caller's own data only)."""
