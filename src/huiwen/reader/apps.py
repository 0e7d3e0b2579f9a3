from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


def _phrase_before(sender: type, instance: object, **kwargs: object) -> None:
    from huiwen.reader.models import TraditionalPhrase

    pk = getattr(instance, "pk", None)
    previous = TraditionalPhrase.objects.filter(pk=pk).values_list("simplified", flat=True).first() if pk else None
    instance._huiwen_previous_phrase = previous  # type: ignore[attr-defined]


def _phrase_changed(sender: type, instance: object, **kwargs: object) -> None:
    """Invalidate the cached and published pages the changed phrase shows on (old and new wording)."""
    from huiwen.newsroom.tags import changed
    from huiwen.reader import phrases

    phrases.forget()
    changed(*phrases.touched_tags(instance.simplified, getattr(instance, "_huiwen_previous_phrase", None) or ""))  # type: ignore[attr-defined]


class ReaderConfig(AppConfig):
    name = "huiwen.reader"
    verbose_name = "读者页面"

    def ready(self) -> None:
        from huiwen.reader import phrases
        from huiwen.reader.models import TraditionalPhrase
        from huiwen.text import chinese

        pre_save.connect(_phrase_before, sender=TraditionalPhrase, dispatch_uid="reader-phrase-before")
        post_save.connect(_phrase_changed, sender=TraditionalPhrase, dispatch_uid="reader-phrase-saved")
        post_delete.connect(_phrase_changed, sender=TraditionalPhrase, dispatch_uid="reader-phrase-deleted")
        # Search folds listed Traditional forms back to their Simplified phrases (issue 12).
        chinese.prefold = phrases.fold_reverse
