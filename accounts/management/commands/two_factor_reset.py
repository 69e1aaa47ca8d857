from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import two_factor_reset


class Command(BaseCommand):
    help = "Remove a user's two-factor devices (lost phone and backup codes), after checking who asks, off-line."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {username!r}.") from error
        two_factor_reset(user=user)
        self.stdout.write(f"Two-factor authentication reset for {username}: the next admin login enrols a new device.")
