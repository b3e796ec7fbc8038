"""The question bank: models, loading, validation, item-writing lint and coverage."""

from trainer.bank.loader import load_bank

__all__ = ["load_bank"]
