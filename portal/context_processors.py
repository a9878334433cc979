from django.conf import settings

from .selectors import user_memberships


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.DEMO_MODE}
    return {
        "demo_mode": settings.DEMO_MODE,
        "active_membership": request.active_membership,
        "user_memberships": user_memberships(user=user),
    }
