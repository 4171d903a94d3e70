"""The offline plan report: what `pulumi up` would create, and who could then do what."""
