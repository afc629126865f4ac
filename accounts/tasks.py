"""Background work. Enqueue these only from `transaction.on_commit`, never inside a transaction:
with the database backend a worker could otherwise pick up work the transaction rolls back."""

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text email through Django's mail backend (EMAIL_BACKEND)."""
    return send_mail(subject, body, None, to)
