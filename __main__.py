"""Pulumi program: the access spec named by `ramstack:spec` becomes RAM users, groups, roles and policies."""

from pathlib import Path

from components.program import main

main(Path(__file__).resolve().parent)
