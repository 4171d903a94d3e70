"""The live-account layer: the only part of ramstack that imports Alibaba's official SDKs
(`pip install 'ramstack[live]'`). The core reaches it through small interfaces (a transport)."""
