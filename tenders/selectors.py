from django.db.models import Prefetch, QuerySet

from .models import Milestone, Programme


def programme_list(*, user) -> QuerySet[Programme]:
    return Programme.objects.visible_to(user).prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_at"))
    )
