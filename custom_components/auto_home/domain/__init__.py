"""Pure household logic: no Home Assistant import (a test enforces it)."""
