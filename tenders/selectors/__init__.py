"""Reads of the tenders app, scoped to the viewer: programmes, overviews and the aggregation."""
