"""Names shared by the command (which must not import the benchmark settings) and them."""

DATABASE_SUFFIX = "_benchmark"
