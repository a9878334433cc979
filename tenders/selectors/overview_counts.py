"""The participants overview's counts per province and status, in one set-based query
(tenders.selectors.overview shows the rows)."""

from __future__ import annotations

from collections import Counter

from django.db import connection

from municipalities.models import Participation
from tenders.models import Programme

# A current municipality without a deciding coverage: nobody registered it for the programme.
NOT_STARTED = "not_started"

# The number of current municipalities per province and status, in one pass over the
# programme's coverages (decision 0027): each coverage is ranked among those of the current
# municipality it counts for (itself, or the successor that took it over, two mergers deep) in
# the order of overview._deciding_coverage, and the first of each counts. The same statuses
# as the correlated subquery of overview._with_status, which costs a lookup per municipality
# (3,420 at ten times the national scale).
_STATUS_COUNTS_SQL = """  -- tables: Municipality, CoveredMunicipality, Participation
SELECT m.province, COALESCE(d.status, %(not_started)s), COUNT(*)
FROM municipalities_municipality m
LEFT JOIN (
    SELECT target, status FROM (
        SELECT
            CASE WHEN g.id IS NULL THEN cm.municipality_id ELSE g.target END AS target,
            p.status AS status,
            ROW_NUMBER() OVER (
                PARTITION BY CASE WHEN g.id IS NULL THEN cm.municipality_id ELSE g.target END
                ORDER BY
                    CASE WHEN cm.is_active AND g.id IS NULL THEN 1 ELSE 0 END DESC,
                    CASE WHEN cm.is_active THEN 1 ELSE 0 END DESC,
                    COALESCE(p.withdrawn_at, p.created_at) DESC,
                    cm.id DESC
            ) AS deciding
        FROM municipalities_coveredmunicipality cm
        JOIN municipalities_participation p ON p.id = cm.participation_id
        LEFT JOIN (
            -- Only the municipalities that ended (few), each with the current one it counts
            -- for: its successor, or the successor's successor; none without a successor.
            SELECT x.id,
                   CASE WHEN s1.valid_until IS NULL THEN s1.id ELSE s1.successor_id END AS target
            FROM municipalities_municipality x
            LEFT JOIN municipalities_municipality s1 ON s1.id = x.successor_id
            WHERE x.valid_until IS NOT NULL
        ) g ON g.id = cm.municipality_id
        WHERE cm.programme_id = %(programme)s AND (cm.is_active OR p.status = %(withdrawn)s)
    ) ranked
    WHERE deciding = 1
) d ON d.target = m.id
WHERE m.valid_until IS NULL
GROUP BY m.province, COALESCE(d.status, %(not_started)s)
"""


def participation_status_counts(*, programme: Programme) -> Counter[tuple[str, str]]:
    """(province, status) -> number of current municipalities, in one query; a municipality
    without a deciding coverage counts as ``NOT_STARTED``."""
    with connection.cursor() as cursor:
        cursor.execute(
            _STATUS_COUNTS_SQL,
            {
                "programme": programme.pk,
                "not_started": NOT_STARTED,
                "withdrawn": Participation.Status.WITHDRAWN,
            },
        )
        return Counter({(province, status): n for province, status, n in cursor.fetchall()})
