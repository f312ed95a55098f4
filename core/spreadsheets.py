"""CSV that is safe to open in a spreadsheet program."""

# Spreadsheet programs run cells that start with these as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The value as text, with a leading apostrophe if a spreadsheet would run it."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
