from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from sellers.selectors import seller_memberships_of_officials
from sellers.services import seller_member_remove


class Command(BaseCommand):
    help = ("List the seller memberships held by chamber staff, label inspectors or superusers (none should exist); "
            "with --remove-as USERNAME, remove them as that chamber user (each removal is audit-logged).")

    def add_arguments(self, parser):
        parser.add_argument("--remove-as", metavar="USERNAME", help="a chamber user allowed to remove members")

    def handle(self, *args, remove_as=None, **options):
        by = None
        if remove_as:
            by = get_user_model().objects.filter(username=remove_as).first()
            if by is None:
                raise CommandError(f"No user named {remove_as!r}.")
        memberships = list(seller_memberships_of_officials())
        for member in memberships:
            line = f"{member.seller.legal_name} (seller {member.seller_id}): {member.user.email or member.user} as {member.role}"
            if by is None:
                self.stdout.write(line)
                continue
            try:
                seller_member_remove(member=member, by=by)
            except (PermissionDenied, ValidationError) as error:
                self.stderr.write(self.style.ERROR(f"{line}: not removed: {' '.join(getattr(error, 'messages', [str(error)]))}"))
            else:
                self.stdout.write(self.style.SUCCESS(f"{line}: removed"))
        if not memberships:
            self.stdout.write(self.style.SUCCESS("No seller membership is held by a chamber or inspector account."))
