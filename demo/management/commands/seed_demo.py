from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Create the demo marketplace (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=300, help="How many products in all (default 300).")
        parser.add_argument("--history-months", type=int, default=12,
                            help="Months of past orders to add once, 0 for none (default 12).")

    def handle(self, *args, products, history_months, **options):
        if products < 0:
            raise CommandError("--products must be zero or more.")
        if history_months < 0:
            raise CommandError("--history-months must be zero or more.")
        bars = {}

        def progress(stage, done, total):
            """One bar per stage (products written, then their search documents), from 1,000 on."""
            if stage not in bars:
                for bar in bars.values():
                    bar.close()
                bars[stage] = tqdm(total=total, unit=stage.unit, desc=stage.label, disable=total < 1000)
            bars[stage].update(done - bars[stage].n)
            if done >= total:
                bars[stage].close()  # the stages that follow take time of their own

        report = seed_demo(products=products, history_months=history_months, progress=progress)
        for bar in bars.values():
            bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {report.sellers_created} sellers and {report.products_created} products added "
                f"({report.products_total} products in all), {report.history_orders_created} past orders added."
            )
        )
        self.stdout.write("Demo logins (http://127.0.0.1:8000/admin/; the buyer at http://127.0.0.1:8000/en/account/login/ "
                          "with the email buyer@souk-export.example; every login also takes <username>@souk-export.example):")
        for login in report.logins:
            self.stdout.write(f"  {login.role:<16} {login.username:<10} {login.password:<22} {login.note}")
