"""What the surveys tell the apps below them: My training shows the questionnaires still to
answer (``surveys.wagtail_hooks``), so an answer renews its author's page and a
questionnaire's change everyone's."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from lms.my_training.cache import my_training_changed, my_training_changed_for_everyone

from .models import Questionnaire, SurveyResponse


@receiver(post_save, sender=SurveyResponse, dispatch_uid="surveys.answer_saved")
@receiver(post_delete, sender=SurveyResponse, dispatch_uid="surveys.answer_deleted")
def _answer_written(sender, instance: SurveyResponse, **kwargs) -> None:
    my_training_changed(user_ids=[instance.user_id])


@receiver(post_save, sender=Questionnaire, dispatch_uid="surveys.questionnaire_saved")
@receiver(post_delete, sender=Questionnaire, dispatch_uid="surveys.questionnaire_deleted")
def _questionnaire_changed(sender, **kwargs) -> None:
    my_training_changed_for_everyone()
