"""The live-account layer: Alibaba's official SDKs (`pip install 'ramstack[live]'`).

Only this package (and the verbs that call it, lazily) imports alibabacloud_*; the core never does.
"""
