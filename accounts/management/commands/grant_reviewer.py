from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from skillmatrix.permissions import REVIEWERS_GROUP


class Command(BaseCommand):
    help = "Make users reviewers (members of the “Reviewers” group), or with --revoke no longer."

    def add_arguments(self, parser):
        parser.add_argument("usernames", nargs="+", metavar="USERNAME")
        parser.add_argument("--revoke", action="store_true", help="remove them from the group")

    def handle(self, *args, usernames, revoke=False, **options):
        try:
            group = Group.objects.get(name=REVIEWERS_GROUP)
        except Group.DoesNotExist:
            raise CommandError(
                f"There is no “{REVIEWERS_GROUP}” group: run `manage.py migrate` first."
            ) from None
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}
        missing = [name for name in usernames if name not in users]
        if missing:
            raise CommandError(f"No such user: {', '.join(missing)}")
        for name in usernames:
            if revoke:
                users[name].groups.remove(group)
                self.stdout.write(f"{name} is no longer a reviewer.")
            else:
                users[name].groups.add(group)
                self.stdout.write(f"{name} is a reviewer.")
