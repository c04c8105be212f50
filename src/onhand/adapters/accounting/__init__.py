"""Accounting exports: a domain `Journal` translated into what Xero and QuickBooks Online take.

- `xero.py`: the Accounting API's `ManualJournals` JSON (built with the xero-python
  SDK's models and serialized by its serializer) and the manual journal CSV import
  template;
- `quickbooks.py`: a QuickBooks Online `JournalEntry` (python-quickbooks objects);
- `csv_export.py`: a plain CSV of the journal lines.

Every export carries the journal's lines as they are: debits equal credits to the cent
because the domain made them so (the rounding residue is a line of its own). `xero_push.py` and
`quickbooks_push.py` send a journal through the SDKs' API clients when credentials are
configured; `exports.py` names the export formats for the composition root.
"""
