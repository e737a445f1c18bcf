"""Pure health analysis, no Home Assistant imports."""
