"""Constants for the Auto Home integration."""

from typing import Final

DOMAIN: Final = "auto_home"

SUBENTRY_MEMBER: Final = "member"
SUBENTRY_CHORE: Final = "chore"

CONF_PERSON: Final = "person"
