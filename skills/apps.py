from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = _("Skill matrix")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import models
        from .cache import matrix_changed_signal

        # Edits in the admin (or anywhere else) invalidate cached pages as the services do.
        for model in (
            models.Domain,
            models.SkillGroup,
            models.Skill,
            models.Level,
            models.Role,
            models.RoleLevel,
            models.Expectation,
        ):
            post_save.connect(matrix_changed_signal, sender=model)
            post_delete.connect(matrix_changed_signal, sender=model)
