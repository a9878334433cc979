from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from catalog import selectors, services
from catalog.forms import ReferencePriceForm
from portal.forms import add_service_errors, post_data
from portal.selectors import is_project_team_editor
from portal.tenancy import require


@login_required
def reference_prices(request):
    """Reference unit prices per category: the project team reads them, its editors add new
    ones (a price is never overwritten; a new one applies from its date)."""
    categories = selectors.categories_with_prices(user=request.user)
    can_edit = is_project_team_editor(user=request.user)
    form = ReferencePriceForm(post_data(request))
    if request.method == "POST":
        require(can_edit)
        if form.is_valid():
            try:
                services.reference_price_add(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The reference price has been added."))
                return redirect("catalog:reference-prices")
    return render(
        request,
        "catalog/reference_prices.html",
        {"categories": categories, "form": form, "can_edit": can_edit},
        status=422 if form.errors else 200,
    )
