"""Pages of the tenders app: the programme, its overviews, lots and the aggregation."""
