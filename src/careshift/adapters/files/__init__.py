"""File readers and writers that cite file:line:field on bad input."""
