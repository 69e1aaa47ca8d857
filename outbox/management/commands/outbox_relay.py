from django.core.management.base import BaseCommand

from outbox.services import outbox_relay, outbox_retry_failed


class Command(BaseCommand):
    help = "Send the outbox's pending tasks now (the beat task does it every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true", help="also retry the messages given up")

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            self.stdout.write(f"{outbox_retry_failed()} given-up message(s) put back in the queue.")
        self.stdout.write(f"{outbox_relay()} message(s) sent.")
