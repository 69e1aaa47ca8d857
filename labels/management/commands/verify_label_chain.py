from django.core.management.base import BaseCommand, CommandError

from labels.models import LabelApplication
from labels.services import label_chain_first_broken_event


class Command(BaseCommand):
    help = "Check the hash chain of every label application's history; name the first broken event of each."

    def handle(self, *args, **options):
        checked, broken = 0, []
        for application in LabelApplication.objects.select_related("scheme", "seller").iterator():
            checked += 1
            event = label_chain_first_broken_event(application)
            if event is not None:
                number = getattr(getattr(application, "certificate", None), "number", "no certificate")
                if event.pk is None:
                    broken.append(f"application {application.pk} ({number}): event #{event.position} and later are missing")
                else:
                    broken.append(
                        f"application {application.pk} ({number}): event #{event.position} “{event.action}” (id {event.pk})"
                    )
        for line in broken:
            self.stderr.write(self.style.ERROR(f"Broken chain — {line}"))
        if broken:
            raise CommandError(f"{len(broken)} of {checked} label histories are broken.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} label histories are intact."))
