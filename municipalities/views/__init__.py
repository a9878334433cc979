"""HTML views of the municipalities app, one module per area."""
