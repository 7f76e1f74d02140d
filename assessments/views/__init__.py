"""Views: access through `assessments.access`, then one selector or service, then render."""
