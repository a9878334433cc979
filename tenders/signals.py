"""tenders listens to what lower apps announce (portal.signals.domain_event) and keeps the
aggregation current: one coalesced run per programme after every change of submitted demand."""

from django.dispatch import receiver

from portal.signals import domain_event

AGGREGATION_EVENTS = {"demand.submitted", "demand.returned", "participation.withdrawn"}


def _programme_of(instance):
    if hasattr(instance, "programme"):  # a participation
        return instance.programme
    if hasattr(instance, "participation"):  # a demand
        return instance.participation.programme
    return instance.demand.participation.programme  # a demand version


@receiver(domain_event)
def aggregate_after_demand_changes(sender, name, instance, actor, **kwargs):
    if name not in AGGREGATION_EVENTS:
        return
    from tenders.services.aggregation import aggregation_request

    aggregation_request(programme=_programme_of(instance), reason=name)
