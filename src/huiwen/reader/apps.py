from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "huiwen.reader"
    verbose_name = "读者页面"

    def ready(self) -> None:
        from huiwen.reader import phrases
        from huiwen.text import chinese

        phrases.register()
        # Search folds listed Traditional forms back to their Simplified phrases (issue 12).
        chinese.prefold = phrases.fold_reverse
