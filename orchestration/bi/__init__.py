"""What BI tools and managers read: team-level figures with small groups suppressed, in a file of
their own beside the restricted warehouse, and the report drawn from it."""
