from django.apps import AppConfig, apps


class AuditConfig(AppConfig):
    name = "educio.audit"
    label = "audit"
    verbose_name = "审计"

    # Rows that are themselves the audit trail are not audited again.
    not_audited = frozenset({"audit.securityevent", "audit.changelogentry"})

    def ready(self) -> None:
        """Log every create/update/delete of every EduCIO model, including those added later."""
        from auditlog.registry import auditlog

        for model in apps.get_models():
            label = model._meta.label_lower
            if model.__module__.startswith("educio.") and label not in self.not_audited:
                exclude = list(getattr(model, "audit_exclude_fields", ()))
                auditlog.register(model, exclude_fields=exclude)
