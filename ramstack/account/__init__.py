"""A live Alibaba Cloud account as plain data: read through a transport (the official SDKs, or the
fake cloud in-process), compared with a spec (drift) and written out as one (import)."""
