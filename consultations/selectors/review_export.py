"""What the project team's confidential Excel export of a consultation's answers reads
(``consultations.exports``): the questions, and the submitted responses with their answers a
chunk at a time, as values, so that memory stays flat in the responses."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]  # public, not in the stubs
from typing import Any, NamedTuple

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from consultations.models import Answer, Consultation, ConsultationResponse
from consultations.selectors.review import (
    SUBMITTED,
    OptionCount,
    ReviewQuestion,
    closed_question_keys,
    option_counts_by_key,
    option_counts_of_groups,
    review_questions,
)

EXPORT_CHUNK = 100


_raw_decode = json.JSONDecoder().raw_decode


def json_value(text: str | None) -> Any:
    """``json.loads`` of a value as the database writes it out (no surrounding spaces), with
    a string, the most common answer, read by the decoder's string scanner alone."""
    if text is None:
        return None
    if text[:1] == '"':
        value, end = scanstring(text, 1)
        if end == len(text):
            return value
    return _raw_decode(text)[0]


class ExportAnswer(NamedTuple):
    """An answer as the export reads it: its value and the name of its file (or "")."""

    value: Any
    file: str


class ExportResponse(NamedTuple):
    """A submitted response as the export reads it (values, not model instances)."""

    pk: int
    supplier: str
    kvk_number: str | None
    version: int
    submitted_at: Any


@dataclass
class ExportData:
    """What the confidential Excel export reads, a chunk at a time: the questions, the
    submitted responses (a query, in order) and, per chunk of responses, their answers."""

    consultation: Consultation
    questions: list[ReviewQuestion]
    responses: QuerySet[ConsultationResponse]
    # The answers to the closed questions, tallied while the rows are read: (key, version
    # number, value as JSON text) → answers. As many entries as distinct values, not answers.
    _tally: Counter[tuple[str, int, str | None]] = field(default_factory=Counter, init=False)
    _tallied: bool = field(default=False, init=False)

    def rows(self) -> Iterator[tuple[ExportResponse, dict[str, ExportAnswer]]]:
        """Each submitted response with its answers by question key; two queries per
        ``EXPORT_CHUNK`` responses, so that memory does not grow with the responses. Read to
        the end, they leave the counts per option tallied (``counts``)."""
        self._tally.clear()
        self._tallied = False
        chunk = EXPORT_CHUNK
        batch: list[ExportResponse] = []
        fields = (
            "pk",
            "organisation__name",
            "organisation__supplier_profile__kvk_number",
            "version__number",
            "submitted_at",
        )
        for values in self.responses.values_list(*fields).iterator(chunk_size=chunk):
            batch.append(ExportResponse(*values))
            if len(batch) == chunk:
                yield from self._with_answers(batch)
                batch = []
        yield from self._with_answers(batch)
        self._tallied = True

    def _with_answers(self, batch: list[ExportResponse]):
        if not batch:
            return
        answers: dict[int, dict[str, ExportAnswer]] = {response.pk: {} for response in batch}
        version_of = {response.pk: response.version for response in batch}
        closed = closed_question_keys(self.questions)
        tally = self._tally
        # The values as their JSON text, decoded here (``json_value``): the field's own
        # conversion per value costs several times as much.
        for response_id, key, value, file in (
            Answer.objects.filter(response__in=[response.pk for response in batch])
            .annotate(json=Cast("value", TextField()))
            .values_list("response_id", "question_key", "json", "file")
        ):
            answers[response_id][key] = ExportAnswer(json_value(value), file)
            if key in closed:
                tally[key, version_of[response_id], value] += 1
        for response in batch:
            yield response, answers[response.pk]

    def counts(self) -> dict[str, list[OptionCount]]:
        """Counts per option of the closed questions: from the tally of the rows once they
        were read to the end (each distinct value decoded once), otherwise by one GROUP BY
        (``option_counts_by_key``) over the same answers."""
        if not self._tallied:
            return option_counts_by_key(
                Answer.objects.filter(
                    response__consultation=self.consultation, response__status=SUBMITTED
                ),
                self.questions,
            )
        groups: dict[str, list[tuple[int, Any, int]]] = {}
        for (key, number, text), n in self._tally.items():
            groups.setdefault(key, []).append((number, json_value(text), n))
        return option_counts_of_groups(self.questions, groups)


def review_export_data(*, consultation: Consultation) -> ExportData:
    """The questions and the submitted responses of the confidential Excel export; the
    answers are read a chunk at a time while it is written (``ExportData.rows``)."""
    return ExportData(
        consultation=consultation,
        questions=review_questions(consultation=consultation),
        responses=ConsultationResponse.objects.filter(
            consultation=consultation, status=SUBMITTED
        ).order_by("organisation__name", "id"),
    )
