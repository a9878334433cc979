"""consultations listens to what lower apps announce (portal.signals.domain_event): when a
tender of a programme is published, every supplier that took part in the programme's market
consultation is told (tenders does not import this app)."""

from django.dispatch import receiver

from portal.signals import domain_event


@receiver(domain_event)
def tell_participants_of_publication(sender, name, instance, actor, **kwargs):
    if name != "tender.published":
        return
    from consultations.services.tender_publication import tender_published_tell_participants

    tender_published_tell_participants(tender=instance)
