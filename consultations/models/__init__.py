"""The market consultation's models, one module per part, all importable from here."""

from consultations.models.clarifications import ClarificationQuestion
from consultations.models.consultation import Consultation, ConsultationDocument
from consultations.models.questionnaire import Question, QuestionnaireVersion, QuestionSection
from consultations.models.report import ConsultationReport
from consultations.models.responses import Answer, ConsultationResponse, ResponseSubmission
from consultations.models.review import AnswerReview
from consultations.models.talks import TalkFinding, TalkSlot

__all__ = [
    "Answer",
    "AnswerReview",
    "ClarificationQuestion",
    "Consultation",
    "ConsultationDocument",
    "ConsultationReport",
    "ConsultationResponse",
    "Question",
    "QuestionSection",
    "QuestionnaireVersion",
    "ResponseSubmission",
    "TalkFinding",
    "TalkSlot",
]
