"""Channels in and out of the hub: CSV import/export, web-form and e-mail intakes, webhooks."""
