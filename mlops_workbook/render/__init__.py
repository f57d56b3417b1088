"""HTML fragments and the one stylesheet shared by the app, the facilitator page, reports and the index."""
