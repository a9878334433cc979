"""`make bench`: data at the scale of the Netherlands (and 10x), the portal on gunicorn
against PostgreSQL, and a load generator on loopback. Writes BENCHMARKS.md."""
