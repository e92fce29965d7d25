"""Invoices and credit notes: numbering, issuing, the PDF. Money arithmetic itself is services.billing."""
