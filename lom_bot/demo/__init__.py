"""Plainly fictional demo data, so every feature has something to show."""
