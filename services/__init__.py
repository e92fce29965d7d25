"""All behaviour of Werkplaats: every mutation changes records and appends its events in one transaction."""
