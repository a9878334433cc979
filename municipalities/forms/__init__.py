"""Forms of the municipalities app, one module per area (as the views)."""
