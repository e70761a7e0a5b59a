"""Questions on the data: filters, targets, completeness, consistency, overview, profiles."""
