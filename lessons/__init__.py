"""vgtutor's domain layer: course content, quiz scoring and the numpy lab (no UI imports)."""
