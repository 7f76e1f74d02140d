"""Daily: e-mail members about their actions due within a week or overdue."""

from django.core.management.base import BaseCommand

from actions.reminders import action_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail the members who own actions due within 7 days or overdue (at most once per "
        "action per week), in each member's language. Run it daily from cron."
    )

    def handle(self, *args, **options):
        sent = action_reminders_send()
        self.stdout.write(f"Sent {sent} reminder e-mail(s).")
