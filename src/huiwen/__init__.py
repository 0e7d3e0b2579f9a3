"""huiwen (汇闻): a republishing portal for Chinese-language news."""

__version__ = "0.1.0"
