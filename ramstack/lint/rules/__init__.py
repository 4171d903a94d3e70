"""One lint rule per module: lpNNN_<slug>.py holds one `Rule` subclass; registry.ALL_RULES lists them."""
