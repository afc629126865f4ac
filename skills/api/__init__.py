"""The matrix, read-only, under /api/v1/ (see skillmatrix/api for the shared style)."""
