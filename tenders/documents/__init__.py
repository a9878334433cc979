"""The tender's documents: the data each is built from (``inputs``), the Excel price sheet
(``pricesheet``) and the rendering of a version (``render``)."""
