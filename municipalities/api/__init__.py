"""REST API of the municipalities app: participations and demand, with their routes in
``urls`` (included by the project's API URLconf under its ``api`` namespace)."""
