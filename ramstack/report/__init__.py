"""Lint reports, one format per module: text, json, sarif, markdown (see registry.FORMATTERS)."""
