from django.core.management.base import BaseCommand, CommandError

from customs.duty_sources import DutyRateSourceError
from customs.services import duty_rates_refresh, sample_rules_load


class Command(BaseCommand):
    help = ("Load the sample destination rules (those whose code is not in the table yet, ticked as samples) "
            "and the duty rates of the duty-rate source (CUSTOMS_DUTY_RATE_SOURCE, the sample file by default).")

    def handle(self, *args, **options):
        rules = sample_rules_load()
        try:
            rates = duty_rates_refresh()
        except DutyRateSourceError as error:
            raise CommandError(f"Duty rates not loaded: {error}") from error
        self.stdout.write(f"{rules} destination rule(s) created, {rates} duty rate(s) loaded.")
