"""One screen per module; imported lazily by the app so start-up stays fast."""
