import datetime

from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "digitalfront.feedback"
    label = "feedback"
    verbose_name = "Phản ánh, kiến nghị, khiếu nại, tố cáo"

    def ready(self) -> None:
        from digitalfront.core.scheduler import register

        from .tasks import check_deadlines, process_new_cases

        # alerts before and at deadlines, escalation, auto-closing: idempotent, so a scheduler that was
        # down catches up in one run
        register("feedback.check_deadlines", every=datetime.timedelta(minutes=15), task=check_deadlines)
        # new cases the intake's own follow-up did not reach (a crash between two, a quiet moment): at most
        # a minute late
        register("feedback.follow_up", every=datetime.timedelta(minutes=1), task=process_new_cases)
