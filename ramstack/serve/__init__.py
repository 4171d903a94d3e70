"""A local RAM/STS/IMS endpoint over the fake cloud (`ramstack serve`): one loopback port for RAM
2015-05-01, STS 2015-04-01 and IMS 2019-08-15, verifying both signature schemes and authorising
every call with ramstack's evaluator. Standard library only; never imports pulumi or the SDKs."""
