"""URLs: the project team's review of the answers (per question, Excel, redaction)."""

from django.urls import path

from tenders import views_review

urlpatterns: list = [
    path(
        "marktconsultaties/<slug:consultation>/beoordeling",
        views_review.review_overview,
        name="review",
    ),
    path(
        "marktconsultaties/<slug:consultation>/beoordeling/vragen/<slug:question_key>",
        views_review.review_question,
        name="review-question",
    ),
    path(
        "marktconsultaties/<slug:consultation>/beoordeling/export.xlsx",
        views_review.review_export,
        name="review-export",
    ),
    path(
        "marktconsultaties/<slug:consultation>/beoordeling/anonimiseren",
        views_review.review_redaction,
        name="review-redaction",
    ),
    path(
        "marktconsultaties/<slug:consultation>/beoordeling/anonimiseren/<uuid:submitted_response>/<slug:question_key>",
        views_review.review_answer,
        name="review-answer",
    ),
]
