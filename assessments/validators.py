"""Validators shared by the models of organisations, assessments and action plans."""

from maturity.input_rules import single_line

__all__ = ["single_line"]
